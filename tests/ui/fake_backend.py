"""A keyframe backend for UI tests: it holds each job at a gate until the test opens it, so a
test sees a job running, pauses, cancels and interrupts it without any sleep."""

from __future__ import annotations

import threading

from studio.generation.backends.base import Capabilities
from studio.generation.requests import GenerationResult
from studio.media.decode import encode_png

gate = threading.Event()
entered = threading.Event()


class FakeBackend:
    name = "fake"
    version = "1"
    capabilities = Capabilities(kind="keyframe", accepts=frozenset({"text"}))

    def generate(self, request, inputs, ctx) -> GenerationResult:
        import numpy as np

        ctx.report(0.25, "waiting at the gate")
        entered.set()
        while not gate.wait(0.01):
            ctx.check_cancelled()
        ctx.check_cancelled()
        pixels = np.full((36, 64, 3), request.seed % 255, np.uint8)
        return GenerationResult(
            data=encode_png(pixels), extension=".png", mime="image/png", width=64, height=36
        )
