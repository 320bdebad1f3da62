"""What an export makes: one set of options shared by `export_film`, `studio export` and the
app's export dialog."""

from __future__ import annotations

from dataclasses import dataclass

from studio.media.codecs import DEFAULT_CODEC
from studio.timeline.cut_formats import DEFAULT_CUT_FORMATS

SUBTITLE_MODES = ("sidecar", "burn", "none")


@dataclass(frozen=True)
class ExportOptions:
    """How to render the film and what to write beside it.

    `codec` is a name in `studio.media.codecs.CODECS`; `cut_formats` names the cuts written
    for editing suites (entries of `studio.timeline.cut_formats.CUT_FORMATS`). `crf` and
    `encoder_preset` left None take the preset's (the draft preset encodes fast), else 20 and
    "veryfast". The film is the cut as it is: its title card is an item of the timeline (delete
    it there to go without), so no option adds frames the cut does not have."""

    preset: str = "720p"  # a name in studio.render.presets.PRESETS
    fps: int | None = None  # None: the project's frame rate
    codec: str = DEFAULT_CODEC
    crf: int | None = None
    encoder_preset: str | None = None
    look: str = "none"  # a name in studio.render.looks.LOOKS
    subtitles: str = "sidecar"  # one of SUBTITLE_MODES
    target_lufs: float = -16.0
    binaural: bool = False
    cut_formats: tuple[str, ...] = DEFAULT_CUT_FORMATS
    animatic: bool = False  # also animatic.mp4: the keyframes held, with captions
    storyboard: bool = True  # storyboard.pdf

    def encoding(self) -> dict[str, int | str]:
        """The encoder's settings (RenderSettings `crf` and `preset`): these options', else
        the export preset's, else CRF 20 "veryfast"."""
        from studio.render.presets import PRESETS

        preset = PRESETS.get(self.preset)
        crf = self.crf if self.crf is not None else (preset and preset.crf)
        speed = self.encoder_preset or (preset and preset.encoder_preset)
        return {"crf": crf if crf is not None else 20, "preset": speed or "veryfast"}
