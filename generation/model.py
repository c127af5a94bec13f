"""The bundled class-conditional scene model: architecture, sampling pipeline, save and load.

This module imports torch and diffusers at the top, so only code paths that actually generate or
train import it (``generation/__init__.py`` must stay light for the dashboard's start-up).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from diffusers import DDIMScheduler, DDPMScheduler, DiffusionPipeline, UNet2DModel
from diffusers.utils import BaseOutput
from diffusers.utils.torch_utils import randn_tensor
from safetensors.torch import load_file, save_file

from generation.scenes import SCENES

NULL_CLASS = len(SCENES)
"""Class index used for the unconditional branch of classifier-free guidance."""

UNET_WEIGHTS = "diffusion_pytorch_model.fp16.safetensors"


def unet_config(resolution: int = 32, block_out_channels: Sequence[int] = (32, 64, 128, 128)) -> dict:
    """Architecture of the bundled UNet (4.1 M parameters at the default widths)."""
    n = len(block_out_channels)
    return {
        "sample_size": resolution,
        "in_channels": 3,
        "out_channels": 3,
        "block_out_channels": tuple(block_out_channels),
        "layers_per_block": 1,
        "down_block_types": ("DownBlock2D",) * n,
        "up_block_types": ("UpBlock2D",) * n,
        "norm_num_groups": 8,
        "num_class_embeds": len(SCENES) + 1,
    }


def build_unet(**config) -> UNet2DModel:
    return UNet2DModel(**unet_config(**config))


def build_train_scheduler() -> DDPMScheduler:
    # The cosine schedule keeps more signal at the small timesteps that matter at 32 px.
    return DDPMScheduler(num_train_timesteps=1000, beta_schedule="squaredcos_cap_v2", prediction_type="epsilon")


@dataclass
class ScenePipelineOutput(BaseOutput):
    """Output of :class:`ScenePipeline`.

    Args:
        images (`np.ndarray`):
            uint8 array of shape `(batch_size, height, width, 3)`.
    """

    images: np.ndarray


class ScenePipeline(DiffusionPipeline):
    """Class-conditional DDIM sampling with classifier-free guidance for the bundled scene model."""

    model_cpu_offload_seq = "unet"

    def __init__(self, unet: UNet2DModel, scheduler: DDIMScheduler):
        super().__init__()
        self.register_modules(unet=unet, scheduler=scheduler)

    @torch.no_grad()
    def __call__(
        self,
        class_labels: Sequence[int],
        generator: torch.Generator | list[torch.Generator] | None = None,
        num_inference_steps: int = 25,
        guidance_scale: float = 3.0,
        step_callback: Callable[[int, int], None] | None = None,
        bf16: bool = False,
    ) -> ScenePipelineOutput:
        """Sample one image per entry of ``class_labels``.

        Args:
            class_labels: scene class index per image (``0 .. len(SCENES) - 1``).
            generator: one CPU generator per image (recommended, so an image depends on its own seed)
                or a single generator for the whole batch.
            num_inference_steps: DDIM steps.
            guidance_scale: classifier-free guidance weight; 1.0 or less disables guidance.
            step_callback: called with ``(step, num_inference_steps)`` after every step.
            bf16: run the UNet under bfloat16 autocast (1.3-2x faster on CPUs with native bf16; the scheduler
                arithmetic stays float32). Pixels then differ slightly from a float32 run of the same seed.
        """
        batch_size = len(class_labels)
        if batch_size == 0:
            raise ValueError("class_labels is empty: ask for at least one image.")
        if isinstance(generator, list) and len(generator) != batch_size:
            raise ValueError(
                f"You have passed a list of generators of length {len(generator)}, but requested an effective batch"
                f" size of {batch_size}. Make sure the batch size matches the length of the generators."
            )
        if any(not 0 <= c < NULL_CLASS for c in class_labels):
            raise ValueError(f"class labels must be in 0..{NULL_CLASS - 1}, got {list(class_labels)}")
        if num_inference_steps < 1:
            raise ValueError("num_inference_steps must be at least 1.")

        # The scheduler keeps per-call state (set_timesteps), so every call gets its own copy: the
        # pipeline object itself is cached and shared between users.
        scheduler = DDIMScheduler.from_config(self.scheduler.config)
        scheduler.set_timesteps(num_inference_steps)

        size = self.unet.config.sample_size
        dtype = self.unet.dtype
        shape = (batch_size, self.unet.config.in_channels, size, size)
        image = randn_tensor(shape, generator=generator, device=self.device, dtype=dtype)
        image = image.contiguous(memory_format=torch.channels_last)
        labels = torch.tensor(list(class_labels), device=self.device)
        use_guidance = guidance_scale > 1.0
        if use_guidance:
            labels = torch.cat([labels, torch.full_like(labels, NULL_CLASS)])

        for i, t in enumerate(scheduler.timesteps):
            # 1. predict the noise, with the unconditional branch batched alongside for guidance
            model_input = torch.cat([image, image]) if use_guidance else image
            with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=bf16):
                noise_pred = self.unet(model_input, t, class_labels=labels).sample.float()
            if use_guidance:
                cond, uncond = noise_pred.chunk(2)
                noise_pred = uncond + guidance_scale * (cond - uncond)
            # 2. compute the previous image: x_t -> x_t-1
            image = scheduler.step(noise_pred, t, image, eta=0.0).prev_sample
            if step_callback is not None:
                step_callback(i + 1, num_inference_steps)

        image = (image.float() / 2 + 0.5).clamp(0, 1)
        array = (image.permute(0, 2, 3, 1).cpu().numpy() * 255).round().astype(np.uint8)
        return ScenePipelineOutput(images=array)


def save_model(unet: UNet2DModel, out_dir: Path, *, extra: dict | None = None) -> Path:
    """Write ``unet`` as fp16 safetensors plus the scheduler config, in a diffusers-style folder.

    Layout: ``unet/config.json``, ``unet/diffusion_pytorch_model.fp16.safetensors`` (loadable with
    ``UNet2DModel.from_pretrained(dir, subfolder="unet", variant="fp16")``), ``scheduler/``, and
    ``training.json`` with ``extra``.
    """
    out_dir = Path(out_dir)
    (out_dir / "unet").mkdir(parents=True, exist_ok=True)
    unet.save_config(out_dir / "unet")
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in unet.state_dict().items()}
    save_file(state, str(out_dir / "unet" / UNET_WEIGHTS), metadata={"format": "pt"})
    build_train_scheduler().save_config(out_dir / "scheduler")
    if extra is not None:
        (out_dir / "training.json").write_text(json.dumps(extra, indent=2, sort_keys=True) + "\n")
    return out_dir


def load_model(model_dir: Path, dtype: torch.dtype = torch.float32) -> ScenePipeline:
    """Load a folder written by :func:`save_model`; fp16 weights are upcast because fp16 is slow on CPU."""
    model_dir = Path(model_dir)
    weights = model_dir / "unet" / UNET_WEIGHTS
    if not weights.is_file():
        raise FileNotFoundError(f"No scene-model weights at {weights}. Train with `python -m generation train`.")
    config = UNet2DModel.load_config(model_dir / "unet")
    unet = UNet2DModel.from_config(config)
    unet.load_state_dict({k: v.to(dtype) for k, v in load_file(str(weights)).items()})
    if dtype != torch.float32:
        unet.to(dtype)
    # channels-last memory layout is what oneDNN's fast convolution paths want on CPU.
    unet.to(memory_format=torch.channels_last).eval().requires_grad_(False)
    scheduler = DDIMScheduler.from_pretrained(model_dir, subfolder="scheduler", local_files_only=True)
    pipe = ScenePipeline(unet=unet, scheduler=scheduler)
    pipe.set_progress_bar_config(disable=True)
    return pipe
