"""Model folders may name only model code: the classes diffusers and transformers define.

diffusers imports whatever library a `model_index.json` names for a component
(`"unet": ["os", "system"]` imports `os` and calls into it at generate time), and transformers
runs code shipped in the folder when a config carries an `auto_map`. Every JSON file of a model
folder is read here before the folder is added, scanned or loaded: each class it names must be
one the named library defines (diffusers, transformers, or one of diffusers' pipeline packages
such as `stable_diffusion` for its safety checker), and no file may point at code of its own.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from studio.errors import InvalidInput

ALLOWED = "only diffusers and transformers classes are allowed"
# keys of component configs that name a class of transformers (tokenizers, processors, models)
TRANSFORMERS_CLASS_KEYS = (
    "tokenizer_class",
    "image_processor_type",
    "feature_extractor_type",
    "processor_class",
    "video_processor_type",
)
# keys that make transformers or peft import code from the folder or from anywhere
CODE_KEYS = ("auto_map", "auto_mapping", "custom_pipeline", "_custom_pipeline")
_CLASS = re.compile(r"[A-Z][A-Za-z0-9_]*\Z")
_MODULE = re.compile(r"[a-z][a-z0-9_]*\Z")


def ensure_offline() -> None:
    """Make every Hugging Face library refuse the network (set before they are imported)."""
    for name in (
        "HF_HUB_OFFLINE",
        "TRANSFORMERS_OFFLINE",
        "DIFFUSERS_OFFLINE",
        "HF_DATASETS_OFFLINE",
    ):
        os.environ[name] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    import sys

    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        constants.HF_HUB_OFFLINE = True


def check_model_folder(folder: Path | str) -> None:
    """Refuse a model folder whose JSON files name anything but diffusers and transformers
    classes (InvalidInput saying which file, which name and for which component)."""
    folder = Path(folder)
    index_path = folder / "model_index.json"
    if index_path.is_file():
        _check_index(index_path, _read(index_path))
    for path in sorted(folder.rglob("*.json")):
        if path != index_path and ".cache" not in path.relative_to(folder).parts:
            _check_config(path, folder)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(
            f"cannot read {path.name} in {path.parent}: {exc}",
            "the file is damaged: restore it from the model's original download",
        ) from exc


def _check_index(path: Path, index: Any) -> None:
    where = f"model_index.json in {path.parent}"
    if not isinstance(index, dict):
        raise InvalidInput(f"{where} is not a JSON object", "restore the original file")
    pipeline = index.get("_class_name")
    if isinstance(pipeline, str) and not _defines("diffusers", pipeline):
        raise InvalidInput(f"{where} names {pipeline!r} as its pipeline; {ALLOWED}")
    if isinstance(pipeline, list):
        shown = ".".join(map(str, pipeline))
        raise InvalidInput(f"{where} names custom pipeline code {shown}; {ALLOWED}")
    for key in CODE_KEYS:
        if key in index:
            raise InvalidInput(f"{where} points at code of its own ({key}); {ALLOWED}")
    for component, value in index.items():
        if component.startswith("_") or not _is_component(value):
            continue
        library, name = value
        if not _defines(library, name):
            raise InvalidInput(
                f"{where} names {library}.{name} for component `{component}`; {ALLOWED}"
            )


def _is_component(value: Any) -> bool:
    """A [library, class] pair, as diffusers reads one ([null, null] is an absent part)."""
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)


def _check_config(path: Path, folder: Path) -> None:
    data = _read(path)
    if not isinstance(data, dict):
        return  # vocabularies and lists of tokens name no class
    where = f"{path.relative_to(folder).as_posix()} in {folder}"
    for key in CODE_KEYS:
        if key in data:
            raise InvalidInput(f"{where} points at code of its own ({key}); {ALLOWED}")
    named = []
    if "_class_name" in data:
        named.append(("_class_name", data["_class_name"], ("diffusers", "transformers")))
    for key in TRANSFORMERS_CLASS_KEYS:
        if data.get(key) is not None:
            named.append((key, data[key], ("transformers",)))
    for architecture in data.get("architectures") or []:
        named.append(("architectures", architecture, ("transformers", "diffusers")))
    for key, name, libraries in named:
        if not any(_defines(library, name) for library in libraries):
            raise InvalidInput(f"{where} names {name!r} as its {key}; {ALLOWED}")


def _defines(library: Any, name: Any) -> bool:
    """Whether `library` (diffusers, transformers or a diffusers pipeline package) defines the
    class `name`: looked up among the names the library exports, never imported by name."""
    if not isinstance(library, str) or not isinstance(name, str) or not _CLASS.match(name):
        return False
    if library in ("diffusers", "transformers"):
        return name in _exported(library)
    if not _MODULE.match(library) or library not in _exported("diffusers.pipelines"):
        return False
    return name in _exported(f"diffusers.pipelines.{library}")


@cache
def _exported(module_name: str) -> frozenset[str]:
    """The names a module exports (for diffusers' and transformers' lazy modules: without
    importing their submodules)."""
    import importlib

    ensure_offline()
    parent, _, child = module_name.rpartition(".")
    try:
        module = importlib.import_module(parent or module_name)
        if parent:
            module = getattr(module, child)
    except (ImportError, AttributeError) as exc:
        raise InvalidInput(
            f"cannot check the model's classes: {module_name} cannot be imported ({exc})",
            "install diffusers and transformers (`pip install diffusers transformers`)",
        ) from exc
    if not isinstance(module, ModuleType) or module.__name__ != module_name:
        return frozenset()  # a name the package imported (`os`), not a package of its own
    return frozenset(name for name in dir(module) if not name.startswith("_"))
