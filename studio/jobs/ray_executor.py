"""The farm executor: the same requests as Ray tasks on a cluster (extra `farm`).

Each job becomes one Ray task that gets the request and the bytes of the media it reads and
returns the result's bytes; the project machine stores them, so no shared file system is needed.
A backend that needs a GPU asks Ray for one. Ray is imported only when this executor is made.
"""

from __future__ import annotations

from typing import Any

from studio.errors import StudioError
from studio.generation.backends.base import registry
from studio.jobs.execution import ExecutorEvent, ExecutorEventKind


def _run_remote(
    job_id: int, backend_name: str, spec: tuple, request_json: dict, inputs: dict
) -> ExecutorEvent:
    """Runs on a Ray worker: the same outcome → event as every other executor."""
    from studio.generation.backends.base import registry as worker_registry
    from studio.jobs.execution import run_backend

    worker_registry.adopt(backend_name, spec)
    return run_backend(job_id, backend_name, request_json, inputs)


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
            job_id, backend, registry.spec(backend), request_json, inputs
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
                events.append(self._ray.get(ref))
            except self._ray.exceptions.TaskCancelledError:
                events.append(
                    ExecutorEvent(ExecutorEventKind.CANCELLED, job_id, message="cancelled")
                )
            except self._ray.exceptions.RayError as exc:
                events.append(
                    ExecutorEvent(
                        ExecutorEventKind.FAILED, job_id, error=f"Ray: {exc}", transient=True
                    )
                )
        return events

    def close(self) -> None:
        for ref in list(self._refs):
            self._ray.cancel(ref, force=True)
        self._refs.clear()

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
