"""The model library: discovery, refusal of unsafe or broken models, stable ids."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from studio.errors import InvalidInput, NotFound, StudioError
from studio.generation.models import ModelLibrary


def test_add_reads_pipeline_class_and_capabilities(library: ModelLibrary, tiny_sd: Path):
    (entry,) = library.list()
    assert entry.kind == "pipeline"
    assert entry.pipeline_class == "StableDiffusionPipeline"
    assert entry.capabilities == ["text-to-image", "image-to-image"]
    assert entry.id.startswith("tiny-sd-") and len(entry.id) == len("tiny-sd-") + 8
    assert entry.size_bytes > 0
    assert entry.to_json()["path"] == str(tiny_sd.resolve())


def test_library_persists_under_studio_home(library: ModelLibrary, tmp_path: Path):
    assert (tmp_path / "home" / "models.json").is_file()
    again = ModelLibrary()
    assert [e.to_json() for e in again.list()] == [e.to_json() for e in library.list()]


def test_id_is_stable_and_changes_with_the_config(library: ModelLibrary, tiny_sd: Path, tmp_path):
    copy = tmp_path / "copy" / "tiny-sd"
    shutil.copytree(tiny_sd, copy)
    first = ModelLibrary(tmp_path / "h1").add(copy).id
    assert ModelLibrary(tmp_path / "h2").add(copy).id == first
    config = copy / "unet" / "config.json"
    config.write_text(config.read_text().replace('"sample_size": 32', '"sample_size": 48'))
    assert ModelLibrary(tmp_path / "h3").add(copy).id != first


def test_scan_finds_folder_models_and_hf_cache(
    tmp_path: Path, monkeypatch, tiny_sd: Path, tiny_svd: Path, tiny_ltx: Path, tiny_lora: Path
):
    folder = tmp_path / "my-models"
    folder.mkdir()
    shutil.copytree(tiny_svd, folder / "tiny-svd")
    shutil.copytree(tiny_ltx, folder / "video" / "tiny-ltx")
    shutil.copy(tiny_lora, folder / "tiny-lora.safetensors")
    (folder / "old.ckpt").write_bytes(b"not even a pickle")
    snapshot = tmp_path / "hf" / "models--org--tiny-sd" / "snapshots" / "abc123"
    shutil.copytree(tiny_sd, snapshot)
    (tmp_path / "hf" / "models--org--tiny-sd" / "refs").mkdir()
    (tmp_path / "hf" / "models--org--tiny-sd" / "refs" / "main").write_text("abc123")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    library = ModelLibrary(tmp_path / "home")
    found = {e.name: e for e in library.scan([folder])}
    assert found["tiny-svd"].capabilities == ["image-to-video"]
    assert found["tiny-ltx"].pipeline_class == "LTXImageToVideoPipeline"
    assert found["org/tiny-sd"].source == "hf-cache"
    assert found["tiny-lora"].kind == "lora"
    assert "arbitrary code" in found["old"].refused
    assert library.folders == [str(folder.resolve())]
    ids = sorted(e.id for e in library.list())
    assert sorted(e.id for e in ModelLibrary(tmp_path / "home").scan()) == ids


def test_corrupt_model_index_is_named(tmp_path: Path, tiny_sd: Path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_sd, broken)
    (broken / "model_index.json").write_text('{"_class_name": "StableDiff')
    with pytest.raises(InvalidInput, match="model_index.json"):
        ModelLibrary(tmp_path / "home").add(broken)


def test_missing_component_folder_is_named(tmp_path: Path, tiny_sd: Path):
    broken = tmp_path / "no-unet"
    shutil.copytree(tiny_sd, broken)
    shutil.rmtree(broken / "unet")
    with pytest.raises(InvalidInput, match="missing its 'unet' folder"):
        ModelLibrary(tmp_path / "home").add(broken)


def test_missing_and_empty_folders(tmp_path: Path):
    library = ModelLibrary(tmp_path / "home")
    with pytest.raises(NotFound, match="does not exist"):
        library.add(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInput, match="no model_index.json and no weights"):
        library.add(tmp_path / "empty")


def test_pickle_checkpoint_refused_unless_allowed(tmp_path: Path, tiny_sd: Path):
    import torch

    ckpt = tmp_path / "model.ckpt"
    torch.save({"state_dict": {"conv_in.weight": torch.zeros(1)}}, ckpt)
    library = ModelLibrary(tmp_path / "home")
    with pytest.raises(InvalidInput, match="arbitrary code"):
        library.add(ckpt)
    entry = library.add(ckpt, allow_pickle=True, config=tiny_sd)
    assert entry.kind == "single_file" and entry.config_path == str(tiny_sd.resolve())
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"\x80\x04junk")
    with pytest.raises(StudioError, match="cannot be loaded safely"):
        library.add(bad, allow_pickle=True, config=tiny_sd)


def test_single_file_without_config_is_refused(tmp_path: Path, tiny_sd: Path):
    from tests.core.diffusers.conftest import build_denoiser_single_file

    single = build_denoiser_single_file(tiny_sd, tmp_path / "unet-only.safetensors")
    library = ModelLibrary(tmp_path / "home")
    with pytest.raises(InvalidInput, match="config"):
        library.add(single)
    assert library.add(single, config=tiny_sd).pipeline_class == "StableDiffusionPipeline"


def test_resolve_adds_a_path_and_remove_forgets(tmp_path: Path, tiny_sd: Path, tiny_ip_adapter):
    library = ModelLibrary(tmp_path / "home")
    entry = library.resolve(str(tiny_sd))
    assert library.resolve(entry.id) == entry
    adapter = library.add(tiny_ip_adapter)
    assert adapter.kind == "ip_adapter"
    assert adapter.details["weight_name"] == "ip-adapter_tiny.safetensors"
    assert library.ip_adapter_for(entry) == adapter
    library.remove(entry.id)
    with pytest.raises(NotFound, match="studio models scan"):
        library.resolve(entry.id)
    assert json.loads(library.file.read_text())["models"][0]["kind"] == "ip_adapter"
