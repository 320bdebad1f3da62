"""What a model is: its kind, pipeline class and capabilities (`ModelEntry`), and which pipeline
classes the studio can drive for keyframes and clips. Pure data; `models.py` finds the models."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

LIBRARY_VERSION = 1
PICKLE_SUFFIXES = (".ckpt", ".bin", ".pt", ".pth")
WEIGHT_SUFFIXES = (".safetensors", *PICKLE_SUFFIXES)
PICKLE_REASON = (
    "pickle checkpoint: loading it can run arbitrary code; convert it to .safetensors or add it "
    "with allow_pickle=True (`studio models add --allow-pickle`) if you trust its source"
)

TEXT_TO_IMAGE = frozenset(
    {
        "StableDiffusionPipeline",
        "StableDiffusionXLPipeline",
        "StableDiffusion3Pipeline",
        "FluxPipeline",
        "PixArtAlphaPipeline",
        "PixArtSigmaPipeline",
        "SanaPipeline",
        "LatentConsistencyModelPipeline",
        "KolorsPipeline",
        "HunyuanDiTPipeline",
        "AuraFlowPipeline",
        "Lumina2Pipeline",
        "QwenImagePipeline",
    }
)
# families AutoPipelineForImage2Image maps to an image-to-image pipeline
IMAGE_TO_IMAGE = frozenset(
    {
        "StableDiffusionPipeline",
        "StableDiffusionXLPipeline",
        "StableDiffusion3Pipeline",
        "FluxPipeline",
        "LatentConsistencyModelPipeline",
        "KolorsPipeline",
        "StableDiffusionImg2ImgPipeline",
        "StableDiffusionXLImg2ImgPipeline",
        "StableDiffusion3Img2ImgPipeline",
        "FluxImg2ImgPipeline",
        "QwenImagePipeline",
    }
)
IMAGE_TO_VIDEO = frozenset(
    {
        "StableVideoDiffusionPipeline",
        "LTXImageToVideoPipeline",
        "LTXPipeline",
        "LTXConditionPipeline",
        "CogVideoXImageToVideoPipeline",
        "WanImageToVideoPipeline",
    }
)
# pipeline classes that are image-to-video only when model_index.json sets a flag: a Wan 2.2
# TI2V-5B folder is a WanPipeline with expand_timesteps; Wan 2.1 text-to-video is one without
IMAGE_TO_VIDEO_WHEN = {"WanPipeline": "expand_timesteps"}
TEXT_TO_VIDEO = frozenset(
    {
        "WanPipeline",
        "CogVideoXPipeline",
        "MochiPipeline",
        "HunyuanVideoPipeline",
        "AnimateDiffPipeline",
    }
)
# single-file checkpoints in the original layouts: a key containing the marker -> pipeline class,
# first match wins (SD3 and FLUX denoiser keys may carry the `model.diffusion_model.` prefix too)
SINGLE_FILE_MARKERS = (
    ("conditioner.embedders.1", "StableDiffusionXLPipeline"),
    ("joint_blocks.", "StableDiffusion3Pipeline"),
    ("double_blocks.", "FluxPipeline"),
    ("model.diffusion_model.input_blocks.", "StableDiffusionPipeline"),
)
ORIGINAL_UNET_CROSS_KEY = "attn2.to_k.weight"  # its width is the text encoder's
DENOISER_FOLDERS = ("unet", "transformer")


def capabilities_of(pipeline_class: str, index: dict[str, Any] | None = None) -> list[str]:
    """What a pipeline class can do: text-to-image, image-to-image, image-to-video
    (`index`: the folder's model_index.json, for classes a config flag decides)."""
    caps = []
    if pipeline_class in TEXT_TO_IMAGE:
        caps.append("text-to-image")
    if pipeline_class in IMAGE_TO_IMAGE:
        caps.append("image-to-image")
    flag = IMAGE_TO_VIDEO_WHEN.get(pipeline_class)
    if pipeline_class in IMAGE_TO_VIDEO or (flag and (index or {}).get(flag) is True):
        caps.append("image-to-video")
    return caps


def refusal_of(pipeline_class: str) -> str:
    if pipeline_class in TEXT_TO_VIDEO:
        return (
            f"{pipeline_class} here is a text-to-video model: it cannot animate a keyframe; "
            "use an image-to-video model (SVD, LTX-Video, CogVideoX I2V, Wan I2V or TI2V)"
        )
    return f"{pipeline_class} is not a keyframe or clip pipeline the studio can drive"


@dataclass
class ModelEntry:
    """One model in the library. `refused` is empty when it can be used, else why not."""

    id: str
    path: str
    kind: str  # "pipeline", "single_file", "lora", "ip_adapter"
    pipeline_class: str = ""
    capabilities: list[str] = field(default_factory=list)
    config_path: str | None = None  # a diffusers folder giving a single file its configs
    source: str = "added"  # "folder", "hf-cache", "added"
    name: str = ""
    refused: str = ""
    size_bytes: int = 0
    details: dict[str, Any] = field(default_factory=dict)  # subfolder, weight_name, dims…

    @property
    def usable(self) -> bool:
        return not self.refused

    @property
    def missing(self) -> bool:
        """Its folder or file is gone from the disk (moved, deleted, an unplugged drive)."""
        return not Path(self.path).exists()

    def to_json(self) -> dict[str, Any]:
        """A plain JSON-able dict (the library file and `studio models list --json`)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelEntry:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
