"""Looks: black-and-white, grain, vignette, .cube LUTs and scope bars, on real pixel arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.errors import InvalidInput
from studio.render import looks
from studio.render.frames import RenderSettings


def gradient(height: int = 32, width: int = 48) -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.integers(0, 256, (height, width, 3), dtype=np.uint8)


def write_cube(path: Path, size: int, fn, header: str = "") -> Path:
    lines = ['TITLE "test"', f"LUT_3D_SIZE {size}", header]
    steps = np.linspace(0.0, 1.0, size)
    for b in steps:
        for g in steps:
            for r in steps:
                lines.append(" ".join(f"{v:.6f}" for v in fn(r, g, b)))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_black_and_white_has_equal_channels_and_follows_the_filter() -> None:
    frame = gradient()
    grey = looks.black_and_white(frame, "none", contrast=0.0)
    assert (grey[:, :, 0] == grey[:, :, 1]).all() and (grey[:, :, 1] == grey[:, :, 2]).all()
    red = np.zeros((2, 2, 3), np.uint8)
    red[..., 0] = 200
    through_red = looks.black_and_white(red, "red", 0.0)[0, 0, 0]
    through_green = looks.black_and_white(red, "green", 0.0)[0, 0, 0]
    assert through_red > through_green  # a red filter lightens reds
    assert looks.black_and_white(red, "none", 0.0)[0, 0, 0] == round(200 * 0.30)
    with pytest.raises(InvalidInput, match="black-and-white filter"):
        looks.black_and_white(frame, "purple")


def test_s_curve_keeps_ends_and_middle_and_adds_contrast() -> None:
    values = np.array([0.0, 0.25, 0.5, 0.75, 1.0], np.float32)
    curved = looks.s_curve(values, 0.5)
    assert curved[[0, 2, 4]].tolist() == [0.0, 0.5, 1.0]
    assert curved[1] < 0.25 and curved[3] > 0.75


def test_grain_is_deterministic_per_frame_and_keeps_grey_grey() -> None:
    frame = np.full((40, 40, 3), 128, np.uint8)
    first = looks.add_grain(frame, 0.3, frame_index=5)
    assert np.array_equal(first, looks.add_grain(frame, 0.3, frame_index=5))
    assert not np.array_equal(first, looks.add_grain(frame, 0.3, frame_index=6))
    assert (first[..., 0] == first[..., 2]).all()
    assert first.std() > 2
    assert np.array_equal(looks.add_grain(frame, 0.0, 3), frame)


def test_vignette_darkens_corners_not_centre() -> None:
    frame = np.full((41, 61, 3), 200, np.uint8)
    out = looks.vignette(frame, 0.6)
    assert out[20, 30, 0] == 200 and out[0, 0, 0] < 120


def test_letterbox_leaves_a_scope_picture() -> None:
    frame = np.full((1080, 1920, 3), 255, np.uint8)
    out = looks.letterbox(frame, 2.39)
    bars = looks.letterbox_rows(1080, 1920, 2.39)
    assert bars == 138
    assert out[:bars].max() == 0 and out[-bars:].max() == 0 and out[bars:-bars].min() == 255


def test_identity_cube_leaves_pixels_unchanged(tmp_path: Path) -> None:
    lut = looks.load_cube(write_cube(tmp_path / "id.cube", 17, lambda r, g, b: (r, g, b)))
    assert lut.size == 17 and lut.title == "test"
    frame = gradient()
    assert np.abs(looks.apply_lut(frame, lut).astype(int) - frame).max() <= 1


def test_inverting_cube_inverts(tmp_path: Path) -> None:
    lut = looks.load_cube(
        write_cube(tmp_path / "inv.cube", 5, lambda r, g, b: (1 - r, 1 - g, 1 - b))
    )
    frame = gradient()
    assert np.abs(looks.apply_lut(frame, lut).astype(int) - (255 - frame.astype(int))).max() <= 1


def test_cube_channel_order_red_changes_fastest(tmp_path: Path) -> None:
    swap = write_cube(tmp_path / "swap.cube", 3, lambda r, g, b: (b, g, r))
    frame = np.array([[[255, 0, 0]]], np.uint8)
    assert looks.apply_lut(frame, looks.load_cube(swap)).tolist() == [[[0, 0, 255]]]


def test_cube_domain_is_honoured(tmp_path: Path) -> None:
    path = write_cube(tmp_path / "d.cube", 2, lambda r, g, b: (r, g, b), "DOMAIN_MAX 2.0 2.0 2.0")
    lut = looks.load_cube(path)
    assert lut.domain_max == (2.0, 2.0, 2.0)
    frame = np.full((1, 1, 3), 255, np.uint8)
    assert looks.apply_lut(frame, lut)[0, 0, 0] == 128  # 1.0 sits half way up a 0..2 domain


def test_malformed_cube_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.cube"
    path.write_text("LUT_3D_SIZE 2\n0 0 0\n1 0 0\n0 one 0\n")
    with pytest.raises(InvalidInput, match=r"bad.cube line 4 is malformed"):
        looks.load_cube(path)
    short = tmp_path / "short.cube"
    short.write_text("LUT_3D_SIZE 2\n0 0 0\n")
    with pytest.raises(InvalidInput, match="expected 8 rows"):
        looks.load_cube(short)
    with pytest.raises(InvalidInput, match="no LUT_3D_SIZE"):
        (tmp_path / "none.cube").write_text("0 0 0\n")
        looks.load_cube(tmp_path / "none.cube")


def test_look_chain_applies_the_named_look(tmp_path: Path) -> None:
    frame = gradient()
    bw = looks.look_chain(RenderSettings(width=48, height=32, look="bw_grain"))(frame, 3)
    assert (bw[..., 0] == bw[..., 1]).all() and (bw[..., 1] == bw[..., 2]).all()
    vintage = looks.look_chain(RenderSettings(width=48, height=32, look="vintage"))(frame, 3)
    assert vintage.shape == frame.shape and not np.array_equal(vintage, frame)
    plain = looks.look_chain(RenderSettings(width=48, height=32))(frame, 3)
    assert np.array_equal(plain, frame)
    with pytest.raises(InvalidInput, match="unknown look 'sepia-ish'"):
        looks.look_chain(RenderSettings(look="sepia-ish"))


def test_dense_table_matches_trilinear_and_the_chain_uses_the_lut(tmp_path: Path) -> None:
    warm = lambda r, g, b: (min(1.0, r * 1.2), g * g, 0.5 * b + 0.25)  # noqa: E731
    path = write_cube(tmp_path / "warm.cube", 9, warm, "DOMAIN_MIN 0.0 0.1 0.0")
    lut = looks.load_cube(path)
    frame = gradient(64, 64)
    dense = looks.apply_dense(frame, lut.dense())
    assert np.abs(dense.astype(int) - looks.apply_lut(frame, lut)).max() <= 1
    chain = looks.look_chain(RenderSettings(width=64, height=64, lut_path=path))
    assert np.array_equal(chain(frame, 0), dense)
