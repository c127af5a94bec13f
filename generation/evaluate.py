"""Is every class recognizable? Simple colour-layout statistics and a nearest-centroid check.

The features are the mean colour of the top, middle and bottom thirds of an image plus its luminance spread:
crude, but they separate the six procedural scene classes almost perfectly, so a generated image that lands
on its own class's centroid has that class's layout and palette. The model card and the tests use these.
"""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from generation.scenes import SCENES, scene_dataset


def image_features(images: np.ndarray) -> np.ndarray:
    """``[N, H, W, 3]`` uint8 → ``[N, 10]``: mean RGB of three horizontal bands (0..1) and luminance std."""
    x = images.astype(np.float32) / 255.0
    h = x.shape[1]
    bands = [x[:, : h // 3], x[:, h // 3 : 2 * h // 3], x[:, 2 * h // 3 :]]
    means = [b.mean(axis=(1, 2)) for b in bands]
    lum = x @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return np.concatenate([*means, lum.std(axis=(1, 2))[:, None]], axis=1)


@lru_cache(maxsize=4)
def class_centroids(size: int = 32, per_class: int = 150) -> np.ndarray:
    """Feature centroid of each class over procedurally drawn scenes (held-out seeds), ``[len(SCENES), 10]``."""
    images, labels = scene_dataset(per_class, size, seed=999)
    feats = image_features(images)
    return np.stack([feats[labels == k].mean(axis=0) for k in range(len(SCENES))])


def classify(images: np.ndarray) -> np.ndarray:
    """Nearest-centroid class index for each image."""
    centroids = class_centroids(images.shape[1])
    feats = image_features(images)
    return np.argmin(((feats[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1)


def colour_stats(images: np.ndarray) -> dict[str, float]:
    """Mean luminance, "blueness" (B - R) and "greenness" (G - (R + B) / 2), on the 0..255 scale."""
    x = images.astype(np.float32)
    r, g, b = x[..., 0].mean(), x[..., 1].mean(), x[..., 2].mean()
    return {
        "luminance": float(0.299 * r + 0.587 * g + 0.114 * b),
        "blueness": float(b - r),
        "greenness": float(g - (r + b) / 2),
    }


def sample_classes(
    pipe, per_class: int, steps: int = 25, guidance: float = 3.0, seed: int = 0, bf16: bool = False
) -> dict[str, np.ndarray]:
    """``per_class`` samples of every scene (seeds ``seed..seed+per_class-1``), batched per class."""
    import torch

    out = {}
    for k, scene in enumerate(SCENES):
        gens = [torch.Generator().manual_seed(seed + i) for i in range(per_class)]
        out[scene] = pipe(
            [k] * per_class, generator=gens, num_inference_steps=steps, guidance_scale=guidance, bf16=bf16
        ).images
    return out


def report(samples: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    stats = {}
    for k, (scene, images) in enumerate(samples.items()):
        predicted = classify(images)
        stats[scene] = {"accuracy": float((predicted == k).mean()), **colour_stats(images)}
    return stats


def sample_grid(
    model_dir: Path,
    out: Path,
    *,
    per_class: int = 8,
    steps: int = 25,
    guidance: float = 3.0,
    scale: int = 4,
    threads: int = 1,
    seed: int = 0,
    bf16: bool = False,
) -> dict:
    """Write a grid (one row per scene, left: procedural references, right: samples) and return statistics."""
    import torch

    from generation.model import load_model
    from generation.scenes import draw_scene

    torch.set_num_threads(threads)
    pipe = load_model(model_dir)
    t0 = time.perf_counter()
    samples = sample_classes(pipe, per_class, steps, guidance, seed, bf16)
    seconds = (time.perf_counter() - t0) / (per_class * len(SCENES))
    size = pipe.unet.config.sample_size
    cell, gap, refs = size * scale, scale * 2, 2
    grid = Image.new("RGB", ((refs + per_class) * cell + gap, len(SCENES) * cell), (255, 255, 255))
    for row, scene in enumerate(SCENES):
        for col in range(refs):
            ref = draw_scene(scene, 10_000 + col, size).resize((cell, cell), Image.Resampling.LANCZOS)
            grid.paste(ref, (col * cell, row * cell))
        for col, arr in enumerate(samples[scene]):
            img = Image.fromarray(arr).resize((cell, cell), Image.Resampling.LANCZOS)
            grid.paste(img, (gap + (refs + col) * cell, row * cell))
    out.parent.mkdir(parents=True, exist_ok=True)
    grid.save(out)
    return {
        "bf16": bf16,
        "seconds_per_image": round(seconds, 3),
        "steps": steps,
        "guidance": guidance,
        "classes": {k: {m: round(v, 3) for m, v in s.items()} for k, s in report(samples).items()},
    }
