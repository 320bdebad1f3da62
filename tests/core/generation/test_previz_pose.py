"""Previz figures act the shot: poses read from real action lines, then drawn and measured."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from studio.generation.backends.previz import PrevizBackend, panel_layout
from studio.generation.backends.previz_pose import Pose, infer_poses, sentences
from studio.generation.requests import Figure, KeyframeRequest
from studio.media.decode import read_image
from studio.progress import JobContext

SAMPLE = Path(__file__).resolve().parents[3] / "projects" / "sample" / "script.fountain"
GREEN, BLUE, DARK = "#00b000", "#0040ff", "#404040"
PAIR = (Figure("MARA", 0.3, GREEN), Figure("JONAH", 0.7, BLUE))
ONE = (Figure("MARA", 0.5, GREEN),)


def poses(text: str, figures: tuple[Figure, ...] = PAIR, size: str = "FS") -> dict[str, Pose]:
    return {f.name: p for f, p in zip(figures, infer_poses(text, figures, size), strict=True)}


# --- inference ----------------------------------------------------------------------------------

STANCES = [
    # (action line, figures, {name: stance})
    ("MARA sits. JONAH paces.", PAIR, {"MARA": "sitting", "JONAH": "walking"}),
    (
        "Jonah is seated at the desk while Mara crosses to the door.",
        PAIR,
        {"JONAH": "sitting", "MARA": "walking"},
    ),
    ("Mara sat down heavily.", ONE, {"MARA": "sitting"}),
    (
        "Sitting at the table, MARA reads the letter.",
        PAIR,
        {"MARA": "sitting", "JONAH": "standing"},
    ),
    ("Mara and Jonah sit on the bench.", PAIR, {"MARA": "sitting", "JONAH": "sitting"}),
    ("Jonah walks in. Mara stands at the sink.", PAIR, {"JONAH": "walking", "MARA": "standing"}),
    ("Mara runs along the pier.", ONE, {"MARA": "walking"}),
    ("JONAH enters, soaked.", PAIR, {"JONAH": "walking", "MARA": "standing"}),
    ("Mara lies on the floor, eyes open.", ONE, {"MARA": "lying"}),
    (
        "Jonah is lying in the hammock. Mara kneels beside him.",
        PAIR,
        {"JONAH": "lying", "MARA": "kneeling"},
    ),
    ("Mara is asleep in bed.", ONE, {"MARA": "lying"}),
    ("Jonah drops to his knees.", PAIR, {"JONAH": "kneeling", "MARA": "standing"}),
    ("Mara crosses her arms.", ONE, {"MARA": "standing"}),  # crossing arms is not walking
    ("Jonah waits by the door. He kneels.", PAIR, {"JONAH": "kneeling", "MARA": "standing"}),
    ("Walks to the window.", ONE, {"MARA": "walking"}),  # no name: the only figure
    ("Walks to the window.", PAIR, {"MARA": "standing", "JONAH": "standing"}),  # …or no one
    ("The old lamp sleeps inside its lens.", ONE, {"MARA": "standing"}),  # a thing's verb
    (
        "Two-shot, MARA and JONAH: “I sit here every night and I walk home.”",
        PAIR,
        {"MARA": "standing", "JONAH": "standing"},
    ),  # dialogue is not action
]


@pytest.mark.parametrize("text,figures,expected", STANCES)
def test_stances_are_read_from_the_action_and_given_to_the_right_figure(
    text: str, figures: tuple[Figure, ...], expected: dict[str, str]
) -> None:
    assert {name: pose.stance for name, pose in poses(text, figures).items()} == expected


def test_a_name_inside_another_word_or_in_lower_case_is_not_that_figure() -> None:
    kit = (Figure("KIT", 0.5),)
    assert sentences("Kit's POV. The kitchen.", ["KIT"]) == ["@0 pov", "the kitchen"]
    assert poses("The kitchen is empty. A first-aid kit sits on the shelf.", kit)["KIT"] == Pose()
    assert poses("KIT sits in the kitchen.", kit)["KIT"].stance == "sitting"
    ann = (Figure("ANN", 0.2), Figure("ANNA", 0.8))
    found = poses("Anna sits. Ann paces by the annex.", ann)
    assert (found["ANNA"].stance, found["ANN"].stance) == ("sitting", "walking")


def test_facing_each_other_in_a_two_shot_and_in_profile_when_the_words_say_so() -> None:
    talk = poses("Two-shot, MARA and JONAH: “Where were you?”")
    assert (talk["MARA"].facing, talk["JONAH"].facing) == ("right", "left")
    assert talk["MARA"].turn == talk["JONAH"].turn == 0.5  # three-quarter
    swapped = (Figure("MARA", 0.8), Figure("JONAH", 0.2))
    assert poses("Two-shot, MARA and JONAH: “…”", swapped)["MARA"].facing == "left"
    face = poses("They face each other across the table.")
    assert (face["MARA"].facing, face["JONAH"].facing, face["MARA"].turn) == ("right", "left", 1.0)
    assert poses("Mara waits.", ONE)["MARA"] == Pose()  # alone: she faces the camera


@pytest.mark.parametrize(
    "text",
    [
        "Mara turns away from Jonah.",
        "Mara stands with her back to the camera.",
        "Mara turns her back on him.",
        "Mara looks out over the harbour.",
    ],
)
def test_turning_away_shows_the_back(text: str) -> None:
    found = poses(text)
    assert found["MARA"].facing == "away" and found["JONAH"].facing == "left"


def test_walking_faces_the_way_it_goes() -> None:
    assert poses("Mara walks off to the left.", ONE)["MARA"].facing == "left"
    right = poses("Mara crosses frame right.", ONE)["MARA"]
    assert (right.facing, right.turn, right.stance) == ("right", 1.0, "walking")
    toward = poses("Jonah walks toward Mara.")["JONAH"]
    assert (toward.facing, toward.turn) == ("left", 0.5)  # toward Mara, at x 0.3


@pytest.mark.parametrize(
    "text,name,gesture,prop",
    [
        ("Mara points at the ship. Jonah waves.", "MARA", "point", ""),
        ("Mara points at the ship. Jonah waves.", "JONAH", "raise", ""),
        ("Jonah raises his hand.", "JONAH", "raise", ""),
        ("Mara carries a suitcase up the stairs.", "MARA", "hold", "suitcase"),
        ("Jonah cuts the parcel open.", "JONAH", "hold", "parcel"),  # a prop near the name
        ("Mara looks at the pen, then holds it out to Jonah.", "MARA", "reach", "pen"),
        ("Mara walks to the lamp.", "MARA", "relaxed", ""),  # a place, not a thing held
        ("Mara sits at the desk, facing the camera.", "MARA", "relaxed", ""),
        ("Mara waits. Jonah holds a cup.", "MARA", "relaxed", ""),
    ],
)
def test_arm_gestures(text: str, name: str, gesture: str, prop: str) -> None:
    found = poses(text)[name]
    assert (found.gesture, found.prop) == (gesture, prop)


def test_close_sizes_hide_the_stance_and_inference_is_deterministic() -> None:
    assert poses("Mara sits.", ONE, size="CU")["MARA"].stance == "standing"
    assert poses("Mara sits.", ONE, size="MS")["MARA"].stance == "sitting"
    text = "MARA sits. JONAH paces, then points at her."
    assert infer_poses(text, PAIR, "FS") == infer_poses(text, PAIR, "FS")
    assert infer_poses("", (), "FS") == ()


# --- drawn panels -------------------------------------------------------------------------------


def shot(description: str, figures: tuple[Figure, ...], **changes: object) -> KeyframeRequest:
    base = dict(shot_number="7", description=description, seed=5, size="FS")
    return KeyframeRequest(**(base | {"figures": figures} | changes))


def draw(request: KeyframeRequest) -> np.ndarray:
    return read_image(PrevizBackend().generate(request, {}, JobContext()).data, "panel")


def colour_rows_and_cols(rgb: np.ndarray, hue: int, ph: int) -> tuple[np.ndarray, np.ndarray]:
    hsv = cv2.cvtColor(rgb[:ph], cv2.COLOR_RGB2HSV)
    mask = (np.abs(hsv[:, :, 0].astype(int) - hue) < 12) & (hsv[:, :, 1] > 40)
    return np.nonzero(mask)


@pytest.mark.parametrize("size", ["WS", "FS", "MWS"])
def test_a_sitting_figure_is_shorter_than_a_standing_one_at_the_same_size(size: str) -> None:
    figures = (Figure("MARA", 0.3, GREEN), Figure("JONAH", 0.7, BLUE))
    request = shot("INT. KITCHEN. Mara sits at the table. Jonah stands.", figures, size=size)
    layout = panel_layout(request)
    mara, jonah = layout.figures
    assert (mara.pose.stance, jonah.pose.stance) == ("sitting", "standing")

    def above_floor(fig) -> float:
        return fig.top + fig.height - fig.box[1]

    seated, upright = above_floor(mara), above_floor(jonah)
    assert seated < 0.85 * upright
    if size == "WS":
        return  # feet stand at different depths on the ground: tops are not comparable
    assert mara.box[1] > jonah.box[1] + 0.1 * upright  # the seated head is lower
    rgb = draw(request)
    green_rows, _ = colour_rows_and_cols(rgb, 60, layout.picture_height)
    blue_rows, _ = colour_rows_and_cols(rgb, 111, layout.picture_height)
    assert green_rows.min() > blue_rows.min() + 0.08 * upright


def dark_sides(rgb: np.ndarray, head: tuple[float, float, float]) -> tuple[int, int]:
    """Ink-dark pixels inside a head (its outline left out), left and right of its centre."""
    hx, hy, r = head
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(int)
    ys, xs = np.mgrid[0 : grey.shape[0], 0 : grey.shape[1]]
    inside = ((xs - hx) / (0.82 * r)) ** 2 + ((ys - hy) / (0.82 * r * 1.15)) ** 2 < 1
    dark = inside & (grey < 100)
    return int((dark & (xs < hx)).sum()), int((dark & (xs > hx)).sum())


def test_a_profile_face_has_its_eye_and_nose_on_the_side_it_faces() -> None:
    figures = (Figure("MARA", 0.25, DARK), Figure("JONAH", 0.85, DARK))
    request = shot("They face each other.", figures, size="CU", width=960, height=400)
    layout = panel_layout(request)
    rgb = draw(request)
    mara, jonah = layout.figures
    assert (mara.pose.facing, mara.pose.turn, jonah.pose.facing) == ("right", 1.0, "left")
    left, right = dark_sides(rgb, mara.head)
    assert right > 4 * max(left, 10)
    left, right = dark_sides(rgb, jonah.head)
    assert left > 4 * max(right, 10)
    alone = shot("Mara waits.", (Figure("MARA", 0.5, DARK),), size="CU", width=960, height=400)
    left, right = dark_sides(draw(alone), panel_layout(alone).figures[0].head)
    assert 0.6 < left / right < 1.6  # a front face is balanced
    away = shot("Mara turns away.", (Figure("MARA", 0.5, DARK),), size="CU", width=960, height=400)
    assert sum(dark_sides(draw(away), panel_layout(away).figures[0].head)) < (left + right) / 4


def test_two_figures_in_a_two_shot_face_each_other_on_the_panel() -> None:
    figures = (Figure("MARA", 0.3, DARK), Figure("JONAH", 0.72, DARK))
    request = shot("Two-shot, MARA and JONAH: “You came back.”", figures, size="MS")
    layout = panel_layout(request)
    rgb = draw(request)
    mara, jonah = layout.figures
    assert (mara.pose.facing, jonah.pose.facing) == ("right", "left")
    left, right = dark_sides(rgb, mara.head)
    assert right > 2 * left
    left, right = dark_sides(rgb, jonah.head)
    assert left > 2 * right


def test_walking_spreads_the_feet_and_lying_is_horizontal() -> None:
    def feet_width(description: str) -> float:
        request = shot(description, (Figure("MARA", 0.5, GREEN),))
        layout = panel_layout(request)
        rows, cols = colour_rows_and_cols(draw(request), 60, layout.picture_height)
        low = rows > rows.max() - 0.06 * layout.figures[0].height
        return float(cols[low].max() - cols[low].min())

    assert feet_width("Mara walks along the wall.") > 1.5 * feet_width("Mara waits.")
    lying = panel_layout(shot("Mara lies on the floor.", (Figure("MARA", 0.5),)))
    x0, y0, x1, y1 = lying.figures[0].box
    assert x1 - x0 > 3 * (y1 - y0)


@pytest.mark.parametrize(
    "description",
    [
        "Mara sits.",
        "Mara walks in.",
        "Mara lies on the bed.",
        "Mara kneels.",
        "Mara turns away.",
        "Mara points at the door.",
        "Mara waves goodbye.",
        "Mara holds a cup.",
        "Mara holds out the letter.",
    ],
)
@pytest.mark.parametrize("angle", ["eye", "low", "high"])
def test_every_pose_is_drawn_inside_its_box(description: str, angle: str) -> None:
    request = shot(f"INT. HALL. {description}", (Figure("MARA", 0.45, GREEN),), angle=angle)
    layout = panel_layout(request)
    rows, cols = colour_rows_and_cols(draw(request), 60, layout.picture_height)
    x0, y0, x1, y1 = layout.figures[0].box
    label = 30  # the name sits just above the box
    assert x0 - 4 <= np.percentile(cols, 0.5) and np.percentile(cols, 99.5) <= x1 + 4
    assert y0 - label <= rows.min() and np.percentile(rows, 99.5) <= y1 + 4
    assert rows.max() - rows.min() > 0.7 * (y1 - y0)


# --- the sample screenplay ----------------------------------------------------------------------


def sample_requests(folder: Path, width: int = 480, height: int = 270) -> list[KeyframeRequest]:
    """Every shot's keyframe request from the sample screenplay, through the services."""
    from studio.services.generation import keyframe_request
    from studio.services.project import new_project
    from studio.services.script import import_script

    with new_project(folder) as project:
        import_script(project, SAMPLE)
        shots = project.store.shots.in_order()
        return [keyframe_request(project.store, s, width=width, height=height) for s in shots]


