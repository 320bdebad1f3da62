"""The model library: the user's local diffusion models, found on disk and never downloaded.

The library is global to the user (not per project): a JSON file `models.json` in
`platformdirs.user_data_dir("microfilm-studio")`, or in the folder named by `STUDIO_HOME`.
Models come from folders the user names and from the Hugging Face cache already on disk. A
diffusers folder's `model_index.json` names its pipeline class, which gives its capabilities.
Safetensors only: pickle checkpoints (.ckpt, .bin, .pt, .pth) can run arbitrary code when
loaded, so they are refused unless the user explicitly allows them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
from pathlib import Path
from typing import Any

from studio.errors import InvalidInput, NotFound
from studio.generation.model_code import check_model_folder
from studio.generation.model_kinds import (
    DENOISER_FOLDERS,
    LIBRARY_VERSION,
    ORIGINAL_UNET_CROSS_KEY,
    PICKLE_REASON,
    PICKLE_SUFFIXES,
    SINGLE_FILE_MARKERS,
    WEIGHT_SUFFIXES,
    ModelEntry,
    capabilities_of,
    refusal_of,
)


def library_home() -> Path:
    """The folder holding models.json: `STUDIO_HOME`, else the user's data folder."""
    home = os.environ.get("STUDIO_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_data_dir("microfilm-studio"))


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache on this machine (it may not exist)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    return Path.home() / ".cache" / "huggingface" / "hub"


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:40] or "model"


def _model_id(name: str, path: Path, identity: list[bytes]) -> str:
    digest = hashlib.sha256(str(path.resolve()).encode())
    for chunk in identity:
        digest.update(chunk)
    return f"{_slug(name)}-{digest.hexdigest()[:8]}"


def _size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            f"cannot read {path.name} in {path.parent}: {exc}",
            "the file is damaged: restore it from the model's original download",
        ) from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{path} is not a JSON object", "restore the original file")
    return data


def safetensors_header(path: Path) -> tuple[dict[str, Any], bytes]:
    """The header of a .safetensors file (tensor names -> dtype/shape) and its raw bytes."""
    try:
        with path.open("rb") as handle:
            (length,) = struct.unpack("<Q", handle.read(8))
            if length > 100_000_000:
                raise ValueError("header length is implausible")
            raw = handle.read(length)
        header = json.loads(raw)
    except (OSError, ValueError, struct.error) as exc:
        raise InvalidInput(
            f"{path} is not a readable .safetensors file: {exc}", "re-download or re-export it"
        ) from exc
    header.pop("__metadata__", None)
    return header, raw


def _classify_keys(keys: list[str]) -> str:
    if any("lora" in k.lower() for k in keys):
        return "lora"
    if any(k.startswith(("image_proj", "ip_adapter")) for k in keys):
        return "ip_adapter"
    return "single_file"


def _ip_adapter_cross_dim(header: dict[str, Any]) -> int:
    for key, meta in header.items():
        if "to_k_ip" in key and key.endswith("weight") and isinstance(meta, dict):
            return int(meta["shape"][-1])
    return 0


def _pipeline_components(folder: Path, index: dict[str, Any]) -> list[str]:
    names = []
    for key, value in index.items():
        if key.startswith("_") or not isinstance(value, list) or len(value) != 2:
            continue
        if value[0] is None or value[1] is None:
            continue
        names.append(key)
    return names


def _cross_attention_dim(folder: Path) -> int:
    for sub in DENOISER_FOLDERS:
        config = folder / sub / "config.json"
        if config.is_file():
            value = _read_json(config).get("cross_attention_dim") or 0
            return int(value[0] if isinstance(value, list) else value)
    return 0


