"""The runner: takes jobs from the queue, hands them to an executor, stores what comes back.

Only the runner writes the project: a result's bytes go to the media store first, then the asset,
the take and the job's `done` state are written in one transaction, so a kill at any moment
leaves either no take (the job runs again) or exactly one.
"""

from __future__ import annotations

import platform
import threading
import time
from dataclasses import dataclass, field

from studio import __version__
from studio.domain.entities import Job, JobState, Status, Take, TakeKind
from studio.domain.events import TakeMade
from studio.domain.project import ProjectSettings
from studio.domain.time import RationalTime
from studio.errors import StudioError
from studio.generation import lineage
from studio.generation.backends.base import registry
from studio.generation.requests import GenerationResult, request_from_json
from studio.jobs.execution import ExecutorEvent, ExecutorEventKind
from studio.jobs.queue import JobQueue

ACTIVE_FIELD = {
    TakeKind.KEYFRAME: ("shots", "active_keyframe_take_id"),
    TakeKind.CLIP: ("shots", "active_clip_take_id"),
    TakeKind.VOICE: ("lines", "active_voice_take_id"),
}


@dataclass
class RunSummary:
    done: int = 0
    reused: int = 0
    failed: int = 0
    cancelled: int = 0
    retried: int = 0
    errors: list[str] = field(default_factory=list)


class JobRunner:
    """Runs one project's queue (`OpenProject.queue`) on an executor; what happens is published
    on the project's event stream."""

    def __init__(self, queue: JobQueue, executor, progress_interval: float = 0.5) -> None:
        self.store = queue.store
        self.queue = queue
        self.executor = executor
        self.progress_interval = progress_interval
        self._running: dict[int, tuple[Job, float]] = {}  # job id → (job, its start time)
        self._last_persist: dict[int, float] = {}
        self._stop = threading.Event()

    def stop(self) -> None:
        """Stop after the next poll; running jobs go back to the queue (nothing is lost)."""
        self._stop.set()

    def interrupt(self, job_id: int) -> None:
        """Interrupt a running job at its next step; it ends `cancelled`."""
        self.executor.cancel(job_id)

    def run(self, until_empty: bool = True) -> RunSummary:
        summary = RunSummary()
        backends = registry.names()
        self.queue.runner = self
        try:
            while not self._stop.is_set():
                started = self._fill_slots(backends, summary)
                if not self._running:
                    if not started and (until_empty or self.queue.paused):
                        break
                    continue
                for event in self.executor.poll(timeout=0.05):
                    self._handle(event, summary)
        finally:
            if self._running:
                self._requeue_running()
            self.queue.runner = None
        return summary

    # -- starting ----------------------------------------------------------------------------
    def _fill_slots(self, backends: list[str], summary: RunSummary) -> bool:
        started = False
        while not self.queue.paused and not self._stop.is_set():
            free = self.executor.free_backends(backends)
            if not free:
                break
            job = self.queue.claim(free)
            if job is None:
                break
            started = True
            self._start(job, summary)
        return started

    def _start(self, job: Job, summary: RunSummary) -> None:
        try:
            request = request_from_json(job.request)
            backend = registry.get(job.backend)
            cache_key = request.cache_key(backend.version, request.model)
            if not job.force:
                existing = self.store.takes.by_cache_key(cache_key, job.owner_id)
                if existing is not None:
                    if self._follows_pick(job, request):  # a keyframe picked back: its clip
                        self.store.shots.set_fields(job.owner_id, active_clip_take_id=existing.id)
                    self.queue.finish(
                        job, JobState.DONE, "reused an identical take", "", existing.id
                    )
                    summary.reused += 1
                    return
            inputs = self._inputs(request.media_inputs())
        except StudioError as exc:
            self._fail(job, str(exc), summary)
            return
        self._running[job.id] = (job, time.monotonic())
        self.executor.submit(job.id, job.backend, job.request, inputs)

    def _inputs(self, shas: tuple[str, ...]) -> dict[str, bytes]:
        inputs = {}
        for sha in shas:
            asset = self.store.assets.by_sha(sha)
            if asset is None:
                raise StudioError(f"the input media {sha[:12]}… is not in this project")
            inputs[sha] = self.store.media.read_bytes(asset.path)
        return inputs

    # -- finishing ---------------------------------------------------------------------------
    def _handle(self, event: ExecutorEvent, summary: RunSummary) -> None:
        entry = self._running.get(event.job_id)
        if entry is None:
            return
        job, started = entry
        if event.kind is ExecutorEventKind.PROGRESS:
            now = time.monotonic()
            persist = now - self._last_persist.get(job.id, 0.0) >= self.progress_interval
            if persist:
                self._last_persist[job.id] = now
            self.queue.progress(job, event.fraction, event.message, event.preview, persist)
            return
        del self._running[job.id]
        self._last_persist.pop(job.id, None)
        if event.kind is ExecutorEventKind.DONE:
            wall = time.monotonic() - started
            try:
                checked_result(event.result, f"job {job.id}'s output", self.store.settings())
            except StudioError as refused:
                self._fail(job, str(refused), summary)
                return
            self.store_result(job, event.result, event.backend_version, wall)
            summary.done += 1
        elif event.kind is ExecutorEventKind.CANCELLED:
            self.queue.finish(job, JobState.CANCELLED, "interrupted")
            summary.cancelled += 1
        elif event.transient and job.attempts < job.max_attempts:
            self.queue.requeue(job, event.error)
            summary.retried += 1
        else:
            self._fail(job, event.error, summary)

    def _fail(self, job: Job, error: str, summary: RunSummary) -> None:
        self.queue.finish(job, JobState.FAILED, "failed", error)
        summary.failed += 1
        summary.errors.append(f"job {job.id}: {error}")

    def _requeue_running(self) -> None:
        for job_id, (job, _) in list(self._running.items()):
            self.executor.cancel(job_id)
            self.queue.requeue(job, "interrupted: the runner stopped")
        deadline = time.monotonic() + 10
        while self.executor.busy and time.monotonic() < deadline:
            self.executor.poll(timeout=0.1)
        self._running.clear()

    def store_result(
        self, job: Job, result: GenerationResult, backend_version: str, wall_time: float
    ) -> tuple[int, bool]:
        """Store a result as a take (or find the identical one) and mark the job done, in one
        transaction. Returns (take id, whether it reproduced an existing take)."""
        request = request_from_json(job.request)
        cache_key = request.cache_key(backend_version, request.model)
        blob = self.store.media.put_bytes(result.data, result.extension)
        recipe = {
            "request": job.request,
            "request_hash": job.request_hash,
            "backend": job.backend,
            "backend_version": backend_version,
            "model": request.model,
            "seed": getattr(request, "seed", 0),
            "device": result.info.get("device", "cpu"),
            "wall_time": round(wall_time, 3),
            "versions": {
                "studio": __version__,
                "python": platform.python_version(),
                **result.info.get("versions", {}),
            },
            "info": {k: v for k, v in result.info.items() if k != "versions"},
            "sources": lineage.sources_of(self.store, job.owner_id, request),
        }
        follows = self._follows_pick(job, request)
        with self.store.engine.begin() as conn:
            asset = self.store.assets.for_blob(blob, conn=conn, **_asset_fields(result))
            twin = self.store.takes.by_cache_key(cache_key, job.owner_id)
            if twin is not None and twin.asset_id == asset.id:
                message = "reproduced an existing take byte for byte"
                event = self.queue.finish(job, JobState.DONE, message, take_id=twin.id, conn=conn)
                take_id, reproduced = twin.id, True
            else:
                take_id = self._new_take(job, asset.id, recipe, cache_key, conn, follows)
                reproduced = False
                event = self.queue.finish(job, JobState.DONE, take_id=take_id, conn=conn)
        # after the commit: subscribers can read the take
        self.queue.publish(event)
        if not reproduced:
            self.queue.events.publish(TakeMade(TakeKind(job.kind), job.owner_id, take_id, job.id))
        return take_id, reproduced

    def _follows_pick(self, job: Job, request) -> bool:
        """Whether a new clip should replace its shot's active clip: that one is out of date
        (made from another keyframe) and this one is made from the active keyframe."""
        if TakeKind(job.kind) is not TakeKind.CLIP:
            return False
        shot = self.store.shots.find(job.owner_id)
        if shot is None or lineage.clip_current(self.store, shot) is not False:
            return False
        return request.source_keyframe == lineage.active_keyframe_sha(self.store, shot)

    def _new_take(
        self, job: Job, asset_id: int, recipe: dict, cache_key: str, conn, follows: bool = False
    ) -> int:
        """Add the take and make it active where its shot or line has none (or a stale one), and
        a clip of the active keyframe where the active clip is out of date (`follows`)."""
        take = self.store.takes.add(
            Take(
                kind=TakeKind(job.kind),
                owner_id=job.owner_id,
                asset_id=asset_id,
                recipe=recipe,
                cache_key=cache_key,
            ),
            conn,
        )
        repo_name, field_name = ACTIVE_FIELD[TakeKind(job.kind)]
        repo = getattr(self.store, repo_name)
        owner = repo.find(job.owner_id)
        if owner is not None and owner.status is Status.STALE:
            # the first new take after the script changed replaces the flagged one
            repo.set_fields(job.owner_id, conn, **{field_name: take.id}, status=Status.CURRENT)
        elif owner is not None and (follows or getattr(owner, field_name) is None):
            repo.set_fields(job.owner_id, conn, **{field_name: take.id})
        return take.id


