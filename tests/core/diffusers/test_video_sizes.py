"""Image-to-video models generate at their native size budget, at the shot's aspect.

Size selection is tested as pure functions over stub configs shaped like the real models'
(plain objects with a `config`), then end to end through `DiffusersVideoBackend.generate` on
the tiny pipelines: their budgets come from their own configs (SVD's sample_size, the rotary
tables of Wan and CogVideoX 1.5), so a project size far above them shows the cap at work.
"""

from __future__ import annotations

import math
from dataclasses import replace
from types import SimpleNamespace as Obj

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.errors import InvalidInput
from studio.generation.backends.diffusers_video import (
    FAMILIES,
    DiffusersVideoBackend,
    generation_size,
    model_hint,
    size_choice,
)
from studio.generation.backends.video_sizes import (
    SizeBudget,
    aspect_error,
    choose_size,
    cogvideox_budget,
    fit_to_budget,
    frame_budget,
    ltx_budget,
    svd_budget,
    wan_budget,
)
from studio.generation.models import ModelLibrary
from studio.generation.requests import ClipRequest, request_from_json
from studio.media.decode import probe
from studio.progress import JobContext
from tests.core.diffusers.video_helpers import KEY, decoded
from tests.core.diffusers.video_helpers import clip_request as video_request

WAN_CLASS = "WanImageToVideoPipeline"


def wan_pipe(expand_timesteps: bool = False, vae: int = 8, rope: int = 1024) -> Obj:
    """Shaped like a loaded Wan pipeline: the pipeline's config, the transformer's, the VAE
    factor."""
    transformer = Obj(config=Obj(rope_max_seq_len=rope, patch_size=[1, 2, 2]))
    return Obj(
        config=Obj(expand_timesteps=expand_timesteps),
        transformer=transformer,
        vae_scale_factor_spatial=vae,
    )


def replace_config(pipe: Obj, **changes) -> Obj:
    """The same stub pipeline with other transformer config values."""
    config = Obj(**{**vars(pipe.transformer.config), **changes})
    return Obj(
        transformer=Obj(config=config), vae_scale_factor_spatial=pipe.vae_scale_factor_spatial
    )


def within(size: tuple[int, int], budget: SizeBudget) -> bool:
    return size[0] * size[1] <= budget.pixels and max(size) <= budget.long_side


# --- native budgets from the models' configs --------------------------------------------


def test_svd_budget_is_its_trained_area_from_the_unet_config():
    pipe = Obj(unet=Obj(config=Obj(sample_size=96)), vae_scale_factor=8)
    budget = svd_budget(pipe)
    assert (budget.pixels, budget.long_side) == (1024 * 576, 1024)
    assert "sample_size 96" in budget.source
    # a 1080p project generates at SVD-XT's own 1024×576
    choice = choose_size(1920, 1080, 8, budget)
    assert (choice.width, choice.height, choice.reason) == (1024, 576, "budget")


def test_wan_is_480p_unless_its_name_says_720p():
    default = wan_budget(wan_pipe())
    assert (default.pixels, default.long_side) == (832 * 480, 832)
    assert "480P" in default.source and "generation size" in default.source
    hd = wan_budget(wan_pipe(), "Wan-AI/Wan2.1-I2V-14B-720P-Diffusers snapshot")
    assert (hd.pixels, hd.long_side) == (1280 * 720, 1280)
    assert fit_to_budget(1920, 1080, 16, hd) == (1280, 720)
    # 1080p into 480P: the largest multiple of 16 within 1% of 16:9
    assert fit_to_budget(1920, 1080, 16, default) == (832, 464)
    assert fit_to_budget(1080, 1920, 16, default) == (464, 832)
    # a square shot gets the area, not the long side: about 632² → 624×624
    assert fit_to_budget(1080, 1080, 16, default) == (624, 624)


def test_wan22_ti2v_is_720p_with_a_16x_vae():
    pipe = wan_pipe(expand_timesteps=True, vae=16)
    budget = wan_budget(pipe)
    assert (budget.pixels, budget.long_side) == (1280 * 704, 1280)
    family = FAMILIES["WanPipeline"]
    width, height = generation_size(pipe, family, 1920, 1080)
    assert width % 32 == 0 and height % 32 == 0  # VAE 16 × patch 2
    assert within((width, height), budget)
    assert aspect_error(width, height, 16 / 9) <= 0.01
    assert (width, height) == (1248, 704)