def inspect_pipeline_folder(folder: Path, name: str, source: str) -> ModelEntry:
    """A diffusers folder: its pipeline class, capabilities and every component it needs."""
    index_path = folder / "model_index.json"
    index = _read_json(index_path)
    check_model_folder(folder)
    pipeline_class = index.get("_class_name")
    if not isinstance(pipeline_class, str):
        raise InvalidInput(f"{index_path} names no pipeline class (_class_name)")
    identity = [index_path.read_bytes()]
    for component in _pipeline_components(folder, index):
        sub = folder / component
        if not sub.is_dir():
            raise InvalidInput(
                f"the model in {folder} is missing its {component!r} folder",
                f"model_index.json lists {component}: copy the whole model folder again",
            )
        for config in sorted(sub.glob("*.json")):
            identity.append(config.read_bytes())
    entry = ModelEntry(
        id=_model_id(name, folder, identity),
        path=str(folder.resolve()),
        kind="pipeline",
        pipeline_class=pipeline_class,
        capabilities=capabilities_of(pipeline_class, index),
        source=source,
        name=name,
        size_bytes=_size_of(folder),
    )
    if not entry.capabilities:
        entry.refused = refusal_of(pipeline_class)
    cross = _cross_attention_dim(folder)
    if cross:
        entry.details["cross_attention_dim"] = cross
    return entry


def _find_ip_adapter_weights(folder: Path) -> Path | None:
    for candidate in sorted(folder.rglob("*.safetensors")):
        if "image_encoder" in candidate.parts:
            continue
        header, _raw = safetensors_header(candidate)
        if _classify_keys(list(header)) == "ip_adapter":
            return candidate
    return None


def _encoder_folder(root: Path, encoder: Path | None) -> str:
    """The image encoder's folder as diffusers' load_ip_adapter wants it (relative to root)."""
    if encoder is None:
        return ""
    relative = encoder.relative_to(root).as_posix()
    return relative if "/" in relative else f"./{relative}"


def inspect_ip_adapter_folder(folder: Path, name: str, source: str) -> ModelEntry:
    """An IP-Adapter folder: adapter weights plus an `image_encoder` folder beside them."""
    weights = _find_ip_adapter_weights(folder)
    if weights is None:
        raise InvalidInput(f"no IP-Adapter weights (.safetensors with image_proj) in {folder}")
    encoder = next((p for p in folder.rglob("image_encoder") if p.is_dir()), None)
    check_model_folder(folder)
    header, raw = safetensors_header(weights)
    entry = ModelEntry(
        id=_model_id(name, folder, [raw]),
        path=str(folder.resolve()),
        kind="ip_adapter",
        source=source,
        name=name,
        size_bytes=_size_of(folder),
        details={
            "subfolder": str(weights.parent.relative_to(folder)).replace(os.sep, "/"),
            "weight_name": weights.name,
            "cross_attention_dim": _ip_adapter_cross_dim(header),
            "image_encoder_folder": _encoder_folder(folder, encoder),
        },
    )
    if encoder is None:
        entry.refused = f"no image_encoder folder beside the IP-Adapter weights in {folder}"
    return entry


def _single_file_class(keys: list[str]) -> str:
    for marker, pipeline_class in SINGLE_FILE_MARKERS:
        if any(marker in k for k in keys):
            return pipeline_class
    return ""


def _original_cross_dim(header: dict[str, Any]) -> int:
    """The text width an original-layout UNet attends to (0 when the header does not say)."""
    for key, meta in header.items():
        if key.startswith("model.diffusion_model.") and key.endswith(ORIGINAL_UNET_CROSS_KEY):
            if isinstance(meta, dict) and len(meta.get("shape", [])) == 2:
                return int(meta["shape"][1])
    return 0


def _config_mismatch(path: Path, entry: ModelEntry, config: ModelEntry, width: int) -> str:
    """Why `config` cannot give the original-layout file `entry` its configs ('' if it can)."""
    family = entry.pipeline_class
    originals = {cls for _marker, cls in SINGLE_FILE_MARKERS}
    if family and config.pipeline_class in originals and config.pipeline_class != family:
        return (
            f"{path.name} is a {family} checkpoint but its config folder {config.path} is a "
            f"{config.pipeline_class}: give it a diffusers folder of the same architecture"
        )
    config_width = config.details.get("cross_attention_dim", 0)
    if width and config_width and width != config_width:
        return (
            f"{path.name} attends to text {width} wide but its config folder {config.path} to "
            f"{config_width}: give it a diffusers folder of the same architecture (an SD 1.x "
            "file needs an SD 1.x folder, an SD 2.x file an SD 2.x one)"
        )
    return ""


