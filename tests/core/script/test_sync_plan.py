"""The sync plan from plain rows: no database."""

from studio.domain.entities import DialogueLine, Scene, Shot, Status
from studio.script.breakdown import Breakdown, PlannedLine, PlannedScene, PlannedShot
from studio.script.sync import MANUAL, plan_sync


def _scene(scene_id, fingerprint, status=Status.CURRENT):
    return Scene(order=scene_id, heading=fingerprint, fingerprint=fingerprint, status=status,
                 id=scene_id)  # fmt: skip


def _shot(shot_id, scene_id, fingerprint, status=Status.CURRENT):
    return Shot(scene_id=scene_id, order=shot_id, number=str(shot_id), fingerprint=fingerprint,
                status=status, id=shot_id)  # fmt: skip


def _line(line_id, scene_id, fingerprint):
    return DialogueLine(scene_id=scene_id, character_id=7, text="Hi.", order=line_id,
                        fingerprint=fingerprint, id=line_id)  # fmt: skip


def test_kept_changed_new_and_gone_rows_are_told_apart():
    scenes = [_scene(1, "s1"), _scene(2, "s2"), _scene(9, "s9")]
    shots = [
        _shot(1, 1, "a"),
        _shot(2, 1, "b"),
        _shot(3, 1, MANUAL + "x"),  # added by hand: the sync leaves it alone
        _shot(4, 2, "c"),
        _shot(5, 2, "d", Status.ARCHIVED),  # removed by the director: not archived again
        _shot(6, 9, "f"),
    ]
    lines = [_line(1, 1, "l1")]
    plan = Breakdown(
        "T",
        [
            PlannedScene(
                "s1",
                fingerprint="s1",
                shots=[
                    PlannedShot("1", "", fingerprint="a"),
                    PlannedShot("2", "", fingerprint="b2"),
                ],
                lines=[PlannedLine("MAYA", "Hello.", fingerprint="l1b")],
            ),
            PlannedScene("s3", fingerprint="s3", shots=[PlannedShot("3", "", fingerprint="e")]),
            PlannedScene("s2", fingerprint="s2", shots=[PlannedShot("4", "", fingerprint="c")]),
        ],
    )
    sync = plan_sync(plan, scenes, shots, lines, {7: "MAYA"})
    assert sync.to_json() == {
        "scenes": {"kept": 2, "stale": 0, "new": 1, "archived": 1},
        "shots": {"kept": 2, "stale": 1, "new": 1, "archived": 1},
        "lines": {"kept": 0, "stale": 1, "new": 0, "archived": 0},
    }
    assert [s.id for s in sync.shots.stale] == [2] and [s.id for s in sync.shots.archived] == [6]
    assert sync.shots.new == plan.scenes[1].shots
    assert sync.pairs[("shot", id(plan.scenes[0].shots[1]))].id == 2
    assert sync.pairs[("line", id(plan.scenes[0].lines[0]))].id == 1


def test_a_line_given_to_another_character_is_new_not_changed():
    scenes = [_scene(1, "s1")]
    lines = [_line(1, 1, "l1")]
    plan = Breakdown("T", [PlannedScene("s1", fingerprint="s1", lines=[PlannedLine("TOM", "Hi!")])])
    sync = plan_sync(plan, scenes, [], lines, {7: "MAYA"})
    assert sync.lines.counts() == {"kept": 0, "stale": 0, "new": 1, "archived": 1}
