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
    for editing suites (entries of `studio.timeline.cut_formats.CUT_FORMATS`). The film is
    the cut as it is: its title card is an item of the timeline (delete it there to go
    without), so no option adds frames the cut does not have."""

    preset: str = "720p"  # a name in studio.render.presets.PRESETS
    fps: int | None = None  # None: the project's frame rate
    codec: str = DEFAULT_CODEC
    crf: int = 20
    encoder_preset: str = "veryfast"
    look: str = "none"  # a name in studio.render.looks.LOOKS
    subtitles: str = "sidecar"  # one of SUBTITLE_MODES
    target_lufs: float = -16.0
    binaural: bool = False
    cut_formats: tuple[str, ...] = DEFAULT_CUT_FORMATS
    animatic: bool = False  # also animatic.mp4: the keyframes held, with captions
    storyboard: bool = True  # storyboard.pdf
