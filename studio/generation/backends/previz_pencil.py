"""Pencil primitives for previz panels: wobbly strokes, fills, hatching and colour mixing.

Every stroke's jitter comes from the generator it is given, so a panel drawn from the same
request is the same to the byte. Colours are RGB tuples.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

PAPER = (246, 242, 232)
BAND = (234, 230, 220)
GRAPHITE = (72, 72, 78)
SOFT = (150, 148, 145)
LIGHT = (196, 194, 188)
_SHIFT = 4  # sub-pixel bits for cv2 drawing
_ONE = 1 << _SHIFT


def parse_colour(value: str) -> tuple[int, int, int]:
    """'#rrggbb' or '#rgb' to an RGB tuple; an unreadable colour falls back to a neutral red."""
    text = value.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except (ValueError, IndexError):
        return (192, 57, 43)


# ---- primitives -------------------------------------------------------------------------------
def _ints(points: np.ndarray) -> np.ndarray:
    return np.round(points * _ONE).astype(np.int32)


def stroke(
    img: np.ndarray,
    points: np.ndarray,
    colour: tuple[int, ...],
    rng: np.random.Generator,
    wobble: float = 0.7,
    thickness: int = 1,
    closed: bool = False,
    passes: int = 2,
) -> None:
    """A pencil stroke along `points`: drawn `passes` times, each with a little jitter."""
    pts = np.asarray(points, dtype=np.float64)
    # one draw of jitter and one call for all passes: the same numbers and pixels as one at a time
    jittered = _ints(pts + rng.normal(0.0, wobble, (passes, *pts.shape)))
    cv2.polylines(img, list(jittered), closed, colour, thickness, cv2.LINE_AA, _SHIFT)


def segment(p0: tuple[float, float], p1: tuple[float, float], step: float = 40.0) -> np.ndarray:
    """Points along a straight line, about `step` pixels apart, so a stroke can wobble."""
    length = math.hypot(p1[0] - p0[0], p1[1] - p0[1])
    n = max(2, min(64, int(length / step) + 2))
    t = np.linspace(0.0, 1.0, n)[:, None]
    return np.asarray(p0) * (1 - t) + np.asarray(p1) * t


def ellipse(
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    n: int = 28,
    start: float = 0.0,
    end: float = 2 * math.pi,
) -> np.ndarray:
    a = np.linspace(start, end, n)
    return np.stack([cx + rx * np.cos(a), cy + ry * np.sin(a)], axis=1)


def fill(img: np.ndarray, points: np.ndarray, colour: tuple[int, ...], smooth: bool = True) -> None:
    """Fill a polygon; `smooth=False` skips anti-aliasing (twice as fast) for a fill whose edge
    a stroke will cover."""
    kind = cv2.LINE_AA if smooth else cv2.LINE_8
    cv2.fillPoly(img, [_ints(np.asarray(points, dtype=np.float64))], colour, kind, _SHIFT)


def hatch(
    img: np.ndarray,
    polygon: np.ndarray,
    colour: tuple[int, ...],
    spacing: float,
    rng: np.random.Generator,
    slope: float = 1.0,
) -> None:
    """Diagonal pencil hatching inside `polygon` (shading a shadow)."""
    poly = np.asarray(polygon, dtype=np.float64)
    h, w = img.shape[:2]
    x0, y0 = np.floor(poly.min(axis=0)).astype(int)
    x1, y1 = np.ceil(poly.max(axis=0)).astype(int) + 1
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return
    roi = img[y0:y1, x0:x1]
    mask = np.zeros(roi.shape[:2], np.uint8)
    cv2.fillPoly(mask, [_ints(poly - (x0, y0))], 255, cv2.LINE_8, _SHIFT)
    lines = roi.copy()
    rh, rw = roi.shape[:2]
    spacing = max(spacing, 2.0)
    run = rh / max(abs(slope), 1e-3) * (1.0 if slope > 0 else -1.0)  # x travel top to bottom
    first, last = (-run, rw) if run > 0 else (0.0, rw - run)
    offsets = np.arange(first, last + spacing, spacing)
    starts = offsets + rng.normal(0.0, spacing * 0.12, len(offsets))  # one draw per line, in order
    x0s, x1s = _ints(starts).tolist(), _ints(starts + run).tolist()
    bottom = int(_ints(np.array(float(rh))))
    for a, b in zip(x0s, x1s, strict=True):
        cv2.line(lines, (a, 0), (b, bottom), colour, 1, cv2.LINE_AA, _SHIFT)
    cv2.copyTo(lines, mask, roi)  # in place: roi is a view of img


def mix(colour: tuple[int, ...], amount: float, base: tuple[int, ...] = PAPER) -> tuple:
    mixed = (b * (1 - amount) + c * amount for b, c in zip(base, colour, strict=True))
    return tuple(int(round(v)) for v in mixed)
