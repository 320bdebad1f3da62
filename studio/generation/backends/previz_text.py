"""Text on previz panels: Hershey for ASCII, a Unicode font through Pillow for anything else.

Without a Unicode font on the machine, accents are folded (é → e) and other characters become '?',
so no name or description can make drawing fail.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import cv2
import numpy as np

from studio.media.fonts import sans_font

_ASCII_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


@lru_cache(maxsize=16)
def _pil_font(pixels: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(sans_font()), pixels)


def _font_pixels(scale: float) -> int:
    return max(8, round(scale * 30))


def printable(text: str) -> str:
    """The text as it will be drawn: unchanged when ASCII or when a Unicode font is installed;
    otherwise accents folded (é → e) and any other character replaced by '?'."""
    if text.isascii() or sans_font() is not None:
        return text
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_PUNCTUATION))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return folded.encode("ascii", "replace").decode("ascii")


def text_width(text: str, scale: float) -> float:
    """Width in pixels of `text` at `scale` (Hershey for ASCII, a Unicode font otherwise)."""
    text = printable(text)
    if text.isascii():
        return cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)[0][0]
    return _pil_font(_font_pixels(scale)).getlength(text)


def put_text(
    img: np.ndarray,
    text: str,
    x: float,
    baseline: float,
    scale: float,
    colour: tuple[int, ...],
    thickness: int = 1,
) -> None:
    """Draw one line of text; non-ASCII text goes through Pillow so any character is safe."""
    text = printable(text)
    if text.isascii():
        cv2.putText(
            img,
            text,
            (int(x), int(baseline)),
            cv2.FONT_HERSHEY_SIMPLEX,
            scale,
            colour,
            thickness,
            cv2.LINE_AA,
        )
        return
    from PIL import Image, ImageDraw

    font = _pil_font(_font_pixels(scale))
    height = _font_pixels(scale)
    y0, y1 = max(int(baseline - height * 1.1), 0), min(int(baseline + height * 0.4), img.shape[0])
    x0, x1 = max(int(x), 0), img.shape[1]
    if y1 <= y0 or x1 <= x0:
        return
    region = Image.fromarray(np.ascontiguousarray(img[y0:y1, x0:x1]))
    ImageDraw.Draw(region).text(
        (int(x) - x0, int(baseline) - y0), text, fill=tuple(colour), font=font, anchor="ls"
    )
    img[y0:y1, x0:x1] = np.asarray(region)


def wrap(text: str, scale: float, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most `max_lines`; an overflowing last line ends with an ellipsis."""
    words, lines, current = text.split(), [], ""
    for i, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if text_width(trial, scale) <= width or not current:
            current = trial
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            return _ellipsize(lines, scale, width, remaining=words[i:])
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        return _ellipsize(lines[:max_lines], scale, width, remaining=lines[max_lines:])
    return lines


def _ellipsize(lines: list[str], scale: float, width: float, remaining: list[str]) -> list[str]:
    if not lines:
        return lines
    last = lines[-1]
    dots = "..." if printable(last).isascii() else "\u2026"
    while last and text_width(last + dots, scale) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    lines[-1] = last + dots
    return lines