SHOWN = (
    "climbs the cliff",
    "Group-shot",
    "hauls an oil can",
    "Two-shot, ODA and KIT",
    "share the thermos",
    "holds it out",
)


def sample_strip(folder: Path) -> bytes:
    """Six sample panels that act their shots, side by side in two rows, as a small PNG."""
    from PIL import Image

    requests = sample_requests(folder)
    chosen = [next(r for r in requests if key in r.description) for key in SHOWN]
    panels = [draw(r) for r in chosen]
    strip = np.vstack([np.hstack(panels[:3]), np.hstack(panels[3:])])
    out = io.BytesIO()
    Image.fromarray(strip).quantize(48, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_the_sample_screenplay_acts_its_shots(tmp_path: Path) -> None:
    requests = sample_requests(tmp_path / "film")

    def acted(key: str) -> dict[str, Pose]:  # the words alone: the unstaged panel
        request = next(r for r in requests if key in r.description)
        return {f.name: f.pose for f in panel_layout(replace(request, stage=None)).figures}

    assert acted("climbs the cliff")["KIT"].stance == "walking"
    step = acted("share the thermos")
    assert step["ODA"].stance == step["KIT"].stance == "sitting"
    assert step["COURIER-7"].prop == "envelope"
    pen = acted("holds it out")
    assert (pen["ODA"].gesture, pen["ODA"].facing, pen["KIT"].facing) == ("reach", "right", "left")
    assert acted("lamp sleeps") == {}  # no one in the frame, and the lamp is not a figure
    png = sample_strip(tmp_path / "again")
    assert read_image(png, "strip").shape == (540, 1440, 3) and len(png) < 300_000
