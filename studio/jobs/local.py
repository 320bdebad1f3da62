"""The local executor: worker processes that run backends, so the app never blocks on them.

One worker process owns the model backends (diffusers pipelines are big and not thread-safe; it
keeps them loaded between jobs); a small pool of worker processes runs the CPU backends. The
project process sends each worker a request with the bytes of the media it reads, and gets back
progress messages and the result's bytes: workers never touch the project database.
A worker that dies (a crash, the kernel's out-of-memory killer) fails its job as transient and
is replaced.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from studio.generation.backends.base import registry

TRANSIENT = (OSError, TimeoutError, ConnectionError, EOFError)


@dataclass
class ExecutorEvent:
    kind: str  # "progress", "done", "failed", "cancelled"
    job_id: int
    fraction: float = 0.0
    message: str = ""
    preview: bytes | None = None
    result: Any = None
    backend_version: str = ""
    error: str = ""
    transient: bool = False
    details: dict = field(default_factory=dict)


def _worker_main(conn: Connection, cancel_event: Any, threads: int) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    os.environ.setdefault("STUDIO_TORCH_THREADS", str(threads))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from studio.errors import Cancelled, StudioError
    from studio.generation.requests import request_from_json
    from studio.progress import JobContext

    _limit_threads(threads)
    if hasattr(os, "nice"):
        # generation yields to the app: the project process (and a UI) stays responsive
        os.nice(5)
    while True:
        try:
            message = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        job_id, backend_name, spec, request_json, inputs = message
        registry.adopt(backend_name, spec)

        def on_progress(p, job_id=job_id):  # noqa: ANN001
            conn.send(ExecutorEvent("progress", job_id, p.fraction, p.message, p.preview))

        ctx = JobContext(on_progress=on_progress, cancel_event=cancel_event)
        try:
            backend = registry.get(backend_name)
            result = backend.generate(request_from_json(request_json), inputs, ctx)
            conn.send(
                ExecutorEvent("done", job_id, 1.0, result=result, backend_version=backend.version)
            )
        except Cancelled:
            conn.send(ExecutorEvent("cancelled", job_id, message="cancelled"))
        except StudioError as exc:
            conn.send(ExecutorEvent("failed", job_id, error=str(exc)))
        except KeyboardInterrupt:
            return
        except Exception as exc:  # noqa: BLE001 - reported to the queue, the worker lives on
            conn.send(
                ExecutorEvent(
                    "failed",
                    job_id,
                    error=f"{type(exc).__name__}: {exc}",
                    transient=isinstance(exc, TRANSIENT),
                    details={"traceback": traceback.format_exc()},
                )
            )


def _limit_threads(threads: int) -> None:
    try:
        import cv2

        cv2.setNumThreads(threads)
    except ImportError:  # pragma: no cover - opencv is a dependency
        pass


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, threads: int, name: str) -> None:
        self.cancel_event = ctx.Event()
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main, args=(child, self.cancel_event, threads), name=name, daemon=True
        )
        self.process.start()
        child.close()
        self.job_id: int | None = None

    def send(self, job_id: int, backend: str, request_json: dict, inputs: dict) -> None:
        self.cancel_event.clear()
        self.job_id = job_id
        self.conn.send((job_id, backend, registry.spec(backend), request_json, inputs))

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class LocalExecutor:
    """Worker processes on this machine: `cpu_workers` for CPU backends, one for model backends."""

    name = "local"

    def __init__(self, cpu_workers: int | None = None, threads_per_worker: int | None = None):
        cores = os.cpu_count() or 2
        self.cpu_workers = cpu_workers or max(1, min(cores, 4))
        self.threads = threads_per_worker or max(1, cores // self.cpu_workers)
        self._ctx = mp.get_context("spawn")
        self._cpu: list[_Worker] = []
        self._model: _Worker | None = None

    def _pool(self, backend: str) -> list[_Worker]:
        if registry.is_model_backend(backend):
            if self._model is None:
                self._model = _Worker(self._ctx, os.cpu_count() or 2, "studio-model-worker")
            return [self._model]
        while len(self._cpu) < self.cpu_workers:
            self._cpu.append(_Worker(self._ctx, self.threads, f"studio-cpu-{len(self._cpu)}"))
        return self._cpu

    def can_start(self, backend: str) -> bool:
        if registry.is_model_backend(backend):
            return self._model is None or self._model.job_id is None
        return len(self._cpu) < self.cpu_workers or any(w.job_id is None for w in self._cpu)

    def free_backends(self, known: list[str]) -> set[str]:
        return {b for b in known if self.can_start(b)}

    def submit(self, job_id: int, backend: str, request_json: dict, inputs: dict) -> None:
        for worker in self._pool(backend):
            if worker.job_id is None:
                worker.send(job_id, backend, request_json, inputs)
                return
        raise RuntimeError(f"no free worker for backend {backend!r}")

    @property
    def busy(self) -> bool:
        return any(w.job_id is not None for w in self._workers())

    def _workers(self) -> list[_Worker]:
        return self._cpu + ([self._model] if self._model else [])

    def cancel(self, job_id: int) -> None:
        for worker in self._workers():
            if worker.job_id == job_id:
                worker.cancel_event.set()

    def poll(self, timeout: float) -> list[ExecutorEvent]:
        busy = [w for w in self._workers() if w.job_id is not None]
        if not busy:
            return []
        ready = wait([w.conn for w in busy], timeout=timeout)
        events: list[ExecutorEvent] = []
        for worker in busy:
            if worker.conn not in ready:
                continue
            try:
                while worker.conn.poll():
                    event = worker.conn.recv()
                    events.append(event)
                    if event.kind != "progress":
                        worker.job_id = None
                        break
            except (EOFError, OSError):
                events.append(self._replace_dead(worker))
        return events

    def _replace_dead(self, worker: _Worker) -> ExecutorEvent:
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        event = ExecutorEvent(
            "failed",
            worker.job_id or 0,
            error=f"the worker process died (exit code {code}) while running this job",
            transient=True,
        )
        worker.conn.close()
        if worker is self._model:
            self._model = None
        else:
            self._cpu.remove(worker)
        return event

    def close(self) -> None:
        for worker in self._workers():
            worker.stop()
        self._cpu, self._model = [], None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
