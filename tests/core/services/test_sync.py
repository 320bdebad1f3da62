from pathlib import Path

import pytest

from studio.domain import Status, TakeKind
from studio.jobs.inline import InlineExecutor
from studio.jobs.runner import JobRunner
from studio.services.generation import queue_keyframes
from studio.services.script import import_script, preview_import
from studio.services.shots import add_shot, move_shot, remove_shot, set_shot

SCRIPT = """Title: Sync Test

EXT. PIER - NIGHT

Fog rolls over black water. A bell clangs somewhere.

MAYA
Is anyone there?

TOM (O.S.)
Only the gulls.

INT. CABIN - NIGHT

CLOSE ON a kettle beginning to shake on the stove.

MAYA
Tea, then. Then we talk.

CUT TO:

EXT. ROAD - DAWN

Tom walks away down the empty road.
"""


@pytest.fixture
def script(tmp_path) -> Path:
    path = tmp_path / "sync.fountain"
    path.write_text(SCRIPT)
    return path


def _takes(store, shot):
    return store.takes.of_owner(TakeKind.KEYFRAME, shot.id)


def _generate(project):
    queue_keyframes(project, takes=1, width=96, height=54)
    with InlineExecutor() as ex:
        JobRunner(project.queue, ex).run()


def test_import_builds_scenes_shots_characters_and_lines(project, script):
    plan = import_script(project, script)
    store = project.store
    assert [s.heading for s in store.scenes.in_order()] == [
        "EXT. PIER - NIGHT",
        "INT. CABIN - NIGHT",
        "EXT. ROAD - DAWN",
    ]
    assert {c.name for c in store.characters.all()} == {"MAYA", "TOM"}
    lines = store.lines.in_order()
    assert [line.text for line in lines] == [
        "Is anyone there?",
        "Only the gulls.",
        "Tea, then. Then we talk.",
    ]
    assert lines[1].extension == "O.S."
    assert all(line.shot_id is not None for line in lines)
    shots = store.shots.in_order()
    assert [s.number for s in shots] == [str(i) for i in range(1, len(shots) + 1)]
    assert any(s.size.value == "CU" and "kettle" in s.description for s in shots)
    assert plan.shots.counts()["new"] == len(shots)
    assert store.scripts.latest().version == 1


def test_reimporting_the_same_script_keeps_everything(project, script):
    import_script(project, script)
    before = {s.id for s in project.store.shots.in_order()}
    plan = import_script(project, script)
    assert plan.shots.counts() == {"kept": len(before), "stale": 0, "new": 0, "archived": 0}
    assert {s.id for s in project.store.shots.in_order()} == before
    assert project.store.scripts.latest().version == 2


def test_an_edited_script_keeps_unchanged_takes_and_flags_changed_ones(project, script):
    store = project.store
    import_script(project, script)
    _generate(project)
    shots = {s.description: s for s in store.shots.in_order()}
    fog = next(s for d, s in shots.items() if d.startswith("Fog rolls"))
    kettle = next(s for d, s in shots.items() if "kettle" in d)
    road = next(s for d, s in shots.items() if d.startswith("Tom walks"))
    picked = _takes(store, kettle)[0]

    edited = script.read_text()
    edited = edited.replace("Fog rolls over black water.", "Fog rolls over green water.")
    edited = edited.replace("EXT. ROAD - DAWN\n\nTom walks away down the empty road.\n", "")
    edited = edited.replace("Tea, then. Then we talk.", "Tea, then. Then we talk.\n\nTOM\nFine.")
    script.write_text(edited)

    preview = preview_import(store, script)
    assert preview.shots.counts()["stale"] >= 1 and preview.shots.counts()["archived"] >= 1
    assert store.shots.get(fog.id).status is Status.CURRENT  # a preview changes nothing

    import_script(project, script)
    # unchanged: the kettle close-up keeps its identity, takes and pick
    assert store.shots.get(kettle.id).status is Status.CURRENT
    assert store.shots.get(kettle.id).active_keyframe_take_id == picked.id
    assert not _takes(store, kettle)[0].stale
    # changed: same shot, flagged, takes kept and flagged
    changed = store.shots.get(fog.id)
    assert changed.status is Status.STALE and "green" in changed.description
    assert _takes(store, changed) and all(t.stale for t in _takes(store, changed))
    # removed: archived with its takes, out of the film
    assert store.shots.get(road.id).status is Status.ARCHIVED
    assert len(_takes(store, road)) == 1
    assert road.id not in {s.id for s in store.shots.in_order()}
    # new line
    assert store.lines.in_order()[-1].text == "Fine."
    assert store.scripts.count() == 2


def test_shot_edits_are_undoable_and_manual_shots_survive_reimport(project, script):
    import_script(project, script)
    shots = project.store.shots.in_order()
    set_shot(project, "2", size="ECU", duration="4.5", characters="maya")
    s2 = project.store.shots.by_number("2")
    assert s2.size.value == "ECU" and s2.duration.to_seconds() == 4.5
    project.history.undo()
    assert project.store.shots.by_number("2").size == shots[1].size

    added = add_shot(project, after="1", description="Insert: the bell")
    assert added.number == "1A" and project.store.shots.by_number("2").id == shots[1].id
    move_shot(project, "1A", len(shots) + 1)
    assert project.store.shots.in_order()[-1].id == added.id
    project.history.undo()
    assert project.store.shots.in_order()[1].id == added.id
    first = project.store.shots.by_number("1")
    remove_shot(project, "1")
    assert project.store.shots.in_order()[0].id == added.id
    assert [s.number for s in project.store.shots.in_order()][:2] == ["1A", "2"]

    import_script(project, script)
    assert project.store.shots.get(added.id).status is Status.CURRENT
    assert project.store.shots.get(first.id).status is Status.ARCHIVED  # the director's cut stays
