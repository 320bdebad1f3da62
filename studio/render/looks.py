"""Looks for rendered frames: black-and-white film stock, grain, vignette, 3D LUTs, scope bars.

Every function takes and returns an RGB uint8 array (H×W×3) and is deterministic: grain depends
only on the frame index and a seed, so a re-render gives the same film.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from studio.errors import InvalidInput

# Channel mixes of black-and-white film seen through a lens filter (weights of R, G, B).
BW_FILTERS: dict[str, tuple[float, float, float]] = {
    "none": (0.30, 0.59, 0.11),
    "yellow": (0.40, 0.52, 0.08),
    "orange": (0.50, 0.43, 0.07),
    "red": (0.65, 0.30, 0.05),
    "green": (0.22, 0.70, 0.08),
}


@dataclass(frozen=True)
class Look:
    """A named look: how colour becomes the film's picture."""

    name: str
    black_and_white: bool = False
    bw_filter: str = "none"
    contrast: float = 0.0  # S-curve strength, 0..1
    grain: float = 0.0  # default grain when the settings ask for none
    vignette: float = 0.0
    saturation: float = 1.0
    tint: tuple[float, float, float] = (1.0, 1.0, 1.0)
    lift: float = 0.0  # raised blacks, 0..1


LOOKS: dict[str, Look] = {
    "none": Look("none"),
    "bw": Look("bw", black_and_white=True, bw_filter="yellow", contrast=0.25),
    "bw_grain": Look(
        "bw_grain", black_and_white=True, bw_filter="yellow", contrast=0.3, grain=0.25
    ),
    "noir": Look("noir", black_and_white=True, bw_filter="red", contrast=0.6, vignette=0.35),
    "vintage": Look(
        "vintage",
        contrast=0.15,
        grain=0.12,
        vignette=0.25,
        saturation=0.7,
        tint=(1.06, 1.0, 0.86),
        lift=0.06,
    ),
}


def look_named(name: str) -> Look:
    """The look called `name`; InvalidInput listing the known ones otherwise."""
    try:
        return LOOKS[name]
    except KeyError:
        raise InvalidInput(f"unknown look {name!r}", f"choose one of: {', '.join(LOOKS)}") from None


# ---------------------------------------------------------------------------------- colour


def s_curve(values: np.ndarray, amount: float) -> np.ndarray:
    """A gentle contrast S-curve on values in 0..1 (float32), fixed at 0, 0.5 and 1."""
    if amount <= 0:
        return values
    smooth = values * values * (3.0 - 2.0 * values)
    return values + np.float32(amount) * (smooth - values)


def black_and_white(rgb: np.ndarray, bw_filter: str = "none", contrast: float = 0.25) -> np.ndarray:
    """A film-style monochrome: a channel mix through a lens filter, then an S-curve; R = G = B."""
    if bw_filter not in BW_FILTERS:
        raise InvalidInput(
            f"unknown black-and-white filter {bw_filter!r}", f"use one of {list(BW_FILTERS)}"
        )
    weights = np.asarray(BW_FILTERS[bw_filter], dtype=np.float32) / np.float32(255.0)
    luma = rgb.astype(np.float32) @ weights
    luma = s_curve(np.clip(luma, 0.0, 1.0), contrast)
    grey = np.clip(luma * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2)


