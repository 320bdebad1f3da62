"""The previz backend: real panels drawn, encoded as PNG and measured back."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from studio.errors import Cancelled, InvalidInput
from studio.generation.backends.base import Backend, registry
from studio.generation.backends.previz import PrevizBackend, caption_height, panel_layout
from studio.generation.backends.previz_text import text_width, wrap
from studio.generation.requests import Figure, KeyframeRequest
from studio.media.decode import read_image
from studio.progress import JobContext, Progress

GREEN, BLUE = "#00b000", "#0040ff"


def draw(request: KeyframeRequest) -> np.ndarray:
    result = PrevizBackend().generate(request, {}, JobContext())
    assert (result.extension, result.mime) == (".png", "image/png")
    assert result.data[:8] == b"\x89PNG\r\n\x1a\n"
    return read_image(result.data, "panel")


def colour_mask(rgb: np.ndarray, hue: int, height: int) -> np.ndarray:
    """Pixels of one figure colour in the picture area (above the caption band)."""
    hsv = cv2.cvtColor(rgb[:height], cv2.COLOR_RGB2HSV)
    near = np.abs(hsv[:, :, 0].astype(int) - hue) < 12
    return near & (hsv[:, :, 1] > 40)


def shot(**changes: object) -> KeyframeRequest:
    base = dict(shot_number="12A", description="INT. KITCHEN - NIGHT. Anna waits.", seed=3)
    return KeyframeRequest(**(base | changes))


def test_the_same_request_gives_the_same_bytes_and_the_seed_changes_them() -> None:
    request = shot(figures=(Figure("ANNA", 0.3, GREEN), Figure("BEN", 0.7, BLUE)), size="WS")
    backend = PrevizBackend()
    first = backend.generate(request, {}, JobContext()).data
    assert backend.generate(request, {}, JobContext()).data == first
    other = read_image(
        backend.generate(shot(**{**request.__dict__, "seed": 4}), {}, JobContext()).data
    )
    changed = np.any(other != read_image(first), axis=2).mean()
    assert changed > 0.02


@pytest.mark.parametrize("width,height", [(640, 360), (512, 512), (270, 480), (1280, 720)])
def test_the_panel_has_the_requested_size(width: int, height: int) -> None:
    request = shot(width=width, height=height, figures=(Figure("ANNA"),))
    result = PrevizBackend().generate(request, {}, JobContext())
    assert (result.width, result.height) == (width, height)
    assert read_image(result.data).shape == (height, width, 3)


def test_figures_grow_from_extreme_wide_to_close_up_in_layout_and_pixels() -> None:
    sizes = ["EWS", "WS", "FS", "MS", "CU", "ECU"]
    heights, areas = [], []
    for size in sizes:
        request = shot(size=size, figures=(Figure("ANNA", 0.5, GREEN),), description="EXT. FIELD")
        layout = panel_layout(request)
        heights.append(layout.figures[0].height)
        mask = colour_mask(draw(request), 60, layout.picture_height)
        areas.append(mask.sum())
    assert heights == sorted(heights) and len(set(heights)) == len(heights)
    assert areas == sorted(areas) and len(set(areas)) == len(areas)
    ph = panel_layout(shot(size="EWS")).picture_height
    assert heights[0] < 0.15 * ph  # tiny figures in a big landscape
    assert areas[-1] > 0.5 * 640 * ph  # an extreme close-up fills the frame


def test_the_drawn_figure_sits_in_its_layout_box() -> None:
    request = shot(size="FS", figures=(Figure("ANNA", 0.4, GREEN),))
    layout = panel_layout(request)
    ys, xs = np.nonzero(colour_mask(draw(request), 60, layout.picture_height))
    x0, y0, x1, y1 = layout.figures[0].box
    assert x0 - 4 <= np.percentile(xs, 1) and np.percentile(xs, 99) <= x1 + 4
    assert y0 - 30 <= ys.min() and ys.max() <= y1 + 4  # the name label sits just above the head
    assert ys.max() - ys.min() > 0.8 * (y1 - y0)


@pytest.mark.parametrize("left,right", [(0.2, 0.8), (0.75, 0.15)])
def test_figures_stand_where_their_x_says(left: float, right: float) -> None:
    request = shot(size="WS", figures=(Figure("ANNA", left, GREEN), Figure("BEN", right, BLUE)))
    rgb, ph = draw(request), panel_layout(request).picture_height
    anna = np.nonzero(colour_mask(rgb, 60, ph))[1].mean() / 640
    ben = np.nonzero(colour_mask(rgb, 111, ph))[1].mean() / 640
    assert abs(anna - left) < 0.08 and abs(ben - right) < 0.08


def horizon_row(rgb: np.ndarray, height: int) -> int:
    """The row where a dark line crosses most of the picture's width."""
    grey = cv2.cvtColor(rgb[:height], cv2.COLOR_RGB2GRAY)
    return 2 + int(np.argmax((grey[2:-2] < 215).sum(axis=1)))  # skip the panel's border


