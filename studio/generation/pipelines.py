"""Loading diffusers pipelines from library entries, and the per-process pipeline cache.

A pipeline is loaded once and reused across jobs: the cache is keyed by model id, pipeline class,
device and dtype, keeps the most recently used few, and evicts the oldest when memory is short.
Everything here runs offline (`local_files_only=True`). The helpers shared by the keyframe and
clip backends live here too: step progress and cancellation, out-of-memory handling, LoRAs.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.errors import Cancelled, InvalidInput, StudioError
from studio.generation.devices import (
    HEADROOM,
    DeviceChoice,
    OutOfMemory,
    available_memory,
    choose_device,
    is_out_of_memory,
    release_memory,
)
from studio.generation.model_code import check_model_folder, ensure_offline
from studio.generation.models import ModelEntry, ModelLibrary
from studio.progress import JobContext

DEFAULT_CACHE_SIZE = 2


@dataclass
class LoadedPipeline:
    """A loaded pipeline with the choices it was loaded under; `derived` holds from_pipe views."""

    entry: ModelEntry
    pipe: Any
    choice: DeviceChoice
    derived: dict[str, Any] = field(default_factory=dict)


def _import_diffusers() -> Any:
    ensure_offline()
    import diffusers
    import torch

    # deliberate: the worker that owns the pipelines gets the threads it was given (all cores
    # by default), not torch's guess, which counts hyperthreads and ignores the CPU pool
    threads = int(os.environ.get("STUDIO_TORCH_THREADS", "0")) or (os.cpu_count() or 1)
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    diffusers.utils.logging.set_verbosity_error()
    return diffusers


def _pipeline_type(pipeline_class: str) -> Any:
    diffusers = _import_diffusers()
    cls = getattr(diffusers, pipeline_class, None)
    if cls is None:
        raise InvalidInput(
            f"this diffusers ({diffusers.__version__}) has no pipeline {pipeline_class!r}",
            "update diffusers, or use a model of a supported family",
        )
    return cls


SINGLE_FILE_HINT = (
    "the file may be cut short or damaged (download it again), or not of the same architecture "
    "as its config folder (add it again with a matching --config DIR)"
)


def _load_single_file(cls: Any, entry: ModelEntry, dtype: Any) -> Any:
    """A single checkpoint: the original layout whole, else a denoiser-only file (unet or
    transformer in diffusers layout) with the other components from the config folder."""
    config = _single_file_config(entry)
    try:
        if entry.details.get("layout") == "original":
            pipe = cls.from_single_file(
                entry.path, config=str(config), torch_dtype=dtype, local_files_only=True
            )
            _check_complete(pipe.components, entry.path)
            return pipe
        return _load_denoiser_file(cls, entry, config, dtype)
    except StudioError:
        raise
    except Exception as exc:  # noqa: BLE001 - diffusers raises many kinds for a bad checkpoint
        if is_out_of_memory(exc):
            raise
        if "meta tensor" in str(exc):
            _name_incomplete_component(entry, config)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidInput(
            f"cannot load the checkpoint {entry.path} (configs from {config}): {reason}",
            SINGLE_FILE_HINT,
        ) from exc


def _single_file_config(entry: ModelEntry) -> Path:
    """The checked config folder of a single file (diffusers would go to the Hub for a missing
    one, even with local_files_only=True)."""
    if not entry.config_path:
        raise InvalidInput(
            f"the single-file model {entry.path} has no config folder",
            "add it again with config=<a diffusers folder of the same architecture>",
        )
    if not Path(entry.path).is_file():
        raise InvalidInput(
            f"the checkpoint {entry.path} is gone",
            "put the file back, or run `studio models scan` again",
        )
    config = Path(entry.config_path)
    if not (config / "model_index.json").is_file():
        raise InvalidInput(
            f"the config folder {config} of the checkpoint {entry.path} is gone or has no "
            "model_index.json",
            "add the checkpoint again with --config <a diffusers folder of the same architecture>",
        )
    check_model_folder(config)  # again: the folder may have been edited since it was added
    return config


def _load_denoiser_file(cls: Any, entry: ModelEntry, config: Path, dtype: Any) -> Any:
    sub = next((s for s in ("unet", "transformer") if (config / s).is_dir()), None)
    if sub is None:
        raise InvalidInput(f"{config} has no unet or transformer folder for {entry.path}")
    diffusers = _import_diffusers()
    class_name = _component_class(config, sub)
    model = getattr(diffusers, class_name).from_single_file(
        entry.path, subfolder=sub, config=str(config), torch_dtype=dtype, local_files_only=True
    )
    return cls.from_pretrained(config, torch_dtype=dtype, local_files_only=True, **{sub: model})


def _incomplete(path: str, component: str, detail: str) -> InvalidInput:
    return InvalidInput(
        f"the checkpoint {path} is incomplete: its {component} lacks {detail}",
        "the download may have been cut short: download the file again",
    )


def _check_complete(components: dict[str, Any], path: str) -> None:
    """A tensor the checkpoint lacks is left on the meta device by transformers' loading, and
    fails only later, deep inside a generation: name the component and tensors instead."""
    for name, component in components.items():
        if not hasattr(component, "named_parameters"):
            continue
        tensors = [*component.named_parameters(), *component.named_buffers()]
        missing = [key for key, tensor in tensors if tensor.is_meta]
        if missing:
            shown = ", ".join(missing[:3]) + (", …" if len(missing) > 3 else "")
            raise _incomplete(path, name, f"{len(missing)} tensor(s) ({shown})")


def _name_incomplete_component(entry: ModelEntry, config: Path) -> None:
    """diffusers' own models fail on a missing tensor while the pipeline loads ("cannot copy
    out of meta tensor"), before anyone can say which: load them one at a time to name it."""
    if not entry.path.lower().endswith(".safetensors"):
        return
    from safetensors.torch import load_file

    diffusers = _import_diffusers()
    checkpoint = load_file(entry.path)
    index = json.loads((config / "model_index.json").read_text(encoding="utf-8"))
    for name, value in sorted(index.items()):
        if not (isinstance(value, list) and len(value) == 2 and value[0] == "diffusers"):
            continue
        model_type = getattr(diffusers, str(value[1]), None)
        if model_type is None or not hasattr(model_type, "from_single_file"):
            continue
        try:
            model_type.from_single_file(
                checkpoint, config=str(config), subfolder=name, local_files_only=True
            )
        except Exception as exc:  # noqa: BLE001 - only the meta-tensor failure names the culprit
            if "meta tensor" in str(exc):
                raise _incomplete(entry.path, name, "tensors (left empty)") from exc


