"""The job queue on a worker thread: `run_queue` runs there; what it does is published on the
project's event stream, which the Session hands to the views (`Session.job_event`)."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.services.project import OpenProject
from ui.bridge.inbox import inbox

WORKER_NICENESS = 10  # how much lower than the UI the queue thread and its workers run


def lower_thread_priority(step: int = WORKER_NICENESS) -> bool:
    """Lower the calling thread's CPU priority by `step`; True when done.

    On Linux the nice value belongs to the thread, and processes started from the thread
    inherit it: the queue thread and the worker processes it spawns then yield the CPU to the
    UI thread (on 2 cores, two busy workers otherwise starved it for 100–300 ms). Elsewhere
    the nice value is the whole process's, UI included, so nothing is changed there.
    """
    if not sys.platform.startswith("linux"):
        return False
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + step)
    except OSError:
        return False
    return True


class JobBridge(QObject):
    """Runs `studio.services.generation.run_queue` on a thread.

    `running_changed(bool)` fires on the UI thread when the runner starts or ends,
    `summary(RunSummary)` at the end, `failed(exception)` when the runner itself failed.
    """

    running_changed = Signal(bool)
    summary = Signal(object)
    failed = Signal(object)

    def __init__(self, executor: str = "local", **executor_options: Any) -> None:
        super().__init__()
        self.executor = executor
        self.executor_options = executor_options
        self._thread: threading.Thread | None = None
        self._runner = None
        self._lock = threading.Lock()
        self._inbox = inbox()
        self._alive = False

    @property
    def running(self) -> bool:
        """True from start() until the UI thread has heard that the runner ended."""
        return self._alive

    def start(self, project: OpenProject) -> bool:
        """Run the queue until it is empty or paused; False when it is running already."""
        if self.running:
            return False
        self._thread = threading.Thread(
            target=self._run, args=(project,), daemon=True, name="studio-queue"
        )
        self._alive = True
        self.running_changed.emit(True)
        self._thread.start()
        return True

    def _run(self, project: OpenProject) -> None:
        from studio.services.generation import run_queue

        lower_thread_priority()
        try:
            result = run_queue(
                project,
                executor=self.executor,
                runner_ready=self._set_runner,
                **self.executor_options,
            )
        except BaseException as exc:  # noqa: BLE001 - shown to the user, the app stays up
            self._inbox.post_for(self, self._failed, exc)
            result = None
        finally:
            with self._lock:
                self._runner = None
        self._inbox.post_for(self, self._ended, result)

    def _failed(self, exc: BaseException) -> None:
        self.failed.emit(exc)

    def _ended(self, result: Any) -> None:
        self._alive = False
        if result is not None:
            self.summary.emit(result)
        self.running_changed.emit(False)

    def _set_runner(self, runner: Any) -> None:
        with self._lock:
            self._runner = runner

    def stop(self) -> None:
        """Stop after the current poll; running jobs go back to the queue."""
        with self._lock:
            if self._runner is not None:
                self._runner.stop()

    def interrupt(self, job_id: int) -> None:
        """Interrupt a running job at its next step (it ends cancelled)."""
        with self._lock:
            if self._runner is not None:
                self._runner.interrupt(job_id)

    def wait(self, timeout: float | None = None) -> bool:
        """Join the queue thread; True when it has ended."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()