def grade(rgb: np.ndarray, look: Look) -> np.ndarray:
    """Colour grading of a colour look: saturation, tint, lifted blacks and contrast."""
    if (
        look.saturation == 1.0
        and look.tint == (1.0, 1.0, 1.0)
        and not look.lift
        and not look.contrast
    ):
        return rgb
    values = rgb.astype(np.float32) / np.float32(255.0)
    if look.saturation != 1.0:
        luma = values @ np.asarray(BW_FILTERS["none"], dtype=np.float32)
        values = luma[:, :, None] + np.float32(look.saturation) * (values - luma[:, :, None])
    values = values * np.asarray(look.tint, dtype=np.float32)
    values = np.float32(look.lift) + np.float32(1.0 - look.lift) * np.clip(values, 0.0, 1.0)
    values = s_curve(values, look.contrast)
    return np.clip(values * 255.0 + 0.5, 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------------- texture


def add_grain(rgb: np.ndarray, amount: float, frame_index: int, seed: int = 0) -> np.ndarray:
    """Monochrome film grain, the same for the same frame index and seed, strongest in mid-tones.

    The noise is drawn at half resolution and enlarged, which gives grains about two pixels wide
    and costs a quarter of the random numbers."""
    if amount <= 0:
        return rgb
    height, width = rgb.shape[:2]
    rng = np.random.default_rng([seed, frame_index])
    small = rng.standard_normal(((height + 1) // 2, (width + 1) // 2), dtype=np.float32)
    noise = cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)
    luma = rgb[:, :, 1].astype(np.float32) * np.float32(1.0 / 255.0)
    weight = np.float32(4.0) * luma * (np.float32(1.0) - luma) + np.float32(0.15)
    noise *= weight
    noise *= np.float32(amount * 48.0)
    values = rgb.astype(np.float32)
    values += noise[:, :, None]
    return cv2.convertScaleAbs(values)


@lru_cache(maxsize=8)
def _vignette_mask(height: int, width: int, amount: float) -> np.ndarray:
    ys = np.linspace(-1.0, 1.0, height, dtype=np.float32)[:, None]
    xs = np.linspace(-1.0, 1.0, width, dtype=np.float32)[None, :]
    radius = np.sqrt(xs * xs + ys * ys) / np.float32(np.sqrt(2.0))
    mask = 1.0 - amount * np.clip((radius - 0.35) / 0.65, 0.0, 1.0) ** 2
    return mask.astype(np.float32)[:, :, None]


def vignette(rgb: np.ndarray, amount: float) -> np.ndarray:
    """Corners darkened by up to `amount` (0..1); the centre is untouched."""
    if amount <= 0:
        return rgb
    mask = _vignette_mask(rgb.shape[0], rgb.shape[1], float(min(amount, 1.0)))
    return (rgb.astype(np.float32) * mask + 0.5).astype(np.uint8)


def letterbox_rows(height: int, width: int, aspect: float) -> int:
    """How many rows of black at the top (and at the bottom) give the picture `aspect`."""
    picture = int(round(width / aspect))
    return max(0, (height - picture) // 2)


def letterbox(rgb: np.ndarray, aspect: float) -> np.ndarray:
    """Black bars top and bottom so the visible picture has `aspect` (e.g. 2.39 for scope)."""
    bars = letterbox_rows(rgb.shape[0], rgb.shape[1], aspect)
    if bars == 0:
        return rgb
    out = rgb.copy()
    out[:bars] = 0
    out[rgb.shape[0] - bars :] = 0
    return out


# ---------------------------------------------------------------------------------- 3D LUT


@dataclass(frozen=True)
class Lut3D:
    """A 3D LUT: `table[b, g, r]` is the output RGB (float32) at that lattice point."""

    size: int
    table: np.ndarray
    domain_min: tuple[float, float, float] = (0.0, 0.0, 0.0)
    domain_max: tuple[float, float, float] = (1.0, 1.0, 1.0)
    title: str = ""

    def dense(self) -> np.ndarray:
        """The LUT evaluated at every 8-bit colour: 256³ packed RGBX uint32 (64 MB), indexed by
        (b << 16 | r << 8 | g). Trilinear interpolation is separable, so this is three small
        matrix products (about a second) and equals `apply_lut` to the rounding."""
        cached = getattr(self, "_dense", None)
        if cached is None:
            cached = _dense_table(self)
            object.__setattr__(self, "_dense", cached)
        return cached


def _axis_weights(size: int, low: float, high: float) -> np.ndarray:
    """(256, size) weights of linear interpolation from each 8-bit level onto the lattice."""
    levels = np.arange(256, dtype=np.float32) / np.float32(255.0)
    pos = np.clip((levels - np.float32(low)) / np.float32(high - low), 0.0, 1.0) * (size - 1)
    base = np.minimum(pos.astype(np.int32), size - 2)
    frac = pos - base
    weights = np.zeros((256, size), np.float32)
    weights[np.arange(256), base] = 1 - frac
    weights[np.arange(256), base + 1] += frac
    return weights


def _dense_table(lut: Lut3D) -> np.ndarray:
    n = lut.size
    w_r, w_g, w_b = (
        _axis_weights(n, lut.domain_min[axis], lut.domain_max[axis]) for axis in range(3)
    )
    by_r = np.einsum("Rr,bgrc->bgRc", w_r, lut.table)  # n × n × 256 × 3
    by_g = np.einsum("Gg,bgRc->bRGc", w_g, by_r)  # n × 256 × 256 × 3
    out = np.zeros((256, 256, 256, 4), np.uint8)  # [B, R, G, rgbx]
    flat = by_g.reshape(n, -1)
    for blue in range(0, 256, 32):
        planes = (w_b[blue : blue + 32] @ flat).reshape(32, 256, 256, 3)
        out[blue : blue + 32, :, :, :3] = np.clip(planes * 255.0 + 0.5, 0, 255)
    return out.reshape(-1).view(np.uint32)


def apply_dense(rgb: np.ndarray, table: np.ndarray) -> np.ndarray:
    """`rgb` mapped through a table from `Lut3D.dense()`: one lookup per pixel."""
    index = rgb[:, :, 2].astype(np.uint32) << 16
    index |= rgb[:, :, 0].astype(np.uint32) << 8
    index |= rgb[:, :, 1]
    packed = np.take(table, index)
    return np.ascontiguousarray(packed.view(np.uint8).reshape(*rgb.shape[:2], 4)[:, :, :3])


def load_cube(path: Path) -> Lut3D:
    """Parse an Adobe/Resolve .cube file; InvalidInput naming the line when it is malformed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InvalidInput(f"cannot read LUT {path}: {err}") from err
    header: dict[str, object] = {"DOMAIN_MIN": (0.0, 0.0, 0.0), "DOMAIN_MAX": (1.0, 1.0, 1.0)}
    rows: list[tuple[float, float, float]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line:
            _parse_cube_line(line, number, path, header, rows)
    size = header.get("LUT_3D_SIZE")
    if size is None:
        raise InvalidInput(
            f"LUT {path} has no LUT_3D_SIZE line", "only 3D .cube LUTs are supported"
        )
    if len(rows) != size**3:
        raise InvalidInput(
            f"LUT {path} line {len(text.splitlines())}: expected {size**3} rows for size {size}, "
            f"found {len(rows)}"
        )
    table = np.asarray(rows, dtype=np.float32).reshape(size, size, size, 3)
    return Lut3D(
        size, table, header["DOMAIN_MIN"], header["DOMAIN_MAX"], str(header.get("TITLE", ""))
    )


def _parse_cube_line(line: str, number: int, path: Path, header: dict, rows: list) -> None:
    keyword, _, rest = line.partition(" ")
    where = f"LUT {path} line {number}"
    try:
        if keyword == "TITLE":
            header["TITLE"] = rest.strip().strip('"')
        elif keyword == "LUT_3D_SIZE":
            size = int(rest)
            if not 2 <= size <= 256:
                raise ValueError(f"size {size} out of range 2..256")
            header["LUT_3D_SIZE"] = size
        elif keyword in ("DOMAIN_MIN", "DOMAIN_MAX"):
            values = tuple(float(v) for v in rest.split())
            if len(values) != 3:
                raise ValueError(f"{keyword} needs three numbers")
            header[keyword] = values
        elif keyword == "LUT_1D_SIZE":
            raise ValueError("1D LUTs are not supported")
        elif keyword[0].isalpha() and keyword.isupper():
            return  # other keywords (LUT_3D_INPUT_RANGE…) are ignored
        else:
            values = tuple(float(v) for v in line.split())
            if len(values) != 3:
                raise ValueError(f"expected three numbers, found {len(values)}")
            rows.append(values)
    except ValueError as err:
        raise InvalidInput(f"{where} is malformed: {err}", f"the line reads {line!r}") from err


def apply_lut(rgb: np.ndarray, lut: Lut3D) -> np.ndarray:
    """`rgb` mapped through `lut` with trilinear interpolation."""
    low = np.asarray(lut.domain_min, dtype=np.float32)
    high = np.asarray(lut.domain_max, dtype=np.float32)
    n = lut.size
    flat = rgb.reshape(-1, 3).astype(np.float32) * np.float32(1.0 / 255.0)
    pos = np.clip((flat - low) / (high - low), 0.0, 1.0) * np.float32(n - 1)
    base = np.minimum(pos.astype(np.int32), n - 2)
    frac = pos - base
    table = lut.table.reshape(-1, 3)
    r, g, b = base[:, 0], base[:, 1], base[:, 2]
    fr, fg, fb = frac[:, 0:1], frac[:, 1:2], frac[:, 2:3]
    index = (b * n + g) * n + r
    out = np.zeros_like(flat)
    for db, wb in ((0, 1 - fb), (1, fb)):
        for dg, wg in ((0, 1 - fg), (1, fg)):
            corner = index + (db * n + dg) * n
            edge = table[corner] * (1 - fr) + table[corner + 1] * fr
            out += edge * (wb * wg)
    return np.clip(out * 255.0 + 0.5, 0, 255).astype(np.uint8).reshape(rgb.shape)


# ---------------------------------------------------------------------------------- the chain


def look_chain(settings) -> Callable[[np.ndarray, int], np.ndarray]:
    """A function (frame, frame index) → frame applying the look, LUT, grain, vignette and
    letterbox that `settings` (a RenderSettings) asks for, in that order."""
    look = look_named(settings.look)
    lut = load_cube(settings.lut_path) if settings.lut_path else None
    grain = settings.grain if settings.grain > 0 else look.grain
    amount = settings.vignette if settings.vignette > 0 else look.vignette
    aspect = settings.letterbox

    def apply(frame: np.ndarray, index: int) -> np.ndarray:
        if look.black_and_white:
            frame = black_and_white(frame, look.bw_filter, look.contrast)
        else:
            frame = grade(frame, look)
        if lut is not None:
            frame = apply_dense(frame, lut.dense())
        frame = add_grain(frame, grain, index)
        frame = vignette(frame, amount)
        if aspect:
            frame = letterbox(frame, aspect)
        return frame

    return apply
