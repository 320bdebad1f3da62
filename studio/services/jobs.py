"""Queue control, the same for the CLI and the app: list, pause, resume, cancel, retry, move.

Everything goes through the project's one `JobQueue` (`OpenProject.queue`), so what changes is
published on the project's event stream and every subscriber (a progress bar, the app's queue
view) hears it.
"""

from __future__ import annotations

from studio.domain.entities import Job, JobState
from studio.services.project import OpenProject


def is_paused(project: OpenProject) -> bool:
    return project.queue.paused


def pause(project: OpenProject) -> None:
    """No new job starts; a running one finishes."""
    project.queue.pause()


def resume(project: OpenProject) -> None:
    project.queue.resume()


def cancel(project: OpenProject, job_id: int) -> Job:
    """Cancel a queued job; a running one is interrupted at its next step when this process
    runs it (the app's queue, or the CLI's `jobs run`)."""
    return project.queue.cancel_or_interrupt(job_id)


def cancel_all_queued(project: OpenProject) -> int:
    return project.queue.cancel_all_queued()


def retry(project: OpenProject, job_id: int) -> Job:
    """Put a failed or cancelled job back in the queue."""
    return project.queue.retry(job_id)


def move(project: OpenProject, job_id: int, to_index: int) -> None:
    """Put a queued job at `to_index` among the queued jobs of its priority (0 = next)."""
    project.queue.move(job_id, to_index)


def move_by(project: OpenProject, job_id: int, step: int) -> bool:
    """Move a queued job `step` places up (negative) or down among its priority; False when it
    is not queued."""
    job = project.queue.get(job_id)
    same = [
        j.id for j in project.store.jobs.in_state(JobState.QUEUED) if j.priority == job.priority
    ]
    if job_id not in same:
        return False
    project.queue.move(job_id, max(0, same.index(job_id) + step))
    return True
