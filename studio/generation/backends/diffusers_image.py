"""The `diffusers` keyframe backend: text-to-image and image-to-image from the user's models.

Works with any diffusers text-to-image family in the model library (SD 1.5, SDXL, SD-Turbo, SD3,
FLUX, PixArt…), loaded once per process through the pipeline cache. Image-to-image reuses the
loaded components (`AutoPipelineForImage2Image.from_pipe`). Character references go through an
IP-Adapter from the library when one fits the model; LoRAs load with their scale for one call.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from studio.errors import InvalidInput
from studio.generation.backends.base import Capabilities
from studio.generation.models import ModelEntry, ModelLibrary
from studio.generation.pipelines import (
    LoadedPipeline,
    PipelineCache,
    StepReporter,
    cpu_generators,
    loras_applied,
    out_of_memory_guard,
    process_cache,
    version_info,
)
from studio.generation.requests import GenerationResult, KeyframeRequest
from studio.progress import JobContext

OOM_HINT = (
    "try a smaller size or fewer takes at once, close other GPU programs, or set "
    "STUDIO_DEVICE=cpu to run slowly on the processor"
)


def size_multiple(pipe: Any) -> int:
    """Width and height must be multiples of the VAE scale factor times the patch size."""
    factor = int(getattr(pipe, "vae_scale_factor", 8) or 8)
    denoiser = getattr(pipe, "transformer", None) or getattr(pipe, "unet", None)
    patch = int(getattr(getattr(denoiser, "config", None), "patch_size", 1) or 1)
    return factor * patch


def native_size(pipe: Any) -> int:
    """The side the model was trained at, in pixels (sample_size × VAE scale factor)."""
    denoiser = getattr(pipe, "unet", None) or getattr(pipe, "transformer", None)
    sample = getattr(getattr(denoiser, "config", None), "sample_size", None) or 64
    if isinstance(sample, list | tuple):
        sample = max(sample)
    return int(sample) * int(getattr(pipe, "vae_scale_factor", 8) or 8)


def fit_size(width: int, height: int, multiple: int, native: int) -> tuple[int, int]:
    """Round a requested size to the model's multiple, at most twice its native side."""
    limit = 2 * native
    scale = min(1.0, limit / max(width, height))
    fitted = []
    for side in (width * scale, height * scale):
        fitted.append(max(multiple, int(round(side / multiple)) * multiple))
    return fitted[0], fitted[1]


def open_image(data: bytes, name: str) -> Any:
    """A PIL RGB image from PNG/JPEG/WebP bytes, or InvalidInput naming the input."""
    from PIL import Image

    from studio.media.decode import read_image

    return Image.fromarray(read_image(data, name))


def _same_but_seed(requests: list[KeyframeRequest]) -> None:
    first = replace(requests[0], seed=0)
    for other in requests[1:]:
        if replace(other, seed=0) != first:
            raise InvalidInput("generate_many needs requests that differ only in their seed")