def test_the_horizon_is_low_for_low_angles_and_high_for_high_angles() -> None:
    rows = {}
    for angle in ("low", "eye", "high"):
        request = shot(angle=angle, size="WS", description="INT. HALL")
        layout = panel_layout(request)
        rows[angle] = horizon_row(draw(request), layout.picture_height)
        assert abs(rows[angle] - layout.horizon_y(320)) <= 3
    ph = panel_layout(shot()).picture_height
    assert rows["low"] > rows["eye"] > rows["high"]
    assert ph / 3 < rows["eye"] < 2 * ph / 3
    assert rows["low"] > 2 * ph / 3 and rows["high"] < ph / 3


def test_dutch_tilts_the_horizon_and_overhead_has_none() -> None:
    (x0, y0), (x1, y1) = panel_layout(shot(angle="dutch")).horizon
    assert 0.1 < abs(y1 - y0) / (x1 - x0) < 0.3
    overhead = panel_layout(shot(angle="overhead", figures=(Figure("ANNA"),)))
    assert overhead.horizon is None and overhead.horizon_y(10) is None
    assert all(f.overhead for f in overhead.figures)
    assert draw(shot(angle="overhead", figures=(Figure("ANNA", 0.5, GREEN),))).shape[0] == 360


def test_low_angle_figures_are_seen_from_below() -> None:
    figures = (Figure("ANNA"),)
    assert panel_layout(shot(angle="low", figures=figures)).figures[0].view > 0
    assert panel_layout(shot(angle="high", figures=figures)).figures[0].view < 0


def test_move_arrows_point_the_way_the_camera_moves() -> None:
    def arrows(movement: str):
        return panel_layout(shot(movement=movement)).arrows

    centre = np.array([320, panel_layout(shot()).picture_height / 2])
    for arrow in arrows("push_in"):
        assert np.linalg.norm(np.subtract(arrow.end, centre)) < np.linalg.norm(
            np.subtract(arrow.start, centre)
        )
    assert len(arrows("push_in")) == len(arrows("pull_out")) == 4
    for arrow in arrows("pull_out"):
        assert np.linalg.norm(np.subtract(arrow.end, centre)) > np.linalg.norm(
            np.subtract(arrow.start, centre)
        )
    for movement, axis, sign in [
        ("pan_left", 0, -1),
        ("dolly_right", 0, 1),
        ("tilt_up", 1, -1),
        ("tilt_down", 1, 1),
    ]:
        (arrow,) = arrows(movement)
        assert np.sign(arrow.end[axis] - arrow.start[axis]) == sign
    assert arrows("tracking")[0].style == "dashed"
    assert arrows("handheld")[0].style == "squiggle"
    assert arrows("static") == ()
    # the arrows are drawn: a push in darkens the corners that a static shot leaves blank
    corner = slice(0, 60), slice(0, 90)
    assert (
        draw(shot(movement="push_in"))[corner].min() < draw(shot(movement="static"))[corner].min()
    )


