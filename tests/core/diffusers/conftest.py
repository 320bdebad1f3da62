"""Tiny random-weight diffusers pipelines, built from configs and saved like a user's models.

The builders are plain functions so that bench/bench_diffusers.py can use them too. Every model
is built under torch.manual_seed(0), saved with save_pretrained and loaded back by the studio
through the same code path as a real model folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _byte_symbols() -> list[str]:
    """GPT-2's byte-to-unicode table: the 256 symbols a byte-level BPE vocabulary starts from."""
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    keep += list(range(ord("®"), ord("ÿ") + 1))
    codes, extra = keep[:], 0
    for byte in range(256):
        if byte not in keep:
            keep.append(byte)
            codes.append(256 + extra)
            extra += 1
    return [chr(c) for c in codes]


def write_clip_tokenizer(folder: Path):
    """A byte-level CLIP tokenizer written to disk (no download), loaded back."""
    from transformers import CLIPTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab: dict[str, int] = {}
    for symbol in _byte_symbols():
        vocab[symbol] = len(vocab)
    for symbol in _byte_symbols():
        vocab[symbol + "</w>"] = len(vocab)
    merges = ["t h", "th e</w>", "a n", "an d</w>"]
    for merge in merges:
        vocab[merge.replace(" ", "")] = len(vocab)
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n")
    return CLIPTokenizer.from_pretrained(str(folder), model_max_length=77)


def t5_tokenizer():
    """A tiny T5 tokenizer built in memory (letters and their word-start forms)."""
    from transformers import T5Tokenizer

    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0)]
    vocab += [(c, -3.0) for c in letters] + [("▁" + c, -3.5) for c in letters]
    return T5Tokenizer(vocab=vocab, extra_ids=0)


TINY_T5 = dict(
    vocab_size=64,
    d_model=32,
    d_kv=8,
    d_ff=37,
    num_layers=1,
    num_heads=4,
    relative_attention_num_buckets=8,
    pad_token_id=0,
    eos_token_id=1,
)


def tiny_t5_encoder():
    from transformers import T5Config, T5EncoderModel

    return T5EncoderModel(T5Config(**TINY_T5))


def tiny_umt5_encoder():
    """The UMT5 text encoder Wan uses, as small as the T5 above."""
    from transformers import UMT5Config, UMT5EncoderModel

    return UMT5EncoderModel(UMT5Config(**TINY_T5))


def build_tiny_sd(folder: Path) -> Path:
    """StableDiffusionPipeline: UNet (32, 64), 2× VAE, 2-layer CLIP text encoder."""
    import torch
    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel

    tokenizer = write_clip_tokenizer(folder.parent / f"{folder.name}-tokenizer-src")
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=1,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
    )
    vae = AutoencoderKL(
        block_out_channels=[32, 64],
        in_channels=3,
        out_channels=3,
        latent_channels=4,
        down_block_types=["DownEncoderBlock2D"] * 2,
        up_block_types=["UpDecoderBlock2D"] * 2,
    )
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=len(tokenizer) - 2,
            eos_token_id=len(tokenizer) - 1,
            hidden_size=32,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            pad_token_id=1,
            vocab_size=len(tokenizer),
            max_position_embeddings=77,
            projection_dim=32,
        )
    )
    scheduler = DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    pipe = StableDiffusionPipeline(
        unet=unet,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.save_pretrained(folder)
    return folder


def build_tiny_svd(folder: Path) -> Path:
    """StableVideoDiffusionPipeline with a 224 px CLIP vision encoder (patch 32), 4 frames."""
    import torch
    from diffusers import (
        AutoencoderKLTemporalDecoder,
        EulerDiscreteScheduler,
        StableVideoDiffusionPipeline,
        UNetSpatioTemporalConditionModel,
    )
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(0)
    unet = UNetSpatioTemporalConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=1,
        sample_size=32,
        in_channels=8,
        out_channels=4,
        num_frames=4,
        cross_attention_dim=32,
        num_attention_heads=8,
        down_block_types=("CrossAttnDownBlockSpatioTemporal", "DownBlockSpatioTemporal"),
        up_block_types=("UpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal"),
        projection_class_embeddings_input_dim=96,
        addition_time_embed_dim=32,
    )
    scheduler = EulerDiscreteScheduler(
        beta_schedule="scaled_linear",
        beta_start=0.00085,
        beta_end=0.012,
        interpolation_type="linear",
        prediction_type="v_prediction",
        sigma_max=700.0,
        sigma_min=0.002,
        steps_offset=1,
        timestep_spacing="leading",
        timestep_type="continuous",
        use_karras_sigmas=True,
    )
    vae = AutoencoderKLTemporalDecoder(
        block_out_channels=[32, 64],
        in_channels=3,
        out_channels=3,
        latent_channels=4,
        down_block_types=["DownEncoderBlock2D", "DownEncoderBlock2D"],
    )
    encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=32,
            projection_dim=32,
            num_hidden_layers=2,
            num_attention_heads=4,
            image_size=224,
            intermediate_size=37,
            patch_size=32,
        )
    )
    pipe = StableVideoDiffusionPipeline(
        vae=vae,
        image_encoder=encoder,
        unet=unet,
        scheduler=scheduler,
        feature_extractor=CLIPImageProcessor(crop_size=224, size=224),
    )
    pipe.save_pretrained(folder)
    return folder