class DiffusersImageBackend:
    """Keyframes from a local diffusers model (text-to-image, image-to-image, IP-Adapter, LoRA)."""

    name = "diffusers"
    version = "1"
    capabilities = Capabilities(
        kind="keyframe",
        accepts=frozenset({"text", "image", "references", "lora"}),
        needs_model=True,
        size_multiple=8,
    )

    def __init__(self, library: ModelLibrary | None = None, cache: PipelineCache | None = None):
        self._library = library
        self.cache = cache if cache is not None else process_cache()

    @property
    def library(self) -> ModelLibrary:
        if self._library is None:
            self._library = ModelLibrary()
        return self._library

    def generate(
        self, request: KeyframeRequest, inputs: dict[str, bytes], ctx: JobContext
    ) -> GenerationResult:
        """Make one keyframe take (PNG)."""
        return self.generate_many([request], inputs, ctx)[0]

    def generate_many(
        self, requests: list[KeyframeRequest], inputs: dict[str, bytes], ctx: JobContext
    ) -> list[GenerationResult]:
        """Several takes in one pipeline call, for requests that differ only in their seed."""
        if not requests:
            return []
        _same_but_seed(requests)
        request = requests[0]
        ctx.check_cancelled()
        entry = self._model(request)
        what = f"{len(requests)} keyframe(s) at {request.width}×{request.height} with {entry.id}"
        with out_of_memory_guard(self.cache, what, OOM_HINT):
            loaded = self.cache.get(entry)
            return self._run(loaded, requests, inputs, ctx)

    def _model(self, request: KeyframeRequest) -> ModelEntry:
        if not request.model:
            raise InvalidInput("the diffusers backend needs a model: pick one in the model library")
        entry = self.library.resolve(request.model)
        if "text-to-image" not in entry.capabilities:
            raise InvalidInput(f"model {entry.id} ({entry.pipeline_class}) cannot make keyframes")
        return entry

    def _run(
        self,
        loaded: LoadedPipeline,
        requests: list[KeyframeRequest],
        inputs: dict[str, bytes],
        ctx: JobContext,
    ) -> list[GenerationResult]:
        request = requests[0]
        pipe, kwargs, mode = self._pipeline_for(loaded, request, inputs)
        width, height = fit_size(
            request.width, request.height, size_multiple(pipe), native_size(pipe)
        )
        reporter = StepReporter(ctx, request.steps)
        kwargs.update(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt or None,
            num_inference_steps=request.steps,
            guidance_scale=request.guidance,
            generator=cpu_generators([r.seed for r in requests]),
            num_images_per_prompt=len(requests),
            output_type="np",
            callback_on_step_end=reporter,
        )
        if mode == "text-to-image":
            kwargs.update(width=width, height=height)
        with self._conditioning(pipe, loaded.entry, request, inputs) as conditioning:
            kwargs.update(conditioning["kwargs"])
            with loras_applied(pipe, self.library, request.loras) as loras:
                images = pipe(**kwargs).images
        reporter.raise_if_cancelled()
        info = {
            "model_id": loaded.entry.id,
            "pipeline_class": type(pipe).__name__,
            "device": loaded.choice.device,
            "dtype": loaded.choice.dtype,
            "steps": request.steps,
            "mode": mode,
            "conditioning": conditioning["mode"],
            "loras": loras,
            **version_info(),
        }
        pairs = zip(images, requests, strict=True)
        return [self._result(image, dict(info, seed=r.seed)) for image, r in pairs]

    def _pipeline_for(
        self, loaded: LoadedPipeline, request: KeyframeRequest, inputs: dict[str, bytes]
    ) -> tuple[Any, dict[str, Any], str]:
        if not request.init_image:
            return loaded.pipe, {}, "text-to-image"
        if "image-to-image" not in loaded.entry.capabilities:
            raise InvalidInput(f"model {loaded.entry.id} cannot do image-to-image")
        if request.init_image not in inputs:
            raise InvalidInput(f"the init image {request.init_image[:12]}… was not provided")
        if "img2img" not in loaded.derived:
            from diffusers import AutoPipelineForImage2Image

            derived = AutoPipelineForImage2Image.from_pipe(loaded.pipe)
            derived.set_progress_bar_config(disable=True)
            loaded.derived["img2img"] = derived
        pipe = loaded.derived["img2img"]
        image = open_image(inputs[request.init_image], "init image")
        width, height = fit_size(
            request.width, request.height, size_multiple(pipe), native_size(pipe)
        )
        image = image.resize((width, height))
        return pipe, {"image": image, "strength": request.strength}, "image-to-image"

    @contextmanager
    def _conditioning(
        self, pipe: Any, entry: ModelEntry, request: KeyframeRequest, inputs: dict[str, bytes]
    ):
        references = [inputs[r] for r in request.references if r in inputs]
        adapter = self.library.ip_adapter_for(entry) if references else None
        if adapter is None or not hasattr(pipe, "load_ip_adapter"):
            yield {"mode": "text", "kwargs": {}}
            return
        from studio.generation.model_code import check_model_folder

        details = adapter.details
        encoder = details.get("image_encoder_folder") or "image_encoder"
        check_model_folder(adapter.path)  # again, with its image encoder: it may have changed
        pipe.load_ip_adapter(
            adapter.path,
            subfolder=details.get("subfolder", ""),
            weight_name=details["weight_name"],
            image_encoder_folder=encoder,
            local_files_only=True,
        )
        try:
            pipe.set_ip_adapter_scale(request.reference_scale)
            image = open_image(references[0], "character reference")
            yield {"mode": "ip-adapter", "kwargs": {"ip_adapter_image": image}}
        finally:
            pipe.unload_ip_adapter()

    def _result(self, image: Any, info: dict[str, Any]) -> GenerationResult:
        import numpy as np

        from studio.media.decode import encode_png

        rgb = (np.clip(image, 0.0, 1.0) * 255).round().astype(np.uint8)
        return GenerationResult(
            data=encode_png(rgb),
            extension=".png",
            mime="image/png",
            width=int(rgb.shape[1]),
            height=int(rgb.shape[0]),
            info=info,
        )
