"""Scene plans through the services, on real projects: marks, figures, things, cameras, the
user's placements with undo, and the continuity checks."""

import json
import math
from pathlib import Path

import pytest

from studio.cli import main
from studio.errors import InvalidInput, NotFound
from studio.script.staging_camera import vertical_fov
from studio.services.script import import_script
from studio.services.shots import set_shot
from studio.services.staging import all_plans, check_scenes, place, scene_plan

SAMPLE = Path(__file__).resolve().parents[3] / "projects" / "sample" / "script.fountain"

TWO_HANDER = """INT. KITCHEN - NIGHT

Rain on the glass. MAYA, 40s, a tired nurse, and TOM, her brother, across the kitchen.

MAYA
You came back.

TOM
I never left.

MAYA
You did. Twice.

TOM
Three times, then.

TOM walks to the window.

MAYA
Stay for tea.
"""

THINGS = """EXT. HARBOUR WALL - DUSK

COURIER-7, a battered delivery drone, hovers by KIT (10), a girl in a raincoat.
A lighthouse blinks across the bay. Two chairs and a table stand by the wall.

KIT
Is that for me?

COURIER-7
A letter. Signature required.

INSERT -- The letter, wet at one corner.
"""


def _import(project, tmp_path, text, name="film.fountain"):
    path = tmp_path / name
    path.write_text(text)
    import_script(project, path)
    return project


@pytest.fixture
def two_hander(project, tmp_path):
    return _import(project, tmp_path, TWO_HANDER)


def _facing_error(mark, other) -> float:
    toward = math.degrees(math.atan2(other.y - mark.y, other.x - mark.x))
    return abs((mark.facing - toward + 180) % 360 - 180)


def _shot_of(plan, store, size=None, only=None):
    """The first shot of the plan's scene of `size` framing exactly `only` (names)."""
    names = {c.id: c.name for c in store.characters.all()}
    for camera in plan.cameras:
        shot = store.shots.by_number(camera.shot)
        if (size is None or shot.size.value == size) and (
            only is None or [names[c] for c in shot.characters] == only
        ):
            return shot, camera
    raise AssertionError(f"no {size} shot of {only}")


def test_a_two_hander_places_two_people_facing_each_other(two_hander):
    plan = scene_plan(two_hander.store, 1)
    assert set(plan.pair) == {"MAYA", "TOM"}
    assert {f.name: f.person for f in plan.figures} == {"MAYA": True, "TOM": True}
    opening = plan.beats[0].marks
    maya, tom = opening["MAYA"], opening["TOM"]
    assert 1.0 < math.hypot(maya.x - tom.x, maya.y - tom.y) < 2.5
    assert _facing_error(maya, tom) < 1 and _facing_error(tom, maya) < 1
    assert plan.set.interior and plan.set.width > 3 and plan.set.walls


def test_walking_to_a_named_thing_starts_a_beat_and_moves_the_walker(two_hander):
    plan = scene_plan(two_hander.store, 1)
    assert len(plan.beats) == 2 and "TOM walks" in plan.beats[1].reason
    window = next(o for o in plan.set.openings if o.kind == "window")
    before, after = plan.beats[0].marks["TOM"], plan.beats[1].marks["TOM"]
    assert math.hypot(after.x - window.x, after.y - window.y) < 1.0
    assert math.hypot(before.x - window.x, before.y - window.y) > 1.0
    assert plan.beats[1].marks["MAYA"] == plan.beats[0].marks["MAYA"]  # she stays


def test_the_same_script_gives_the_same_plan(project, tmp_path):
    _import(project, tmp_path, TWO_HANDER)
    first = json.dumps(scene_plan(project.store, 1).to_json(), sort_keys=True, default=str)
    _import(project, tmp_path, TWO_HANDER, "again.fountain")
    again = json.dumps(scene_plan(project.store, 1).to_json(), sort_keys=True, default=str)
    assert first == again


def test_a_drone_is_not_a_person_and_a_child_is_smaller(project, tmp_path):
    plan = scene_plan(_import(project, tmp_path, THINGS).store, 1)
    figures = {f.name: f for f in plan.figures}
    assert figures["COURIER-7"].kind == "drone" and not figures["COURIER-7"].person
    assert figures["COURIER-7"].elevation > 1  # it flies
    assert figures["KIT"].person and figures["KIT"].kind == "child"
    assert figures["KIT"].size[2] < 1.6


