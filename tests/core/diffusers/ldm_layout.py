"""Turn a diffusers Stable Diffusion folder into one checkpoint in the original (LDM) layout.

Community SD 1.x checkpoints are one `.safetensors` file with the CompVis key names:
`model.diffusion_model.…` (UNet), `first_stage_model.…` (VAE), `cond_stage_model.transformer.…`
(CLIP text encoder). This is the inverse of what diffusers' single-file loader applies
(`convert_ldm_unet_checkpoint`, `convert_ldm_vae_checkpoint`, `convert_ldm_clip_checkpoint` in
`diffusers/loaders/single_file_utils.py`), written for the SD 1.x block structure (the tiny test
model included): DownBlock2D/CrossAttnDownBlock2D with `layers_per_block` resnets, a UNet mid
block of resnet/attention/resnet, a VAE with a mid attention stored as 1×1 convolutions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

UNET_PREFIX = "model.diffusion_model."
VAE_PREFIX = "first_stage_model."
CLIP_PREFIX = "cond_stage_model.transformer.text_model."

UNET_TOP = {
    "time_embedding.linear_1.": "time_embed.0.",
    "time_embedding.linear_2.": "time_embed.2.",
    "conv_in.": "input_blocks.0.0.",
    "conv_norm_out.": "out.0.",
    "conv_out.": "out.2.",
}
UNET_RESNET = {
    "norm1.": "in_layers.0.",
    "conv1.": "in_layers.2.",
    "norm2.": "out_layers.0.",
    "conv2.": "out_layers.3.",
    "time_emb_proj.": "emb_layers.1.",
    "conv_shortcut.": "skip_connection.",
}
VAE_TOP = {"conv_norm_out.": "norm_out."}
VAE_ATTENTION = {
    "group_norm.": "norm.",
    "to_q.": "q.",
    "to_k.": "k.",
    "to_v.": "v.",
    "to_out.0.": "proj_out.",
}


def _unet_prefixes(config: dict[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    """(diffusers prefix, LDM prefix, inner renames) for every UNet block."""
    blocks, per = len(config["block_out_channels"]), int(config["layers_per_block"])
    pairs: list[tuple[str, str, dict[str, str]]] = []
    for i in range(blocks):
        for j in range(per):
            ldm = f"input_blocks.{i * (per + 1) + j + 1}"
            pairs.append((f"down_blocks.{i}.resnets.{j}.", f"{ldm}.0.", UNET_RESNET))
            pairs.append((f"down_blocks.{i}.attentions.{j}.", f"{ldm}.1.", {}))
        ldm_down = f"input_blocks.{(i + 1) * (per + 1)}.0.op."
        pairs.append((f"down_blocks.{i}.downsamplers.0.conv.", ldm_down, {}))
    for i in range(blocks):
        has_attention = "CrossAttn" in config["up_block_types"][i]
        for j in range(per + 1):
            ldm = f"output_blocks.{i * (per + 1) + j}"
            pairs.append((f"up_blocks.{i}.resnets.{j}.", f"{ldm}.0.", UNET_RESNET))
            pairs.append((f"up_blocks.{i}.attentions.{j}.", f"{ldm}.1.", {}))
        # the upsampler follows the block's last layer, after its attention when it has one
        last = f"output_blocks.{i * (per + 1) + per}.{2 if has_attention else 1}.conv."
        pairs.append((f"up_blocks.{i}.upsamplers.0.conv.", last, {}))
    pairs.append(("mid_block.resnets.0.", "middle_block.0.", UNET_RESNET))
    pairs.append(("mid_block.attentions.0.", "middle_block.1.", {}))
    pairs.append(("mid_block.resnets.1.", "middle_block.2.", UNET_RESNET))
    return pairs


def _rename(key: str, table: dict[str, str]) -> str:
    for new, old in table.items():
        if key.startswith(new):
            return old + key[len(new) :]
    return key


def _renamed_inside(rest: str, inner: dict[str, str]) -> str:
    for new, old in inner.items():
        if rest.startswith(new):
            return old + rest[len(new) :]
    return rest


def unet_to_ldm(state: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """A diffusers UNet2DConditionModel state dict under the LDM `model.diffusion_model.` names."""
    prefixes = _unet_prefixes(config)
    out = {}
    for key, tensor in state.items():
        for new, old, inner in prefixes:
            if key.startswith(new):
                ldm = old + _renamed_inside(key[len(new) :], inner)
                break
        else:
            if _rename(key, UNET_TOP) == key:
                raise ValueError(f"no LDM name for the UNet key {key}")
            ldm = _rename(key, UNET_TOP)
        out[UNET_PREFIX + ldm] = tensor
    return out


def _vae_prefixes(config: dict[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    blocks = len(config["block_out_channels"])
    pairs: list[tuple[str, str, dict[str, str]]] = []
    resnet = {"conv_shortcut.": "nin_shortcut."}
    for i in range(blocks):
        pairs.append((f"encoder.down_blocks.{i}.resnets.", f"encoder.down.{i}.block.", resnet))
        down = f"encoder.down.{i}.downsample.conv."
        pairs.append((f"encoder.down_blocks.{i}.downsamplers.0.conv.", down, {}))
        # the decoder's up blocks are numbered from the bottom in the LDM layout
        ldm_up = blocks - 1 - i
        pairs.append((f"decoder.up_blocks.{i}.resnets.", f"decoder.up.{ldm_up}.block.", resnet))
        up = f"decoder.up.{ldm_up}.upsample.conv."
        pairs.append((f"decoder.up_blocks.{i}.upsamplers.0.conv.", up, {}))
    for part in ("encoder", "decoder"):
        pairs.append((f"{part}.mid_block.resnets.0.", f"{part}.mid.block_1.", {}))
        pairs.append((f"{part}.mid_block.resnets.1.", f"{part}.mid.block_2.", {}))
        pairs.append((f"{part}.mid_block.attentions.0.", f"{part}.mid.attn_1.", VAE_ATTENTION))
    return pairs


def _resnet_inner_key(rest: str, inner: dict[str, str]) -> str:
    """`0.conv_shortcut.weight` → `0.nin_shortcut.weight` (the resnet index stays in front)."""
    index, _, tail = rest.partition(".")
    if index.isdigit():
        return f"{index}.{_renamed_inside(tail, inner)}"
    return _renamed_inside(rest, inner)


def vae_to_ldm(state: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """A diffusers AutoencoderKL state dict under the LDM `first_stage_model.` names.

    The mid-block attention's linear weights become 1×1 convolutions, as in the original."""
    prefixes = _vae_prefixes(config)
    out = {}
    for key, tensor in state.items():
        for new, old, inner in prefixes:
            if key.startswith(new):
                ldm = old + _resnet_inner_key(key[len(new) :], inner)
                if inner is VAE_ATTENTION and key.endswith("weight") and tensor.ndim == 2:
                    tensor = tensor[:, :, None, None]
                break
        else:
            part, _, rest = key.partition(".")
            ldm = f"{part}.{_rename(rest, VAE_TOP)}" if part in ("encoder", "decoder") else key
        out[VAE_PREFIX + ldm] = tensor
    return out


