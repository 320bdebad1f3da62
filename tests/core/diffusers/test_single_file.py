"""Community checkpoints: one .safetensors in the original (CompVis/LDM) layout, loaded offline
with the configs of a diffusers folder of the same architecture, and generating the same picture
as the diffusers folder its weights came from."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

from studio.errors import InvalidInput
from studio.generation.backends.diffusers_image import DiffusersImageBackend
from studio.generation.models import ModelLibrary, inspect_path, safetensors_header
from studio.generation.pipelines import PipelineCache
from studio.generation.requests import KeyframeRequest
from studio.media.decode import read_image
from studio.progress import JobContext
from tests.core.diffusers.ldm_layout import (
    CLIP_PREFIX,
    ldm_state_dict,
    save_reweighted_copy,
    write_checkpoint,
)

LDM_PREFIXES = ("model.diffusion_model.", "first_stage_model.", "cond_stage_model.transformer.")


@pytest.fixture(scope="module")
def ldm_state(tiny_sd: Path) -> dict:
    return ldm_state_dict(tiny_sd)


@pytest.fixture(scope="module")
def ldm_file(ldm_state: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("checkpoints")
    return write_checkpoint(ldm_state, folder / "tiny-sd-original.safetensors")


@pytest.fixture(scope="module")
def other_weights(tiny_sd: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A config folder of the same architecture whose own weights differ from the file's."""
    return save_reweighted_copy(tiny_sd, tmp_path_factory.mktemp("bases") / "tiny-sd-other")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Offline flags as a user's machine without a connection, and any connection refused."""
    attempts: list[object] = []
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def refuse(sock: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError(f"network access attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def keyframe(model_id: str, seed: int = 7) -> KeyframeRequest:
    return KeyframeRequest(
        backend="diffusers",
        model=model_id,
        prompt="the hero at dawn",
        negative_prompt="blurry",
        width=64,
        height=64,
        seed=seed,
        steps=2,
        guidance=5.0,
    )


def pixels(data: bytes) -> np.ndarray:
    return read_image(data, "take").astype(np.int16)


def test_the_file_is_a_genuine_original_layout_checkpoint(ldm_file: Path):
    header, _raw = safetensors_header(ldm_file)
    unet = [k for k in header if k.startswith("model.diffusion_model.")]
    assert all(k.startswith((*LDM_PREFIXES, "betas", "alphas_cumprod")) for k in header)
    assert "model.diffusion_model.middle_block.1.transformer_blocks.0.attn2.to_k.weight" in unet
    assert not any(".down_blocks." in k or ".resnets." in k for k in header)
    # the VAE's mid attention is stored as 1×1 convolutions, as CompVis saved it
    assert header["first_stage_model.decoder.mid.attn_1.q.weight"]["shape"] == [64, 64, 1, 1]
    entry = inspect_path(ldm_file)
    assert (entry.kind, entry.pipeline_class) == ("single_file", "StableDiffusionPipeline")
    assert entry.details["layout"] == "original"


def test_added_with_its_config_folder(ldm_file: Path, tiny_sd: Path, tmp_path: Path):
    entry = ModelLibrary(tmp_path / "home").add(ldm_file, config=tiny_sd)
    assert (entry.kind, entry.details["layout"]) == ("single_file", "original")
    assert entry.pipeline_class == "StableDiffusionPipeline"
    assert entry.config_path == str(tiny_sd.resolve())
    assert {"text-to-image", "image-to-image"} <= set(entry.capabilities)
    assert ModelLibrary(tmp_path / "home").get(entry.id) == entry  # kept in models.json


def test_without_a_config_folder_it_says_what_to_add(ldm_file: Path, tmp_path: Path):
    library = ModelLibrary(tmp_path / "home")
    with pytest.raises(InvalidInput, match=r"--config DIR") as error:
        library.add(ldm_file)
    assert "StableDiffusionPipeline" in str(error.value) and str(ldm_file) in str(error.value)


def test_cli_models_add_with_config(
    ldm_file: Path, tiny_sd: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    from studio.cli import main

    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-cache"))
    with pytest.raises(SystemExit) as refused:
        main(["models", "add", str(ldm_file)])
    assert refused.value.code == 1 and "--config DIR" in capsys.readouterr().err
    main(["models", "add", str(ldm_file), "--config", str(tiny_sd)])
    assert "StableDiffusionPipeline" in capsys.readouterr().out
    main(["models", "list", "--json"])
    (listed,) = [m for m in json.loads(capsys.readouterr().out) if not m["refused"]]
    assert listed["path"] == str(ldm_file.resolve()) and listed["details"]["layout"] == "original"
    assert listed["config_path"] == str(tiny_sd.resolve())


def test_keyframe_from_the_file_equals_the_folders(
    library: ModelLibrary, ldm_file: Path, other_weights: Path, no_network: list[object]
):
    """The same weights make the same picture; the config folder lends configs, not weights."""
    single = library.add(ldm_file, config=other_weights)
    folder = next(e for e in library.list() if e.kind == "pipeline")
    base = library.add(other_weights)
    backend = DiffusersImageBackend(library=library, cache=PipelineCache(max_items=3))
    from_file = backend.generate(keyframe(single.id), {}, JobContext())
    from_folder = backend.generate(keyframe(folder.id), {}, JobContext())
    from_base = backend.generate(keyframe(base.id), {}, JobContext())
    assert from_file.info["pipeline_class"] == "StableDiffusionPipeline"
    assert np.abs(pixels(from_file.data) - pixels(from_folder.data)).max() <= 1
    assert np.abs(pixels(from_file.data) - pixels(from_base.data)).mean() > 1.0
    assert no_network == []


@pytest.mark.parametrize(
    ("component", "dropped"),
    [
        ("unet", "model.diffusion_model.out.2.weight"),
        ("vae", "first_stage_model.decoder.mid.attn_1.q.weight"),
        ("text_encoder", CLIP_PREFIX + "final_layer_norm.weight"),
        ("CLIPTextModel", CLIP_PREFIX + "embeddings.position_embedding.weight"),
    ],
)
def test_a_missing_tensor_names_the_file(
    library: ModelLibrary,
    ldm_state: dict,
    tiny_sd: Path,
    tmp_path: Path,
    no_network: list[object],
    component: str,
    dropped: str,
):
    cut = write_checkpoint(ldm_state, tmp_path / "cut-short.safetensors", drop=(dropped,))
    entry = library.add(cut, config=tiny_sd)
    backend = DiffusersImageBackend(library=library, cache=PipelineCache())
    with pytest.raises(InvalidInput, match="cut-short.safetensors") as error:
        backend.generate(keyframe(entry.id), {}, JobContext())
    assert component in str(error.value)
    assert no_network == []


def test_a_file_cut_short_on_disk_names_the_file(
    library: ModelLibrary, ldm_file: Path, tiny_sd: Path, tmp_path: Path, no_network
):
    cut = tmp_path / "half.safetensors"
    cut.write_bytes(ldm_file.read_bytes()[: ldm_file.stat().st_size // 2])
    entry = library.add(cut, config=tiny_sd)  # the header is whole: only loading can tell
    backend = DiffusersImageBackend(library=library, cache=PipelineCache())
    with pytest.raises(InvalidInput, match=r"cannot load the checkpoint .*half\.safetensors"):
        backend.generate(keyframe(entry.id), {}, JobContext())
    assert no_network == []


def test_a_config_folder_gone_is_reported_not_fetched(
    library: ModelLibrary, ldm_file: Path, tiny_sd: Path, tmp_path: Path, no_network
):
    config = Path(shutil.copytree(tiny_sd, tmp_path / "moved-base"))
    entry = library.add(ldm_file, config=config)
    shutil.rmtree(config)
    backend = DiffusersImageBackend(library=library, cache=PipelineCache())
    with pytest.raises(
        InvalidInput,
        match=r"config folder .*moved-base of the checkpoint .*original.safetensors is gone",
    ):
        backend.generate(keyframe(entry.id), {}, JobContext())
    assert no_network == []


def _copy_with(tiny_sd: Path, target: Path, path: str, old: str, new: str) -> Path:
    shutil.copytree(tiny_sd, target, ignore=shutil.ignore_patterns("*.safetensors"))
    file = target / path
    assert old in file.read_text()
    file.write_text(file.read_text().replace(old, new))
    return target


def test_a_config_folder_of_another_architecture_is_refused(
    ldm_file: Path, tiny_sd: Path, tmp_path: Path
):
    library = ModelLibrary(tmp_path / "home")
    xl = _copy_with(
        tiny_sd,
        tmp_path / "xl",
        "model_index.json",
        '"StableDiffusionPipeline"',
        '"StableDiffusionXLPipeline"',
    )
    with pytest.raises(
        InvalidInput, match="StableDiffusionPipeline checkpoint .* is a StableDiffusionXLPipeline"
    ):
        library.add(ldm_file, config=xl)
    wide = _copy_with(
        tiny_sd,
        tmp_path / "wide",
        "unet/config.json",
        '"cross_attention_dim": 32',
        '"cross_attention_dim": 48',
    )
    with pytest.raises(InvalidInput, match="attends to text 32 wide .* to 48"):
        library.add(ldm_file, config=wide)


def test_prefixed_sd3_and_flux_files_are_not_taken_for_sd(tmp_path: Path):
    import torch
    from safetensors.torch import save_file

    cases = {
        "sd3": (
            "model.diffusion_model.joint_blocks.0.x_block.attn.qkv.weight",
            "StableDiffusion3Pipeline",
        ),
        "flux": ("model.diffusion_model.double_blocks.0.img_attn.qkv.weight", "FluxPipeline"),
    }
    for name, (key, expected) in cases.items():
        path = tmp_path / f"{name}.safetensors"
        save_file(
            {key: torch.zeros(2, 2), "model.diffusion_model.final_layer.bias": torch.zeros(2)}, path
        )
        entry = inspect_path(path)
        assert (entry.pipeline_class, entry.details["layout"]) == (expected, "original")
