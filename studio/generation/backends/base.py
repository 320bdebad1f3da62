"""The backend protocol and the registry that finds backends by name.

A backend turns one frozen request into media bytes, reporting progress and honouring
cancellation through its JobContext. Built-in backends are registered lazily by module path so
that listing them never imports torch or diffusers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from studio.errors import NotFound
from studio.generation.requests import GenerationResult, Request
from studio.progress import JobContext


@dataclass(frozen=True)
class Capabilities:
    kind: str  # keyframe, clip, voice, enhance
    accepts: frozenset[str] = frozenset()  # "text", "image", "references", "lora"…
    needs_gpu: bool = False
    needs_model: bool = False
    max_width: int = 4096
    max_height: int = 4096
    size_multiple: int = 2  # width and height are rounded to this


@runtime_checkable
class Backend(Protocol):
    name: str
    version: str
    capabilities: Capabilities

    def generate(
        self, request: Request, inputs: dict[str, bytes], ctx: JobContext
    ) -> GenerationResult:
        """Make one take. `inputs` holds the bytes of every sha256 in request.media_inputs()."""
        ...


class BackendRegistry:
    def __init__(self) -> None:
        self._paths: dict[str, str] = {}
        self._loaded: dict[str, Backend] = {}
        self._model_backends: set[str] = set()

    def register_lazy(self, name: str, path: str, model: bool = False) -> None:
        """Register `module:attribute`, imported only when the backend is first used.
        `model` backends hold big pipelines: one worker owns them (they are not thread-safe)."""
        self._paths[name] = path
        if model:
            self._model_backends.add(name)

    def is_model_backend(self, name: str) -> bool:
        return name in self._model_backends

    def register(self, backend: Backend) -> None:
        self._loaded[backend.name] = backend

    def spec(self, name: str) -> tuple[str, object]:
        """How another process finds this backend: ("lazy", "module:attr") or ("object", it)."""
        if name in self._paths:
            return ("lazy", self._paths[name])
        if name in self._loaded:
            return ("object", self._loaded[name])
        self.get(name)  # raises NotFound with the known names
        raise AssertionError  # pragma: no cover

    def adopt(self, name: str, spec: tuple[str, object]) -> None:
        """Register a backend described by `spec()` in this process, if it is not known yet."""
        if name in self._paths or name in self._loaded:
            return
        how, what = spec
        if how == "lazy":
            self._paths[name] = str(what)
        else:
            self._loaded[name] = what  # type: ignore[assignment]

    def names(self) -> list[str]:
        return sorted(set(self._paths) | set(self._loaded))

    def get(self, name: str) -> Backend:
        if name in self._loaded:
            return self._loaded[name]
        if name not in self._paths:
            known = ", ".join(self.names())
            raise NotFound(f"no generation backend named {name!r}", f"known backends: {known}")
        module_name, _, attribute = self._paths[name].partition(":")
        factory = getattr(importlib.import_module(module_name), attribute)
        backend = factory()
        self._loaded[name] = backend
        return backend


registry = BackendRegistry()
registry.register_lazy("previz", "studio.generation.backends.previz:PrevizBackend")
registry.register_lazy("camera", "studio.generation.backends.camera:CameraBackend")
registry.register_lazy("piper", "studio.generation.backends.piper_voice:PiperBackend")
registry.register_lazy(
    "diffusers", "studio.generation.backends.diffusers_image:DiffusersImageBackend"
)
registry.register_lazy(
    "diffusers-video", "studio.generation.backends.diffusers_video:DiffusersVideoBackend"
)
