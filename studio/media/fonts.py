"""The studio's sans-serif TrueType font, found in one place: DejaVu Sans (Debian's
fonts-dejavu-core; a copy in `assets/fonts` comes first), else a close stand-in.

Title cards and burned-in subtitles (`render.compose`), previz captions
(`generation.backends.previz_text`) and the storyboard PDF (`render.storyboard_pdf`, which
embeds it) all draw with the file found here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_FOLDERS = (
    Path(__file__).resolve().parents[2] / "assets" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
_DEJAVU = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
_STAND_INS = {
    False: (
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
        Path("/Library/Fonts/Arial Unicode.ttf"),
        Path("C:/Windows/Fonts/arial.ttf"),
    ),
    True: (
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
        Path("C:/Windows/Fonts/arialbd.ttf"),
    ),
}
MISSING_HINT = "install DejaVu Sans (Debian: fonts-dejavu-core)"


@lru_cache(maxsize=2)
def sans_font(bold: bool = False) -> Path | None:
    """The TrueType file of the studio's sans-serif face (its bold with `bold`), or None when
    no candidate is installed."""
    places = [folder / _DEJAVU[bold] for folder in _FOLDERS] + list(_STAND_INS[bold])
    return next((path for path in places if path.is_file()), None)


__all__ = ["MISSING_HINT", "sans_font"]
