"""The `diffusers` keyframe backend on a real tiny Stable Diffusion pipeline."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from studio.errors import Cancelled, InvalidInput
from studio.generation.backends.base import registry
from studio.generation.backends.diffusers_image import DiffusersImageBackend, fit_size
from studio.generation.devices import OutOfMemory
from studio.generation.models import ModelLibrary
from studio.generation.requests import KeyframeRequest
from studio.media.decode import read_image
from studio.progress import JobContext


@pytest.fixture
def backend(library: ModelLibrary, shared_cache) -> DiffusersImageBackend:
    return DiffusersImageBackend(library=library, cache=shared_cache)


@pytest.fixture
def request_(library: ModelLibrary) -> KeyframeRequest:
    (entry,) = library.list()
    return KeyframeRequest(
        backend="diffusers",
        model=entry.id,
        prompt="the hero at dawn",
        negative_prompt="blurry",
        width=64,
        height=48,
        seed=7,
        steps=2,
        guidance=5.0,
    )


def pixels(result) -> np.ndarray:
    return read_image(result.data, "take").astype(np.int16)


def test_registry_names_the_backend():
    assert isinstance(registry.get("diffusers"), DiffusersImageBackend)


def test_text_to_image_size_info_and_reuse(backend, request_, shared_cache):
    loads = shared_cache.loads
    result = backend.generate(request_, {}, JobContext())
    assert (result.width, result.height, result.extension) == (64, 48, ".png")
    assert pixels(result).shape == (48, 64, 3)
    info = result.info
    assert (
        info["model_id"] == request_.model and info["pipeline_class"] == "StableDiffusionPipeline"
    )
    assert (info["device"], info["dtype"], info["steps"]) == ("cpu", "float32", 2)
    assert info["conditioning"] == "text" and info["diffusers_version"] and info["torch_version"]
    backend.generate(replace(request_, seed=8), {}, JobContext())
    assert shared_cache.loads - loads <= 1  # loaded at most once, then reused


def test_same_seed_same_pixels_other_seed_differs(backend, request_):
    first = backend.generate(request_, {}, JobContext())
    again = backend.generate(request_, {}, JobContext())
    other = backend.generate(replace(request_, seed=8), {}, JobContext())
    assert first.data == again.data
    assert np.abs(pixels(first) - pixels(other)).mean() > 1.0


def test_generate_many_matches_single_takes(backend, request_):
    seeds = [7, 8, 9]
    many = backend.generate_many([replace(request_, seed=s) for s in seeds], {}, JobContext())
    assert [r.info["seed"] for r in many] == seeds
    single = backend.generate(replace(request_, seed=8), {}, JobContext())
    assert np.abs(pixels(many[1]) - pixels(single)).max() <= 2
    with pytest.raises(InvalidInput, match="differ only in their seed"):
        backend.generate_many([request_, replace(request_, prompt="other")], {}, JobContext())


def test_size_is_rounded_and_bounded():
    assert fit_size(65, 63, 8, 512) == (64, 64)
    assert fit_size(3000, 1500, 16, 1024) == (2048, 1024)
    assert fit_size(3, 3, 8, 512) == (8, 8)


def test_oversized_request_is_fitted_to_the_model(backend, request_):
    result = backend.generate(replace(request_, width=300, height=150), {}, JobContext())
    assert (result.width, result.height) == (128, 64)  # twice the 64 px native side


def test_image_to_image(backend, request_, keyframe_png):
    sha = "a" * 64
    request = replace(request_, init_image=sha, strength=0.5, steps=4)
    result = backend.generate(request, {sha: keyframe_png}, JobContext())
    assert (result.width, result.height) == (64, 48)
    assert result.info["mode"] == "image-to-image"
    text_only = backend.generate(replace(request_, steps=4), {}, JobContext())
    assert np.abs(pixels(result) - pixels(text_only)).mean() > 1.0
    with pytest.raises(InvalidInput, match="not provided"):
        backend.generate(request, {}, JobContext())


def test_cancel_at_the_first_step(backend, request_):
    seen = []
    ctx = JobContext(on_progress=lambda p: (seen.append(p.fraction), ctx.cancel()))
    with pytest.raises(Cancelled):
        backend.generate(replace(request_, steps=5), {}, ctx)
    assert seen == [pytest.approx(0.2)]  # interrupted after step 1 of 5
    assert backend.generate(request_, {}, JobContext()).width == 64


def test_progress_reaches_one(backend, request_):
    seen = []
    backend.generate(replace(request_, steps=3), {}, JobContext(on_progress=seen.append))
    assert [round(p.fraction, 3) for p in seen] == [0.333, 0.667, 1.0]


def test_lora_changes_the_image_and_is_unloaded(backend, request_, library, tiny_lora: Path):
    lora = library.add(tiny_lora)
    plain = backend.generate(request_, {}, JobContext())
    styled = backend.generate(replace(request_, loras=((lora.id, 1.0),)), {}, JobContext())
    weak = backend.generate(replace(request_, loras=((lora.id, 0.1),)), {}, JobContext())
    assert styled.info["loras"] == [lora.id]
    strong_diff = np.abs(pixels(styled) - pixels(plain)).mean()
    assert strong_diff > np.abs(pixels(weak) - pixels(plain)).mean() > 0.0
    assert backend.generate(request_, {}, JobContext()).data == plain.data


def test_references_use_the_ip_adapter_when_one_fits(
    backend, request_, library, tiny_ip_adapter, keyframe_png
):
    sha = "b" * 64
    request = replace(request_, references=(sha,), reference_scale=1.0)
    text = backend.generate(request, {sha: keyframe_png}, JobContext())
    assert text.info["conditioning"] == "text"  # no adapter in the library yet
    library.add(tiny_ip_adapter)
    conditioned = backend.generate(request, {sha: keyframe_png}, JobContext())
    assert conditioned.info["conditioning"] == "ip-adapter"
    assert np.abs(pixels(conditioned) - pixels(text)).mean() > 0.5
    assert backend.generate(request_, {}, JobContext()).info["conditioning"] == "text"


def test_single_file_denoiser_loads_with_its_config(
    backend, request_, library, tiny_sd: Path, tmp_path: Path
):
    from tests.core.diffusers.conftest import build_denoiser_single_file

    single = build_denoiser_single_file(tiny_sd, tmp_path / "my-finetune.safetensors")
    entry = library.add(single, config=tiny_sd)
    from_file = backend.generate(replace(request_, model=entry.id), {}, JobContext())
    from_folder = backend.generate(request_, {}, JobContext())
    assert from_file.info["model_id"] == entry.id
    assert from_file.data == from_folder.data  # the same weights give the same image


def test_out_of_memory_becomes_a_studio_error_and_the_worker_recovers(
    backend, request_, library, shared_cache
):
    import torch
    from diffusers import UNet2DConditionModel

    class ExhaustedUNet(UNet2DConditionModel):
        def forward(self, *args, **kwargs):
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    loaded = shared_cache.get(library.get(request_.model))
    loaded.pipe.unet.__class__ = ExhaustedUNet
    with pytest.raises(OutOfMemory, match="out of memory while generating 1 keyframe") as caught:
        backend.generate(request_, {}, JobContext())
    assert "smaller size" in str(caught.value)
    assert len(shared_cache) == 0  # the cache was freed
    assert backend.generate(request_, {}, JobContext()).width == 64  # reloaded and working


def test_a_video_model_cannot_make_keyframes(backend, request_, library, tiny_svd):
    entry = library.add(tiny_svd)
    with pytest.raises(InvalidInput, match="cannot make keyframes"):
        backend.generate(replace(request_, model=entry.id), {}, JobContext())
