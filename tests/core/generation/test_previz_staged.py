"""Staged previz panels, measured on their pixels: the scene plan seen through the shot's pinhole
camera (distance and lens change what the frame shows as a real camera's would, screen direction
holds from shot to shot, things stand where the projection puts them and hide what is behind)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from studio.domain.entities import CharacterSheet, DialogueLine, Scene, Shot, ShotSize
from studio.generation.backends.camera import CameraBackend
from studio.generation.backends.camera_staged import staged_frames
from studio.generation.backends.previz import PrevizBackend, caption_height, panel_layout
from studio.generation.backends.previz_draw import draw_panel
from studio.generation.requests import (
    ClipRequest,
    KeyframeRequest,
    Stage,
    StagedFigure,
    StagedSet,
    StagedThing,
    request_from_json,
)
from studio.generation.stage import stage_for
from studio.progress import JobContext
from studio.script.staging import plan_scene

W, H = 1280, 720
PH = H - caption_height(W, H)
COLOURS = {"MAYA": "#ff0000", "TOM": "#0000ff"}
EMPTY = StagedSet(interior=True, width=0.0, depth=0.0)  # no walls, no floor: only what is staged


def draw(stage: Stage, **fields) -> np.ndarray:
    request = KeyframeRequest(width=W, height=H, stage=stage, **fields)
    return draw_panel(panel_layout(request), request)[:PH]


def coloured(img: np.ndarray, channel: int) -> np.ndarray:
    """Where the picture is strongly of one primary (0 red, 2 blue)."""
    rgb = img.astype(int)
    others = [c for c in range(3) if c != channel]
    return (rgb[..., channel] - rgb[..., others].max(axis=-1)) > 60


def dark(img: np.ndarray) -> np.ndarray:
    return img.astype(int).max(axis=-1) < 110  # graphite strokes, not the paper's grain


def rows_of(mask: np.ndarray) -> tuple[int, int]:
    rows = np.flatnonzero(mask.any(axis=1))
    return int(rows[0]), int(rows[-1])


def cols_of(mask: np.ndarray) -> tuple[int, int]:
    cols = np.flatnonzero(mask.any(axis=0))
    return int(cols[0]), int(cols[-1])


def looking_north(distance: float, focal: float, height: float = 0.875, **fields) -> Stage:
    """A level camera `distance` metres south of the origin, looking north at it."""
    return Stage(0.0, -distance, height, 90.0, 0.0, 0.0, focal, set=EMPTY, **fields)


def test_a_figure_drawn_twice_as_far_is_half_as_tall() -> None:
    person = StagedFigure("", height=1.75, x=0.0, y=0.0, facing=-90.0, colour="#ff0000")
    heights = {}
    for distance in (5.0, 10.0):
        img = draw(looking_north(distance, 50.0, figures=(person,)))
        top, bottom = rows_of(coloured(img, 0))
        heights[distance] = bottom - top
    # the pinhole: 1.75 m at 5 m through a 50 mm lens on a 36 mm-wide sensor spans
    # W * 50 / 36 * 1.75 / 5 pixels (the drawn figure's feet and head add a few)
    assert abs(heights[5.0] - W * 50 / 36 * 1.75 / 5) < 0.06 * heights[5.0]
    assert abs(heights[10.0] / heights[5.0] - 0.5) < 0.04


def test_a_24mm_and_a_100mm_lens_frame_what_their_fields_of_view_say() -> None:
    board = StagedThing("board", "set_piece", (2.0, 0.1, 1.0), 0.0, 0.0, 0.375)
    for focal in (24.0, 100.0):
        img = draw(looking_north(10.0, focal, things=(board,)))
        band = dark(img)[PH // 2 - 20 : PH // 2 + 20]  # across the board's middle, under its label
        left, right = cols_of(band)
        # the horizontal field of view is 2·atan(18 / f): 2 m at 10 m spans this share of it
        half_view = 10.0 * math.tan(math.atan(18.0 / focal))
        expected = 2.0 / (2 * half_view)
        assert abs((right - left) / W - expected) < 0.01, focal


def _two_hander(shots: list[Shot]):
    maya = CharacterSheet(name="MAYA", description="a nurse, 40s", colour="#ff0000", id=1)
    tom = CharacterSheet(name="TOM", description="her brother", colour="#0000ff", id=2)
    scene = Scene(order=1, heading="INT. KITCHEN - NIGHT", int_ext="INT", location="KITCHEN", id=1)
    lines = [
        DialogueLine(scene_id=1, order=i, character_id=who, text="Words.", id=i + 1)
        for i, who in enumerate((1, 2, 1, 2))
    ]
    plan = plan_scene(1, scene, shots, {1: maya, 2: tom}, lines, aspect=W / PH)
    return plan, {s.number: stage_for(plan, s, 0, W / PH, COLOURS) for s in shots}


def _centre_x(mask: np.ndarray) -> float | None:
    cols = np.flatnonzero(mask.any(axis=0))
    return float(cols.mean()) if len(cols) else None


def _three_shots(single: str = "MAYA listens.") -> list[Shot]:
    shot = dict(scene_id=1, characters=[1, 2], lens=35)
    return [
        Shot(order=1, number="1", description="Two-shot, MAYA and TOM.", size=ShotSize.MEDIUM,
             blocking={"1": 0.3, "2": 0.7}, **shot),
        Shot(order=2, number="2", description="Over TOM's shoulder on MAYA.",
             size=ShotSize.MEDIUM_CLOSE, blocking={"1": 0.35, "2": 0.85}, **shot),
        Shot(order=3, number="3", description=single, size=ShotSize.MEDIUM_CLOSE,
             **{**shot, "characters": [1]}),
    ]  # fmt: skip


def test_screen_left_in_the_two_shot_stays_left_in_the_over_the_shoulder_and_the_single() -> None:
    shots = _three_shots()
    _, stages = _two_hander(shots)
    for number in ("1", "2", "3"):
        img = draw(stages[number])
        maya, tom = _centre_x(coloured(img, 0)), _centre_x(coloured(img, 2))
        assert maya is not None, number
        if tom is not None:
            assert maya < tom, number  # MAYA is screen left of TOM wherever both are seen
    assert stages["3"].subject == ("MAYA",)
    layout = panel_layout(KeyframeRequest(width=W, height=H, stage=stages["3"]))
    maya_drawn = next(i for i in layout.staged.items if i.name == "MAYA")
    assert maya_drawn.pose.facing == "right"  # she looks toward TOM, off screen right


def test_a_named_thing_is_drawn_where_the_projection_puts_it_with_its_label() -> None:
    """A noun the vocabulary has no drawing for ("crate") is its projected box, whose edges are
    checked; one it draws ("lamp") is its drawing inside the same box."""
    crate = StagedThing("crate", "prop", (0.4, 0.4, 0.6), 0.8, 0.0, 0.5)
    stage = looking_north(4.0, 35.0, height=1.0, things=(crate,))
    img = draw(stage)
    # by hand, u = cx + f·x / depth and v = cy - f·(z - eye) / depth: the lamp stands right of
    # the lens, so its west side shows (its far edge, 4.2 m away, is its leftmost), and its
    # near face (3.8 m away) gives its right edge, its top (1.1 m, above the eye) and its bottom
    focal_px = W * 35.0 / 36.0
    left_u, right_u = W / 2 + focal_px * 0.6 / 4.2, W / 2 + focal_px * 1.0 / 3.8
    top_v, bottom_v = PH / 2 - focal_px * 0.1 / 3.8, PH / 2 + focal_px * 0.5 / 3.8
    strokes = dark(img)
    left, right = cols_of(strokes[int(top_v) + 2 :])
    top, bottom = rows_of(strokes[:, int(left_u) + 2 : int(right_u) - 2])
    assert abs(left - left_u) < 3 and abs(right - right_u) < 3
    assert abs(bottom - bottom_v) < 3
    # its name is written just above it, where nothing else is drawn
    label = strokes[: int(top_v) - 2, int(left_u) - 30 : int(right_u) + 30]
    assert label.sum() > 30 and top < top_v - 4
    assert not dark(draw(looking_north(4.0, 35.0, height=1.0)))[: int(top_v) - 2].any()
    lamp = StagedThing("lamp", "prop", (0.4, 0.4, 0.6), 0.8, 0.0, 0.5)
    drawn = dark(draw(looking_north(4.0, 35.0, height=1.0, things=(lamp,))))
    inside = drawn[int(top_v) - 1 : int(bottom_v) + 2, int(left_u) - 1 : int(right_u) + 2]
    assert inside.sum() > 30  # the lamp's strokes, in its box
    below = drawn[int(top_v) - 1 :]  # under the label: nothing outside the box
    assert below.sum() == inside.sum()


def test_near_things_hide_far_things_in_either_order() -> None:
    near = StagedThing("crate", "prop", (1.0, 0.6, 1.0), 0.0, 0.0, 0.0)
    far = StagedThing("wardrobe", "set_piece", (1.6, 0.6, 2.0), 0.0, 4.0, 0.0)
    stage = looking_north(4.0, 35.0, height=0.9)
    both = draw(replace(stage, things=(near, far)))
    assert np.array_equal(both, draw(replace(stage, things=(far, near))))
    alone = draw(replace(stage, things=(near,)))
    # inside the crate's front face the wardrobe's strokes are hidden: the pixels are the crate's
    focal_px = W * 35.0 / 36.0
    depth = 4.0 - 0.3
    u0, u1 = W / 2 - focal_px * 0.5 / depth, W / 2 + focal_px * 0.5 / depth
    v0, v1 = PH / 2 - focal_px * 0.1 / depth, PH / 2 + focal_px * 0.9 / depth
    inside = (slice(int(v0) + 4, int(v1) - 4), slice(int(u0) + 4, int(u1) - 4))
    assert np.array_equal(both[inside], alone[inside])
    assert not np.array_equal(both, alone)  # the wardrobe is drawn where the crate leaves it seen
    ahead = draw(replace(stage, things=(far,)))
    assert not np.array_equal(ahead[inside], alone[inside])  # and it would show there


def test_takes_vary_the_composition_and_an_edit_draws_what_it_names() -> None:
    shots = _three_shots()
    plan, _ = _two_hander(shots)
    takes = [stage_for(plan, shots[2], k, W / PH, COLOURS) for k in range(4)]
    assert len({(t.x, t.y, t.height, t.pan, t.focal_mm) for t in takes}) == 4
    assert len({t.focal_mm for t in takes}) > 1  # the lens varies within its range…
    assert all(24 <= t.focal_mm <= 48 for t in takes)  # …around the shot's 35 mm
    placed = []
    for stage in takes:
        maya = coloured(draw(stage), 0)
        top, bottom = rows_of(maya)
        placed.append((round(_centre_x(maya)), bottom - top))
    assert len(set(placed)) == 4  # MAYA sits elsewhere in each take's frame, at another size
    centres = [x for x, _ in placed]
    assert max(centres) - min(centres) > W * 0.05  # not a jitter: the framing moves

    edited = _three_shots("MAYA listens, a lamp on the counter beside her.")
    plan_after, stages_after = _two_hander(edited)
    assert "lamp" in [t.name for t in stages_after["3"].things]
    assert "lamp" not in [t.name for t in stage_for(plan, shots[2], 0, W / PH, COLOURS).things]
    words = edited[2].description
    request = KeyframeRequest(width=W, height=H, stage=stages_after["3"], description=words)
    lamp = next(i for i in panel_layout(request).staged.items if i.name == "lamp")
    x0, y0, x1, y1 = (round(v) for v in lamp.bounds)
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, W), min(y1, PH)
    assert x1 - x0 > 20 and y1 - y0 > 20  # in the frame
    before = draw(stage_for(plan, shots[2], 0, W / PH, COLOURS), description=shots[2].description)
    after = draw(stages_after["3"], description=words)
    changed = np.any(after[y0:y1, x0:x1] != before[y0:y1, x0:x1], axis=2)
    assert changed.mean() > 0.2  # the lamp is drawn where the plan now puts it


def test_a_dolly_clip_of_a_staged_keyframe_moves_near_things_faster_than_far_things() -> None:
    post = StagedThing("post", "set_piece", (0.2, 0.2, 1.0), -1.0, -3.0)  # 3 m from the lens
    tower = StagedThing("tower", "landscape", (1.0, 1.0, 3.0), 3.0, 10.0)  # 16 m away
    stage = Stage(0.0, -6.0, 1.0, 90.0, 0.0, 0.0, 24.0, subject=("post",), things=(post, tower),
                  set=EMPTY)  # fmt: skip
    keyframe = KeyframeRequest(width=640, height=360, stage=stage, movement="dolly_right")
    frames = list(staged_frames(keyframe, "dolly_right", 9, 640, 360))
    assert len(frames) == 9 and np.array_equal(
        frames[0], draw_panel(panel_layout(keyframe), keyframe)
    )

    def centre(frame: np.ndarray, rows: slice) -> float:
        return float(np.mean(cols_of(dark(frame[rows]))))

    post_rows, tower_rows = slice(200, 290), slice(100, 125)  # below the tower, above the post
    post_shift = centre(frames[-1], post_rows) - centre(frames[0], post_rows)
    tower_shift = centre(frames[-1], tower_rows) - centre(frames[0], tower_rows)
    # the camera travels right a quarter of the 3 m to the post: the world slides left, the
    # post by f·0.75/3 pixels, the tower by f·0.75/16 (f = 640 · 24 / 36)
    focal_px = 640 * 24 / 36
    assert abs(post_shift + focal_px * 0.75 / 3) < 6
    assert abs(tower_shift + focal_px * 0.75 / 16) < 4
    assert post_shift < 4 * tower_shift < 0

    sha = "0" * 64
    small = replace(keyframe, width=160, height=90)
    clip = ClipRequest(sha, movement="dolly_right", frames=6, handles=0, width=160, height=90,
                       staged=small)  # fmt: skip
    assert request_from_json(clip.to_json()) == clip
    png = PrevizBackend().generate(clip.staged, {}, JobContext()).data
    made = CameraBackend().generate(clip, {sha: png}, JobContext())
    assert made.info["staged"] and made.frames == 6
    assert (
        ClipRequest(source_keyframe=sha).hash == ClipRequest(source_keyframe=sha, staged=None).hash
    )
