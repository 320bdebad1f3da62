"""The size an image-to-video model generates at: its native budget, the shot's aspect.

A video model is trained at one resolution (Wan 2.1 480P at about 832×480, SVD-XT at
1024×576…) and falls apart well above it, besides running out of memory. The renderer scales
every clip to the film's size anyway, so a shot is generated at no more than the model's
native budget (an area in pixels and a long side), at the shot's aspect, each side a multiple
the model needs; a smaller shot generates at its own size. The budget comes from the model's
config where the config says (SVD's `sample_size`), else from the family's documented default
and the model's name (Wan "720P"); hard limits the config sets (rotary position tables, a
CogVideoX 1.5 grid) cap it. A request may name its own generation size instead.

Pure functions over the pipeline's configs: no torch needed to call them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from studio.errors import InvalidInput

ASPECT_TOLERANCE = 0.01  # a generation size within 1% of the shot's aspect keeps the framing
NEAR_AREA = 0.8  # sizes are chosen among those this near the largest area within the budget
LONG_SIDE_STEPS = 24  # how many long sides (in multiples) below the largest are tried
MAX_OVERRIDE_SIDE = 8192


@dataclass(frozen=True)
class SizeBudget:
    """The most a model should generate at: a pixel area and a long side (plus any hard
    per-side limit its config sets), and where those figures come from."""

    pixels: int
    long_side: int
    source: str
    max_width: int | None = None  # hard limits: beyond them the model cannot run at all
    max_height: int | None = None

    def limited(self, max_width: int | None, max_height: int | None, why: str) -> SizeBudget:
        """This budget within hard per-side limits (a config's position tables)."""
        if max_width is None or max_height is None:
            return self
        long_side = min(self.long_side, max(max_width, max_height))
        pixels = min(self.pixels, max_width * max_height)
        source = self.source
        if long_side < self.long_side or pixels < self.pixels:
            source = f"{source}, within {max_width}×{max_height} ({why})"
        return SizeBudget(pixels, long_side, source, max_width, max_height)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "pixels": self.pixels,
            "long_side": self.long_side,
            "source": self.source,
        }
        if self.max_width is not None:
            data["max_size"] = [self.max_width, self.max_height]
        return data


def frame_budget(width: int, height: int, source: str) -> SizeBudget:
    """The budget of a native frame size (its area, its long side)."""
    return SizeBudget(width * height, max(width, height), source)


@dataclass(frozen=True)
class SizeChoice:
    """A generation size and why: `reason` is "fixed", "override", "shot" or "budget"."""

    width: int
    height: int
    reason: str
    note: str
    budget: SizeBudget | None = None
    letterbox: bool = False  # the shot's framing sits in bars inside the generated frame

    def to_plan(self) -> dict[str, Any]:
        """What goes into a take's info."""
        plan: dict[str, Any] = {"size_reason": self.reason, "size_note": self.note}
        if self.budget is not None:
            plan["native_budget"] = self.budget.to_json()
        return plan


# --- native budgets, one per family -----------------------------------------------------


def denoiser_config(pipe: Any) -> Any:
    """The config of the pipeline's UNet or transformer (None when it has neither)."""
    denoiser = getattr(pipe, "unet", None) or getattr(pipe, "transformer", None)
    return getattr(denoiser, "config", None)


