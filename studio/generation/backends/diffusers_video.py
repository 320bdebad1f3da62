"""The `diffusers-video` clip backend: image-to-video from the shot's keyframe.

Supports Stable Video Diffusion, LTX-Video, CogVideoX and Wan image-to-video folders (the
pipeline class comes from model_index.json; one adapter per family gives its call arguments).
Each family generates at its own native length and frame rate; the frames are then retimed to
the shot's frames at the project's rate. A shot longer than one generation is extended by
chaining from a frame near the end with a short crossfade. A model locked to one size
(CogVideoX 1.0 I2V, 720×480) generates at that size with the shot's framing letterboxed
in it, then cut out again. Every other model generates at the shot's aspect within its native
size budget (video_sizes.py), or at the size a request names; the clip is then scaled to the
shot's size. Wan 2.2 TI2V-5B (a `WanPipeline` folder with `expand_timesteps`) animates the
keyframe through diffusers' WanImageToVideoPipeline. The result is an H.264 MP4.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.errors import InvalidInput
from studio.generation.backends.base import Capabilities
from studio.generation.backends.diffusers_image import size_multiple
from studio.generation.backends.video_sizes import (
    SizeBudget,
    SizeChoice,
    choose_size,
    cogvideox_budget,
    denoiser_config,
    frame_budget,
    generic_budget,
    ltx_budget,
    svd_budget,
    wan_budget,
)
from studio.generation.models import ModelEntry, ModelLibrary
from studio.generation.pipelines import (
    LoadedPipeline,
    PipelineCache,
    StepReporter,
    cpu_generators,
    out_of_memory_guard,
    process_cache,
    version_info,
)
from studio.generation.requests import ClipRequest, GenerationResult
from studio.progress import JobContext

CROSSFADE_FRAMES = 4
CLIP_CRF = 14
OOM_HINT = (
    "try a smaller size or a shorter segment (segment_frames), close other GPU programs, or "
    "set STUDIO_DEVICE=cpu to run slowly on the processor"
)


@dataclass(frozen=True)
class VideoFamily:
    """How one image-to-video family is called: its native length and rate, its arguments."""

    name: str
    load_class: str  # the pipeline class to load the folder as
    frames: int  # native frames per generation
    fps: int  # native frames per second
    frame_step: int  # valid lengths are frame_step * k + 1 (1: any length)
    arguments: Callable[[ClipRequest, int, int], dict[str, Any]]
    # learned positional embeddings, where the model's config has them, lock the size
    fixed_size: bool = False
    size_multiple: int = 8  # what the pipeline itself checks, beyond the VAE's factor
    # the native rate where the denoiser's config tells versions apart (else `fps`)
    config_fps: Callable[[Any], int] | None = None
    # call arguments the denoiser's config fixes (e.g. the text length it was built for)
    config_arguments: Callable[[Any], dict[str, Any]] | None = None
    # the most it should generate at, from the pipeline and the model's name
    native_budget: Callable[[Any, str], SizeBudget] = generic_budget

    def valid_frames(self, wanted: int) -> int:
        """The nearest valid length not below `wanted` (at least 2 frames)."""
        wanted = max(2, wanted)
        if self.frame_step <= 1:
            return wanted
        return self.frame_step * math.ceil((wanted - 1) / self.frame_step) + 1


def _svd_arguments(request: ClipRequest, frames: int, fps: int) -> dict[str, Any]:
    return {
        "num_frames": frames,
        "fps": fps,
        "motion_bucket_id": int(max(1, min(255, 127 * request.motion))),
        "noise_aug_strength": 0.02,
        "decode_chunk_size": min(8, frames),
        "min_guidance_scale": 1.0,
        "max_guidance_scale": max(1.0, request.guidance),
    }


def _prompted(extra: Callable[[int], dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    def arguments(request: ClipRequest, frames: int, fps: int) -> dict[str, Any]:
        return {
            "prompt": request.prompt,
            "negative_prompt": request.negative_prompt or None,
            "num_frames": frames,
            "guidance_scale": request.guidance,
            **extra(fps),
        }

    return arguments


def _cogvideox_fps(config: Any) -> int:
    """CogVideoX 1.5 (frames patched in pairs) runs at 16 fps, 1.0 at 8."""
    return 16 if getattr(config, "patch_size_t", None) else 8


def _cogvideox_config_arguments(config: Any) -> dict[str, Any]:
    """The prompt is encoded to the text length the transformer's embeddings were made for."""
    length = getattr(config, "max_text_seq_length", None)
    return {"max_sequence_length": int(length)} if isinstance(length, int) else {}