def inspect_weights_file(
    path: Path, source: str, allow_pickle: bool = False, config: Path | None = None
) -> ModelEntry:
    """A single weights file: a LoRA, IP-Adapter weights or a single-file checkpoint."""
    name = path.stem
    if path.suffix.lower() in PICKLE_SUFFIXES:
        entry = ModelEntry(
            id=_model_id(name, path, [str(path.stat().st_size).encode()]),
            path=str(path.resolve()),
            kind="single_file",
            source=source,
            name=name,
            size_bytes=path.stat().st_size,
        )
        if not allow_pickle:
            entry.refused = PICKLE_REASON
            return entry
        keys = _pickle_keys(path)
        header = {}
        entry.details["allow_pickle"] = True
    else:
        header, raw = safetensors_header(path)
        keys = list(header)
        entry = ModelEntry(
            id=_model_id(name, path, [raw]),
            path=str(path.resolve()),
            kind="single_file",
            source=source,
            name=name,
            size_bytes=path.stat().st_size,
        )
    entry.kind = _classify_keys(keys)
    if entry.kind == "ip_adapter" and path.suffix == ".safetensors":
        encoder = path.parent / "image_encoder"
        entry.details.update(subfolder="", weight_name=path.name)
        entry.details["cross_attention_dim"] = _ip_adapter_cross_dim(header)
        entry.details["image_encoder_folder"] = _encoder_folder(path.parent, encoder)
        entry.path = str(path.parent.resolve())
        if not encoder.is_dir():
            entry.refused = f"no image_encoder folder beside the IP-Adapter weights {path}"
        else:
            check_model_folder(encoder)
    if entry.kind != "single_file":
        return entry
    entry.pipeline_class = _single_file_class(keys)
    entry.details["layout"] = "original" if entry.pipeline_class else "diffusers-denoiser"
    if config is not None:
        config_entry = inspect_pipeline_folder(Path(config), Path(config).name, "added")
        width = _original_cross_dim(header)
        entry.refused = _config_mismatch(path, entry, config_entry, width)
        entry.config_path = config_entry.path
        entry.pipeline_class = config_entry.pipeline_class
        entry.details["cross_attention_dim"] = config_entry.details.get("cross_attention_dim", 0)
        entry.capabilities = config_entry.capabilities
        return entry
    entry.capabilities = capabilities_of(entry.pipeline_class)
    return entry


def _pickle_keys(path: Path) -> list[str]:
    import torch

    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure is a refusal
        raise InvalidInput(
            f"{path} cannot be loaded safely (weights_only): {exc}",
            "convert it to .safetensors with the tool that made it",
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("state_dict"), dict):
        data = data["state_dict"]
    return [str(k) for k in data] if isinstance(data, dict) else []


def looks_like_ip_adapter(folder: Path) -> bool:
    lowered = folder.name.lower().replace("_", "-")
    if "ip-adapter" in lowered:
        return True
    return any(p.is_dir() for p in folder.rglob("image_encoder")) and (
        _find_ip_adapter_weights(folder) is not None
    )


def inspect_path(
    path: Path, source: str = "added", allow_pickle: bool = False, config: Path | None = None
) -> ModelEntry:
    """Turn a folder or a file into a library entry, or raise an error that says what is wrong."""
    path = Path(path).expanduser()
    if not path.exists():
        raise NotFound(f"no model at {path}: the folder or file does not exist")
    if path.is_file():
        if path.suffix.lower() not in WEIGHT_SUFFIXES:
            raise InvalidInput(f"{path} is not a model file (.safetensors, or a pickle checkpoint)")
        return inspect_weights_file(path, source, allow_pickle, config)
    if (path / "model_index.json").is_file():
        return inspect_pipeline_folder(path, path.name, source)
    if looks_like_ip_adapter(path):
        return inspect_ip_adapter_folder(path, path.name, source)
    weights = [p for p in sorted(path.iterdir()) if p.suffix.lower() in WEIGHT_SUFFIXES]
    if len(weights) == 1:
        return inspect_weights_file(weights[0], source, allow_pickle, config)
    if not weights:
        raise InvalidInput(
            f"{path} has no model_index.json and no weights",
            "point at a diffusers model folder (with model_index.json) or a .safetensors file",
        )
    raise InvalidInput(
        f"{path} has no model_index.json and several weight files",
        "add one of its .safetensors files directly",
    )


