"""What happens to an open project, as plain events, and the one stream that carries them.

`OpenProject` owns one `EventStream`. The job queue publishes `JobEvent`s, the runner and the take
imports `TakeMade`, the History `HistoryChanged`, services that change the project outside the
History (a script import, a cut import) `ProjectChanged`. The CLI's progress bars, the UI's Session
and tests subscribe. A subscriber is called on the thread that published: the UI hands each event
to its inbox so that Qt sees it on the UI thread only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .entities import JobState, TakeKind


@dataclass(frozen=True)
class JobEvent:
    """A job was queued, started, made progress, or ended (done, failed, cancelled)."""

    job_id: int
    state: JobState
    progress: float = 0.0
    message: str = ""
    preview: bytes | None = None
    take_id: int | None = None
    error: str = ""
    kind: TakeKind | None = None
    owner_id: int = 0


@dataclass(frozen=True)
class TakeMade:
    """A take was stored (generated or imported) and is readable in the database."""

    kind: TakeKind
    owner_id: int  # the shot's or the line's id
    take_id: int
    job_id: int | None = None  # None for an imported take


class HistoryAction(StrEnum):
    PUSH = "push"  # a new undoable step (a service executed a command)
    UNDO = "undo"
    REDO = "redo"
    SAVED = "saved"  # the saved checkpoint moved


@dataclass(frozen=True)
class HistoryChanged:
    action: HistoryAction
    label: str
    serial: int  # counts every change of this History: a mirror knows which ones it caused


@dataclass(frozen=True)
class ProjectChanged:
    """The project changed outside the History (a script or a cut imported, media added)."""

    what: str


Event = JobEvent | TakeMade | HistoryChanged | ProjectChanged
Subscriber = Callable[[Any], None]


class EventStream:
    """Publish/subscribe for one open project; safe to publish from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[tuple[Subscriber, tuple[type, ...]]] = []

    def subscribe(self, callback: Subscriber, *types: type) -> Callable[[], None]:
        """Call `callback(event)` for every event (or only those of `types`); returns the
        function that unsubscribes."""
        entry = (callback, types)
        with self._lock:
            self._subscribers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._subscribers:
                    self._subscribers.remove(entry)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for callback, types in subscribers:
            if not types or isinstance(event, types):
                callback(event)