def test_ltx_2b_and_13b_budgets_from_the_transformer_width():
    small = Obj(transformer=Obj(config=Obj(num_attention_heads=32, attention_head_dim=64)))
    large = Obj(transformer=Obj(config=Obj(num_attention_heads=32, attention_head_dim=128)))
    assert (ltx_budget(small).pixels, ltx_budget(small).long_side) == (768 * 512, 768)
    assert (ltx_budget(large).pixels, ltx_budget(large).long_side) == (1216 * 704, 1216)
    assert ltx_budget(small, "LTX-Video-0.9.7-13B-dev").long_side == 1216
    # a 1080p project on the 2B model: 768 wide would be 3.6% off 16:9; 736×416 is 0.5%
    assert fit_to_budget(1920, 1080, 32, ltx_budget(small)) == (736, 416)


def test_cogvideox_15_is_its_documented_size_within_its_rotary_grid():
    real = Obj(
        transformer=Obj(config=Obj(patch_size_t=2, sample_width=300, sample_height=300)),
        vae_scale_factor_spatial=8,
    )
    budget = cogvideox_budget(real)
    assert (budget.pixels, budget.long_side) == (1360 * 768, 1360)
    assert budget.max_width == 2400
    tiny = replace_config(real, sample_width=16, sample_height=16)
    limited = cogvideox_budget(tiny)
    assert limited.long_side == 128 and limited.pixels == 128 * 128
    assert "rotary grid" in limited.source


def test_wan_rotary_table_caps_the_size():
    budget = wan_budget(wan_pipe(rope=32))  # the tiny test model's table: 32 × 2 × 8 px
    assert (budget.max_width, budget.max_height, budget.long_side) == (512, 512, 512)
    assert fit_to_budget(1920, 1080, 16, budget) == (512, 288)
    assert fit_to_budget(1280, 536, 16, budget) == (496, 208)


@pytest.mark.parametrize(
    ("shot", "wan_480p", "wan22_ti2v"),
    [
        ((1920, 1080), (832, 464), (1248, 704)),
        ((1080, 1920), (464, 832), (704, 1248)),
        ((1920, 804), (800, 336), (1216, 512)),  # scope, 2.39:1
        ((1440, 1080), (720, 544), (1024, 768)),  # 4:3
    ],
)
def test_real_budgets_keep_the_shots_aspect(shot, wan_480p, wan22_ti2v):
    for pipe, expected in ((wan_pipe(), wan_480p), (wan_pipe(True, vae=16), wan22_ti2v)):
        family = FAMILIES["WanPipeline" if pipe.config.expand_timesteps else WAN_CLASS]
        size = generation_size(pipe, family, *shot)
        assert size == expected
        assert aspect_error(*size, shot[0] / shot[1]) <= 0.01
        assert within(size, wan_budget(pipe))


# --- choosing a size ---------------------------------------------------------------------


def test_a_shot_within_the_budget_keeps_its_size():
    budget = wan_budget(wan_pipe())
    choice = choose_size(640, 352, 16, budget)
    assert (choice.width, choice.height, choice.reason) == (640, 352, "shot")
    assert not choice.letterbox


def test_override_is_rounded_and_noted_when_above_the_budget():
    budget = wan_budget(wan_pipe())
    choice = choose_size(1920, 1080, 16, budget, override=(960, 544))
    assert (choice.width, choice.height, choice.reason) == (960, 544, "override")
    assert "above the model's native budget" in choice.note and not choice.letterbox
    rounded = choose_size(1920, 1080, 16, budget, override=(650, 370))
    assert (rounded.width, rounded.height) == (656, 368)
    # a size of another aspect: the shot is letterboxed into it, never stretched
    assert choose_size(1920, 1080, 16, budget, override=(624, 624)).letterbox


def test_override_beyond_the_models_limits_is_refused():
    with pytest.raises(InvalidInput, match="beyond what this model can run"):
        choose_size(1280, 720, 16, wan_budget(wan_pipe(rope=32)), override=(1024, 576))
    with pytest.raises(InvalidInput, match="out of range"):
        choose_size(1280, 720, 16, wan_budget(wan_pipe()), override=(0, 576))
    fixed = (720, 480)
    with pytest.raises(InvalidInput, match="only at 720×480"):
        choose_size(1280, 720, 16, None, override=(832, 480), fixed=fixed)
    same = choose_size(1280, 720, 16, None, override=(720, 480), fixed=fixed)
    assert (same.width, same.height, same.reason) == (720, 480, "fixed")


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(16, 4096),
    height=st.integers(16, 4096),
    multiple=st.sampled_from([8, 16, 32]),
    native=st.sampled_from([(832, 480), (1280, 720), (768, 512), (1024, 576), (1280, 704)]),
)
def test_every_size_fits_the_budget_on_the_multiple(width, height, multiple, native):
    budget = frame_budget(*native, "test")
    size = fit_to_budget(width, height, multiple, budget)
    assert size[0] % multiple == 0 and size[1] % multiple == 0
    scale = min(
        1.0, math.sqrt(budget.pixels / (width * height)), budget.long_side / max(width, height)
    )
    if scale < 1.0:
        assert within(size, budget)
        ideal_short = min(width, height) * scale
        if ideal_short >= multiple:
            # the aspect is off by no more than rounding both sides to the multiple allows
            bound = math.log1p(2 * multiple / ideal_short)
            assert aspect_error(*size, width / height) <= bound


