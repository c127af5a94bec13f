"""Loading and running models: the bundled scene model, or any local diffusers text-to-image folder.

torch and diffusers are imported inside the functions, so importing this module is cheap. Loaded pipelines
are cached per process and shared by every dashboard user; runs are serialized by one lock, because torch's
thread pool is process-wide and two concurrent runs on a small CPU are each several times slower than one
after the other (measured: 5x with oversubscribed threads).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.i18n import N_
from generation.errors import GenerationError, ModelPathError
from generation.request import BUNDLED_MODEL

# huggingface_hub reads these once, at import time; setting them here, before any HF import in this process,
# makes "nothing is downloaded at run time" hold even for code paths that forget local_files_only.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

WEIGHTS_ROOT = Path(__file__).resolve().parent / "weights"
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_HASHED_SUFFIXES = {".json", ".safetensors", ".bin", ".txt", ".model", ".pt", ".ckpt"}

_cache: dict[tuple[str, str], LoadedModel] = {}
_cache_lock = threading.Lock()
_run_lock = threading.Lock()
"""One generation at a time per process (see the module docstring)."""
_fingerprints: dict[tuple[str, float, int], str] = {}


@dataclass
class LoadedModel:
    name: str
    kind: str
    """``scenes`` (the bundled class-conditional model) or ``diffusers`` (a text-to-image folder)."""
    model_id: str
    weights_sha256: str
    pipe: Any
    device: str
    dtype: str
    default_steps: int
    default_guidance: float
    default_size: int
    native_size: int | None = None
    bf16: bool = False
    """UNet under bfloat16 autocast (scene model on CPUs with native bf16)."""
    turbo: bool = False
    variant: str | None = None
    versions: dict[str, str] = field(default_factory=dict)


def bundled_model_dir() -> Path:
    return WEIGHTS_ROOT / BUNDLED_MODEL


def weights_fingerprint(folder: Path) -> str:
    """sha256 over the configs and weight files of ``folder`` (relative path + content), cached by mtime."""
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix in _HASHED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.name != "training.json"
    )
    stamp = (str(folder.resolve()), max((p.stat().st_mtime for p in files), default=0.0), len(files))
    if stamp in _fingerprints:
        return _fingerprints[stamp]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with path.open("rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                digest.update(chunk)
    _fingerprints[stamp] = digest.hexdigest()
    return _fingerprints[stamp]


def validate_model_folder(model: str | os.PathLike) -> Path:
    """The folder of a local diffusers pipeline, or :class:`ModelPathError` at once (never a download)."""
    text = os.fspath(model)
    if not text.strip():
        raise ModelPathError(
            N_("No model given"),
            fix={
                "cli": N_("pass --model with the bundled model's name or the path of a local diffusers folder"),
                "page": N_("choose the bundled scene model, or enter the path of a local diffusers folder"),
            },
        )
    path = Path(text).expanduser()
    if not path.exists():
        if _HUB_ID.match(text):
            raise ModelPathError(
                N_(
                    "{text!r} looks like a Hugging Face hub id, and no such local folder exists. Endroll never downloads "
                    "models: download the checkpoint yourself and give the path of its local folder"
                ),
                text=text,
            )
        raise ModelPathError(N_("Model folder {text!r} does not exist"), text=text)
    if not path.is_dir():
        raise ModelPathError(
            N_(
                "{text!r} is a file. Only diffusers-format folders (with model_index.json) are supported; convert "
                "single-file checkpoints with diffusers' from_single_file and save_pretrained first"
            ),
            text=text,
        )
    if not (path / "model_index.json").is_file():
        raise ModelPathError(
            N_("{text!r} has no model_index.json, so it is not a diffusers pipeline folder"), text=text
        )
    return path


def detect_variant(folder: Path) -> str | None:
    """``"fp16"`` when the folder's weights exist only as ``*.fp16.*`` files (common for SD-Turbo copies)."""
    weights = [p for p in folder.rglob("*") if p.suffix in (".safetensors", ".bin")]
    plain = [p for p in weights if len(p.name.split(".")) == 2]
    fp16 = [p for p in weights if ".fp16." in p.name]
    return "fp16" if fp16 and not plain else None


def is_turbo(folder: Path) -> bool:
    """Turbo (adversarially distilled) models are meant for 1-4 steps without classifier-free guidance."""
    index = json.loads((folder / "model_index.json").read_text())
    hints = [folder.name, str(index.get("_name_or_path", ""))]
    marker = folder / "endroll.json"
    if marker.is_file():
        return bool(json.loads(marker.read_text()).get("turbo"))
    return any("turbo" in h.lower() or "lightning" in h.lower() for h in hints)


def _torch_setup() -> tuple[Any, str]:
    import torch

    from data import settings

    threads = max(1, int(settings.get("generation_threads")))
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return torch, ("cuda" if torch.cuda.is_available() else "cpu")


