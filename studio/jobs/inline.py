"""An executor that runs backends on one thread of this process: no worker start-up cost.

Used for quick single jobs, the queue-overhead benchmark, and tests with a fake backend. It has
the same interface as the local and Ray executors.
"""

from __future__ import annotations

import queue
import threading

from studio.jobs.execution import ExecutorEvent, progress_event, run_backend


class InlineExecutor:
    name = "inline"

    def __init__(self) -> None:
        self._events: queue.Queue[ExecutorEvent] = queue.Queue()
        self._work: queue.Queue[tuple | None] = queue.Queue()
        self._job_id: int | None = None
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def free_backends(self, known: list[str]) -> set[str]:
        return set(known) if self._job_id is None else set()

    @property
    def busy(self) -> bool:
        return self._job_id is not None

    def submit(self, job_id: int, backend: str, request_json: dict, inputs: dict) -> None:
        self._job_id = job_id
        self._cancel.clear()
        if self._thread is None:
            # one long-lived thread: starting a thread per job costs ~15 ms (OpenCV and numpy
            # set up per-thread state), more than drawing a previz panel
            self._thread = threading.Thread(target=self._serve, daemon=True, name="studio-inline")
            self._thread.start()
        self._work.put((job_id, backend, request_json, inputs))

    def _serve(self) -> None:
        while (work := self._work.get()) is not None:
            self._run(*work)

    def _run(self, job_id: int, backend_name: str, request_json: dict, inputs: dict) -> None:
        self._events.put(
            run_backend(
                job_id,
                backend_name,
                request_json,
                inputs,
                on_progress=lambda p: self._events.put(progress_event(job_id, p)),
                cancel_event=self._cancel,
            )
        )

    def cancel(self, job_id: int) -> None:
        if self._job_id == job_id:
            self._cancel.set()

    def poll(self, timeout: float) -> list[ExecutorEvent]:
        if self._job_id is None:
            return []
        events = []
        try:
            events.append(self._events.get(timeout=timeout))
            while True:
                events.append(self._events.get_nowait())
        except queue.Empty:
            pass
        if any(e.final for e in events):
            self._job_id = None
        return events

    def close(self) -> None:
        if self._job_id is not None:
            self._cancel.set()
        if self._thread is not None:
            self._work.put(None)
            self._thread.join(timeout=30)
            self._thread = None

    def __enter__(self) -> InlineExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
