"""The `diffusers-video` backend on real tiny CogVideoX and Wan image-to-video pipelines.

The tiny models are saved with save_pretrained, added to the model library and loaded back
through the product's path. CogVideoX comes in two builds: like CogVideoX-5b-I2V (1.0, whose
learned positional embeddings fix its size; the tiny one at 32×32 px) and like CogVideoX 1.5
(any size, 16 fps). Wan has no native length in its config: the backend caps its segments.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from studio.generation.backends.diffusers_video import (
    FAMILIES,
    DiffusersVideoBackend,
    content_box,
    letterbox,
)
from studio.generation.models import ModelLibrary
from studio.media.decode import probe
from studio.progress import JobContext
from tests.core.diffusers.video_helpers import KEY, clip_request, decoded

WAN_SEGMENT = 5  # Wan's native 81 frames capped for the tests (4k+1)


@pytest.fixture
def backends(library: ModelLibrary, shared_cache) -> dict[str, DiffusersVideoBackend]:
    """CogVideoX at its config's native length; Wan with short segments."""
    return {
        "cogvideox": DiffusersVideoBackend(library=library, cache=shared_cache),
        "wan": DiffusersVideoBackend(
            library=library, cache=shared_cache, segment_frames=WAN_SEGMENT
        ),
    }


@pytest.fixture(params=["cogvideox", "wan"])
def family_model(request, library: ModelLibrary) -> tuple[str, str]:
    """(family name, model id) for the tiny CogVideoX 1.0 and Wan models in the library."""
    folder = request.getfixturevalue(
        "tiny_cogvideox" if request.param == "cogvideox" else "tiny_wan"
    )
    return request.param, library.add(folder).id


def test_each_family_makes_the_shot_frames_and_size(backends, family_model, keyframe_png):
    family, model = family_model
    result = backends[family].generate(clip_request(model), {KEY: keyframe_png}, JobContext())
    info = probe(result.data)
    assert (info.width, info.height, info.frames) == (64, 48, 12)
    assert (result.frames, result.fps, result.mime) == (12, 24, "video/mp4")
    assert result.info["family"] == family
    expected_class = {"cogvideox": "CogVideoX", "wan": "Wan"}[family] + "ImageToVideoPipeline"
    assert result.info["pipeline_class"] == expected_class


def test_same_seed_same_frames_other_seed_differs(backends, family_model, keyframe_png):
    family, model = family_model
    request = clip_request(model, frames=6, handles=0)
    first = decoded(backends[family].generate(request, {KEY: keyframe_png}, JobContext()))
    again = decoded(backends[family].generate(request, {KEY: keyframe_png}, JobContext()))
    other = decoded(
        backends[family].generate(replace(request, seed=6), {KEY: keyframe_png}, JobContext())
    )
    assert np.array_equal(first, again)
    assert np.abs(first - other).mean() > 0.5


def test_cogvideox_long_shot_is_chained_at_its_config_length(
    backends, library, tiny_cogvideox, keyframe_png
):
    model = library.add(tiny_cogvideox).id
    request = clip_request(model, frames=44, handles=2)
    result = backends["cogvideox"].generate(request, {KEY: keyframe_png}, JobContext())
    assert probe(result.data).frames == 48
    # the config's sample_frames (9), not the family's 49; 48 frames at 24 fps are 16 at
    # CogVideoX 1.0's 8 fps: 9 + 5 + 5 with 4-frame crossfades
    assert result.info["native_frames"] == 9 and result.info["native_fps"] == 8
    assert result.info["segments"] == 3 and result.info["crossfade_frames"] == 4


def test_wan_long_shot_is_chained(backends, library, tiny_wan, keyframe_png):
    model = library.add(tiny_wan).id
    request = clip_request(model, frames=12, handles=0)
    result = backends["wan"].generate(request, {KEY: keyframe_png}, JobContext())
    assert probe(result.data).frames == 12
    # 12 frames at 24 fps are 8 at Wan's 16 fps: 5 + 3 with a 2-frame crossfade
    assert result.info["native_frames"] == WAN_SEGMENT and result.info["native_fps"] == 16
    assert result.info["segments"] == 2 and result.info["crossfade_frames"] == 2


