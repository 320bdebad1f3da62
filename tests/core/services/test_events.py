"""One event stream per open project: every service's change reaches its subscribers."""

from pathlib import Path

from studio.domain.entities import JobState, TakeKind
from studio.domain.events import (
    HistoryAction,
    HistoryChanged,
    JobEvent,
    ProjectChanged,
    TakeMade,
)
from studio.services import jobs
from studio.services.generation import queue_keyframes, run_queue
from studio.services.script import import_script
from studio.services.shots import set_shot

SCRIPT = """Title: EVENTS

EXT. PIER - DAWN

Fog over the water.

A lamp blinks once.
"""


def _script(tmp_path: Path) -> Path:
    path = tmp_path / "events.fountain"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def test_queue_control_and_runs_publish_on_the_projects_stream(project, tmp_path):
    heard: list = []
    project.events.subscribe(heard.append)
    import_script(project, _script(tmp_path))
    assert heard.pop() == ProjectChanged("script")

    queued = queue_keyframes(project, takes=2, width=64, height=36)
    assert [(e.job_id, e.state) for e in heard] == [(j.id, JobState.QUEUED) for j in queued]
    assert all(e.kind is TakeKind.KEYFRAME for e in heard)
    heard.clear()

    jobs.cancel(project, queued[0].id)
    jobs.retry(project, queued[0].id)
    jobs.move(project, queued[-1].id, 0)
    assert [(e.job_id, e.state) for e in heard] == [
        (queued[0].id, JobState.CANCELLED),
        (queued[0].id, JobState.QUEUED),
    ]
    heard.clear()

    summary = run_queue(project, executor="inline")
    assert summary.done == len(queued)
    made = [e for e in heard if isinstance(e, TakeMade)]
    assert sorted(e.job_id for e in made) == sorted(j.id for j in queued)
    for event in made:  # published after the commit: the take is there to read
        assert project.store.takes.get(event.take_id).owner_id == event.owner_id
    done = [e for e in heard if isinstance(e, JobEvent) and e.state is JobState.DONE]
    assert {e.take_id for e in done} == {e.take_id for e in made}


def test_the_history_publishes_every_change_with_a_serial(project, tmp_path):
    import_script(project, _script(tmp_path))
    heard: list[HistoryChanged] = []
    project.events.subscribe(heard.append, HistoryChanged)
    number = project.store.shots.in_order()[0].number
    set_shot(project, number, prompt="fog, backlit")
    project.history.undo()
    project.history.redo()
    project.history.mark_saved()
    assert [e.action for e in heard] == [
        HistoryAction.PUSH,
        HistoryAction.UNDO,
        HistoryAction.REDO,
        HistoryAction.SAVED,
    ]
    assert [e.serial for e in heard] == sorted({e.serial for e in heard})
    assert heard[0].label == heard[1].label != ""


def test_an_unsubscribed_listener_hears_nothing_more(project, tmp_path):
    heard: list = []
    unsubscribe = project.events.subscribe(heard.append)
    import_script(project, _script(tmp_path))
    unsubscribe()
    queue_keyframes(project, width=64, height=36)
    assert heard == [ProjectChanged("script")]
