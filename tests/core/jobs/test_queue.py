import pytest

from studio.domain import JobState
from studio.domain.events import JobEvent
from studio.errors import InvalidInput
from studio.generation.requests import ClipRequest, KeyframeRequest
from studio.jobs.inline import InlineExecutor
from studio.jobs.runner import JobRunner
from studio.services.generation import pick_take, rate_take, rerun_take


def kf(seed, **kw):
    return KeyframeRequest(width=160, height=90, seed=seed, **kw)


def run(project, executor=None):
    with executor or InlineExecutor() as ex:
        runner = JobRunner(project.queue, ex)
        return runner.run()


def test_requests_hash_stably_and_differ_by_seed():
    assert kf(1).hash == kf(1).hash
    assert kf(1).hash != kf(2).hash
    assert kf(1).canonical().startswith("{") and '"kind":"keyframe"' in kf(1).canonical()
    assert kf(1).cache_key("1", "") != kf(1).cache_key("1", "model-b")


def test_jobs_run_to_takes_and_the_first_take_becomes_active(project, shots):
    queue = project.queue
    queue.enqueue_many([(shots[0].id, kf(1)), (shots[0].id, kf(2)), (shots[1].id, kf(3))])
    summary = run(project)
    assert summary.done == 3 and summary.failed == 0
    takes = project.store.takes.of_owner("keyframe", shots[0].id)
    assert len(takes) == 2
    assert project.store.shots.get(shots[0].id).active_keyframe_take_id == takes[0].id
    recipe = takes[0].recipe
    assert recipe["request"]["seed"] == 1 and recipe["backend"] == "previz"
    assert recipe["backend_version"] and "python" in recipe["versions"]


def test_identical_request_reuses_its_take_unless_forced(project, shots):
    queue = project.queue
    queue.enqueue(shots[0].id, kf(5))
    run(project)
    queue.enqueue(shots[0].id, kf(5))
    summary = run(project)
    assert summary.reused == 1 and summary.done == 0
    assert len(project.store.takes.of_owner("keyframe", shots[0].id)) == 1
    take = project.store.takes.of_owner("keyframe", shots[0].id)[0]
    job = rerun_take(project, take.id)
    run(project)
    # the built-in backend reproduces the recipe byte for byte: no second take
    assert project.store.jobs.get(job.id).message.startswith("reproduced")
    assert len(project.store.takes.of_owner("keyframe", shots[0].id)) == 1


def test_the_same_request_is_not_queued_twice(project, shots):
    queue = project.queue
    queue.enqueue(shots[0].id, kf(1))
    assert queue.enqueue_many([(shots[0].id, kf(1))]) == []


def test_priorities_and_reorder(project, shots):
    queue = project.queue
    a, b, c = queue.enqueue_many([(shots[0].id, kf(i)) for i in range(3)])
    urgent = queue.enqueue(shots[1].id, kf(9), priority=5)
    assert queue.claim().id == urgent.id
    queue.move(c.id, 0)
    assert [queue.claim().id for _ in range(3)] == [c.id, a.id, b.id]


def test_cancel_queued_and_pause_resume(project, shots):
    queue = project.queue
    a, b = queue.enqueue_many([(shots[0].id, kf(1)), (shots[1].id, kf(2))])
    queue.cancel(a.id)
    assert project.store.jobs.get(a.id).state is JobState.CANCELLED
    queue.pause()
    assert run(project).done == 0
    assert project.store.jobs.get(b.id).state is JobState.QUEUED
    queue.resume()
    assert run(project).done == 1
    with pytest.raises(InvalidInput, match="only queued"):
        queue.cancel(b.id)


def test_interrupt_the_running_job_at_its_next_step(project, shots):
    from studio.domain.entities import Asset

    panel = project.store.media.put_bytes(_png(), ".png")
    project.store.assets.add(
        Asset(sha256=panel.sha256, kind="image", path=panel.path, size=panel.size)
    )
    queue = project.queue
    clip = ClipRequest(
        source_keyframe=panel.sha256,
        frames=2000,
        handles=0,
        width=64,
        height=36,
        movement="push_in",
    )
    job = queue.enqueue(shots[0].id, clip)
    with InlineExecutor() as ex:
        runner = JobRunner(project.queue, ex)
        project.events.subscribe(
            lambda e: (
                runner.interrupt(e.job_id)
                if e.state is JobState.RUNNING and e.progress > 0
                else None
            ),
            JobEvent,
        )
        summary = runner.run()
    assert summary.cancelled == 1
    assert project.store.jobs.get(job.id).state is JobState.CANCELLED
    assert project.store.takes.count() == 0


def test_a_failing_job_keeps_its_error(project, shots):
    queue = project.queue
    job = queue.enqueue(shots[0].id, ClipRequest(source_keyframe="0" * 64))
    summary = run(project)
    assert summary.failed == 1
    failed = project.store.jobs.get(job.id)
    assert failed.state is JobState.FAILED and "not in this project" in failed.error


def test_pick_and_rate_are_undoable(project, shots):
    queue = project.queue
    queue.enqueue_many([(shots[0].id, kf(1)), (shots[0].id, kf(2))])
    run(project)
    first, second = project.store.takes.of_owner("keyframe", shots[0].id)
    pick_take(project, second.id)
    rate_take(project, second.id, 5)
    assert project.store.shots.get(shots[0].id).active_keyframe_take_id == second.id
    assert project.store.takes.get(second.id).rating == 5
    project.history.undo()
    project.history.undo()
    assert project.store.shots.get(shots[0].id).active_keyframe_take_id == first.id
    assert project.store.takes.count() == 2


def _png():
    import numpy as np

    from studio.media.decode import encode_png

    y, x = np.mgrid[0:90, 0:160]
    return encode_png(np.dstack([x * 1.5, y * 2.5, (x + y)]).astype(np.uint8))