def clip_to_ldm(state: dict[str, Any]) -> dict[str, Any]:
    """A transformers CLIPTextModel state dict under `cond_stage_model.transformer.text_model.`.

    transformers 5 drops the `text_model.` level from its own keys; the LDM names keep it."""
    return {CLIP_PREFIX + k.removeprefix("text_model."): v for k, v in state.items()}


def _schedule_buffers(scheduler_config: dict[str, Any]) -> dict[str, Any]:
    """The DDPM schedule buffers an original checkpoint carries (diffusers ignores them)."""
    import torch

    start, end = scheduler_config["beta_start"], scheduler_config["beta_end"]
    steps = scheduler_config.get("num_train_timesteps", 1000)
    betas = torch.linspace(start**0.5, end**0.5, steps, dtype=torch.float64) ** 2
    return {"betas": betas.float(), "alphas_cumprod": torch.cumprod(1 - betas, 0).float()}


def ldm_state_dict(sd_folder: Path) -> dict[str, Any]:
    """Every tensor of a diffusers SD folder (UNet, VAE, CLIP text encoder) in the LDM layout."""
    import torch
    from diffusers import StableDiffusionPipeline

    pipe = StableDiffusionPipeline.from_pretrained(sd_folder, local_files_only=True)
    state = unet_to_ldm(pipe.unet.state_dict(), dict(pipe.unet.config))
    state |= vae_to_ldm(pipe.vae.state_dict(), dict(pipe.vae.config))
    state |= clip_to_ldm(pipe.text_encoder.state_dict())
    positions = pipe.text_encoder.config.max_position_embeddings
    state[CLIP_PREFIX + "embeddings.position_ids"] = torch.arange(positions)[None]
    state |= _schedule_buffers(dict(pipe.scheduler.config))
    return state


def write_checkpoint(state: dict[str, Any], target: Path, drop: tuple[str, ...] = ()) -> Path:
    """Save an LDM state dict as one .safetensors at `target`, leaving out the `drop` keys."""
    from safetensors.torch import save_file

    missing = [key for key in drop if key not in state]
    if missing:
        raise KeyError(f"not in the checkpoint: {missing}")
    target.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in state.items() if k not in drop}, target)
    return target


def save_ldm_checkpoint(sd_folder: Path, target: Path, drop: tuple[str, ...] = ()) -> Path:
    """Write `sd_folder` as one original-layout .safetensors at `target`, minus `drop` keys."""
    return write_checkpoint(ldm_state_dict(sd_folder), target, drop)


def save_reweighted_copy(sd_folder: Path, target: Path, seed: int = 1) -> Path:
    """The same architecture and configs as `sd_folder` with other weights (noise added)."""
    import torch
    from diffusers import StableDiffusionPipeline

    pipe = StableDiffusionPipeline.from_pretrained(sd_folder, local_files_only=True)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for component in (pipe.unet, pipe.vae, pipe.text_encoder):
            for param in component.parameters():
                noise = torch.randn(param.shape, generator=generator, dtype=param.dtype)
                param.add_(noise * 0.1)
    pipe.save_pretrained(target)
    return target