def _asset_fields(result: GenerationResult) -> dict:
    duration = None
    if result.frames and result.fps:
        duration = RationalTime(int(result.frames), int(result.fps))
    elif result.duration_seconds:
        duration = RationalTime.from_seconds(result.duration_seconds, 1000)
    return dict(
        kind=result.mime.split("/")[0],
        mime=result.mime,
        width=result.width,
        height=result.height,
        duration=duration,
    )


def checked_result(result: GenerationResult, name: str, settings: ProjectSettings) -> None:
    """Refuse a backend's output that is not what it says it is before it is stored: an image
    larger than the project allows or not a whole PNG/JPEG/WebP, a video whose header declares
    another length than its frames (a model's output is media like any imported file)."""
    from studio.media.decode import check_image, check_video

    kind = result.mime.split("/")[0]
    if kind == "image":
        header = check_image(result.data, name, settings.max_image_pixels)
        size = (header.width, header.height)
    elif kind == "video":
        info = check_video(result.data, name, settings.max_image_pixels)
        size = (info.width, info.height)
        if result.frames and result.frames != info.frames:
            raise StudioError(f"{name} says it has {result.frames} frames but holds {info.frames}")
    else:
        return
    said = (result.width, result.height)
    if all(said) and said != size:
        raise StudioError(f"{name} says it is {said[0]}×{said[1]} but is {size[0]}×{size[1]}")