FAMILIES: dict[str, VideoFamily] = {
    "StableVideoDiffusionPipeline": VideoFamily(
        "svd", "StableVideoDiffusionPipeline", 14, 7, 1, _svd_arguments, native_budget=svd_budget
    ),
    "LTXImageToVideoPipeline": VideoFamily(
        "ltx",
        "LTXImageToVideoPipeline",
        97,
        24,
        8,
        _prompted(lambda fps: {"frame_rate": fps}),
        size_multiple=32,
        native_budget=ltx_budget,
    ),
    # 1.0 (CogVideoX-5b-I2V): 49 frames at 8 fps, 720×480 only; 1.5: 81 at 16 fps, any size
    "CogVideoXImageToVideoPipeline": VideoFamily(
        "cogvideox",
        "CogVideoXImageToVideoPipeline",
        49,
        8,
        4,
        _prompted(lambda fps: {}),
        fixed_size=True,
        size_multiple=8,
        config_fps=_cogvideox_fps,
        config_arguments=_cogvideox_config_arguments,
        native_budget=cogvideox_budget,
    ),
    # Wan 2.1 / 2.2 I2V: 81 frames at 16 fps, sides multiples of 16 (VAE 8 × patch 2)
    "WanImageToVideoPipeline": VideoFamily(
        "wan",
        "WanImageToVideoPipeline",
        81,
        16,
        4,
        _prompted(lambda fps: {}),
        size_multiple=16,
        native_budget=wan_budget,
    ),
    # Wan 2.2 TI2V-5B: its folder is a WanPipeline with expand_timesteps (a text-to-video
    # WanPipeline has none and is refused); this diffusers' WanPipeline takes no image, and its
    # WanImageToVideoPipeline runs the model from the keyframe: 121 frames at 24 fps, VAE 16×
    "WanPipeline": VideoFamily(
        "wan2.2-ti2v",
        "WanImageToVideoPipeline",
        121,
        24,
        4,
        _prompted(lambda fps: {}),
        size_multiple=16,
        native_budget=wan_budget,
    ),
}
FAMILIES["LTXPipeline"] = FAMILIES["LTXImageToVideoPipeline"]
FAMILIES["LTXConditionPipeline"] = FAMILIES["LTXImageToVideoPipeline"]


def family_of(entry: ModelEntry) -> VideoFamily:
    """The adapter for an image-to-video model, or InvalidInput naming what is supported."""
    if entry.pipeline_class not in FAMILIES or "image-to-video" not in entry.capabilities:
        known = ", ".join(sorted(FAMILIES))
        raise InvalidInput(
            f"model {entry.id} ({entry.pipeline_class}) is not an image-to-video model",
            f"supported pipelines: {known}",
        )
    return FAMILIES[entry.pipeline_class]


def native_frames(pipe: Any, family: VideoFamily) -> int:
    """Native length from the model's config where it says (SVD num_frames, CogVideoX
    sample_frames), else the family's."""
    config = denoiser_config(pipe)
    for key in ("num_frames", "sample_frames"):
        value = getattr(config, key, None)
        if isinstance(value, int) and value > 1:
            return family.valid_frames(value)
    return family.frames


def native_fps(pipe: Any, family: VideoFamily) -> int:
    """Native frame rate: from the model's config where the family tells versions apart."""
    if family.config_fps is not None:
        return family.config_fps(denoiser_config(pipe))
    return family.fps


