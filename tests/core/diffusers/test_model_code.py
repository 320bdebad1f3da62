"""Model folders name only model code: a model_index.json or config naming another library's
callables, classes that do not exist or code of its own is refused at add, scan and load."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from studio.errors import InvalidInput
from studio.generation.devices import DeviceChoice
from studio.generation.models import ModelLibrary
from studio.generation.pipelines import load_pipeline

ALLOWED = "only diffusers and transformers classes are allowed"


def _copy(tiny_sd: Path, target: Path) -> Path:
    return Path(shutil.copytree(tiny_sd, target))


def _edit_json(path: Path, **changes) -> None:
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data, indent=2))


@pytest.mark.parametrize("named", [["os", "system"], ["subprocess", "Popen"], ["builtins", "eval"]])
def test_add_refuses_a_component_from_another_library(tmp_path, tiny_sd, named):
    evil = _copy(tiny_sd, tmp_path / "evil")
    _edit_json(evil / "model_index.json", unet=named)
    with pytest.raises(InvalidInput) as refused:
        ModelLibrary(tmp_path / "home").add(evil)
    assert str(refused.value).endswith(
        f"model_index.json in {evil} names {named[0]}.{named[1]} for component `unet`; {ALLOWED}"
    )
    assert ModelLibrary(tmp_path / "home").list() == []


@pytest.mark.parametrize(
    "changes, said",
    [
        ({"vae": ["diffusers", "NoSuchAutoencoder"]}, "diffusers.NoSuchAutoencoder"),
        ({"tokenizer": ["transformers", "os"]}, "transformers.os"),
        ({"safety_checker": ["stable_diffusion", "Popen"]}, "stable_diffusion.Popen"),
        ({"_class_name": "Popen"}, "'Popen' as its pipeline"),
        ({"_class_name": ["pipeline", "MyPipeline"]}, "custom pipeline code pipeline.MyPipeline"),
    ],
)
def test_classes_must_exist_in_the_library_named(tmp_path, tiny_sd, changes, said):
    evil = _copy(tiny_sd, tmp_path / "evil")
    _edit_json(evil / "model_index.json", **changes)
    with pytest.raises(InvalidInput, match=f"{said}.*{ALLOWED}"):
        ModelLibrary(tmp_path / "home").add(evil)


def test_real_layouts_pass_a_pipeline_package_component_and_absent_parts(tmp_path, tiny_sd):
    """Stable Diffusion's own folders name their safety checker from diffusers' pipeline
    package `stable_diffusion`, and absent parts as [null, null]."""
    real = _copy(tiny_sd, tmp_path / "real")
    _edit_json(
        real / "model_index.json",
        safety_checker=["stable_diffusion", "StableDiffusionSafetyChecker"],
        feature_extractor=[None, None],
    )
    from studio.generation.model_code import check_model_folder

    check_model_folder(real)  # no refusal


@pytest.mark.parametrize(
    "config, changes, said",
    [
        ("scheduler/scheduler_config.json", {"_class_name": "system"}, "'system' as its _class"),
        ("text_encoder/config.json", {"auto_map": {"AutoModel": "x.Evil"}}, "code of its own"),
        ("tokenizer/tokenizer_config.json", {"tokenizer_class": "Popen"}, "'Popen' as its token"),
        ("text_encoder/config.json", {"architectures": ["EvilModel"]}, "'EvilModel' as its arch"),
    ],
)
def test_component_configs_name_only_model_classes(tmp_path, tiny_sd, config, changes, said):
    evil = _copy(tiny_sd, tmp_path / "evil")
    path = evil / config
    if not path.is_file():
        path.write_text("{}")
    _edit_json(path, **changes)
    with pytest.raises(InvalidInput, match=f"{config} in {evil}.*{said}.*{ALLOWED}"):
        ModelLibrary(tmp_path / "home").add(evil)


def test_scan_refuses_the_evil_folder_with_the_reason(tmp_path, monkeypatch, tiny_sd):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-hf-cache"))
    folder = tmp_path / "models"
    _copy(tiny_sd, folder / "good")
    _edit_json(_copy(tiny_sd, folder / "evil") / "model_index.json", unet=["os", "system"])
    found = {e.name: e for e in ModelLibrary(tmp_path / "home").scan([folder])}
    assert found["good"].usable and not found["good"].refused
    assert "names os.system for component `unet`" in found["evil"].refused
    assert not found["evil"].usable


def test_a_folder_that_became_evil_after_add_is_refused_at_load(tmp_path, tiny_sd):
    """The check runs again before diffusers reads the folder: the module the edited
    model_index.json names is never imported."""
    folder = _copy(tiny_sd, tmp_path / "edited")
    entry = ModelLibrary(tmp_path / "home").add(folder)
    marker = tmp_path / "imported"
    (tmp_path / "evil_probe.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nclass Thing:\n    pass\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        _edit_json(folder / "model_index.json", unet=["evil_probe", "Thing"])
        with pytest.raises(InvalidInput, match="names evil_probe.Thing for component `unet`"):
            load_pipeline(entry, DeviceChoice(device="cpu", dtype="float32"))
    finally:
        sys.path.remove(str(tmp_path))
    assert not marker.exists() and "evil_probe" not in sys.modules


def test_cli_models_add_and_scan_say_why_in_one_line(tmp_path, tiny_sd):
    evil = _copy(tiny_sd, tmp_path / "models" / "evil")
    _edit_json(evil / "model_index.json", unet=["os", "system"])
    env = {**os.environ, "STUDIO_HOME": str(tmp_path / "home"), "COLUMNS": "400"}
    env["HF_HUB_CACHE"] = str(tmp_path / "no-hf-cache")

    def studio(*args):
        command = [sys.executable, "-c", "from studio.cli import main; main()", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)

    added = studio("models", "add", str(evil))
    assert added.returncode == 1
    said = added.stderr.strip()
    assert len(said.splitlines()) == 1, said
    assert "names os.system for component `unet`" in said and ALLOWED in said
    assert "unexpected" not in said.lower()
    scanned = studio("models", "scan", str(tmp_path / "models"), "--json")
    assert scanned.returncode == 0, scanned.stderr
    (entry,) = json.loads(scanned.stdout)
    assert "names os.system for component `unet`" in entry["refused"]
