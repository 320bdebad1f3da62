"""Export presets: sizes, aspects, frame rates and overrides."""

from __future__ import annotations

from fractions import Fraction

import pytest

from studio.errors import InvalidInput
from studio.render.presets import PRESETS, preset_settings


@pytest.mark.parametrize(
    ("name", "size", "aspect"),
    [
        ("1080p", (1920, 1080), Fraction(16, 9)),
        ("720p", (1280, 720), Fraction(16, 9)),
        ("vertical", (1080, 1920), Fraction(9, 16)),
        ("scope", (1920, 1080), Fraction(16, 9)),
        ("4:3", (1440, 1080), Fraction(4, 3)),
        ("square", (1080, 1080), Fraction(1)),
    ],
)
def test_each_preset_has_its_size_and_aspect(name: str, size: tuple[int, int], aspect) -> None:
    assert (PRESETS[name].width, PRESETS[name].height) == size
    assert PRESETS[name].aspect == aspect
    for fps in (24, 25, 30):
        settings = preset_settings(name, fps)
        assert (settings.width, settings.height, settings.fps) == (*size, fps)


def test_scope_letterboxes_to_2_39() -> None:
    assert preset_settings("scope").letterbox == 2.39
    assert preset_settings("1080p").letterbox is None


def test_overrides_and_refusals() -> None:
    settings = preset_settings("720p", 25, look="bw", crf=23)
    assert (settings.look, settings.crf, settings.fps) == ("bw", 23, 25)
    with pytest.raises(InvalidInput, match="unknown export preset 'imax'"):
        preset_settings("imax")
    with pytest.raises(InvalidInput, match="does not offer 60 fps"):
        preset_settings("1080p", 60)
    with pytest.raises(InvalidInput, match="unknown render setting"):
        preset_settings("1080p", colour="red")
    with pytest.raises(InvalidInput, match="'fill' or 'fit'"):
        preset_settings("1080p", fit="stretch")


def test_the_draft_preset_is_480p_and_encodes_fast_unless_told_otherwise() -> None:
    from studio.services.export_options import ExportOptions

    draft = preset_settings("draft", 24)
    assert (draft.width, draft.height, draft.crf, draft.preset) == (854, 480, 30, "ultrafast")
    assert preset_settings("720p").preset == "veryfast"  # the others keep the encoder's defaults
    assert ExportOptions(preset="draft").encoding() == {"crf": 30, "preset": "ultrafast"}
    assert ExportOptions(preset="draft", crf=18).encoding() == {"crf": 18, "preset": "ultrafast"}
    assert ExportOptions().encoding() == {"crf": 20, "preset": "veryfast"}
