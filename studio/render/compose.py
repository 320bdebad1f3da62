"""Composing frames: fit/fill to the output, transitions, title cards and burned-in subtitles.

Every function takes and returns RGB uint8 arrays (H×W×3). Text is drawn with Pillow, with a
TrueType font when one can be found (non-ASCII included) and Pillow's default font otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from studio.media.fonts import sans_font

# ---------------------------------------------------------------------------------- geometry


def fit_frame(rgb: np.ndarray, width: int, height: int, fit: str = "fill") -> np.ndarray:
    """`rgb` scaled to width×height: "fill" covers the frame (centre crop), "fit" shows all of it
    with black bars (letterbox or pillarbox)."""
    src_h, src_w = rgb.shape[:2]
    if (src_w, src_h) == (width, height):
        return rgb
    scale = (
        max(width / src_w, height / src_h) if fit == "fill" else min(width / src_w, height / src_h)
    )
    new_w, new_h = max(1, round(src_w * scale)), max(1, round(src_h * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    scaled = cv2.resize(np.ascontiguousarray(rgb), (new_w, new_h), interpolation=interpolation)
    if fit == "fill":
        top, left = (new_h - height) // 2, (new_w - width) // 2
        return np.ascontiguousarray(scaled[top : top + height, left : left + width])
    out = np.zeros((height, width, 3), dtype=np.uint8)
    top, left = (height - new_h) // 2, (width - new_w) // 2
    out[top : top + new_h, left : left + new_w] = scaled
    return out


def black(width: int, height: int) -> np.ndarray:
    return np.zeros((height, width, 3), dtype=np.uint8)


# ---------------------------------------------------------------------------------- transitions


def dissolve(outgoing: np.ndarray, incoming: np.ndarray, weight: float) -> np.ndarray:
    """`weight` of `incoming` over `outgoing` (0 → all outgoing, 1 → all incoming)."""
    return cv2.addWeighted(outgoing, 1.0 - weight, incoming, weight, 0.0)


def dissolve_weight(step: int, frames: int) -> float:
    """The incoming picture's share on frame `step` of a `frames`-long dissolve: never 0 or 1,
    so the middle frame of an odd-length dissolve is the exact average."""
    return (step + 1) / (frames + 1)


def fade(rgb: np.ndarray, gain: float) -> np.ndarray:
    """`rgb` scaled towards black by `gain` (1 unchanged, 0 black)."""
    if gain >= 1.0:
        return rgb
    if gain <= 0.0:
        return np.zeros_like(rgb)
    return cv2.convertScaleAbs(rgb, alpha=gain)


# ---------------------------------------------------------------------------------- text


@lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A font of `size` pixels: DejaVu Sans when present, else Pillow's built-in font."""
    found = sans_font()
    if found is not None:
        return ImageFont.truetype(str(found), size)
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def _text_width(draw: ImageDraw.ImageDraw, text: str, face) -> float:
    return draw.textlength(text, font=face)


def wrap_lines(text: str, max_width: float, face, max_lines: int = 2) -> list[str]:
    """`text` broken into at most `max_lines` lines no wider than `max_width` pixels; a longer
    text ends with an ellipsis."""
    draw = ImageDraw.Draw(Image.new("L", (1, 1)))
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        words, line = paragraph.split(), ""
        for word in words:
            trial = f"{line} {word}".strip()
            if line and _text_width(draw, trial, face) > max_width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    if len(lines) > max_lines:
        words = " ".join(lines[max_lines - 1 :]).split()
        while len(words) > 1 and _text_width(draw, " ".join(words) + "…", face) > max_width:
            words.pop()
        lines = lines[: max_lines - 1] + [" ".join(words) + "…"]
    return lines


@dataclass(frozen=True)
class Overlay:
    """A patch of RGBA text placed at (left, top) on the frame."""

    left: int
    top: int
    rgba: np.ndarray


