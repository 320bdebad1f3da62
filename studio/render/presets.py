"""Export presets: frame sizes and aspect ratios a film is commonly delivered in."""

from __future__ import annotations

from dataclasses import dataclass, fields
from fractions import Fraction

from studio.errors import InvalidInput
from studio.render.frames import RenderSettings

FRAME_RATES = (24, 25, 30)


@dataclass(frozen=True)
class Preset:
    """A delivery format: the frame size and, for scope, the picture's aspect inside it; a
    preset for quick checks also names its encoding (`crf`, the encoder's speed `encoder_preset`),
    which an export's own options still override."""

    name: str
    width: int
    height: int
    label: str
    letterbox: float | None = None
    crf: int | None = None  # None: the export's (ExportOptions.crf)
    encoder_preset: str | None = None  # None: the export's (ExportOptions.encoder_preset)

    @property
    def aspect(self) -> Fraction:
        return Fraction(self.width, self.height)


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset("1080p", 1920, 1080, "Full HD 16:9"),
        Preset("720p", 1280, 720, "HD 16:9"),
        Preset("vertical", 1080, 1920, "Vertical 9:16 (phones)"),
        Preset("scope", 1920, 1080, "Scope 2.39:1, letterboxed in 16:9", letterbox=2.39),
        Preset("4:3", 1440, 1080, "Academy 4:3"),
        Preset("square", 1080, 1080, "Square 1:1"),
        Preset(
            "draft", 854, 480, "Draft 480p, fast, for checks", crf=30, encoder_preset="ultrafast"
        ),
    )
}


def preset_settings(name: str, fps: int = 24, **overrides) -> RenderSettings:
    """RenderSettings for preset `name` at `fps` (24, 25 or 30); keyword arguments override any
    RenderSettings field (look, crf, subtitles_burn…)."""
    if name not in PRESETS:
        raise InvalidInput(
            f"unknown export preset {name!r}", f"choose one of: {', '.join(PRESETS)}"
        )
    if fps not in FRAME_RATES:
        raise InvalidInput(
            f"preset {name!r} does not offer {fps} fps",
            f"choose one of: {', '.join(map(str, FRAME_RATES))}",
        )
    known = {field.name for field in fields(RenderSettings)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise InvalidInput(f"unknown render setting(s) {', '.join(unknown)}")
    preset = PRESETS[name]
    values = {
        "width": preset.width,
        "height": preset.height,
        "fps": fps,
        "letterbox": preset.letterbox,
    }
    if preset.crf is not None:
        values["crf"] = preset.crf
    if preset.encoder_preset is not None:
        values["preset"] = preset.encoder_preset
    values.update(overrides)
    return RenderSettings(**values)