def build_tiny_ltx(folder: Path) -> Path:
    """LTXImageToVideoPipeline: 1-layer transformer, 4× spatial / 4× temporal VAE, tiny T5."""
    import torch
    from diffusers import (
        AutoencoderKLLTXVideo,
        FlowMatchEulerDiscreteScheduler,
        LTXImageToVideoPipeline,
        LTXVideoTransformer3DModel,
    )

    torch.manual_seed(0)
    transformer = LTXVideoTransformer3DModel(
        in_channels=8,
        out_channels=8,
        patch_size=1,
        patch_size_t=1,
        num_attention_heads=4,
        attention_head_dim=8,
        cross_attention_dim=32,
        num_layers=1,
        caption_channels=32,
    )
    vae = AutoencoderKLLTXVideo(
        in_channels=3,
        out_channels=3,
        latent_channels=8,
        block_out_channels=(8, 8, 8, 8),
        decoder_block_out_channels=(8, 8, 8, 8),
        layers_per_block=(1, 1, 1, 1, 1),
        decoder_layers_per_block=(1, 1, 1, 1, 1),
        spatio_temporal_scaling=(True, True, False, False),
        decoder_spatio_temporal_scaling=(True, True, False, False),
        decoder_inject_noise=(False, False, False, False, False),
        upsample_residual=(False, False, False, False),
        upsample_factor=(1, 1, 1, 1),
        timestep_conditioning=False,
        patch_size=1,
        patch_size_t=1,
        encoder_causal=True,
        decoder_causal=False,
    )
    pipe = LTXImageToVideoPipeline(
        transformer=transformer,
        vae=vae,
        scheduler=FlowMatchEulerDiscreteScheduler(),
        text_encoder=tiny_t5_encoder(),
        tokenizer=t5_tokenizer(),
    )
    pipe.save_pretrained(folder)
    return folder


def build_tiny_lora(sd_folder: Path, target: Path) -> Path:
    """LoRA weights (rank 4, random non-zero B) for the tiny SD UNet, saved as diffusers does."""
    import torch
    from diffusers import StableDiffusionPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    pipe = StableDiffusionPipeline.from_pretrained(sd_folder, local_files_only=True)
    pipe.unet.add_adapter(LoraConfig(r=4, lora_alpha=4, target_modules=["to_q", "to_k", "to_v"]))
    torch.manual_seed(1)
    for name, param in pipe.unet.named_parameters():
        if "lora_B" in name:
            torch.nn.init.normal_(param, std=0.5)
    layers = get_peft_model_state_dict(pipe.unet)
    target.mkdir(parents=True, exist_ok=True)
    StableDiffusionPipeline.save_lora_weights(
        target, unet_lora_layers=layers, weight_name="tiny-lora.safetensors"
    )
    return target / "tiny-lora.safetensors"


def build_tiny_ip_adapter(sd_folder: Path, target: Path) -> Path:
    """An IP-Adapter laid out like h94/IP-Adapter: models/<weights> + models/image_encoder/."""
    import torch
    from diffusers import UNet2DConditionModel
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    unet = UNet2DConditionModel.from_pretrained(sd_folder, subfolder="unet")
    cross = unet.config.cross_attention_dim
    torch.manual_seed(2)
    encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=32,
            projection_dim=32,
            num_hidden_layers=1,
            num_attention_heads=4,
            image_size=32,
            intermediate_size=37,
            patch_size=8,
        )
    )
    models = target / "models"
    encoder.save_pretrained(models / "image_encoder")
    tokens = 4
    weights = {
        "image_proj.proj.weight": torch.randn(cross * tokens, 32) * 0.2,
        "image_proj.proj.bias": torch.zeros(cross * tokens),
        "image_proj.norm.weight": torch.ones(cross),
        "image_proj.norm.bias": torch.zeros(cross),
    }
    key_id = 1
    for name in unet.attn_processors:
        if name.endswith("attn1.processor"):
            continue
        attention = unet.get_submodule(name.removesuffix(".processor"))
        hidden = attention.to_k.out_features
        weights[f"ip_adapter.{key_id}.to_k_ip.weight"] = torch.randn(hidden, cross) * 0.5
        weights[f"ip_adapter.{key_id}.to_v_ip.weight"] = torch.randn(hidden, cross) * 0.5
        key_id += 2
    save_file(
        {k: v.contiguous() for k, v in weights.items()}, models / "ip-adapter_tiny.safetensors"
    )
    return target