def video_size_multiple(pipe: Any) -> int:
    """Spatial multiple for a video pipeline (VAE compression × transformer patch size)."""
    ratio = getattr(pipe, "vae_spatial_compression_ratio", None) or getattr(
        pipe, "vae_scale_factor_spatial", None
    )
    if not ratio:
        return size_multiple(pipe)
    denoiser = getattr(pipe, "transformer", None)
    patch = getattr(getattr(denoiser, "config", None), "patch_size", 1) or 1
    patch = patch[-1] if isinstance(patch, list | tuple) else patch
    return int(ratio) * int(patch)


def fixed_generation_size(pipe: Any, family: VideoFamily) -> tuple[int, int] | None:
    """The only size a model can generate at, when learned positional embeddings lock it
    (CogVideoX-5b-I2V: its config's 90×60 latents, 720×480 px), else None."""
    config = denoiser_config(pipe)
    if not family.fixed_size or not getattr(config, "use_learned_positional_embeddings", False):
        return None
    ratio = int(getattr(pipe, "vae_scale_factor_spatial", 8))
    return int(config.sample_width) * ratio, int(config.sample_height) * ratio


def size_choice(
    pipe: Any,
    family: VideoFamily,
    width: int,
    height: int,
    override: tuple[int, int] | None = None,
    hint: str = "",
    native: tuple[int, int] | None = None,
) -> SizeChoice:
    """The size the model generates at for a width×height shot, and why: its fixed size, the
    request's `override`, or the shot within the model's native budget (`hint`: the model's
    name, which tells Wan 480P and 720P apart; `native`: the size the library was told the
    model was trained at, which wins over both, within the config's hard limits)."""
    fixed = fixed_generation_size(pipe, family)
    multiple = math.lcm(video_size_multiple(pipe), family.size_multiple)
    budget = None if fixed is not None else family.native_budget(pipe, hint)
    if budget is not None and native is not None:
        told = frame_budget(*native, "the native size set in the model library")
        budget = told.limited(budget.max_width, budget.max_height, "the model's config")
    return choose_size(width, height, multiple, budget, override=override, fixed=fixed)


def generation_size(
    pipe: Any,
    family: VideoFamily,
    width: int,
    height: int,
    override: tuple[int, int] | None = None,
    hint: str = "",
) -> tuple[int, int]:
    """The size the model generates at for a width×height shot (see `size_choice`)."""
    choice = size_choice(pipe, family, width, height, override, hint)
    return choice.width, choice.height


def model_hint(entry: ModelEntry) -> str:
    """The model's name and folder name, where a resolution (Wan "720P") may be written."""
    return f"{entry.name} {Path(entry.path).name}"


def content_box(width: int, height: int, aspect: float) -> tuple[int, int, int, int]:
    """The largest centred box (x, y, w, h) of the `aspect` (w/h) inside width×height."""
    box_width, box_height = width, height
    if width / height > aspect:
        box_width = max(2, round(height * aspect))
    else:
        box_height = max(2, round(width / aspect))
    return (width - box_width) // 2, (height - box_height) // 2, box_width, box_height


def letterbox(image: Any, width: int, height: int, box: tuple[int, int, int, int]) -> Any:
    """`image` covering `box` on a black width×height canvas (for a fixed-size model)."""
    from PIL import Image

    x, y, box_width, box_height = box
    canvas = Image.new("RGB", (width, height))
    canvas.paste(_cover(image, box_width, box_height), (x, y))
    return canvas


def retime(frames: Any, source_fps: float, target_fps: float, count: int) -> Any:
    """`count` frames at `target_fps` from frames at `source_fps`, blending neighbours."""
    import numpy as np

    positions = np.arange(count, dtype=np.float64) * source_fps / target_fps
    positions = np.clip(positions, 0, len(frames) - 1)
    low = np.floor(positions).astype(int)
    high = np.minimum(low + 1, len(frames) - 1)
    weight = (positions - low)[:, None, None, None].astype(np.float32)
    return frames[low] * (1.0 - weight) + frames[high] * weight


