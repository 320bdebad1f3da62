"""The farm executor: the same requests as Ray tasks on a cluster (extra `farm`).

Each job becomes one Ray task that gets the request and the bytes of the media it reads and
returns the result's bytes; the project machine stores them, so no shared file system is needed.
A backend that needs a GPU asks Ray for one. Ray is imported only when this executor is made.
"""

from __future__ import annotations

from typing import Any

from studio.errors import StudioError
from studio.generation.backends.base import registry
from studio.jobs.local import ExecutorEvent


def _run_remote(backend_name: str, spec: tuple, request_json: dict, inputs: dict) -> Any:
    """Runs on a Ray worker: returns ("done", result, version) or ("failed", error, transient)."""
    from studio.errors import Cancelled
    from studio.errors import StudioError as _StudioError
    from studio.generation.backends.base import registry as worker_registry
    from studio.generation.requests import request_from_json
    from studio.progress import JobContext

    worker_registry.adopt(backend_name, spec)
    try:
        backend = worker_registry.get(backend_name)
        result = backend.generate(request_from_json(request_json), inputs, JobContext())
        return ("done", result, backend.version)
    except Cancelled:
        return ("cancelled", "cancelled", False)
    except _StudioError as exc:
        return ("failed", str(exc), False)
    except Exception as exc:  # noqa: BLE001 - reported back to the project machine
        return ("failed", f"{type(exc).__name__}: {exc}", isinstance(exc, OSError | TimeoutError))


class RayExecutor:
    name = "ray"

    def __init__(
        self, address: str | None = None, max_in_flight: int | None = None, **init_kwargs: Any
    ) -> None:
        try:
            import ray
        except ImportError:
            raise StudioError(
                "the ray executor needs Ray",
                "install the farm extra: pip install 'microfilm-studio[farm]'",
            ) from None
        self._ray = ray
        if not ray.is_initialized():
            try:
                ray.init(
                    address=address, include_dashboard=False, log_to_driver=False, **init_kwargs
                )
            except ConnectionError as exc:
                raise StudioError(f"cannot reach the Ray cluster at {address}: {exc}") from None
        resources = ray.cluster_resources()
        self.max_in_flight = max_in_flight or max(1, int(resources.get("CPU", 1)))
        self._gpus = int(resources.get("GPU", 0))
        self._remote = ray.remote(_run_remote)
        self._refs: dict[Any, int] = {}  # object ref → job id

    def free_backends(self, known: list[str]) -> set[str]:
        return set(known) if len(self._refs) < self.max_in_flight else set()

    @property
    def busy(self) -> bool:
        return bool(self._refs)

    def submit(self, job_id: int, backend: str, request_json: dict, inputs: dict) -> None:
        needs_gpu = registry.is_model_backend(backend) and self._gpus > 0
        options = {"num_gpus": 1} if needs_gpu else {"num_cpus": 1}
        ref = self._remote.options(**options).remote(
            backend, registry.spec(backend), request_json, inputs
        )
        self._refs[ref] = job_id

    def cancel(self, job_id: int) -> None:
        for ref, jid in self._refs.items():
            if jid == job_id:
                self._ray.cancel(ref, force=True)

    def poll(self, timeout: float) -> list[ExecutorEvent]:
        if not self._refs:
            return []
        ready, _ = self._ray.wait(list(self._refs), num_returns=len(self._refs), timeout=timeout)
        events = []
        for ref in ready:
            job_id = self._refs.pop(ref)
            try:
                status, payload, extra = self._ray.get(ref)
            except self._ray.exceptions.TaskCancelledError:
                events.append(ExecutorEvent("cancelled", job_id, message="cancelled"))
                continue
            except self._ray.exceptions.RayError as exc:
                events.append(ExecutorEvent("failed", job_id, error=f"Ray: {exc}", transient=True))
                continue
            if status == "done":
                events.append(
                    ExecutorEvent("done", job_id, 1.0, result=payload, backend_version=extra)
                )
            elif status == "cancelled":
                events.append(ExecutorEvent("cancelled", job_id, message="cancelled"))
            else:
                events.append(ExecutorEvent("failed", job_id, error=payload, transient=extra))
        return events

    def close(self) -> None:
        for ref in list(self._refs):
            self._ray.cancel(ref, force=True)
        self._refs.clear()

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
