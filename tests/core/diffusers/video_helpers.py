"""What the image-to-video tests share: a clip request for a tiny model, decoded frames."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from studio.generation.requests import ClipRequest
from studio.media.decode import iter_frames

KEY = "c" * 64  # the keyframe's hash in the requests; tests pass {KEY: png bytes}


def clip_request(model: str, **changes) -> ClipRequest:
    """A small, quick clip request for a tiny model (64×48, 10 frames + 1 handle a side)."""
    base = ClipRequest(
        source_keyframe=KEY,
        backend="diffusers-video",
        model=model,
        frames=10,
        handles=1,
        fps=24,
        width=64,
        height=48,
        seed=5,
        steps=2,
        guidance=2.0,
        prompt="the kite climbs",
    )
    return replace(base, **changes)


def decoded(result) -> np.ndarray:
    """The clip's frames as one int16 array (frames, h, w, 3)."""
    return np.stack(list(iter_frames(result.data))).astype(np.int16)