def cpu_has_native_bf16() -> bool:
    """True on CPUs with AVX-512 BF16 or AMX, where bfloat16 autocast is faster than float32."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


def _versions() -> dict[str, str]:
    import diffusers
    import torch

    return {"torch": torch.__version__, "diffusers": diffusers.__version__}


def load(model: str | os.PathLike = BUNDLED_MODEL) -> LoadedModel:
    """The cached :class:`LoadedModel` for ``model`` (the bundled model's name or a local folder)."""
    torch, device = _torch_setup()
    key_path = BUNDLED_MODEL if os.fspath(model) == BUNDLED_MODEL else str(validate_model_folder(model).resolve())
    key = (key_path, device)
    with _cache_lock:
        if key not in _cache:
            if key_path == BUNDLED_MODEL:
                _cache[key] = _load_bundled(device)
            else:
                _cache[key] = _load_folder(Path(key_path), device)
        return _cache[key]


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _load_bundled(device: str, folder: Path | None = None) -> LoadedModel:
    from generation.model import load_model

    folder = folder or bundled_model_dir()
    if not (folder / "unet").is_dir():
        raise ModelPathError(
            N_("The bundled model is missing from {folder}"),
            fix={
                "cli": N_("reinstall, or retrain it with `python -m generation train` and copy OUT/model there"),
                "page": N_("ask the administrator to reinstall Endroll's bundled model"),
            },
            folder=str(folder),
        )
    pipe = load_model(folder).to(device)
    size = int(pipe.unet.config.sample_size)
    bf16 = device == "cpu" and cpu_has_native_bf16()
    return LoadedModel(
        name=folder.name,
        kind="scenes",
        model_id=f"bundled:{folder.name}",
        weights_sha256=weights_fingerprint(folder),
        pipe=pipe,
        device=device,
        dtype="float32",
        bf16=bf16,
        default_steps=25,
        default_guidance=3.0,
        default_size=size * 8,
        native_size=size,
        versions=_versions(),
    )


def load_scene_model_from(folder: Path, device: str = "cpu") -> LoadedModel:
    """Load a scene-model folder that is not the bundled one (tests, freshly trained runs); not cached."""
    return _load_bundled(device, Path(folder))


def _load_folder(folder: Path, device: str) -> LoadedModel:
    import torch
    from diffusers import AutoPipelineForText2Image

    variant = detect_variant(folder)
    # fp16 is ~28x slower than fp32 on CPU; fp16-only folders are upcast there and kept fp16 on a GPU.
    dtype = torch.float16 if device == "cuda" else torch.float32
    try:
        pipe = AutoPipelineForText2Image.from_pretrained(folder, local_files_only=True, dtype=dtype, variant=variant)
    except (OSError, ValueError) as exc:
        raise ModelPathError(
            N_("Could not load {folder} as a text-to-image pipeline: {error}"), folder=str(folder), error=str(exc)
        ) from exc
    pipe = pipe.to(device)
    pipe.set_progress_bar_config(disable=True)
    if hasattr(pipe, "safety_checker") and getattr(pipe, "safety_checker", None) is None:
        pipe.requires_safety_checker = False
    turbo = is_turbo(folder)
    unet = getattr(pipe, "unet", None) or getattr(pipe, "transformer", None)
    sample = int(getattr(unet.config, "sample_size", 64)) if unet is not None else 64
    size = sample * int(getattr(pipe, "vae_scale_factor", 8))
    return LoadedModel(
        name=folder.name,
        kind="diffusers",
        model_id=str(folder),
        weights_sha256=weights_fingerprint(folder),
        pipe=pipe,
        device=device,
        dtype=str(dtype).removeprefix("torch."),
        default_steps=1 if turbo else 25,
        default_guidance=0.0 if turbo else 7.5,
        default_size=size,
        turbo=turbo,
        variant=variant,
        versions=_versions(),
    )


def run(
    loaded: LoadedModel,
    *,
    seeds: Sequence[int],
    batch_size: int,
    steps: int,
    guidance: float,
    size: int,
    scene_index: int | None = None,
    prompt: str | None = None,
    negative_prompt: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[Any, int, float]]:
    """Generate one image per seed; returns ``(PIL image, batch_index, seconds)`` in seed order.

    Noise comes from one CPU generator per image, so an image depends on its own seed (and, within a larger
    batch, on its position: the caller records ``batch_index``), not on the device or the other images.
    """
    import torch
    from PIL import Image

    total = len(seeds) * steps
    done = 0
    results: list[tuple[Any, int, float]] = []
    with _run_lock, torch.inference_mode():
        for start in range(0, len(seeds), batch_size):
            chunk = list(seeds[start : start + batch_size])
            gens = [torch.Generator(device="cpu").manual_seed(int(s)) for s in chunk]
            t0 = time.perf_counter()

            def on_step(step: int, _n: int, _chunk=chunk, _done=done) -> None:
                if progress is not None:
                    progress(_done + step * len(_chunk), total)

            if loaded.kind == "scenes":
                out = loaded.pipe(
                    [scene_index] * len(chunk),
                    generator=gens,
                    num_inference_steps=steps,
                    guidance_scale=guidance,
                    step_callback=on_step,
                    bf16=loaded.bf16,
                ).images
                images = [Image.fromarray(a) for a in out]
                native = loaded.native_size
                if size != native:
                    images = [im.resize((size, size), Image.Resampling.LANCZOS) for im in images]
            else:
                if size % 8:
                    raise GenerationError(
                        N_("size must be a multiple of 8 for {model}, got {size}"), model=loaded.name, size=size
                    )

                def on_step_end(_pipe, i, _t, kwargs, _on=on_step):
                    _on(i + 1, steps)
                    return kwargs

                images = loaded.pipe(
                    prompt=[prompt] * len(chunk),
                    negative_prompt=[negative_prompt] * len(chunk) if negative_prompt else None,
                    num_inference_steps=steps,
                    guidance_scale=guidance,
                    height=size,
                    width=size,
                    generator=gens,
                    output_type="pil",
                    callback_on_step_end=on_step_end,
                ).images
            seconds = (time.perf_counter() - t0) / len(chunk)
            done += steps * len(chunk)
            results.extend((im.convert("RGB"), i, seconds) for i, im in enumerate(images))
    return results
