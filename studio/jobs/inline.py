"""An executor that runs backends on one thread of this process: no worker start-up cost.

Used for quick single jobs, the queue-overhead benchmark, and tests with a fake backend. It has
the same interface as the local and Ray executors.
"""

from __future__ import annotations

import queue
import threading
import traceback

from studio.errors import Cancelled, StudioError
from studio.generation.backends.base import registry
from studio.generation.requests import request_from_json
from studio.jobs.local import TRANSIENT, ExecutorEvent
from studio.progress import JobContext


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
        def on_progress(p):  # noqa: ANN001
            self._events.put(ExecutorEvent("progress", job_id, p.fraction, p.message, p.preview))

        ctx = JobContext(on_progress=on_progress, cancel_event=self._cancel)
        try:
            backend = registry.get(backend_name)
            result = backend.generate(request_from_json(request_json), inputs, ctx)
            event = ExecutorEvent(
                "done", job_id, 1.0, result=result, backend_version=backend.version
            )
        except Cancelled:
            event = ExecutorEvent("cancelled", job_id, message="cancelled")
        except StudioError as exc:
            event = ExecutorEvent("failed", job_id, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the queue
            event = ExecutorEvent(
                "failed",
                job_id,
                error=f"{type(exc).__name__}: {exc}",
                transient=isinstance(exc, TRANSIENT),
                details={"traceback": traceback.format_exc()},
            )
        self._events.put(event)

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
        if any(e.kind != "progress" for e in events):
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