def _component_class(config: Path, sub: str) -> str:
    index = json.loads((config / "model_index.json").read_text(encoding="utf-8"))
    value = index.get(sub)
    if not isinstance(value, list) or len(value) != 2 or not value[1]:
        raise InvalidInput(f"{config}/model_index.json does not name its {sub} class")
    return str(value[1])


def _check_components(entry: ModelEntry) -> None:
    if entry.kind != "pipeline":
        return
    folder = Path(entry.path)
    if not (folder / "model_index.json").is_file():
        raise InvalidInput(
            f"the model folder {folder} is gone or has no model_index.json",
            "run `studio models scan` again, or add the folder again",
        )
    check_model_folder(folder)  # again: the folder may have been edited since it was added


def load_pipeline(entry: ModelEntry, choice: DeviceChoice, pipeline_class: str = "") -> Any:
    """Load `entry` as `pipeline_class` (default: its own) on the chosen device and dtype."""
    if entry.refused:
        raise InvalidInput(f"model {entry.id} cannot be used: {entry.refused}")
    if entry.kind not in ("pipeline", "single_file"):
        raise InvalidInput(f"model {entry.id} is a {entry.kind}, not a pipeline")
    _check_components(entry)
    cls = _pipeline_type(pipeline_class or entry.pipeline_class)
    dtype = choice.torch_dtype()
    try:
        if entry.kind == "single_file":
            pipe = _load_single_file(cls, entry, dtype)
        else:
            pipe = cls.from_pretrained(entry.path, torch_dtype=dtype, local_files_only=True)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(
            f"cannot load model {entry.id} from {entry.path}: {exc}",
            "the folder may be incomplete or of another diffusers version",
        ) from exc
    return place(pipe, choice)


def place(pipe: Any, choice: DeviceChoice) -> Any:
    """Move a pipeline to its device and switch on the chosen memory savers."""
    if choice.cpu_offload:
        pipe.enable_model_cpu_offload()
    else:
        pipe.to(choice.device)
    vae = getattr(pipe, "vae", None)
    if vae is not None and choice.vae_slicing and hasattr(vae, "enable_slicing"):
        vae.enable_slicing()
    if vae is not None and choice.vae_tiling and hasattr(vae, "enable_tiling"):
        vae.enable_tiling()
    pipe.set_progress_bar_config(disable=True)
    return pipe


