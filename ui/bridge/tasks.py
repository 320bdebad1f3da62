"""Run a slow service call on a worker thread and hear about it on the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.bridge.inbox import inbox


class Task(QObject):
    """One call on a worker thread. `done(result)`, `failed(exception)` and `finished()` are
    emitted on the UI thread (through the inbox)."""

    done = Signal(object)
    failed = Signal(object)
    finished = Signal()

    _live: set[Task] = set()

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self._call = (fn, args, kwargs)
        self._thread: threading.Thread | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self._ended = False

    def start(self) -> Task:
        Task._live.add(self)
        self._inbox = inbox()
        self._thread = threading.Thread(target=self._run, daemon=True, name="studio-task")
        self._thread.start()
        return self

    def _run(self) -> None:
        fn, args, kwargs = self._call
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread
            self._inbox.post(self._end, None, exc)
        else:
            self._inbox.post(self._end, result, None)

    def _end(self, result: Any, error: BaseException | None) -> None:
        self.result, self.error = result, error
        if error is not None:
            self.failed.emit(error)
        else:
            self.done.emit(result)
        self._ended = True
        self.finished.emit()
        Task._live.discard(self)

    @property
    def running(self) -> bool:
        """True until the result has reached the UI thread."""
        return self._thread is not None and not self._ended

    def wait(self, timeout: float | None = None) -> bool:
        """Join the worker thread (shutdown and tests); True when it ended."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()


def run_task(
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    **kwargs: Any,
) -> Task:
    """Start `fn(*args, **kwargs)` on a worker thread; callbacks run on the UI thread."""
    task = Task(fn, *args, **kwargs)
    if on_done is not None:
        task.done.connect(on_done)
    if on_error is not None:
        task.failed.connect(on_error)
    return task.start()
