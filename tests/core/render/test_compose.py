"""Composition: fit and fill, dissolves and fades, title cards and burned-in subtitles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.render import compose
from studio.timeline.assemble import title_card_lines


@dataclass
class Cue:
    start: float
    end: float
    text: str


def test_fill_covers_and_fit_shows_all_with_bars() -> None:
    square = np.full((100, 100, 3), 200, np.uint8)
    filled = compose.fit_frame(square, 160, 90, "fill")
    assert filled.shape == (90, 160, 3) and filled.min() == 200
    fitted = compose.fit_frame(square, 160, 90, "fit")
    assert fitted.shape == (90, 160, 3)
    assert fitted[:, :30].max() == 0 and fitted[:, -30:].max() == 0  # pillarbox
    assert fitted[:, 40:120].min() == 200
    tall = compose.fit_frame(np.full((90, 160, 3), 50, np.uint8), 100, 100, "fit")
    assert tall[:10].max() == 0 and tall[50, 50, 0] == 50  # letterbox


def test_fill_crops_the_centre() -> None:
    wide = np.zeros((10, 40, 3), np.uint8)
    wide[:, 15:25] = 255
    out = compose.fit_frame(wide, 10, 10, "fill")
    assert out.min() == 255


def test_dissolve_and_fade() -> None:
    a = np.full((4, 4, 3), 200, np.uint8)
    b = np.full((4, 4, 3), 100, np.uint8)
    assert compose.dissolve(a, b, compose.dissolve_weight(1, 3))[0, 0, 0] == 150
    assert compose.dissolve_weight(0, 4) > 0 and compose.dissolve_weight(3, 4) < 1
    assert compose.fade(a, 0.0).max() == 0 and compose.fade(a, 0.5)[0, 0, 0] == 100
    assert compose.fade(a, 1.0) is a


def test_subtitles_are_white_with_an_outline_at_the_bottom_and_only_during_the_cue() -> None:
    frame = np.full((360, 640, 3), 90, np.uint8)
    burner = compose.SubtitleBurner([Cue(1.0, 2.0, "Ça va, Zoë? Ñandú!")], 640, 360)
    assert np.array_equal(burner.burn(frame, 0.5), frame)
    burned = burner.burn(frame, 1.5)
    changed = np.argwhere((burned != frame).any(axis=2))
    assert changed[:, 0].min() > 360 * 0.6  # bottom of the frame
    assert abs(changed[:, 1].mean() - 320) < 40  # centred
    assert (burned == 255).all(axis=2).sum() > 50 and (burned < 40).all(axis=2).sum() > 50
    assert np.array_equal(burner.burn(frame, 2.0), frame)


def test_long_subtitles_wrap_to_two_lines() -> None:
    face = compose.font(20)
    lines = compose.wrap_lines("word " * 80, 300, face, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("word…")
    assert all(face.getlength(line) <= 300 for line in lines)
    assert compose.wrap_lines("short", 300, face) == ["short"]


def test_title_card_draws_its_lines_centred() -> None:
    lines = title_card_lines(
        {"title": "The Lighthouse", "credit": "written by", "author": "A. Keeper"}
    )
    assert lines == ["The Lighthouse", "", "written by", "A. Keeper"]
    card = compose.card(lines, 320, 180)
    lit = np.argwhere(card.max(axis=2) > 128)
    assert len(lit) > 100
    assert abs(lit[:, 1].mean() - 160) < 20 and abs(lit[:, 0].mean() - 90) < 30
