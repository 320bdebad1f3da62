"""The diffusers keyframe backend against a bare diffusers call with the same model and steps.

CPU (default): the tiny random-weight SD pipeline of the tests, 64×64, 4 steps, N warm
generations through the backend (pipeline loaded once, then cached) against N bare
`pipe(...)` calls on a pipeline loaded once. Goal: backend ≤ 1.10× bare.

`--gpu`: an SD-1.5-sized UNet (random weights) at 512×512 and an SVD-sized UNet (14 frames at
576×1024, 25 steps, H.264 out on both sides), app against bare diffusers, fp16 on CUDA. Needs a
CUDA machine. `--svd-dry` runs the SVD comparison tiny on the CPU, to check the code path.

Run: .venv/bin/python bench/bench_diffusers.py [--gpu] [--n 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _timed(call, n: int) -> list[float]:
    times = []
    for i in range(n):
        start = time.perf_counter()
        call(i)
        times.append(time.perf_counter() - start)
    return times


def _library(root: Path, folder: Path):
    from studio.generation.models import ModelLibrary

    os.environ["STUDIO_HOME"] = str(root / "home")
    library = ModelLibrary()
    return library, library.add(folder)


def bench_cpu(n: int, steps: int, size: int) -> dict[str, float]:
    import torch

    from studio.generation.backends.diffusers_image import DiffusersImageBackend
    from studio.generation.pipelines import PipelineCache
    from studio.generation.requests import KeyframeRequest
    from studio.progress import JobContext
    from tests.core.diffusers.conftest import build_tiny_sd

    torch.set_num_threads(2)
    root = Path(tempfile.mkdtemp(prefix="bench-diffusers-"))
    folder = build_tiny_sd(root / "tiny-sd")
    library, entry = _library(root, folder)
    backend = DiffusersImageBackend(library, PipelineCache())
    request = KeyframeRequest(
        backend="diffusers",
        model=entry.id,
        prompt="a lighthouse at dusk",
        width=size,
        height=size,
        steps=steps,
        guidance=5.0,
    )
    from diffusers import StableDiffusionPipeline

    bare = StableDiffusionPipeline.from_pretrained(folder, local_files_only=True)
    bare.set_progress_bar_config(disable=True)

    def app(i: int) -> None:
        backend.generate(KeyframeRequest(**{**request.__dict__, "seed": i}), {}, JobContext())

    def plain(i: int) -> None:
        generator = torch.Generator("cpu").manual_seed(i)
        bare(
            "a lighthouse at dusk",
            num_inference_steps=steps,
            guidance_scale=5.0,
            width=size,
            height=size,
            generator=generator,
            output_type="pil",
        ).images[0].save(root / "bare.png")

    app(0)
    plain(0)  # warm both
    cold_start = time.perf_counter()
    DiffusersImageBackend(library, PipelineCache()).generate(request, {}, JobContext())
    cold = time.perf_counter() - cold_start
    app_times, bare_times = [], []
    for _round in range(2):  # interleave to share the machine's load fairly
        app_times += _timed(app, n // 2)
        bare_times += _timed(plain, n // 2)
    return {
        "n": n,
        "steps": steps,
        "size": size,
        "app_median_ms": statistics.median(app_times) * 1000,
        "bare_median_ms": statistics.median(bare_times) * 1000,
        "ratio": statistics.median(app_times) / statistics.median(bare_times),
        "cold_first_call_ms": cold * 1000,
    }


def bench_gpu(n: int) -> dict[str, float]:  # pragma: no cover - needs CUDA
    import torch
    from diffusers import StableDiffusionPipeline, UNet2DConditionModel

    from studio.generation.backends.diffusers_image import DiffusersImageBackend
    from studio.generation.pipelines import PipelineCache
    from studio.generation.requests import KeyframeRequest
    from studio.progress import JobContext
    from tests.core.diffusers.conftest import build_tiny_sd

    root = Path(tempfile.mkdtemp(prefix="bench-diffusers-gpu-"))
    folder = build_tiny_sd(root / "sd15-sized")
    torch.manual_seed(0)
    unet = UNet2DConditionModel(  # SD 1.5's UNet shape (860 M parameters), random weights
        block_out_channels=(320, 640, 1280, 1280),
        layers_per_block=2,
        sample_size=64,
        cross_attention_dim=32,
        attention_head_dim=8,
    )
    unet.save_pretrained(folder / "unet")
    from diffusers import AutoencoderKL

    AutoencoderKL(  # 8× like SD's VAE, so 512 px gives SD 1.5's 64×64 latents
        block_out_channels=[64, 128, 256, 256],
        latent_channels=4,
        down_block_types=["DownEncoderBlock2D"] * 4,
        up_block_types=["UpDecoderBlock2D"] * 4,
    ).save_pretrained(folder / "vae")
    library, entry = _library(root, folder)
    backend = DiffusersImageBackend(library, PipelineCache())
    request = KeyframeRequest(
        backend="diffusers",
        model=entry.id,
        prompt="x",
        width=512,
        height=512,
        steps=20,
        guidance=7.0,
    )
    bare = StableDiffusionPipeline.from_pretrained(folder, torch_dtype=torch.float16).to("cuda")
    bare.set_progress_bar_config(disable=True)

    def app(i: int) -> None:
        backend.generate(KeyframeRequest(**{**request.__dict__, "seed": i}), {}, JobContext())

    def plain(i: int) -> None:
        bare(
            "x",
            num_inference_steps=20,
            width=512,
            height=512,
            generator=torch.Generator("cpu").manual_seed(i),
            output_type="pil",
        ).images[0]
        torch.cuda.synchronize()

    app(0)
    plain(0)
    app_times = _timed(app, n)
    bare_times = _timed(plain, n)
    return {
        "sd15_512_app_median_ms": statistics.median(app_times) * 1000,
        "sd15_512_bare_median_ms": statistics.median(bare_times) * 1000,
        "ratio": statistics.median(app_times) / statistics.median(bare_times),
    }


def bench_svd(n: int, device: str = "cuda", full: bool = True) -> dict[str, float]:
    """An SVD-sized spatio-temporal UNet (random weights) image-to-video, app against bare.

    `full`: SVD's UNet shape (320/640/1280/1280 channels), 14 frames at 576×1024, 25 steps, fp16
    on CUDA. Without it (`--svd-dry`), a tiny shape on the CPU checks that the code path runs.
    """
    import numpy as np
    import torch
    from diffusers import (
        AutoencoderKLTemporalDecoder,
        StableVideoDiffusionPipeline,
        UNetSpatioTemporalConditionModel,
    )

    from studio.generation.backends.diffusers_video import DiffusersVideoBackend
    from studio.generation.pipelines import PipelineCache
    from studio.generation.requests import ClipRequest
    from studio.media.decode import encode_png
    from studio.media.encode import encode_frames
    from studio.progress import JobContext
    from tests.core.diffusers.conftest import build_tiny_svd

    root = Path(tempfile.mkdtemp(prefix="bench-svd-"))
    folder = build_tiny_svd(root / "svd-sized")
    frames, steps = (14, 25) if full else (4, 2)
    height, width = (576, 1024) if full else (64, 64)
    if full:
        torch.manual_seed(0)
        UNetSpatioTemporalConditionModel(  # SVD's UNet shape, random weights
            block_out_channels=(320, 640, 1280, 1280),
            layers_per_block=2,
            cross_attention_dim=32,  # the tiny image encoder's projection
            num_frames=frames,
        ).save_pretrained(folder / "unet")
        AutoencoderKLTemporalDecoder(  # 8× like SVD's VAE, lighter channels
            block_out_channels=[64, 128, 256, 256],
            down_block_types=["DownEncoderBlock2D"] * 4,
            latent_channels=4,
        ).save_pretrained(folder / "vae")
    library, entry = _library(root, folder)
    backend = DiffusersVideoBackend(library, PipelineCache())
    rng = np.random.default_rng(0)
    still = encode_png(rng.integers(0, 255, (height, width, 3), dtype=np.uint8))
    sha = "0" * 64
    request = ClipRequest(
        source_keyframe=sha,
        backend="diffusers-video",
        model=entry.id,
        frames=frames,
        handles=0,
        fps=7,
        width=width,
        height=height,
        steps=steps,
        guidance=3.0,
    )
    dtype = torch.float16 if device == "cuda" else torch.float32
    bare = StableVideoDiffusionPipeline.from_pretrained(folder, torch_dtype=dtype).to(device)
    bare.set_progress_bar_config(disable=True)
    from PIL import Image

    from studio.media.decode import read_image

    image = Image.fromarray(read_image(still))

    def app(i: int) -> None:
        req = ClipRequest(**{**request.__dict__, "seed": i})
        backend.generate(req, {sha: still}, JobContext())

    def plain(i: int) -> None:
        out = bare(
            image,
            num_frames=frames,
            num_inference_steps=steps,
            width=width,
            height=height,
            decode_chunk_size=8,
            fps=7,
            output_type="np",
            generator=torch.Generator("cpu").manual_seed(i),
        ).frames[0]
        rgb = (np.clip(out, 0, 1) * 255).round().astype(np.uint8)
        encode_frames(list(rgb), root / "bare.mp4", width, height, 7, crf=14)
        if device == "cuda":
            torch.cuda.synchronize()

    app(0)
    plain(0)
    app_times = _timed(app, n)
    bare_times = _timed(plain, n)
    return {
        "svd_app_median_ms": statistics.median(app_times) * 1000,
        "svd_bare_median_ms": statistics.median(bare_times) * 1000,
        "svd_ratio": statistics.median(app_times) / statistics.median(bare_times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpu", action="store_true", help="SD-1.5-sized UNet on CUDA")
    parser.add_argument("--n", type=int, default=20, help="warm generations per side")
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--svd-dry", action="store_true", help="the SVD path, tiny, on the CPU")
    args = parser.parse_args()
    if args.gpu:
        figures = {**bench_gpu(args.n), **bench_svd(max(3, args.n // 4))}
    elif args.svd_dry:
        figures = bench_svd(3, device="cpu", full=False)
    else:
        figures = bench_cpu(args.n, args.steps, args.size)
    for key, value in figures.items():
        print(f"{key:>24}: {value:.3f}" if isinstance(value, float) else f"{key:>24}: {value}")


if __name__ == "__main__":
    main()