def _candidates(folder: Path, depth: int = 3) -> list[Path]:
    """Model folders and weight files under a user's folder (not inside a found model)."""
    found: list[Path] = []
    if not folder.is_dir():
        return found
    if (folder / "model_index.json").is_file() or looks_like_ip_adapter(folder):
        return [folder]
    for child in sorted(folder.iterdir()):
        if child.is_file() and child.suffix.lower() in WEIGHT_SUFFIXES:
            found.append(child)
        elif child.is_dir() and depth > 0 and not child.name.startswith("."):
            found.extend(_candidates(child, depth - 1))
    return found


def hf_cache_snapshots(cache: Path) -> list[tuple[str, Path]]:
    """(ORG/NAME, snapshot folder) for each model repository in a Hugging Face cache."""
    found = []
    if not cache.is_dir():
        return found
    for repo in sorted(cache.glob("models--*")):
        name = repo.name.removeprefix("models--").replace("--", "/")
        snapshots = repo / "snapshots"
        ref = repo / "refs" / "main"
        if ref.is_file() and (snapshots / ref.read_text().strip()).is_dir():
            found.append((name, snapshots / ref.read_text().strip()))
        elif snapshots.is_dir():
            found.extend((name, snap) for snap in sorted(snapshots.iterdir()) if snap.is_dir())
    return found


