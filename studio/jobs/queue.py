"""The persisted job queue: rows in the project database, so a crash or a kill loses no work.

States: queued → running → done | failed | cancelled. Higher priority runs first, then position
(which reordering changes), then age. Pausing is a flag in the database: a paused queue starts no
new job. Jobs left `running` by a dead process are put back when the project is opened.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from studio.domain.entities import Job, JobState, TakeKind
from studio.domain.events import EventStream, JobEvent
from studio.domain.project import utcnow
from studio.errors import InvalidInput, NotFound
from studio.generation.requests import Request
from studio.store import orm
from studio.store.project_store import ProjectStore

PAUSED_KEY = "queue.paused"


class JobQueue:
    """The queue of one open project (`OpenProject.queue`: there is one per project). Every
    change is published as a `JobEvent` on the project's event stream."""

    def __init__(self, store: ProjectStore, events: EventStream) -> None:
        self.store = store
        self.events = events
        self.runner: Any = None  # the JobRunner running this queue in this process, if any

    def publish(self, event: JobEvent) -> None:
        self.events.publish(event)

    # -- adding ------------------------------------------------------------------------------
    def enqueue(
        self,
        owner_id: int,
        request: Request,
        priority: int = 0,
        force: bool = False,
        max_attempts: int = 3,
    ) -> Job:
        return self.enqueue_many([(owner_id, request)], priority, force, max_attempts)[0]

    def enqueue_many(
        self,
        items: Iterable[tuple[int, Request]],
        priority: int = 0,
        force: bool = False,
        max_attempts: int = 3,
    ) -> list[Job]:
        """Queue many requests in one transaction. A request already queued or running for the
        same owner is not queued twice."""
        items = list(items)
        position = self.store.jobs.max_position()
        jobs: list[Job] = []
        with self.store.engine.begin() as conn:
            pending = self._pending_hashes(conn)
            for owner_id, request in items:
                key = (owner_id, request.hash)
                if key in pending:
                    continue
                pending.add(key)
                position += 1
                job = Job(
                    kind=TakeKind(request.kind),
                    owner_id=owner_id,
                    request=request.to_json(),
                    request_hash=request.hash,
                    backend=request.backend,
                    priority=priority,
                    position=position,
                    max_attempts=max_attempts,
                    force=force,
                )
                jobs.append(self.store.jobs.add(job, conn))
        for job in jobs:
            self.publish(JobEvent(job.id, job.state, kind=job.kind, owner_id=job.owner_id))
        return jobs

    def _pending_hashes(self, conn: sa.Connection) -> set[tuple[int, str]]:
        c = orm.jobs.c
        rows = conn.execute(
            sa.select(c.owner_id, c.request_hash).where(
                c.state.in_([JobState.QUEUED, JobState.RUNNING])
            )
        )
        return {(owner, h) for owner, h in rows}

    # -- control -----------------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        return bool(self.store.values.get(PAUSED_KEY, False))

    def pause(self) -> None:
        self.store.values.set(PAUSED_KEY, True)

    def resume(self) -> None:
        self.store.values.set(PAUSED_KEY, False)

    def cancel_or_interrupt(self, job_id: int) -> Job:
        """Cancel a queued job, or interrupt a running one through the runner running it in
        this process (it then ends `cancelled` at its next step)."""
        job = self.get(job_id)
        if job.state is JobState.RUNNING and self.runner is not None:
            self.runner.interrupt(job_id)
            return job
        return self.cancel(job_id)

    def cancel(self, job_id: int) -> Job:
        """Cancel a queued job. (A running one is interrupted through its runner.)"""
        job = self.store.jobs.get(job_id)
        if job.state is not JobState.QUEUED:
            raise InvalidInput(
                f"job {job_id} is {job.state.value}, only queued jobs can be cancelled here",
                "interrupt a running job from the runner that runs it (Ctrl-C or the app)",
            )
        self.finish(job, JobState.CANCELLED, message="cancelled")
        return self.store.jobs.get(job_id)

    def cancel_all_queued(self) -> int:
        queued = self.store.jobs.in_state(JobState.QUEUED)
        for job in queued:
            self.finish(job, JobState.CANCELLED, message="cancelled")
        return len(queued)

    def retry(self, job_id: int) -> Job:
        """Put a failed or cancelled job back in the queue."""
        job = self.store.jobs.get(job_id)
        if job.state not in (JobState.FAILED, JobState.CANCELLED):
            raise InvalidInput(
                f"job {job_id} is {job.state.value}; only failed or cancelled jobs can be retried"
            )
        self.store.jobs.set_fields(
            job_id, state=JobState.QUEUED, attempts=0, error="", progress=0.0, finished=None
        )
        self.publish(JobEvent(job_id, JobState.QUEUED, kind=job.kind, owner_id=job.owner_id))
        return self.store.jobs.get(job_id)

    def move(self, job_id: int, to_index: int) -> None:
        """Reorder: put a queued job at `to_index` among the queued jobs of its priority."""
        job = self.store.jobs.get(job_id)
        if job.state is not JobState.QUEUED:
            raise InvalidInput(f"job {job_id} is {job.state.value}; only queued jobs can move")
        same = [j for j in self.store.jobs.in_state(JobState.QUEUED) if j.priority == job.priority]
        order = [j.id for j in same if j.id != job_id]
        order.insert(max(0, min(to_index, len(order))), job_id)
        with self.store.engine.begin() as conn:
            for position, jid in enumerate(order):
                self.store.jobs.set_fields(jid, conn, position=position)

    def set_priority(self, job_id: int, priority: int) -> None:
        self.store.jobs.set_fields(job_id, priority=priority)

    # -- running -----------------------------------------------------------------------------
    def claim(self, backends: set[str] | None = None) -> Job | None:
        """Take the next queued job (of one of `backends`, if given) and mark it running."""
        c = orm.jobs.c
        with self.store.engine.begin() as conn:
            query = sa.select(orm.jobs).where(c.state == JobState.QUEUED)
            if backends is not None:
                query = query.where(c.backend.in_(sorted(backends)))
            query = query.order_by(c.priority.desc(), c.position, c.id).limit(1)
            row = conn.execute(query).first()
            if row is None:
                return None
            job = self.store.jobs._row_to_model(row)
            started = utcnow()
            conn.execute(
                sa.update(orm.jobs)
                .where(c.id == job.id)
                .values(state=JobState.RUNNING, started=started, attempts=job.attempts + 1)
            )
        job.state, job.started, job.attempts = JobState.RUNNING, started, job.attempts + 1
        self.publish(JobEvent(job.id, job.state, kind=job.kind, owner_id=job.owner_id))
        return job

    def finish(
        self,
        job: Job,
        state: JobState,
        message: str = "",
        error: str = "",
        take_id: int | None = None,
        conn: sa.Connection | None = None,
    ) -> JobEvent:
        """Record the job's end. Inside a caller's transaction (`conn`) the event is returned
        unpublished: the caller publishes it after the commit, so no subscriber hears of a take
        that is not in the database yet."""
        values = dict(state=state, message=message, error=error, finished=utcnow())
        if take_id is not None:
            values["take_id"] = take_id
        if state is JobState.DONE:
            values["progress"] = 1.0
        self.store.jobs.set_fields(job.id, conn, **values)
        event = JobEvent(
            job.id,
            state,
            values.get("progress", job.progress),
            message,
            take_id=take_id,
            error=error,
            kind=job.kind,
            owner_id=job.owner_id,
        )
        if conn is None:
            self.publish(event)
        return event

    def requeue(self, job: Job, error: str) -> None:
        """A transient failure: back to the queue, keeping the error for the record."""
        self.store.jobs.set_fields(job.id, state=JobState.QUEUED, error=error, progress=0.0)
        self.publish(
            JobEvent(job.id, JobState.QUEUED, error=error, kind=job.kind, owner_id=job.owner_id)
        )

    def progress(
        self, job: Job, fraction: float, message: str = "", preview=None, persist: bool = True
    ) -> None:
        if persist:
            self.store.jobs.set_fields(job.id, progress=fraction, message=message)
        self.publish(
            JobEvent(
                job.id,
                JobState.RUNNING,
                fraction,
                message,
                preview,
                kind=job.kind,
                owner_id=job.owner_id,
            )
        )

    def get(self, job_id: int) -> Job:
        try:
            return self.store.jobs.get(job_id)
        except NotFound:
            raise NotFound(f"no job {job_id}", "`studio jobs PATH list` lists them") from None