def test_int_and_ext_choose_the_props() -> None:
    for seed in range(6):
        inside = panel_layout(shot(seed=seed, description="INT. OFFICE - DAY"))
        outside = panel_layout(shot(seed=seed, description="EXT. BEACH - DAY"))
        assert inside.interior and not outside.interior
        assert {p.kind for p in inside.props} <= {"window", "door", "table"}
        assert {p.kind for p in outside.props} <= {"mountains", "tree"}
    insert = panel_layout(shot(size="INSERT", figures=(Figure("ANNA"),)))
    assert insert.figures == () and insert.props[0].kind.startswith("insert-")


def test_the_caption_wraps_and_ends_with_an_ellipsis() -> None:
    text = "Anna crosses the kitchen slowly and lifts the letter to the lamp " * 6
    lines = wrap(text, 0.4, 300, 2)
    assert len(lines) == 2 and lines[-1].endswith("...")
    assert all(text_width(line, 0.4) <= 300 for line in lines)
    assert wrap("short words", 0.4, 300, 2) == ["short words"]
    band = caption_height(640, 360)
    long_shot = draw(shot(description=text))
    short_shot = draw(shot(description="Anna."))
    assert not np.array_equal(long_shot[-band:], short_shot[-band:])


def test_non_ascii_names_and_descriptions_do_not_crash() -> None:
    request = shot(
        figures=(Figure("Zoë 日本", 0.5, GREEN), Figure("Ærøskøbing", 0.8)),
        description="INT. CAFÉ — Zoë says “ça va…” 🎬 " * 5,
    )
    assert draw(request).shape == (360, 640, 3)


def test_unknown_shot_values_are_refused_naming_the_shot() -> None:
    with pytest.raises(InvalidInput, match="shot 12A.*shot size 'HUGE'"):
        PrevizBackend().generate(shot(size="HUGE"), {}, JobContext())
    with pytest.raises(InvalidInput, match="camera move"):
        panel_layout(shot(movement="crane_up"))
    with pytest.raises(InvalidInput, match="panel size"):
        panel_layout(shot(width=8, height=8))


def test_progress_is_reported_and_a_cancelled_job_stops() -> None:
    seen: list[Progress] = []
    PrevizBackend().generate(shot(), {}, JobContext(on_progress=seen.append))
    assert seen and seen[-1].fraction == 1.0
    ctx = JobContext()
    ctx.cancel()
    with pytest.raises(Cancelled):
        PrevizBackend().generate(shot(), {}, ctx)


def test_the_registry_finds_previz_as_a_keyframe_backend_without_gpu() -> None:
    backend = registry.get("previz")
    assert isinstance(backend, Backend)
    assert (backend.name, backend.version) == ("previz", "3")  # 3: staged through a camera
    assert backend.capabilities.kind == "keyframe" and not backend.capabilities.needs_gpu


def test_every_size_angle_and_move_draws() -> None:
    sizes = ["EWS", "WS", "FS", "MWS", "MS", "MCU", "CU", "ECU", "INSERT"]
    angles = ["eye", "low", "high", "overhead", "dutch", "pov"]
    moves = [
        "static",
        "push_in",
        "pull_out",
        "pan_left",
        "pan_right",
        "tilt_up",
        "tilt_down",
        "dolly_left",
        "dolly_right",
        "tracking",
        "handheld",
    ]
    figures = (Figure("ANNA", 0.3, GREEN), Figure("BEN", 0.7, BLUE))
    for i, size in enumerate(sizes):
        for j, angle in enumerate(angles):
            request = shot(
                size=size,
                angle=angle,
                movement=moves[(i + j) % len(moves)],
                figures=figures,
                width=320,
                height=180,
                seed=i * 10 + j,
            )
            assert draw(request).shape == (180, 320, 3)


def test_the_scenes_setting_decides_interior_or_exterior():
    import numpy as np

    from studio.generation.backends.previz import is_interior

    rng = np.random.default_rng(0)
    assert is_interior("a lighthouse on a cliff", rng, "INT") is True
    assert is_interior("INT. a lighthouse", rng, "EXT") is False
    assert is_interior("walks INSIDE", rng, "") is True