def test_named_props_appear_with_their_sizes_and_counts(project, tmp_path):
    plan = scene_plan(_import(project, tmp_path, THINGS).store, 1)
    things = {t.name: t for t in plan.things}
    assert things["letter"].kind == "prop" and things["letter"].size == (0.21, 0.003, 0.30)
    assert things["lighthouse"].kind == "landscape" and things["lighthouse"].size[2] >= 20
    assert {"chair", "chair 2", "table"} <= set(things) and "chair 3" not in things
    assert not plan.set.interior and plan.set.ground == "water"  # the bay
    insert = next(c for c in plan.cameras if c.subject == ["letter"])
    letter = things["letter"]
    assert math.hypot(insert.x - letter.x, insert.y - letter.y) < 3  # the insert is at the letter


def test_a_room_holds_no_sea_no_rocks_and_no_ship(project, tmp_path):
    """What a lamp room's action hears or sees outside is not staged inside it."""
    room = """INT. LIGHTHOUSE - LAMP ROOM - NIGHT

Fog rolls in off the sea. Far out, a ship's horn. A lamp and a kettle on the table.
KIT runs to the window, toward the rocks.
"""
    plan = scene_plan(_import(project, tmp_path, room).store, 1)
    names = {t.noun for t in plan.things}
    assert plan.set.interior and {"lamp", "kettle", "table"} <= names
    assert not names & {"sea", "ship", "rock"}


def test_a_longer_lens_stands_the_camera_farther_for_the_same_mcu(two_hander):
    store = two_hander.store
    shot, _ = _shot_of(scene_plan(store, 1), store, only=["TOM"])
    set_shot(two_hander, shot.number, size="MCU", lens=24)
    near = next(c for c in scene_plan(store, 1).cameras if c.shot == shot.number)
    set_shot(two_hander, shot.number, lens=100)
    plan = scene_plan(store, 1)
    far = next(c for c in plan.cameras if c.shot == shot.number)
    assert near.focal_mm == 24 and far.focal_mm == 100
    assert far.distance / near.distance == pytest.approx(100 / 24, rel=0.01)
    # the camera stands where its field of view covers the MCU's frame height
    half = math.radians(vertical_fov(100) / 2)
    assert 2 * far.distance * math.tan(half) == pytest.approx(far.frame_height, rel=0.01)
    tom = plan.beat_of(shot.number).marks["TOM"]
    assert math.hypot(far.x - tom.x, far.y - tom.y) == pytest.approx(far.distance, rel=0.01)


def test_place_then_plan_shows_the_edit_and_undo_restores(two_hander):
    store = two_hander.store
    derived = scene_plan(store, 1)
    place(two_hander, 1, "maya", 1.0, 1.5, facing=45)
    placed = scene_plan(store, 1)
    mark = placed.beats[0].marks["MAYA"]
    assert (mark.x, mark.y, mark.facing, mark.placed) == (1.0, 1.5, 45, True)
    assert placed.beats[1].marks["MAYA"].x == 1.0  # carried until the action moves her
    assert placed.cameras != derived.cameras  # the cameras follow her
    place(two_hander, 1, "TOM", 3.0, 3.0, beat=1)
    assert scene_plan(store, 1).beats[1].marks["TOM"].x == 3.0
    two_hander.history.undo()
    two_hander.history.undo()
    assert scene_plan(store, 1).to_json() == derived.to_json()
    two_hander.history.redo()
    assert scene_plan(store, 1).beats[0].marks["MAYA"].x == 1.0
    place(two_hander, 1, "MAYA", 2.0, 2.0)  # the same name and beat: replaces, undo restores
    assert len(store.scene_marks.all()) == 1
    two_hander.history.undo()
    assert scene_plan(store, 1).beats[0].marks["MAYA"].x == 1.0


