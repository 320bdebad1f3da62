"""The `diffusers-video` clip backend on real tiny SVD and LTX-Video pipelines."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from studio.errors import Cancelled, InvalidInput
from studio.generation.backends.diffusers_video import (
    DiffusersVideoBackend,
    crossfade_join,
    retime,
)
from studio.generation.models import ModelLibrary
from studio.media.decode import probe
from studio.progress import JobContext
from tests.core.diffusers.video_helpers import KEY, clip_request, decoded


@pytest.fixture
def video_backend(library: ModelLibrary, shared_cache) -> DiffusersVideoBackend:
    return DiffusersVideoBackend(library=library, cache=shared_cache, segment_frames=9)


def test_svd_clip_has_the_shot_length_and_size(video_backend, library, tiny_svd, keyframe_png):
    entry = library.add(tiny_svd)
    request = clip_request(entry.id, frames=12, handles=2, fps=24, guidance=1.0)
    result = video_backend.generate(request, {KEY: keyframe_png}, JobContext())
    info = probe(result.data)
    assert (info.width, info.height, info.frames) == (64, 48, 16)
    assert (result.frames, result.fps, result.mime) == (16, 24, "video/mp4")
    assert result.info["family"] == "svd" and result.info["native_frames"] == 4
    # 16 frames at 24 fps are 5 frames at SVD's 7 fps: two 4-frame runs overlapping by 2
    assert result.info["segments"] == 2 and result.info["native_fps"] == 7
    assert result.info["crossfade_frames"] == 2


def test_same_seed_same_frames_other_seed_differs(video_backend, library, tiny_ltx, keyframe_png):
    entry = library.add(tiny_ltx)
    request = clip_request(entry.id, frames=6, handles=0, width=64, height=64)
    first = decoded(video_backend.generate(request, {KEY: keyframe_png}, JobContext()))
    again = decoded(video_backend.generate(request, {KEY: keyframe_png}, JobContext()))
    other = decoded(
        video_backend.generate(replace(request, seed=4), {KEY: keyframe_png}, JobContext())
    )
    assert np.array_equal(first, again)
    assert np.abs(first - other).mean() > 0.5


def test_ltx_long_shot_is_chained_with_a_crossfade(video_backend, library, tiny_ltx, keyframe_png):
    entry = library.add(tiny_ltx)
    seen = []
    request = clip_request(entry.id, frames=20, handles=2, width=64, height=64)
    ctx = JobContext(on_progress=seen.append)
    result = video_backend.generate(request, {KEY: keyframe_png}, ctx)
    assert probe(result.data).frames == 24
    # 24 frames at 24 fps with 9-frame segments overlapping by 4: 9 + 5 + 5 + 5
    assert result.info["segments"] == 4 and result.info["crossfade_frames"] == 4
    assert result.info["pipeline_class"] == "LTXImageToVideoPipeline"
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[-1] >= 0.95


def test_ltx_size_is_rounded_to_the_vae_then_resized(
    video_backend, library, tiny_ltx, keyframe_png
):
    entry = library.add(tiny_ltx)
    request = clip_request(entry.id, frames=4, handles=0, width=70, height=42)
    result = video_backend.generate(request, {KEY: keyframe_png}, JobContext())
    assert result.info["generated_size"] == [64, 32]  # multiples of 32, as LTX requires
    info = probe(result.data)
    assert (info.width, info.height, info.frames) == (70, 42, 4)


def test_cancel_during_a_clip(video_backend, library, tiny_ltx, keyframe_png):
    entry = library.add(tiny_ltx)
    ctx = JobContext(on_progress=lambda p: ctx.cancel())
    with pytest.raises(Cancelled):
        video_backend.generate(clip_request(entry.id, steps=4), {KEY: keyframe_png}, ctx)


def test_an_image_model_is_not_a_video_model(video_backend, library, keyframe_png):
    (entry,) = library.list()
    with pytest.raises(InvalidInput, match="not an image-to-video model"):
        video_backend.generate(clip_request(entry.id), {KEY: keyframe_png}, JobContext())


def test_missing_keyframe_is_named(video_backend, library, tiny_ltx):
    entry = library.add(tiny_ltx)
    with pytest.raises(InvalidInput, match="keyframe"):
        video_backend.generate(clip_request(entry.id), {}, JobContext())


def test_retime_blends_between_source_frames():
    frames = np.arange(4, dtype=np.float32)[:, None, None, None] * np.ones((4, 1, 1, 3))
    out = retime(frames, source_fps=8, target_fps=16, count=7)
    assert out[:, 0, 0, 0].tolist() == [0, 0.5, 1, 1.5, 2, 2.5, 3]
    held = retime(frames, source_fps=8, target_fps=16, count=9)
    assert held[-1, 0, 0, 0] == 3  # past the end the last frame holds


def test_crossfade_join_overlaps_frames():
    head = np.zeros((5, 1, 1, 3), np.float32)
    tail = np.ones((5, 1, 1, 3), np.float32)
    joined = crossfade_join(head, tail, 3)
    assert len(joined) == 7
    assert joined[:, 0, 0, 0].tolist() == pytest.approx([0, 0, 0.25, 0.5, 0.75, 1, 1])
