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
from studio.jobs.context import JobContext


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

    def register_lazy(self, name: str, path: str) -> None:
        """Register `module:attribute`, imported only when the backend is first used."""
        self._paths[name] = path

    def register(self, backend: Backend) -> None:
        self._loaded[backend.name] = backend

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