def build_denoiser_single_file(sd_folder: Path, target: Path) -> Path:
    """The tiny SD UNet alone as one .safetensors (diffusers layout)."""
    from diffusers import UNet2DConditionModel
    from safetensors.torch import save_file

    unet = UNet2DConditionModel.from_pretrained(sd_folder, subfolder="unet")
    save_file({k: v.contiguous() for k, v in unet.state_dict().items()}, target)
    return target


@pytest.fixture(scope="session")
def model_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch

    torch.set_num_threads(2)
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def tiny_sd(model_root: Path) -> Path:
    return build_tiny_sd(model_root / "tiny-sd")


@pytest.fixture(scope="session")
def tiny_svd(model_root: Path) -> Path:
    return build_tiny_svd(model_root / "tiny-svd")


@pytest.fixture(scope="session")
def tiny_ltx(model_root: Path) -> Path:
    return build_tiny_ltx(model_root / "tiny-ltx")


@pytest.fixture(scope="session")
def tiny_lora(tiny_sd: Path, model_root: Path) -> Path:
    return build_tiny_lora(tiny_sd, model_root / "loras")


@pytest.fixture(scope="session")
def tiny_ip_adapter(tiny_sd: Path, model_root: Path) -> Path:
    return build_tiny_ip_adapter(tiny_sd, model_root / "ip-adapter")


@pytest.fixture(scope="session")
def shared_cache():
    """One pipeline cache for the whole session, as one worker process would hold."""
    from studio.generation.pipelines import PipelineCache

    return PipelineCache(max_items=4)


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_sd: Path):
    """A model library in tmp (STUDIO_HOME) with the tiny SD model added."""
    from studio.generation.models import ModelLibrary

    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hf-cache"))
    lib = ModelLibrary()
    lib.add(tiny_sd)
    return lib


@pytest.fixture
def keyframe_png() -> bytes:
    """A 64×64 gradient keyframe as PNG bytes."""
    import numpy as np

    from studio.media.decode import encode_png

    y, x = np.mgrid[0:64, 0:64]
    rgb = np.stack([x * 4, y * 4, (x + y) * 2], axis=-1).clip(0, 255).astype(np.uint8)
    return encode_png(rgb)


def build_tiny_cogvideox(folder: Path, fixed_size: bool = True) -> Path:
    """CogVideoXImageToVideoPipeline: 1-layer transformer, 8× spatial / 4× temporal VAE, tiny T5.

    9 frames. With `fixed_size` it has learned positional embeddings like CogVideoX-5b-I2V
    (1.0), which lock it to its 4×4 latents, 32×32 px; without, it is like CogVideoX 1.5 I2V
    (rotary only, any size up to 128 px, frames patched in pairs, an `ofs` embedding).
    """
    import torch
    from diffusers import (
        AutoencoderKLCogVideoX,
        CogVideoXDPMScheduler,
        CogVideoXImageToVideoPipeline,
        CogVideoXTransformer3DModel,
    )

    torch.manual_seed(0)
    # 1.5's rotary grid is sliced from sample_* (its 300 latents): 16 allows up to 128 px
    version_args = (
        {"use_learned_positional_embeddings": True, "sample_width": 4, "sample_height": 4}
        if fixed_size
        else {
            "patch_size_t": 2,
            "ofs_embed_dim": 8,
            "patch_bias": False,
            "sample_width": 16,
            "sample_height": 16,
        }
    )
    transformer = CogVideoXTransformer3DModel(
        num_attention_heads=2,
        attention_head_dim=16,  # RoPE needs a head size divisible by 16
        in_channels=8,
        out_channels=4,
        time_embed_dim=8,
        text_embed_dim=32,
        num_layers=1,
        sample_frames=9,
        patch_size=2,
        temporal_compression_ratio=4,
        max_text_seq_length=16,
        use_rotary_positional_embeddings=True,
        **version_args,
    )
    vae = AutoencoderKLCogVideoX(
        in_channels=3,
        out_channels=3,
        down_block_types=("CogVideoXDownBlock3D",) * 4,
        up_block_types=("CogVideoXUpBlock3D",) * 4,
        block_out_channels=(8, 8, 8, 8),
        latent_channels=4,
        layers_per_block=1,
        norm_num_groups=2,
        temporal_compression_ratio=4,
    )
    pipe = CogVideoXImageToVideoPipeline(
        tokenizer=t5_tokenizer(),
        text_encoder=tiny_t5_encoder(),
        vae=vae,
        transformer=transformer,
        scheduler=CogVideoXDPMScheduler(timestep_spacing="trailing"),
    )
    pipe.save_pretrained(folder)
    return folder


