"""Where a model runs: device, dtype and memory savers chosen for this machine.

CUDA runs half precision (bf16 for the transformer families trained in it: FLUX, SD3, Wan, LTX),
Apple's MPS runs fp16, the CPU runs fp32. Memory savers (model CPU offload, VAE slicing and
tiling) are switched on when the model would not fit comfortably in the free memory.
Torch is imported inside the functions, never at module level.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass

from studio.errors import OutOfMemory, StudioError  # noqa: F401  (OutOfMemory re-exported)

BF16_FAMILIES = ("Flux", "StableDiffusion3", "Wan", "LTX", "CogVideoX", "HunyuanVideo", "Mochi")
# a pipeline needs room for activations and the VAE decode beside its weights
HEADROOM = 1.5


@dataclass(frozen=True)
class DeviceChoice:
    """The device, dtype and memory savers for one model on this machine."""

    device: str  # "cuda", "mps" or "cpu"
    dtype: str  # "float32", "float16" or "bfloat16"
    cpu_offload: bool = False
    vae_slicing: bool = False
    vae_tiling: bool = False

    def torch_dtype(self):  # -> torch.dtype
        """The torch dtype object for `dtype`."""
        import torch

        return getattr(torch, self.dtype)


def best_device() -> str:
    """The fastest device here; `STUDIO_DEVICE` (cuda, mps, cpu) overrides it."""
    forced = os.environ.get("STUDIO_DEVICE", "").strip().lower()
    if forced:
        return forced
    import torch

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def dtype_for(device: str, pipeline_class: str) -> str:
    """The dtype a pipeline family runs in on `device`."""
    if device == "cpu":
        return "float32"
    if device == "cuda" and pipeline_class.startswith(BF16_FAMILIES):
        return "bfloat16"
    return "float16"


def available_memory(device: str) -> int:
    """Free bytes on `device` (for the CPU and MPS: the system's available memory)."""
    if device == "cuda":
        import torch

        free, _total = torch.cuda.mem_get_info()
        return int(free)
    import psutil

    return int(psutil.virtual_memory().available)


def choose_device(pipeline_class: str, model_bytes: int, device: str | None = None) -> DeviceChoice:
    """Device, dtype and memory savers for a model of `model_bytes` (fp32 size on disk)."""
    device = device or best_device()
    dtype = dtype_for(device, pipeline_class)
    needed = model_bytes * (0.5 if dtype != "float32" else 1.0) * HEADROOM
    free = available_memory(device)
    tight = needed > free
    return DeviceChoice(
        device=device,
        dtype=dtype,
        cpu_offload=tight and device == "cuda",
        vae_slicing=tight or device != "cpu",
        vae_tiling=tight,
    )


def is_out_of_memory(error: BaseException) -> bool:
    """Whether an exception raised by torch means the device ran out of memory."""
    import torch

    oom_type = getattr(torch, "OutOfMemoryError", None)
    if oom_type is not None and isinstance(error, oom_type):
        return True
    if isinstance(error, MemoryError):
        return True
    return isinstance(error, RuntimeError) and "out of memory" in str(error).lower()


def release_memory() -> None:
    """Collect garbage and hand cached device memory back to the driver."""
    gc.collect()
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()
    mps = getattr(torch, "mps", None)
    if (
        mps is not None
        and getattr(torch.backends, "mps", None)
        and torch.backends.mps.is_available()
    ):
        mps.empty_cache()