# --- the request's field and its hash ----------------------------------------------------


def old_request() -> ClipRequest:
    return ClipRequest(
        source_keyframe="e" * 64,
        backend="diffusers-video",
        model="wan-1234abcd",
        frames=48,
        handles=6,
        fps=24,
        width=1920,
        height=1080,
        seed=7,
        prompt="the kite climbs",
        steps=30,
        guidance=5.0,
    )


def test_an_old_requests_hash_and_cache_key_are_unchanged():
    # computed with the ClipRequest before generation_size existed (git 76eb15b)
    request = old_request()
    assert request.hash == "5e0bcae4d4b9522e94a1096d102f38317863966be11482f449a9c7b7b27928af"
    assert request.cache_key("1", "wan-1234abcd") == (
        "a0f65a3f245200c3942f2824d3495df3ab5f1a0784ecfa0e5fd4db51129683ce"
    )
    assert "generation_size" not in request.canonical()
    assert request_from_json(request.to_json()) == request


def test_a_generation_size_changes_the_hash_and_round_trips():
    request = replace(old_request(), generation_size=(832, 480))
    assert request.hash != old_request().hash
    assert '"generation_size":[832,480]' in request.canonical()
    back = request_from_json(request.to_json())
    assert back == request and back.generation_size == (832, 480)
    assert back.hash == request.hash


# --- end to end on the tiny pipelines -----------------------------------------------------


@pytest.fixture
def backend(library: ModelLibrary, shared_cache) -> DiffusersVideoBackend:
    return DiffusersVideoBackend(library=library, cache=shared_cache, segment_frames=5)


def clip_request(model: str, **changes) -> ClipRequest:
    """A 1280×720 shot of 5 frames: bigger than every tiny model's budget."""
    return video_request(
        model, **{"frames": 5, "handles": 0, "width": 1280, "height": 720, **changes}
    )


def test_svd_big_shot_generates_at_its_config_budget(backend, library, tiny_svd, keyframe_png):
    model = library.add(tiny_svd).id
    request = clip_request(model, width=320, height=180, frames=4, guidance=1.0)
    result = backend.generate(request, {KEY: keyframe_png}, JobContext())
    # the tiny UNet's sample_size 32 × its 2× VAE: a budget of 64² px, 85 px long
    assert result.info["native_budget"]["pixels"] == 64 * 64
    assert result.info["size_reason"] == "budget"
    width, height = result.info["generated_size"]
    assert width * height <= 64 * 64 and max(width, height) <= 85
    assert width % 8 == 0 and height % 8 == 0
    info = probe(result.data)
    assert (info.width, info.height, info.frames) == (320, 180, 4)


def test_a_requested_generation_size_overrides_the_budget(
    backend, library, tiny_wan22, keyframe_png
):
    model = library.add(tiny_wan22).id
    request = clip_request(model, width=1280, height=640, generation_size=(256, 128), frames=3)
    result = backend.generate(request, {KEY: keyframe_png}, JobContext())
    assert result.info["generated_size"] == [256, 128]
    assert result.info["size_reason"] == "override" and "content_box" not in result.info
    info = probe(result.data)
    assert (info.width, info.height, info.frames) == (1280, 640, 3)
    too_big = replace(request, generation_size=(1024, 512))
    with pytest.raises(InvalidInput, match="beyond what this model can run"):
        backend.generate(too_big, {KEY: keyframe_png}, JobContext())


def test_an_override_of_another_aspect_is_letterboxed(backend, library, tiny_wan22, keyframe_png):
    model = library.add(tiny_wan22).id
    request = clip_request(model, generation_size=(256, 256), frames=3)
    result = backend.generate(request, {KEY: keyframe_png}, JobContext())
    assert result.info["generated_size"] == [256, 256]
    assert result.info["content_box"] == [0, 56, 256, 144]  # the 16:9 shot in the square
    first = decoded(result)[0]
    assert first.shape == (720, 1280, 3)
    # the bars are cut away again: the picture fills the frame to its edges
    assert first[:8].mean() > 20 and first[-8:].mean() > 20


