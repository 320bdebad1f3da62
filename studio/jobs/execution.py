"""Running one request through its backend, the same way in every executor.

`run_backend` is what a worker does with a job — in a worker process (local), on a thread
(inline) or on a Ray worker (farm) — and turns the backend's outcome into one `ExecutorEvent`:
done with the result, cancelled, or failed (transient when trying again may help: a lost
connection, a worker that died, a disk that was briefly unavailable).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from studio.errors import Cancelled, StudioError
from studio.generation.backends.base import registry
from studio.generation.requests import request_from_json
from studio.progress import JobContext, Progress

TRANSIENT = (OSError, TimeoutError, ConnectionError, EOFError)


class ExecutorEventKind(StrEnum):
    PROGRESS = "progress"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class ExecutorEvent:
    kind: ExecutorEventKind
    job_id: int
    fraction: float = 0.0
    message: str = ""
    preview: bytes | None = None
    result: Any = None
    backend_version: str = ""
    error: str = ""
    transient: bool = False
    details: dict = field(default_factory=dict)

    @property
    def final(self) -> bool:
        return self.kind is not ExecutorEventKind.PROGRESS


def progress_event(job_id: int, progress: Progress) -> ExecutorEvent:
    return ExecutorEvent(
        ExecutorEventKind.PROGRESS, job_id, progress.fraction, progress.message, progress.preview
    )


def run_backend(
    job_id: int,
    backend_name: str,
    request_json: dict,
    inputs: dict[str, bytes],
    on_progress: Callable[[Progress], None] | None = None,
    cancel_event: Any = None,
) -> ExecutorEvent:
    """Generate one request and say how it ended. Never raises for the backend's errors (a
    KeyboardInterrupt still propagates, so a worker can be stopped)."""
    ctx = JobContext(on_progress=on_progress, cancel_event=cancel_event)
    try:
        backend = registry.get(backend_name)
        result = backend.generate(request_from_json(request_json), inputs, ctx)
    except Cancelled:
        return ExecutorEvent(ExecutorEventKind.CANCELLED, job_id, message="cancelled")
    except StudioError as exc:
        return ExecutorEvent(ExecutorEventKind.FAILED, job_id, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - reported to the queue, the worker lives on
        return ExecutorEvent(
            ExecutorEventKind.FAILED,
            job_id,
            error=f"{type(exc).__name__}: {exc}",
            transient=isinstance(exc, TRANSIENT),
            details={"traceback": traceback.format_exc()},
        )
    return ExecutorEvent(
        ExecutorEventKind.DONE, job_id, 1.0, result=result, backend_version=backend.version
    )