def test_place_refuses_an_unknown_name_scene_or_beat(two_hander):
    with pytest.raises(InvalidInput, match="no character or thing named 'ANNA'"):
        place(two_hander, 1, "ANNA", 1, 1)
    with pytest.raises(NotFound, match="no scene 2 .* 1 scene"):
        place(two_hander, 2, "TOM", 1, 1)
    with pytest.raises(InvalidInput, match="no beat 5"):
        place(two_hander, 1, "TOM", 1, 1, beat=5)
    assert two_hander.store.scene_marks.all() == []


def test_a_reverse_from_across_the_line_is_flagged_and_a_neutral_shot_clears_it(two_hander):
    store = two_hander.store
    plan = scene_plan(store, 1)
    assert check_scenes(store) == []
    beat = plan.beats[0]
    singles = [
        store.shots.by_number(n)
        for n in beat.shots
        if len(store.shots.by_number(n).characters) == 1
    ]
    right = plan.pair[1]
    right_id = store.characters.by_name(right).id
    reverse = next(s for s in reversed(singles) if s.characters == [right_id])
    set_shot(two_hander, reverse.number, blocking={str(right_id): 0.3})  # framed from across
    flags = check_scenes(store)
    assert [(f.shot, f.kind) for f in flags] == [(reverse.number, "crosses_line")]
    assert "across the line" in flags[0].reason
    before = beat.shots[beat.shots.index(reverse.number) - 1]
    set_shot(two_hander, before, angle="pov")  # a POV between: on the line
    assert next(c for c in scene_plan(store, 1).cameras if c.shot == before).side == "on the line"
    assert check_scenes(store) == []


def test_a_character_who_jumps_across_the_frame_within_a_beat_is_flagged(two_hander):
    store = two_hander.store
    plan = scene_plan(store, 1)
    shots = [store.shots.by_number(n) for n in plan.beats[0].shots]
    first = next(i for i, s in enumerate(shots) if len(s.characters) == 2)
    left, right = (str(store.characters.by_name(n).id) for n in plan.pair)
    both = ",".join(plan.pair)
    set_shot(two_hander, shots[first].number, characters=both, blocking={left: 0.2, right: 0.45})
    assert [f.kind for f in check_scenes(store)] == []
    later = shots[first + 1].number
    set_shot(two_hander, later, characters=both, blocking={left: 0.2, right: 0.9})
    flags = check_scenes(store)
    assert [(f.shot, f.kind) for f in flags] == [(later, "jump")]
    assert flags[0].reason.split(": ")[1].startswith(f"{plan.pair[1]} jumps from 0.45 to 0.90")


def test_the_sample_script_plans_every_scene(project):
    import_script(project, SAMPLE)
    plans = all_plans(project.store)
    assert len(plans) == project.store.scenes.count_active()
    shots = project.store.shots.in_order()
    assert sum(len(p.cameras) for p in plans) == len(shots)
    for plan in plans:
        for camera in plan.cameras:
            values = (camera.x, camera.y, camera.height, camera.pan, camera.tilt, camera.distance)
            assert all(math.isfinite(v) for v in values) and camera.distance > 0
    figures = {f.name: f.kind for p in plans for f in p.figures}
    assert figures["COURIER-7"] == "drone" and figures["KIT"] == "child"
    lamp_room = plans[1]
    assert lamp_room.set.interior and "letter" in {t.name for t in lamp_room.things}


def test_the_cli_contract(two_hander, capsys):
    folder = str(two_hander.store.folder)
    two_hander.close()
    main(["scenes", folder, "plan", "1", "--json"])
    plan = json.loads(capsys.readouterr().out)
    assert set(plan) >= {"set", "beats", "things", "cameras", "figures"}
    camera = plan["cameras"][0]
    assert set(camera) >= {"shot", "x", "y", "height", "pan", "tilt", "focal_mm"}
    main(["scenes", folder, "place", "1", "TOM", "2.5", "1", "--facing", "90", "--beat", "1"])
    assert "placed TOM" in capsys.readouterr().out
    main(["scenes", folder, "check", "--json"])
    assert json.loads(capsys.readouterr().out) == {"flags": []}
    with pytest.raises(SystemExit):
        main(["scenes", folder, "place", "1", "NOBODY", "1", "1"])
    assert capsys.readouterr().err.count("\n") <= 2