def test_wan22_ti2v_is_an_image_to_video_model(library, tiny_wan22):
    entry = library.add(tiny_wan22)
    assert entry.pipeline_class == "WanPipeline" and entry.capabilities == ["image-to-video"]
    assert entry.usable


def test_a_wan_folder_named_720p_gets_the_720p_budget(library, tiny_wan, tmp_path):
    import shutil

    folder = shutil.copytree(tiny_wan, tmp_path / "Wan2.1-I2V-14B-720P-Diffusers")
    hint = model_hint(library.add(folder))
    assert "720P" in hint
    assert wan_budget(wan_pipe(), hint).long_side == 1280
    assert wan_budget(wan_pipe(), model_hint(library.add(tiny_wan))).long_side == 832


def test_a_text_to_video_wan_is_refused(library, tmp_path):
    from tests.core.diffusers.conftest import build_tiny_wan22

    folder = build_tiny_wan22(tmp_path / "wan-t2v", expand_timesteps=False)
    with pytest.raises(InvalidInput, match="text-to-video model: it cannot animate"):
        library.add(folder)


def test_wan22_ti2v_animates_the_keyframe(backend, library, tiny_wan22, keyframe_png):
    model = library.add(tiny_wan22).id
    request = clip_request(model)
    result = backend.generate(request, {KEY: keyframe_png}, JobContext())
    assert result.info["family"] == "wan2.2-ti2v"
    assert result.info["pipeline_class"] == "WanImageToVideoPipeline"
    assert result.info["native_fps"] == 24
    assert "TI2V-5B" in result.info["native_budget"]["source"]
    # a big shot: the 720P budget within the tiny model's rotary table (16 × 2 × 16 = 512
    # px a side), 16:9, sides multiples of 32 (VAE 16 × patch 2); the clip at the shot's size
    assert result.info["generated_size"] == [512, 288]
    assert result.info["size_reason"] == "budget" and "content_box" not in result.info
    first = decoded(result)
    other = backend.generate(replace(request, seed=6), {KEY: keyframe_png}, JobContext())
    second = decoded(other)
    assert first.shape == (5, 720, 1280, 3)
    # the keyframe is the first latent frame whatever the seed; the rest is generated
    assert np.abs(first[0] - second[0]).mean() < 2.0
    assert np.abs(first[-1] - second[-1]).mean() > 2.0


def test_wan22_portrait_shot_keeps_its_aspect(backend, library, tiny_wan22, keyframe_png):
    model = library.add(tiny_wan22).id
    request = clip_request(model, width=720, height=1280, frames=3)
    result = backend.generate(request, {KEY: keyframe_png}, JobContext())
    assert result.info["generated_size"] == [288, 512]
    assert "generated at 288×512" in result.info["size_note"]
    info = probe(result.data)
    assert (info.width, info.height, info.frames) == (720, 1280, 3)


def test_a_native_size_set_in_the_library_wins_within_the_configs_limits():
    family = FAMILIES["WanImageToVideoPipeline"]
    told = size_choice(wan_pipe(), family, 1920, 1080, native=(1280, 720))
    assert (told.width, told.height) == (1280, 720) and "model library" in told.budget.source
    # a small rotary table still caps it: 16 patches × 2 × 8 = 256 px a side
    capped = size_choice(wan_pipe(rope=16), family, 1920, 1080, native=(1280, 720))
    assert max(capped.width, capped.height) <= 256


def test_the_library_keeps_a_video_models_native_size(
    library, tiny_wan, tiny_sd, backend, keyframe_png
):
    entry = library.add(tiny_wan)
    library.set_native_size(entry.id, (128, 72))
    again = ModelLibrary(library.home)  # it is saved with the library
    assert again.get(entry.id).details["native_size"] == [128, 72]
    request = clip_request(entry.id, frames=3)
    result = backend.generate(request, {KEY: keyframe_png}, JobContext())
    width, height = result.info["generated_size"]
    assert width * height <= 128 * 72 and "model library" in result.info["native_budget"]["source"]
    library.set_native_size(entry.id, None)
    assert "native_size" not in library.get(entry.id).details
    with pytest.raises(InvalidInput, match="not an image-to-video model"):
        library.set_native_size(library.add(tiny_sd).id, (512, 512))


def test_studio_models_set_native_size(library, tiny_wan, capsys):
    from studio.cli import main

    entry = library.add(tiny_wan)
    main(["models", "set", entry.id, "--native-size", "1280x720"])
    assert "1280×720" in capsys.readouterr().out
    assert ModelLibrary(library.home).get(entry.id).details["native_size"] == [1280, 720]
    main(["models", "set", entry.id, "--native-size", "auto"])
    assert "native_size" not in ModelLibrary(library.home).get(entry.id).details