def test_segment_lengths_are_rounded_to_4k_plus_1(library, shared_cache, tiny_wan, keyframe_png):
    backend = DiffusersVideoBackend(library=library, cache=shared_cache, segment_frames=6)
    model = library.add(tiny_wan).id
    result = backend.generate(
        clip_request(model, frames=4, handles=0), {KEY: keyframe_png}, JobContext()
    )
    assert result.info["native_frames"] == 9
    assert probe(result.data).frames == 4
    assert FAMILIES["CogVideoXImageToVideoPipeline"].valid_frames(10) == 13
    assert FAMILIES["WanImageToVideoPipeline"].valid_frames(81) == 81


def test_wan_size_is_rounded_to_16_then_resized(backends, library, tiny_wan, keyframe_png):
    model = library.add(tiny_wan).id
    request = clip_request(model, frames=4, handles=0, width=70, height=42)
    result = backends["wan"].generate(request, {KEY: keyframe_png}, JobContext())
    assert result.info["generated_size"] == [64, 48]  # VAE 8 × patch 2
    info = probe(result.data)
    assert (info.width, info.height, info.frames) == (70, 42, 4)


def test_fixed_size_cogvideox_generates_at_its_size_and_letterboxes(
    backends, library, tiny_cogvideox, keyframe_png
):
    model = library.add(tiny_cogvideox).id
    request = clip_request(model, frames=4, handles=0, width=64, height=48)
    result = backends["cogvideox"].generate(request, {KEY: keyframe_png}, JobContext())
    # learned positional embeddings: the model's own 4×4 latents × 8, whatever is asked
    assert result.info["fixed_size"] is True
    assert result.info["generated_size"] == [32, 32]
    # the 4:3 shot is letterboxed into the square and cut out again, not stretched
    assert result.info["content_box"] == [0, 4, 32, 24]
    info = probe(result.data)
    assert (info.width, info.height, info.frames) == (64, 48, 4)


def test_cogvideox_15_generates_at_the_asked_size_and_rate(
    backends, library, tiny_cogvideox_any_size, keyframe_png
):
    model = library.add(tiny_cogvideox_any_size).id
    request = clip_request(model, frames=4, handles=0, width=64, height=48)
    result = backends["cogvideox"].generate(request, {KEY: keyframe_png}, JobContext())
    assert result.info["fixed_size"] is False and "content_box" not in result.info
    assert result.info["generated_size"] == [64, 48]
    assert result.info["native_fps"] == 16  # frames patched in pairs: a 1.5 model
    assert probe(result.data).frames == 4


def test_letterbox_keeps_the_framing_inside_black_bars():
    from PIL import Image

    box = content_box(32, 32, 64 / 48)
    assert box == (0, 4, 32, 24)
    assert content_box(720, 480, 720 / 480) == (0, 0, 720, 480)
    assert content_box(720, 480, 1.0) == (120, 0, 480, 480)
    canvas = np.asarray(letterbox(Image.new("RGB", (64, 48), (255, 255, 255)), 32, 32, box))
    assert canvas.shape == (32, 32, 3)
    assert canvas[:4].max() == 0 and canvas[28:].max() == 0
    assert canvas[4:28].min() == 255


def test_models_list_json_shows_them_as_clip_models(
    library, tiny_cogvideox, tiny_wan, tmp_path: Path, capsys
):
    from studio.cli import main

    added = {library.add(tiny_cogvideox).id, library.add(tiny_wan).id}
    capsys.readouterr()
    main(["models", "list", "--json"])
    listed = {m["id"]: m for m in json.loads(capsys.readouterr().out)}
    for model_id in added:
        assert listed[model_id]["capabilities"] == ["image-to-video"]
        assert listed[model_id]["kind"] == "pipeline" and not listed[model_id]["refused"]
    classes = {listed[i]["pipeline_class"] for i in added}
    assert classes == {"CogVideoXImageToVideoPipeline", "WanImageToVideoPipeline"}
