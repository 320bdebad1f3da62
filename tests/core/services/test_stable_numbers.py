"""Stable shot numbers: script re-imports, added and removed shots and moves change no number;
an explicit renumber does (undoably); every place that shows a number asks the shot."""

from pathlib import Path

import opentimelineio as otio
import pytest

from studio.domain import Status
from studio.errors import NotFound
from studio.services.export import storyboard_panels
from studio.services.generation import keyframe_request
from studio.services.script import import_script
from studio.services.shots import add_shot, move_shot, remove_shot, renumber_shots
from studio.services.timeline import assemble, load_timeline
from studio.store.media_lookup import StoreMedia
from studio.timeline.interchange import write_cut

SCRIPT = """EXT. HARBOUR - NIGHT

Rain hammers the quay.

A lamp swings on its hook.

INT. WHEELHOUSE - NIGHT

CLOSE ON the compass, trembling.

Nell grips the wheel.
"""


@pytest.fixture
def script(tmp_path) -> Path:
    path = tmp_path / "harbour.fountain"
    path.write_text(SCRIPT)
    return path


def _numbers(store) -> dict[int, str]:
    return {s.id: s.number for s in store.shots.in_order()}


def _by_text(store, text: str):
    return next(s for s in store.shots.in_order() if text in s.description)


def test_a_shot_added_in_the_script_is_lettered_and_no_number_moves(project, script):
    store = project.store
    import_script(project, script)
    before = _numbers(store)
    assert list(before.values()) == [str(i) for i in range(1, len(before) + 1)]
    lamp = _by_text(store, "lamp")
    script.write_text(SCRIPT.replace("A lamp swings", "Gulls scatter.\n\nA lamp swings"))
    plan = import_script(project, script)
    assert plan.shots.counts()["new"] == 1
    after = _numbers(store)
    assert {i: after[i] for i in before} == before  # no existing number changed
    gulls = _by_text(store, "Gulls")
    assert gulls.number == store.shots.in_order()[[*after].index(lamp.id) - 1].number
    assert gulls.number == f"{int(lamp.number) - 1}A"


def test_a_number_of_a_removed_shot_is_not_given_again(project, script):
    store = project.store
    import_script(project, script)
    last = store.shots.in_order()[-1]
    script.write_text(SCRIPT.replace("Nell grips the wheel.\n", ""))
    import_script(project, script)
    assert store.shots.get(last.id).status is Status.ARCHIVED
    script.write_text(SCRIPT.replace("Nell grips the wheel.", "Nell lets go of the wheel."))
    import_script(project, script)
    numbers = [s.number for s in store.shots.in_order()]
    assert last.number not in numbers and numbers[-1] == str(int(last.number) + 1)


def test_adding_removing_and_moving_shots_by_hand_keep_every_number(project, script):
    store = project.store
    import_script(project, script)
    before = _numbers(store)
    first = add_shot(project, after="2", description="Insert: the rope")
    second = add_shot(project, after=first.number, description="Insert: the knot")
    head = add_shot(project, after=None, description="The end")
    assert (first.number, second.number) == ("2A", "2B")
    assert head.number == str(len(before) + 1)
    remove_shot(project, "1")
    move_shot(project, "2B", 1)
    kept = _numbers(store)
    assert all(kept[i] == n for i, n in before.items() if i in kept)
    with pytest.raises(NotFound):
        store.shots.by_number("1")  # removed, and not reused
    assert add_shot(project, after="2", description="Before 2A").number == "A2A"
    assert add_shot(project, after="2A", description="After 2A").number == "2C"  # 2B is taken


def test_renumber_is_one_undoable_step(project, script):
    store = project.store
    import_script(project, script)
    add_shot(project, after="1", description="Insert: the rope")
    remove_shot(project, "3")
    before = _numbers(store)
    renumber_shots(project)
    assert list(_numbers(store).values()) == [str(i) for i in range(1, len(before) + 1)]
    assert project.history.undo_label == "renumber shots"
    project.history.undo()
    assert _numbers(store) == before


def test_the_cut_and_its_files_name_shots_by_their_number_now(project, script, tmp_path):
    store = project.store
    import_script(project, script)
    add_shot(project, after="1", description="Insert: the rope")
    assemble(project)
    renumber_shots(project)  # after the cut was stored: its clips must follow
    numbers = _numbers(store)
    picture = load_timeline(store).tracks[0]
    clips = [c for c in picture.items if getattr(c, "shot_id", None) in numbers]
    assert [c.name for c in clips] == [f"Shot {numbers[c.shot_id]}" for c in clips]
    assert [c.metadata["shot_number"] for c in clips] == [numbers[c.shot_id] for c in clips]
    slates = [c.metadata["title_card"]["lines"][0] for c in clips]  # no keyframes yet
    assert slates == [f"SHOT {numbers[c.shot_id]}" for c in clips]
    path = write_cut(load_timeline(store), StoreMedia(store), {}, tmp_path / "cut.otio")
    names = [c.name for c in otio.adapters.read_from_file(str(path)).video_tracks()[0].find_clips()]
    assert names == ["Title", *(f"Shot {n}" for n in numbers.values())]  # the cut opens on its card
    assert [p.shot_number for p in storyboard_panels(store)] == list(numbers.values())


def test_a_keyframe_request_carries_no_shot_number_to_burn_in(project, script):
    import_script(project, script)
    shot = project.store.shots.in_order()[0]
    assert keyframe_request(project.store, shot).shot_number == ""
