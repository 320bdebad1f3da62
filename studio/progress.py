"""JobContext: plain progress data a running job reports through and checks for cancellation.

It sits at the bottom of the core (beside `studio.errors`) so backends, the renderer and the job
executors can all take one without importing the queue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from studio.errors import Cancelled


@dataclass
class Progress:
    fraction: float
    message: str = ""
    preview: bytes | None = None  # a PNG of the work so far, when the backend has one


class JobContext:
    """Handed to a backend for one job. `report()` publishes progress; `check_cancelled()`
    raises `Cancelled` once the user asked to stop, so a backend calls it between steps."""

    def __init__(
        self,
        on_progress: Callable[[Progress], None] | None = None,
        cancel_event: threading.Event | None = None,
        is_cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self._on_progress = on_progress
        self._cancel_event = cancel_event or threading.Event()
        self._is_cancelled = is_cancelled

    def report(self, fraction: float, message: str = "", preview: bytes | None = None) -> None:
        if self._on_progress is not None:
            self._on_progress(Progress(max(0.0, min(1.0, fraction)), message, preview))

    def cancel(self) -> None:
        self._cancel_event.set()

    @property
    def cancelled(self) -> bool:
        if self._cancel_event.is_set():
            return True
        if self._is_cancelled is not None and self._is_cancelled():
            self._cancel_event.set()
            return True
        return False

    def check_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled("cancelled by the user")
