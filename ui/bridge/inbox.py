"""Hand work from worker threads to the UI thread without emitting Qt signals across threads.

PySide6 6.8+ can crash when a signal emitted on a Python thread reaches a Python callable
through a queued connection (PYSIDE-3124: "none_dealloc" refcount errors were seen here under
load). Worker threads therefore only `post()` to a thread-safe queue; a QTimer on the UI
thread drains it and makes the calls there, where signals are emitted on their own thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from shiboken6 import isValid

_INBOX: Inbox | None = None


class Inbox(QObject):
    def __init__(self, interval_ms: int = 8) -> None:
        super().__init__()
        self._thread = threading.get_ident()  # the UI thread, where it is made
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.drain)
        self._timer.start()

    def post(self, fn: Callable[..., Any], *args: Any) -> None:
        """Call `fn(*args)` on the UI thread soon (safe from any thread)."""
        self._calls.put((fn, args))

    def post_for(self, owner: QObject, fn: Callable[..., Any], *args: Any) -> None:
        """Like `post`, but the call is dropped when `owner` has been deleted by then: a
        result never reaches a widget (or a model) that no longer exists."""
        self._calls.put((_if_alive, (owner, fn, args)))

    def deliver(self, fn: Callable[..., Any], *args: Any) -> None:
        """Call `fn(*args)` on the UI thread: at once when called there (an edit's notification
        reaches the views before the edit returns), otherwise through the queue."""
        if threading.get_ident() == self._thread:
            fn(*args)
        else:
            self._calls.put((fn, args))

    def drain(self, limit: int = 500) -> int:
        """Make the calls waiting (at most `limit`, so a flood cannot freeze the UI)."""
        done = 0
        while done < limit:
            try:
                fn, args = self._calls.get_nowait()
            except queue.Empty:
                break
            fn(*args)
            done += 1
        return done


def inbox() -> Inbox:
    """The application's inbox (make it first on the UI thread: the Session does)."""
    global _INBOX
    if _INBOX is None:
        _INBOX = Inbox()
    return _INBOX


def _if_alive(owner: QObject, fn: Callable[..., Any], args: tuple) -> None:
    if isValid(owner):
        fn(*args)