def crossfade_join(head: Any, tail: Any, overlap: int) -> Any:
    """Join two frame runs whose last/first `overlap` frames show the same moment."""
    import numpy as np

    if overlap <= 0:
        return np.concatenate([head, tail])
    alpha = np.linspace(0.0, 1.0, overlap + 2, dtype=np.float32)[1:-1][:, None, None, None]
    blend = head[-overlap:] * (1.0 - alpha) + tail[:overlap] * alpha
    return np.concatenate([head[:-overlap], blend, tail[overlap:]])


class DiffusersVideoBackend:
    """Clips from a local image-to-video model (SVD, LTX-Video, CogVideoX, Wan)."""

    name = "diffusers-video"
    version = "3"  # 2: at the model's native resolution (video_sizes); 3: BT.709, tagged
    capabilities = Capabilities(
        kind="clip", accepts=frozenset({"image", "text"}), needs_model=True, size_multiple=2
    )

    def __init__(
        self,
        library: ModelLibrary | None = None,
        cache: PipelineCache | None = None,
        segment_frames: int | None = None,
    ) -> None:
        """`segment_frames` caps the frames of one generation (less memory, more chaining)."""
        self._library = library
        self.cache = cache if cache is not None else process_cache()
        self.segment_frames = segment_frames

    @property
    def library(self) -> ModelLibrary:
        if self._library is None:
            self._library = ModelLibrary()
        return self._library

    def generate(
        self, request: ClipRequest, inputs: dict[str, bytes], ctx: JobContext
    ) -> GenerationResult:
        """Make one clip take (H.264 MP4 of request.total_frames at request.fps)."""
        ctx.check_cancelled()
        if not request.model:
            raise InvalidInput("the diffusers-video backend needs a model from the model library")
        if request.source_keyframe not in inputs:
            raise InvalidInput(f"the keyframe {request.source_keyframe[:12]}… was not provided")
        entry = self.library.resolve(request.model)
        family = family_of(entry)
        what = f"a {request.total_frames}-frame clip at {request.width}×{request.height}"
        with out_of_memory_guard(self.cache, f"{what} with {entry.id}", OOM_HINT):
            loaded = self.cache.get(entry, family.load_class)
            frames, plan = self._frames(loaded, family, request, inputs, ctx)
        ctx.report(0.97, "encoding")
        data = self._encode(frames, request)
        info = {
            "model_id": entry.id,
            "pipeline_class": type(loaded.pipe).__name__,
            "device": loaded.choice.device,
            "dtype": loaded.choice.dtype,
            "steps": request.steps,
            **plan,
            **version_info(),
        }
        return GenerationResult(
            data=data,
            extension=".mp4",
            mime="video/mp4",
            width=request.width - request.width % 2,
            height=request.height - request.height % 2,
            frames=request.total_frames,
            fps=request.fps,
            duration_seconds=request.total_frames / request.fps,
            info=info,
        )

    def _plan(
        self,
        pipe: Any,
        family: VideoFamily,
        request: ClipRequest,
        hint: str = "",
        native: tuple[int, int] | None = None,
    ) -> dict[str, Any]:
        segment = native_frames(pipe, family)
        if self.segment_frames:
            segment = family.valid_frames(min(segment, self.segment_frames))
        overlap = min(CROSSFADE_FRAMES, segment // 2)
        fps = native_fps(pipe, family)
        needed = max(1, math.ceil(request.total_frames * fps / request.fps))
        segments = (
            1 if needed <= segment else 1 + math.ceil((needed - segment) / (segment - overlap))
        )
        size = size_choice(
            pipe, family, request.width, request.height, request.generation_size, hint, native
        )
        plan = {
            "family": family.name,
            "native_frames": segment,
            "native_fps": fps,
            "segments": segments,
            "crossfade_frames": overlap if segments > 1 else 0,
            "generated_size": [size.width, size.height],
            "fixed_size": size.reason == "fixed",
            **size.to_plan(),
        }
        if size.letterbox:
            # a fixed-size model (or a requested size of another aspect) generates at its
            # size: the shot's framing is letterboxed into it and cut out again, never stretched
            aspect = request.width / request.height
            plan["content_box"] = list(content_box(size.width, size.height, aspect))
        return plan

    def _frames(
        self,
        loaded: LoadedPipeline,
        family: VideoFamily,
        request: ClipRequest,
        inputs: dict[str, bytes],
        ctx: JobContext,
    ) -> tuple[Any, dict[str, Any]]:
        from studio.generation.backends.diffusers_image import open_image

        told = loaded.entry.details.get("native_size")  # set in the library by the user
        native = (int(told[0]), int(told[1])) if told else None
        plan = self._plan(loaded.pipe, family, request, model_hint(loaded.entry), native)
        width, height = plan["generated_size"]
        keyframe = open_image(inputs[request.source_keyframe], "source keyframe")
        box = plan.get("content_box")
        if box:
            image = letterbox(keyframe, width, height, tuple(box))
        else:
            image = _cover(keyframe, width, height)
        frames = None
        for index in range(plan["segments"]):
            share = 0.95 / plan["segments"]
            reporter = StepReporter(
                ctx, request.steps, index * share, share, f"segment {index + 1}: step"
            )
            segment = self._segment(loaded.pipe, family, request, image, plan, index, reporter)
            reporter.raise_if_cancelled()
            overlap = plan["crossfade_frames"]
            frames = segment if frames is None else crossfade_join(frames, segment, overlap)
            image = _to_image(frames[-overlap - 1] if overlap else frames[-1])
        frames = retime(frames, plan["native_fps"], request.fps, request.total_frames)
        if box:
            x, y, box_width, box_height = box
            frames = frames[:, y : y + box_height, x : x + box_width]
        return _resize_frames(frames, request.width, request.height), plan

    def _segment(
        self,
        pipe: Any,
        family: VideoFamily,
        request: ClipRequest,
        image: Any,
        plan: dict[str, Any],
        index: int,
        reporter: StepReporter,
    ) -> Any:
        import numpy as np

        width, height = plan["generated_size"]
        kwargs = family.arguments(request, plan["native_frames"], plan["native_fps"])
        if family.config_arguments is not None:
            kwargs.update(family.config_arguments(denoiser_config(pipe)))
        kwargs.update(
            image=image,
            width=width,
            height=height,
            num_inference_steps=request.steps,
            generator=cpu_generators([request.seed + index])[0],
            output_type="np",
            callback_on_step_end=reporter,
        )
        frames = pipe(**kwargs).frames[0]
        return np.clip(np.asarray(frames, dtype=np.float32), 0.0, 1.0)

    def _encode(self, frames: Any, request: ClipRequest) -> bytes:
        import numpy as np

        from studio.media.encode import VideoEncoder

        buffer = io.BytesIO()
        height, width = frames.shape[1:3]
        with VideoEncoder(buffer, width, height, request.fps, codec="h264", crf=CLIP_CRF) as enc:
            for frame in frames:
                enc.write_frame((frame * 255.0).round().astype(np.uint8))
        return buffer.getvalue()


def _cover(image: Any, width: int, height: int) -> Any:
    """Scale to cover width×height and crop the centre (the keyframe's framing is kept)."""
    from PIL import Image

    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.LANCZOS)
    left, top = (size[0] - width) // 2, (size[1] - height) // 2
    return image.crop((left, top, left + width, top + height))


def _to_image(frame: Any) -> Any:
    import numpy as np
    from PIL import Image

    return Image.fromarray((np.clip(frame, 0, 1) * 255).round().astype(np.uint8))


def _resize_frames(frames: Any, width: int, height: int) -> Any:
    """Frames at the requested size (even sides for H.264)."""
    import cv2
    import numpy as np

    width, height = width - width % 2, height - height % 2
    if frames.shape[2] == width and frames.shape[1] == height:
        return frames
    out = np.empty((len(frames), height, width, 3), np.float32)
    for i, frame in enumerate(frames):
        out[i] = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
    return out