class ModelLibrary:
    """The user's models: `scan()` finds them, `add()` names one, `resolve()` gets one."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = Path(home) if home else library_home()
        self.folders: list[str] = []
        self._entries: dict[str, ModelEntry] = {}
        self.load()

    @property
    def file(self) -> Path:
        return self.home / "models.json"

    def load(self) -> None:
        """Read models.json (an absent file is an empty library)."""
        self._entries = {}
        self.folders = []
        if not self.file.is_file():
            return
        data = _read_json(self.file)
        self.folders = [str(f) for f in data.get("folders", [])]
        for item in data.get("models", []):
            entry = ModelEntry.from_json(item)
            self._entries[entry.id] = entry

    def save(self) -> None:
        """Write models.json atomically."""
        self.home.mkdir(parents=True, exist_ok=True)
        data = {
            "version": LIBRARY_VERSION,
            "folders": self.folders,
            "models": [e.to_json() for e in self._entries.values()],
        }
        tmp = self.file.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        os.replace(tmp, self.file)

    def list(self) -> list[ModelEntry]:
        """Every entry, refused ones included, sorted by name."""
        return sorted(self._entries.values(), key=lambda e: (e.name.lower(), e.id))

    def get(self, model_id: str) -> ModelEntry:
        if model_id not in self._entries:
            raise NotFound(
                f"no model {model_id!r} in the model library ({self.file})",
                "run `studio models scan` or `studio models add PATH`",
            )
        return self._entries[model_id]

    def scan(self, folders: list[Path] | None = None, hf_cache: bool = True) -> list[ModelEntry]:
        """Find models in the user's folders (and `folders`, remembered) and the HF cache."""
        for folder in folders or []:
            resolved = str(Path(folder).expanduser().resolve())
            if resolved not in self.folders:
                self.folders.append(resolved)
        found: list[ModelEntry] = []
        for folder in self.folders:
            for candidate in _candidates(Path(folder)):
                found.append(self._inspect_or_refuse(candidate, candidate.name, "folder"))
        if hf_cache:
            for name, snapshot in hf_cache_snapshots(hf_cache_dir()):
                found.append(self._inspect_or_refuse(snapshot, name, "hf-cache"))
        kept = {k: e for k, e in self._entries.items() if e.source == "added"}
        self._entries = kept | {e.id: e for e in found}
        self._attach_configs()
        self.save()
        return found

    def _inspect_or_refuse(self, path: Path, name: str, source: str) -> ModelEntry:
        try:
            if path.is_dir() and (path / "model_index.json").is_file():
                return inspect_pipeline_folder(path, name, source)
            entry = inspect_path(path, source)
            if source == "hf-cache":
                entry.name = name
            return entry
        except (InvalidInput, NotFound) as exc:
            return ModelEntry(
                id=_model_id(name, path, [b"refused"]),
                path=str(path),
                kind="pipeline",
                source=source,
                name=name,
                refused=str(exc),
            )

    def _attach_configs(self) -> None:
        """Give single-file checkpoints without a config a base pipeline of their family."""
        for entry in self._entries.values():
            if entry.kind != "single_file" or entry.config_path or entry.refused:
                continue
            base = self.base_for(entry.pipeline_class)
            if base is None:
                family = entry.pipeline_class or "its architecture"
                entry.refused = (
                    f"single-file checkpoint needs a diffusers folder of {family} for its "
                    "configs: add it with config=FOLDER (`studio models add FILE --config DIR`)"
                )
            else:
                entry.config_path = base.path
                entry.refused = ""

    def base_for(self, pipeline_class: str) -> ModelEntry | None:
        """A usable diffusers folder of `pipeline_class` (configs for single files)."""
        for entry in self.list():
            if entry.kind == "pipeline" and entry.usable and entry.pipeline_class == pipeline_class:
                if pipeline_class:
                    return entry
        return None

    def add(
        self, path: Path | str, allow_pickle: bool = False, config: Path | str | None = None
    ) -> ModelEntry:
        """Add one model folder or file; raises a StudioError saying what is wrong with it."""
        entry = inspect_path(Path(path), "added", allow_pickle, Path(config) if config else None)
        if entry.refused:
            raise InvalidInput(f"{path} refused: {entry.refused}")
        self._entries[entry.id] = entry
        self._attach_configs()
        self.save()
        if entry.refused:
            raise InvalidInput(f"{path} refused: {entry.refused}")
        return entry

    def set_native_size(self, model_id: str, size: tuple[int, int] | None) -> ModelEntry:
        """Tell the library the size a video model was trained at (Wan 2.1 720P, a fine-tune),
        where its files do not say; clips then generate within it. None forgets it."""
        entry = self.get(model_id)
        if "image-to-video" not in entry.capabilities:
            raise InvalidInput(
                f"{model_id} is not an image-to-video model", "a native size is for video models"
            )
        if size is None:
            entry.details.pop("native_size", None)
        else:
            width, height = (int(side) for side in size)
            if min(width, height) < 16:
                raise InvalidInput(f"a native size of {width}×{height} is too small")
            entry.details["native_size"] = [width, height]
        self.save()
        return entry

    def remove(self, model_id: str) -> None:
        """Forget a model (its files stay on disk)."""
        self.get(model_id)
        del self._entries[model_id]
        self.save()

    def resolve(self, id_or_path: str) -> ModelEntry:
        """An entry by id, or by a path that is added on the fly."""
        if id_or_path in self._entries:
            entry = self._entries[id_or_path]
        elif Path(id_or_path).expanduser().exists():
            resolved = str(Path(id_or_path).expanduser().resolve())
            known = [e for e in self._entries.values() if e.path == resolved and e.usable]
            entry = known[0] if known else self.add(id_or_path)
        else:
            entry = self.get(id_or_path)
        if entry.refused:
            raise InvalidInput(f"model {entry.id} ({entry.path}) cannot be used: {entry.refused}")
        return entry

    def ip_adapter_for(self, model: ModelEntry) -> ModelEntry | None:
        """A usable IP-Adapter whose attention width matches `model`'s, if the library has one."""
        width = model.details.get("cross_attention_dim", 0)
        for entry in self.list():
            if entry.kind == "ip_adapter" and entry.usable:
                if width and entry.details.get("cross_attention_dim") == width:
                    return entry
        return None
