"""Shared helpers of the generation tests: tiny models built in code, and forgeries of signed images.

The models are as diffusers' own fast tests make them: the architecture is real, the weights are random, the sizes
are tiny (no downloads, seconds to build). The forgeries re-sign a generated image's pixels and metadata with other
keys, the way someone without the studio's keys (or with the wrong person's credential) would.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any


def build_tiny_scene_model(folder: Path, seed: int = 0) -> Path:
    """A 2-level class-conditional UNet (16 px) in the bundled model's folder format."""
    import torch

    from generation.model import build_unet, save_model

    torch.manual_seed(seed)
    unet = build_unet(resolution=16, block_out_channels=(8, 16))
    return save_model(unet, folder, extra={"note": "random weights for tests"})


def _byte_vocab() -> tuple[dict[str, int], list[str]]:
    # A CLIP-style byte-level BPE vocabulary written by hand: 256 byte symbols, the same with </w>, a few merges.
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    symbols = [chr(c) for c in cs]
    vocab: dict[str, int] = {}
    for s in symbols + [s + "</w>" for s in symbols]:
        vocab[s] = len(vocab)
    merges = ["s k", "sk y</w>", "c i", "ci t", "cit y</w>", "t r", "tr e", "tre e</w>"]
    for merge in merges:
        vocab.setdefault(merge.replace(" ", ""), len(vocab))
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return vocab, merges


def build_tiny_sd(folder: Path, *, variant: str | None = None, seed: int = 0) -> Path:
    """A tiny StableDiffusionPipeline (256 px output) saved as a diffusers folder; ``variant="fp16"`` writes only
    ``*.fp16.safetensors`` weights, as many downloaded SD-Turbo copies have."""
    import torch
    from diffusers import (
        AutoencoderKL,
        EulerDiscreteScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    vocab, merges = _byte_vocab()
    tokenizer = CLIPTokenizer(vocab=vocab, merges=[tuple(m.split()) for m in merges], model_max_length=32)
    torch.manual_seed(seed)
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(vocab),
            hidden_size=32,
            intermediate_size=37,
            num_hidden_layers=2,
            num_attention_heads=4,
            max_position_embeddings=32,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
            projection_dim=32,
        )
    )
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=1,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        norm_num_groups=32,
    )
    # Four blocks, as in Stable Diffusion: 8× down to the latent, so a 256 px image (the watermark's minimum) is a
    # 32 × 32 latent and the tiny UNet stays fast.
    vae = AutoencoderKL(
        block_out_channels=(32, 32, 32, 64),
        in_channels=3,
        out_channels=3,
        latent_channels=4,
        sample_size=256,
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        norm_num_groups=32,
        layers_per_block=1,
    )
    scheduler = EulerDiscreteScheduler(
        beta_schedule="scaled_linear", beta_start=0.00085, beta_end=0.012, timestep_spacing="trailing", steps_offset=1
    )
    pipe = StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    if variant == "fp16":
        pipe.to(torch.float16)
    pipe.save_pretrained(folder, safe_serialization=True, variant=variant)
    return Path(folder)


def resign(signed: bytes, *, key: Any, credential: Any, manifest: dict[str, Any] | None = None) -> bytes:
    """The pixels and text chunk of the signed PNG ``signed``, with a fresh generation manifest (the same operator,
    tool and watermark id as the text chunk says) signed by ``key`` and ``credential``'s identity."""
    from PIL import Image

    from generation import provenance as prov
    from generation.signing import sign_png

    text = prov.read_png_text(signed)
    with Image.open(io.BytesIO(signed)) as img:
        pixels = img.convert("RGB")
    png = prov.png_with_text(pixels, text)
    manifest = manifest or prov.generation_manifest(title="forged.png", provenance=text)
    return sign_png(png, manifest, key, identity=credential, references=prov.GENERATION_REFERENCES)


def stripped(signed: bytes) -> bytes:
    """The pixels of ``signed`` re-encoded as a plain PNG: no manifest, no text chunk."""
    from PIL import Image

    out = io.BytesIO()
    with Image.open(io.BytesIO(signed)) as img:
        img.convert("RGB").save(out, format="PNG")
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# What a marked image goes through after it leaves Endroll (the tests and bench/bench_watermark.py share these)


def to_jpeg(image: Any, quality: int = 85) -> Any:
    """PNG → JPEG at ``quality`` (Pillow's defaults: 4:2:0 chroma subsampling), decoded again."""
    from PIL import Image

    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def half_size(image: Any) -> Any:
    """Resized to 50 % (Lanczos), as a thumbnail or a web export would."""
    from PIL import Image

    return image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)


def crop_10(image: Any, seed: int) -> Any:
    """A 10 % crop: 90 % of each side kept, at a position chosen by ``seed`` (so the grid rarely stays aligned)."""
    import random

    rng = random.Random(seed)
    w, h = image.size
    cw, ch = round(w * 0.9), round(h * 0.9)
    x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
    return image.crop((x, y, x + cw, y + ch))


def screenshot(image: Any) -> Any:
    """Screenshot-like: shown at 125 % display scaling (bilinear), captured, and shared as JPEG quality 90."""
    from PIL import Image

    shown = image.resize((round(image.width * 1.25), round(image.height * 1.25)), Image.Resampling.BILINEAR)
    return to_jpeg(shown, quality=90)


TRANSFORMS = {
    "PNG→JPEG q85": lambda image, seed: to_jpeg(image),
    "resize to 50 %": lambda image, seed: half_size(image),
    "10 % crop": crop_10,
    "screenshot-like": lambda image, seed: screenshot(image),
}
"""name → ``f(image, seed) -> image``, in the order docs/generation.md reports them."""