class PipelineCache:
    """Loaded pipelines of this process, least recently used first out."""

    def __init__(self, max_items: int | None = None) -> None:
        env = os.environ.get("STUDIO_PIPELINE_CACHE", "")
        self.max_items = max_items or (int(env) if env.isdigit() else DEFAULT_CACHE_SIZE)
        self._items: OrderedDict[tuple[str, str, str, str], LoadedPipeline] = OrderedDict()
        self.loads = 0  # how many pipelines were loaded from disk (for tests and benchmarks)

    def __len__(self) -> int:
        return len(self._items)

    def get(
        self, entry: ModelEntry, pipeline_class: str = "", choice: DeviceChoice | None = None
    ) -> LoadedPipeline:
        """The loaded pipeline for `entry`, loading it (and evicting others) when needed."""
        pipeline_class = pipeline_class or entry.pipeline_class
        choice = choice or choose_device(pipeline_class, entry.size_bytes)
        key = (entry.id, pipeline_class, choice.device, choice.dtype)
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        self._make_room(entry.size_bytes, choice.device)
        loaded = LoadedPipeline(entry, load_pipeline(entry, choice, pipeline_class), choice)
        self.loads += 1
        self._items[key] = loaded
        return loaded

    def _make_room(self, size_bytes: int, device: str) -> None:
        while len(self._items) >= self.max_items:
            self._items.popitem(last=False)
        needed = size_bytes * HEADROOM
        while self._items and available_memory(device) < needed:
            self._items.popitem(last=False)
            release_memory()

    def clear(self) -> None:
        """Drop every pipeline and give the memory back."""
        self._items.clear()
        release_memory()


_process_cache: PipelineCache | None = None


def process_cache() -> PipelineCache:
    """The cache shared by every backend in this process (one worker owns the pipelines)."""
    global _process_cache
    if _process_cache is None:
        _process_cache = PipelineCache()
    return _process_cache


class StepReporter:
    """A `callback_on_step_end` that reports progress and interrupts the pipeline on cancel."""

    def __init__(
        self,
        ctx: JobContext,
        steps: int,
        start: float = 0.0,
        span: float = 1.0,
        label: str = "step",
    ) -> None:
        self.ctx = ctx
        self.steps = max(1, steps)
        self.start = start
        self.span = span
        self.label = label
        self.cancelled = False

    def __call__(self, pipe: Any, step: int, timestep: Any, kwargs: dict[str, Any]) -> dict:
        done = step + 1
        self.ctx.report(
            self.start + self.span * done / self.steps, f"{self.label} {done}/{self.steps}"
        )
        if self.ctx.cancelled:
            self.cancelled = True
            pipe._interrupt = True
        return kwargs

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled("generation cancelled by the user")


@contextmanager
def out_of_memory_guard(cache: PipelineCache, what: str, hint: str) -> Iterator[None]:
    """Turn a device out-of-memory into `OutOfMemory` after freeing every cached pipeline."""
    try:
        yield
    except StudioError:
        raise
    except (RuntimeError, MemoryError) as exc:
        if not is_out_of_memory(exc):
            raise
        cache.clear()
        raise OutOfMemory(f"out of memory while generating {what}", hint) from exc


@contextmanager
def loras_applied(
    pipe: Any, library: ModelLibrary, loras: tuple[tuple[str, float], ...]
) -> Iterator[list[str]]:
    """Load the requested LoRAs with their scales; unload them afterwards."""
    if not loras:
        yield []
        return
    names = []
    try:
        for index, (model_id, scale) in enumerate(loras):
            entry = library.resolve(model_id)
            if entry.kind != "lora":
                raise InvalidInput(f"{model_id} is a {entry.kind}, not a LoRA")
            path = Path(entry.path)
            name = f"lora{index}"
            pipe.load_lora_weights(
                str(path.parent), weight_name=path.name, adapter_name=name, local_files_only=True
            )
            names.append((name, float(scale)))
        pipe.set_adapters([n for n, _ in names], adapter_weights=[s for _, s in names])
        yield [entry_id for entry_id, _ in loras]
    finally:
        if names:
            pipe.unload_lora_weights()


def version_info() -> dict[str, str]:
    """diffusers and torch versions, for a take's recipe."""
    import diffusers
    import torch

    return {"diffusers_version": diffusers.__version__, "torch_version": torch.__version__}


def cpu_generators(seeds: list[int]) -> list[Any]:
    """One CPU generator per seed: the same seed gives the same noise on every device."""
    import torch

    return [torch.Generator("cpu").manual_seed(int(seed)) for seed in seeds]