def _vae_factor(pipe: Any, default: int = 8) -> int:
    for name in ("vae_scale_factor_spatial", "vae_spatial_compression_ratio", "vae_scale_factor"):
        value = getattr(pipe, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return default


def svd_budget(pipe: Any, hint: str = "") -> SizeBudget:
    """Stable Video Diffusion: the UNet's `sample_size` × the VAE factor is the side of a
    square of the trained area (96 × 8 = 768: 768² = 1024×576 for SVD and SVD-XT)."""
    sample = getattr(denoiser_config(pipe), "sample_size", None)
    if isinstance(sample, list | tuple):
        sample = max(sample)
    if not isinstance(sample, int) or sample <= 0:
        return frame_budget(1024, 576, "SVD's trained size 1024×576")
    factor = _vae_factor(pipe)
    side = sample * factor
    return SizeBudget(
        side * side,
        round(side * 4 / 3),
        f"UNet sample_size {sample} × VAE {factor}: the area of {side}×{side} "
        f"(16:9 {round(side * 4 / 3)}×{round(side * 3 / 4)})",
    )


def ltx_budget(pipe: Any, hint: str = "") -> SizeBudget:
    """LTX-Video 0.9.x: 768×512 for the 2B models; 1216×704 for the 13B ones (a 4096-wide
    transformer, or "13b" in the model's name)."""
    config = denoiser_config(pipe)
    heads = getattr(config, "num_attention_heads", 0) or 0
    head_dim = getattr(config, "attention_head_dim", 0) or 0
    if heads * head_dim >= 4096 or "13b" in hint.lower():
        return frame_budget(1216, 704, "LTX-Video 13B's documented 1216×704")
    return frame_budget(768, 512, "LTX-Video 2B's documented 768×512")


def cogvideox_budget(pipe: Any, hint: str = "") -> SizeBudget:
    """CogVideoX 1.5 I2V: 1360×768 as documented, within the rotary grid its config sets
    (sample_width/height latents; 300 × 8 = 2400 px for the real model). 1.0 models with
    rotary embeddings only: 720×480."""
    config = denoiser_config(pipe)
    if not getattr(config, "patch_size_t", None):
        return frame_budget(720, 480, "CogVideoX 1.0's trained 720×480")
    budget = frame_budget(1360, 768, "CogVideoX 1.5's documented 1360×768")
    factor = _vae_factor(pipe)
    width, height = getattr(config, "sample_width", None), getattr(config, "sample_height", None)
    if not isinstance(width, int) or not isinstance(height, int):
        return budget
    why = f"the rotary grid of sample_width {width} × sample_height {height} latents"
    return budget.limited(width * factor, height * factor, why)


def wan_budget(pipe: Any, hint: str = "") -> SizeBudget:
    """Wan: 1280×704 for Wan 2.2 TI2V-5B (`expand_timesteps`); else 480P (832×480) unless the
    model's name says 720P (1280×720): the config does not tell them apart. Within the
    rotary table's length (`rope_max_seq_len` patches a side)."""
    pipe_config = getattr(pipe, "config", None)
    if getattr(pipe_config, "expand_timesteps", False):
        budget = frame_budget(1280, 704, "Wan 2.2 TI2V-5B's 720P (1280×704)")
    elif "720p" in hint.lower():
        budget = frame_budget(1280, 720, "Wan 720P (1280×720), from the model's name")
    else:
        budget = frame_budget(
            832,
            480,
            "Wan 480P (832×480), the default: a model named …720P… gets 1280×720, or set "
            "the request's generation size",
        )
    config = denoiser_config(pipe)
    rope = getattr(config, "rope_max_seq_len", None)
    patch = getattr(config, "patch_size", None)
    if not isinstance(rope, int) or not isinstance(patch, list | tuple) or len(patch) != 3:
        return budget
    factor = _vae_factor(pipe)
    limit_h, limit_w = rope * int(patch[1]) * factor, rope * int(patch[2]) * factor
    return budget.limited(limit_w, limit_h, f"rope_max_seq_len {rope} patches a side")


def generic_budget(pipe: Any, hint: str = "") -> SizeBudget:
    """A family with no documented size: the denoiser's sample_size × VAE factor, else 1024."""
    sample = getattr(denoiser_config(pipe), "sample_size", None)
    if isinstance(sample, int) and sample > 0:
        side = sample * _vae_factor(pipe)
        return SizeBudget(side * side, side, f"sample_size {sample} × VAE factor")
    return frame_budget(1024, 576, "no native size known: 1024×576")


# --- fitting a shot into a budget ------------------------------------------------------


def aspect_error(width: int, height: int, aspect: float) -> float:
    """How far width/height is from `aspect`, as a fraction (symmetric)."""
    return abs(math.log((width / height) / aspect))


def _round_to(value: float, multiple: int) -> int:
    return max(multiple, int(round(value / multiple)) * multiple)


def _fits(width: int, height: int, budget: SizeBudget) -> bool:
    if width * height > budget.pixels or max(width, height) > budget.long_side:
        return False
    if budget.max_width is not None and width > budget.max_width:
        return False
    return budget.max_height is None or height <= budget.max_height


def _scale_into(width: int, height: int, budget: SizeBudget) -> float:
    limits = [
        1.0,
        math.sqrt(budget.pixels / (width * height)),
        budget.long_side / max(width, height),
    ]
    if budget.max_width is not None and budget.max_height is not None:
        limits += [budget.max_width / width, budget.max_height / height]
    return min(limits)


def _candidates(aspect: float, scaled_long: float, multiple: int, budget: SizeBudget, wide: bool):
    top = max(1, int(scaled_long // multiple))
    for steps in range(top, max(0, top - LONG_SIDE_STEPS), -1):
        long_side = steps * multiple
        short = long_side / aspect if wide else long_side * aspect
        low = max(multiple, int(short // multiple) * multiple)
        sizes = [(long_side, s) if wide else (s, long_side) for s in (low, low + multiple)]
        sizes = [size for size in sizes if _fits(*size, budget)]
        if sizes:  # the short side nearer the aspect, for this long side
            yield min(sizes, key=lambda size: aspect_error(*size, aspect))


def fit_to_budget(width: int, height: int, multiple: int, budget: SizeBudget) -> tuple[int, int]:
    """The shot's size scaled into `budget`, each side a multiple of `multiple`.

    A shot within the budget keeps its size (each side rounded to the multiple). A larger
    one gets, among the sizes within the budget and near the largest (80% of its area), the
    largest whose aspect is within 1% of the shot's, else the one of the nearest aspect.
    """
    scale = _scale_into(width, height, budget)
    if scale >= 1.0:
        rounded = (_round_to(width, multiple), _round_to(height, multiple))
        if _fits(*rounded, budget):
            return rounded
    aspect, wide = width / height, width >= height
    scaled_long = max(width, height) * min(1.0, scale)
    sizes = list(_candidates(aspect, scaled_long, multiple, budget, wide))
    if not sizes:
        return multiple, multiple
    largest = max(s[0] * s[1] for s in sizes)
    near = [s for s in sizes if s[0] * s[1] >= NEAR_AREA * largest]
    close = [s for s in near if aspect_error(*s, aspect) <= ASPECT_TOLERANCE]
    if close:
        return max(close, key=lambda s: (s[0] * s[1], -aspect_error(*s, aspect)))
    return min(near, key=lambda s: (aspect_error(*s, aspect), -s[0] * s[1]))


def _checked_override(
    override: tuple[int, int], multiple: int, budget: SizeBudget | None
) -> tuple[int, int]:
    if len(override) != 2 or not all(isinstance(v, int) for v in override):
        raise InvalidInput(f"generation size {override!r} is not a (width, height) pair")
    if not all(0 < v <= MAX_OVERRIDE_SIDE for v in override):
        raise InvalidInput(
            f"generation size {override[0]}×{override[1]} is out of range",
            f"each side between 1 and {MAX_OVERRIDE_SIDE} pixels",
        )
    width, height = (_round_to(v, multiple) for v in override)
    if budget is not None and budget.max_width is not None and budget.max_height is not None:
        if width > budget.max_width or height > budget.max_height:
            raise InvalidInput(
                f"generation size {width}×{height} is beyond what this model can run at "
                f"({budget.max_width}×{budget.max_height}: {budget.source})",
                "ask for a smaller generation size, or leave it to the model's native size",
            )
    return width, height


def choose_size(
    width: int,
    height: int,
    multiple: int,
    budget: SizeBudget | None,
    override: tuple[int, int] | None = None,
    fixed: tuple[int, int] | None = None,
) -> SizeChoice:
    """The generation size for a width×height shot.

    `fixed`: the only size the model runs at (the shot is letterboxed into it). `override`:
    the size a request asks for, rounded to the multiple (letterboxed when its aspect is not
    the shot's). Else the shot's size within `budget`.
    """
    if fixed is not None:
        if override is not None and tuple(override) != tuple(fixed):
            raise InvalidInput(
                f"this model generates only at {fixed[0]}×{fixed[1]} (learned position "
                f"embeddings), not at the requested {override[0]}×{override[1]}",
                "remove the request's generation size",
            )
        note = f"the model runs only at {fixed[0]}×{fixed[1]}: the shot is letterboxed in it"
        return SizeChoice(*fixed, "fixed", note, letterbox=True)
    aspect = width / height
    if override is not None:
        size = _checked_override(tuple(override), multiple, budget)
        note = f"the request asks for {override[0]}×{override[1]}"
        if budget is not None and not _fits(*size, budget):
            note += f", above the model's native budget ({budget.source}): expect lower quality"
        boxed = aspect_error(*size, aspect) > ASPECT_TOLERANCE
        return SizeChoice(*size, "override", note, budget, letterbox=boxed)
    if budget is None:
        raise ValueError("choose_size needs a budget, a fixed size or an override")
    size = fit_to_budget(width, height, multiple, budget)
    if _scale_into(width, height, budget) >= 1.0:
        note = f"the shot's {width}×{height} is within the native budget ({budget.source})"
        return SizeChoice(*size, "shot", note, budget)
    note = (
        f"the shot's {width}×{height} is above the native budget ({budget.source}): "
        f"generated at {size[0]}×{size[1]} and scaled to the shot"
    )
    return SizeChoice(*size, "budget", note, budget)