def _text_overlay(
    lines: Sequence[str], face, width: int, stroke: int, spacing: float
) -> Image.Image:
    draw = ImageDraw.Draw(Image.new("L", (1, 1)))
    line_h = int(face.size * spacing) if hasattr(face, "size") else 16
    height = line_h * len(lines) + 2 * stroke + 4
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        x = (width - _text_width(draw, line, face)) / 2
        pen.text(
            (x, stroke + row * line_h),
            line,
            font=face,
            fill=(255, 255, 255, 255),
            stroke_width=stroke,
            stroke_fill=(0, 0, 0, 255),
        )
    return image


def subtitle_overlay(text: str, width: int, height: int) -> Overlay:
    """White text with a dark outline, centred near the bottom, at most two lines."""
    size = max(12, round(height * 0.05))
    face = font(size)
    stroke = max(1, size // 12)
    lines = wrap_lines(text, width * 0.86, face, max_lines=2)
    patch = _text_overlay(lines, face, width, stroke, spacing=1.25)
    top = height - patch.height - round(height * 0.06)
    return Overlay(0, max(0, top), np.asarray(patch))


def paste(rgb: np.ndarray, overlay: Overlay) -> np.ndarray:
    """`overlay` alpha-blended onto a copy of `rgb`."""
    out = rgb.copy()
    h = min(overlay.rgba.shape[0], rgb.shape[0] - overlay.top)
    w = min(overlay.rgba.shape[1], rgb.shape[1] - overlay.left)
    region = out[overlay.top : overlay.top + h, overlay.left : overlay.left + w].astype(np.float32)
    patch = overlay.rgba[:h, :w].astype(np.float32)
    alpha = patch[:, :, 3:4] / 255.0
    region = region * (1.0 - alpha) + patch[:, :, :3] * alpha
    out[overlay.top : overlay.top + h, overlay.left : overlay.left + w] = (region + 0.5).astype(
        np.uint8
    )
    return out


class SubtitleBurner:
    """Burns cues (objects with .start/.end in seconds and .text) into frames by time.

    Cues are looked up in order, so a film is burned in one pass; each cue's text is drawn once."""

    def __init__(self, cues: Sequence, width: int, height: int) -> None:
        self._cues = sorted(cues, key=lambda cue: float(cue.start))
        self._width, self._height = width, height
        self._cursor = 0
        self._cached: tuple[int, Overlay] | None = None

    def _cue_at(self, seconds: float) -> int | None:
        if self._cursor < len(self._cues) and float(self._cues[self._cursor].start) > seconds:
            self._cursor = 0  # time went backwards: search again from the start
        while self._cursor < len(self._cues) and float(self._cues[self._cursor].end) <= seconds:
            self._cursor += 1
        for index in range(self._cursor, len(self._cues)):
            cue = self._cues[index]
            if float(cue.start) > seconds:
                return None
            if float(cue.start) <= seconds < float(cue.end):
                return index
        return None

    def burn(self, rgb: np.ndarray, seconds: float) -> np.ndarray:
        index = self._cue_at(seconds)
        if index is None:
            return rgb
        if self._cached is None or self._cached[0] != index:
            overlay = subtitle_overlay(str(self._cues[index].text), self._width, self._height)
            self._cached = (index, overlay)
        return paste(rgb, self._cached[1])


def card(lines: Sequence[str], width: int, height: int, emphasis_first: bool = True) -> np.ndarray:
    """A title card: centred white lines on black, the first one larger."""
    image = Image.new("RGB", (width, height), (0, 0, 0))
    pen = ImageDraw.Draw(image)
    big, small = font(max(14, round(height * 0.08))), font(max(10, round(height * 0.045)))
    faces = [big if (row == 0 and emphasis_first) else small for row in range(len(lines))]
    heights = [round(face.size * 1.5) if hasattr(face, "size") else 16 for face in faces]
    y = (height - sum(heights)) / 2
    for line, face, line_h in zip(lines, faces, heights, strict=True):
        wrapped = wrap_lines(line, width * 0.9, face, max_lines=1)[0]
        x = (width - pen.textlength(wrapped, font=face)) / 2
        pen.text((x, y), wrapped, font=face, fill=(255, 255, 255))
        y += line_h
    return np.asarray(image)
