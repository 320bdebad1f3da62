"""Run a slow service call on a worker thread and hear about it on the UI thread.

A task belongs to the QObject that asked for it (its owner, usually a view) and to the session's
`TaskGroup`. When the owner is deleted, or the group is cancelled (the project closes, the app
quits), the task is dropped: its result is never delivered (a view that no longer exists cannot
be called), the work is asked to stop (through its JobContext, when it has one), and what it
made anyway is handed to `discard` (an opened project is closed again). Nothing is left running
at exit: the group joins its threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from studio.progress import JobContext
from ui.bridge.inbox import inbox


class Task(QObject):
    """One call on a worker thread. `done(result)`, `failed(exception)` and `finished()` are
    emitted on the UI thread (through the inbox), only while the task is live. `relays` name
    keyword arguments of `fn` that it calls with partial results (progress steps, one sound's
    peaks…): each reaches its function on the UI thread, again only while the task is live."""

    done = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        owner: QObject | None = None,
        ctx: JobContext | None = None,
        discard: Callable[[Any], None] | None = None,
        relays: dict[str, Callable[..., Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self._inbox = inbox()
        self._dropped = threading.Event()
        kwargs.update({name: self.relay(f) for name, f in (relays or {}).items()})
        if ctx is not None:
            kwargs["ctx"] = ctx  # the work reports through it and stops when it is cancelled
        self._call = (fn, args, kwargs)
        self.name = getattr(fn, "__qualname__", repr(fn))
        self.owner = owner
        self.ctx = ctx
        self._discard = discard
        self._thread: threading.Thread | None = None
        self._ended = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.group: TaskGroup | None = None
        if owner is not None:
            owner.destroyed.connect(self.cancel)

    # -- life -------------------------------------------------------------------------------
    def start(self) -> Task:
        self._thread = threading.Thread(target=self._run, daemon=True, name="studio-task")
        self._thread.start()
        return self

    @property
    def live(self) -> bool:
        """True while the result may still be delivered: not cancelled, owner not deleted."""
        if self._dropped.is_set():
            return False
        return self.owner is None or isValid(self.owner)

    def cancel(self) -> None:
        """Drop the result and ask the work to stop (safe to call more than once)."""
        self._dropped.set()
        if self.ctx is not None:
            self.ctx.cancel()
        self._forget()

    @property
    def running(self) -> bool:
        """True until the worker thread ended and (if live) its result reached the UI thread."""
        if self._thread is None:
            return False
        return self._thread.is_alive() or (not self._ended and self.live)

    def wait(self, timeout: float | None = None) -> bool:
        """Join the worker thread (shutdown and tests); True when it ended."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()

    def relay(self, fn: Callable[..., Any]) -> Callable[..., None]:
        """A function the worker may call (from its thread) to hand `fn` a partial result on the
        UI thread; calls made after the task was dropped are dropped too."""

        def post(*args: Any) -> None:
            if not self._dropped.is_set():
                self._inbox.post(self._relayed, fn, args)

        return post

    # -- the worker and the delivery --------------------------------------------------------
    def _run(self) -> None:
        fn, args, kwargs = self._call
        try:
            result, error = fn(*args, **kwargs), None
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread
            result, error = None, exc
        if self._dropped.is_set():
            self._throw_away(result)
            return
        self._inbox.post(self._end, result, error)

    def _relayed(self, fn: Callable[..., Any], args: tuple) -> None:
        if self.live:
            fn(*args)

    def _end(self, result: Any, error: BaseException | None) -> None:
        self._ended = True
        if not self.live:
            self._throw_away(result)
            return
        self.result, self.error = result, error
        if error is not None:
            self.failed.emit(error)
        else:
            self.done.emit(result)
        self.finished.emit()
        self._forget()

    def _throw_away(self, result: Any) -> None:
        if result is not None and self._discard is not None:
            self._discard(result)

    def _forget(self) -> None:
        if self.group is not None:
            self.group.discard(self)


class TaskGroup:
    """The tasks of one session: cancelled together when the project closes, joined at exit."""

    def __init__(self) -> None:
        self._tasks: set[Task] = set()  # also keeps each Task's Python object alive

    def start(self, task: Task) -> Task:
        task.group = self
        self._tasks.add(task)
        return task.start()

    def discard(self, task: Task) -> None:
        self._tasks.discard(task)

    def tasks(self) -> tuple[Task, ...]:
        return tuple(self._tasks)

    def __len__(self) -> int:
        return len(self._tasks)

    def cancel_all(self, wait: float = 10.0) -> bool:
        """Drop every task and ask each to stop, then join their threads for at most `wait`
        seconds in all. True when none is still running."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        deadline = time.monotonic() + (wait or 0.0)
        return all(t.wait(max(0.0, deadline - time.monotonic())) for t in tasks)