def build_tiny_wan(folder: Path) -> Path:
    """WanImageToVideoPipeline (Wan 2.1 I2V layout): 1-layer transformer, 8× / 4× VAE,
    tiny UMT5 text encoder and a 32 px CLIP vision encoder (patch 16)."""
    import torch
    from diffusers import (
        AutoencoderKLWan,
        UniPCMultistepScheduler,
        WanImageToVideoPipeline,
        WanTransformer3DModel,
    )
    from transformers import (
        CLIPImageProcessor,
        CLIPVisionConfig,
        CLIPVisionModel,
    )

    torch.manual_seed(0)
    vae = AutoencoderKLWan(
        base_dim=3,
        z_dim=16,
        dim_mult=[1, 1, 1, 1],
        num_res_blocks=1,
        temperal_downsample=[False, True, True],
    )
    transformer = WanTransformer3DModel(
        patch_size=(1, 2, 2),
        num_attention_heads=2,
        attention_head_dim=12,
        in_channels=36,  # noise latents + image latents + 4 mask channels
        out_channels=16,
        text_dim=32,
        freq_dim=32,
        ffn_dim=32,
        num_layers=1,
        cross_attn_norm=True,
        qk_norm="rms_norm_across_heads",
        rope_max_seq_len=32,
        image_dim=8,
    )
    text_encoder = tiny_umt5_encoder()
    image_encoder = CLIPVisionModel(
        CLIPVisionConfig(
            hidden_size=8,
            num_hidden_layers=2,
            num_attention_heads=2,
            image_size=32,
            intermediate_size=16,
            patch_size=16,
        )
    )
    pipe = WanImageToVideoPipeline(
        tokenizer=t5_tokenizer(),
        text_encoder=text_encoder,
        vae=vae,
        scheduler=UniPCMultistepScheduler(
            prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=3.0
        ),
        image_processor=CLIPImageProcessor(crop_size=32, size=32),
        image_encoder=image_encoder,
        transformer=transformer,
    )
    pipe.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_cogvideox(model_root: Path) -> Path:
    return build_tiny_cogvideox(model_root / "tiny-cogvideox")


@pytest.fixture(scope="session")
def tiny_cogvideox_any_size(model_root: Path) -> Path:
    return build_tiny_cogvideox(model_root / "tiny-cogvideox-1.5", fixed_size=False)


@pytest.fixture(scope="session")
def tiny_wan(model_root: Path) -> Path:
    return build_tiny_wan(model_root / "tiny-wan")


def build_tiny_wan22(folder: Path, expand_timesteps: bool = True) -> Path:
    """WanPipeline laid out like Wan 2.2 TI2V-5B: `expand_timesteps` in model_index.json, a
    residual VAE with 2×2 patching and a 16× spatial factor, no image encoder (the keyframe
    conditions the first latent frame). Its rotary table (16 positions) caps it at 512 px a
    side and 61 frames. Without `expand_timesteps` it is a text-to-video WanPipeline, like
    Wan 2.1 T2V."""
    import torch
    from diffusers import (
        AutoencoderKLWan,
        UniPCMultistepScheduler,
        WanPipeline,
        WanTransformer3DModel,
    )

    torch.manual_seed(0)
    channels = 8
    vae = AutoencoderKLWan(
        base_dim=8,
        decoder_base_dim=8,
        z_dim=channels,
        dim_mult=[1, 1, 1, 1],
        num_res_blocks=1,
        temperal_downsample=[False, True, True],
        is_residual=True,
        in_channels=12,  # RGB patched 2×2
        out_channels=12,
        patch_size=2,
        scale_factor_spatial=16,
        scale_factor_temporal=4,
        latents_mean=[0.0] * channels,
        latents_std=[1.0] * channels,
    )
    transformer = WanTransformer3DModel(
        patch_size=(1, 2, 2),
        num_attention_heads=2,
        attention_head_dim=12,
        in_channels=channels,  # TI2V: the image latent replaces the first frame, no mask
        out_channels=channels,
        text_dim=32,
        freq_dim=32,
        ffn_dim=32,
        num_layers=1,
        cross_attn_norm=True,
        qk_norm="rms_norm_across_heads",
        rope_max_seq_len=16,  # sides up to 16 patches × 2 × 16 = 512 px, 16 latent frames
    )
    text_encoder = tiny_umt5_encoder()
    pipe = WanPipeline(
        tokenizer=t5_tokenizer(),
        text_encoder=text_encoder,
        vae=vae,
        transformer=transformer,
        scheduler=UniPCMultistepScheduler(
            prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=5.0
        ),
        expand_timesteps=expand_timesteps,
    )
    pipe.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_wan22(model_root: Path) -> Path:
    return build_tiny_wan22(model_root / "tiny-wan2.2-ti2v")
