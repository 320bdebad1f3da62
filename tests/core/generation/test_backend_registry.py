"""The backend registry answers by kind: the app lists keyframe, clip and voice backends from it,
so a new backend appears by registering alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from studio.domain.entities import TakeKind
from studio.errors import InvalidInput
from studio.generation.backends.base import BackendRegistry, Capabilities


class Sketcher:
    name = "sketcher"
    version = "1"
    capabilities = Capabilities(kind="keyframe", accepts=frozenset({"text"}))

    def generate(self, request, inputs, ctx):
        raise NotImplementedError


def test_built_in_backends_are_listed_by_kind_without_being_imported():
    code = (
        "import sys\nfrom studio.domain.entities import TakeKind\n"
        "from studio.generation.backends.base import registry\n"
        "print([registry.names(kind=k) for k in TakeKind])\n"
        "print(sorted(m for m in sys.modules if m.startswith('studio.generation.backends.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    listed, imported = done.stdout.strip().splitlines()
    assert listed == "[['diffusers', 'previz'], ['camera', 'diffusers-video'], ['piper']]"
    assert imported == "['studio.generation.backends.base']"


def test_a_new_backend_is_listed_by_the_kind_its_capabilities_say():
    backends = BackendRegistry()
    backends.register_lazy("walker", "studio.generation.backends.camera:CameraBackend")
    backends.register(Sketcher())
    assert backends.names() == ["sketcher", "walker"]
    assert backends.names(kind=TakeKind.KEYFRAME) == ["sketcher"]
    assert backends.names(kind=TakeKind.CLIP) == ["walker"]  # imported to ask
    assert backends.names(kind=TakeKind.VOICE) == []
    assert Sketcher.capabilities.kind is TakeKind.KEYFRAME


def test_an_unknown_backend_kind_is_refused_naming_it():
    with pytest.raises(InvalidInput, match="'enhance'"):
        Capabilities(kind="enhance")
