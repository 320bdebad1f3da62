"""The backend protocol and the registry that finds backends by name.

A backend turns one frozen request into media bytes, reporting progress and honouring
cancellation through its JobContext. Built-in backends are registered lazily by module path so
that listing them never imports torch or diffusers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from studio.domain.entities import TakeKind
from studio.errors import InvalidInput, NotFound
from studio.generation.requests import GenerationResult, Request
from studio.progress import JobContext


@dataclass(frozen=True)
class Capabilities:
    kind: TakeKind  # what the backend makes: keyframes, clips or voices (a string is converted)
    accepts: frozenset[str] = frozenset()  # "text", "image", "references", "lora"…
    needs_gpu: bool = False
    needs_model: bool = False
    max_width: int = 4096
    max_height: int = 4096
    size_multiple: int = 2  # width and height are rounded to this

    def __post_init__(self) -> None:
        if self.kind not in set(TakeKind):
            known = ", ".join(TakeKind)
            raise InvalidInput(f"unknown backend kind {self.kind!r}", f"use one of {known}")
        object.__setattr__(self, "kind", TakeKind(self.kind))


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
        self._kinds: dict[str, TakeKind] = {}

    def register_lazy(
        self, name: str, path: str, model: bool = False, kind: TakeKind | None = None
    ) -> None:
        """Register `module:attribute`, imported only when the backend is first used.
        `model` backends hold big pipelines: one worker owns them (they are not thread-safe).
        `kind` (what it makes) lets `names(kind=…)` list it without importing it; without
        one, listing by kind imports the backend to ask its capabilities."""
        self._paths[name] = path
        if model:
            self._model_backends.add(name)
        if kind is not None:
            self._kinds[name] = TakeKind(kind)

    def is_model_backend(self, name: str) -> bool:
        return name in self._model_backends

    def is_built_in(self, name: str) -> bool:
        """Shipped with the studio (not registered by a plugin or a test)."""
        return self._paths.get(name, "").startswith(_BUILT_IN)

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

    def names(self, kind: TakeKind | None = None) -> list[str]:
        """Every registered backend's name, or only those making `kind` (keyframes, clips…)."""
        every = sorted(set(self._paths) | set(self._loaded))
        return every if kind is None else [n for n in every if self.kind_of(n) is kind]

    def kind_of(self, name: str) -> TakeKind:
        """What backend `name` makes: as registered, else from its capabilities."""
        if name in self._kinds:
            return self._kinds[name]
        return self.get(name).capabilities.kind

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
_BUILT_IN = "studio.generation.backends."
registry.register_lazy("previz", f"{_BUILT_IN}previz:PrevizBackend", kind=TakeKind.KEYFRAME)
registry.register_lazy("camera", f"{_BUILT_IN}camera:CameraBackend", kind=TakeKind.CLIP)
registry.register_lazy("piper", f"{_BUILT_IN}piper_voice:PiperBackend", kind=TakeKind.VOICE)
registry.register_lazy(
    "diffusers", f"{_BUILT_IN}diffusers_image:DiffusersImageBackend", kind=TakeKind.KEYFRAME
)
registry.register_lazy(
    "diffusers-video", f"{_BUILT_IN}diffusers_video:DiffusersVideoBackend", kind=TakeKind.CLIP
)
