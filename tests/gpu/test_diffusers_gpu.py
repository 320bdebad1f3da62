"""The diffusers backends on a CUDA GPU: half precision, the pipeline cache, OOM recovery."""

from __future__ import annotations

from dataclasses import replace

import pytest

torch = pytest.importorskip("torch")
pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
]


def test_keyframe_runs_in_half_precision_on_cuda(tmp_path, monkeypatch):
    from studio.generation.backends.diffusers_image import DiffusersImageBackend
    from studio.generation.models import ModelLibrary
    from studio.generation.pipelines import PipelineCache
    from studio.generation.requests import KeyframeRequest
    from studio.progress import JobContext
    from tests.core.diffusers.conftest import build_tiny_sd

    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    library = ModelLibrary()
    entry = library.add(build_tiny_sd(tmp_path / "tiny-sd"))
    backend = DiffusersImageBackend(library, PipelineCache())
    request = KeyframeRequest(
        backend="diffusers", model=entry.id, prompt="x", width=64, height=64, steps=2, seed=1
    )
    first = backend.generate(request, {}, JobContext())
    assert (first.info["device"], first.info["dtype"]) == ("cuda", "float16")
    assert backend.generate(request, {}, JobContext()).data == first.data
    assert backend.generate(replace(request, seed=2), {}, JobContext()).data != first.data
