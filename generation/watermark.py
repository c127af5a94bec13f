"""An invisible watermark in every generated image: a 32-bit ledger id that survives losing the manifest.

The C2PA manifest is the evidence, but it lives in a PNG chunk that a screenshot, a re-encode or a metadata strip
drops. The watermark lives in the pixels. It carries ``ai_usage.watermark_id``, a random 32-bit number unique in the
ledger, plus a CRC-32 over it (64 bits in all), so ``verify`` can name the ledger row (and so the operator) of an
image that lost its metadata.

**How it is embedded** (``invisible-watermark``'s DWT-DCT-SVD method): the U and V (chroma) planes go through a
one-level Haar DWT; each 4×4 block of the low band gets one payload bit (bits repeat in reading order, block ``k``
carries bit ``k mod 64``) by quantising the block's largest singular value of its DCT onto a grid of step
:data:`STRENGTH` (at 1/4 of a step for 0, 3/4 for 1). The per-block rule is the library's own
(``EmbedDwtDctSvd.encode_frame``); the plane handling around it is Endroll's, because the library's wrapper swaps
the horizontal and vertical detail bands when it rebuilds a plane and truncates to 8 bits, which put 20-30 grey-level
errors on chroma edges of the bundled model's images (here: at most 9, PSNR about 40 dB).

Why not the DWT-DCT method diffusers uses for SDXL: on the bundled model's images (upscaled, smooth), it reads back
only 59-100 % of its own bits *with no transformation at all*, because changing the largest AC coefficient of a flat
block often makes another coefficient the largest; the SVD variant keeps the quantised value the largest.

**How it is found** (Endroll's decoder, numpy only: no torch, no OpenCV): the same transform, a soft vote per bit
(``-sin(2πr)`` of the quantiser phase ``r``, averaged over every block and both planes), and a CRC check. Because a
resize or a crop moves the block grid, the decoder tries the image as it is, rescaled to each usual generation size
(undoing a resize or a display scale), and — for a crop — every placement of the 8-pixel grid and every whole-block
offset inside a square original of each usual size. About 10^4 hypotheses at most; the CRC-32 makes a false match
about 1 in 4·10^5 per image, and a match must also name an existing ledger row.

Images smaller than 256 × 256 are refused (``generation.request.MIN_SIZE``): 1,024 blocks per plane (16 votes per
bit per plane) is the least that read back through the transformations measured in ``docs/generation.md``.
"""

from __future__ import annotations

import importlib.util
import sys
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

STRENGTH = 36
"""Quantiser step on the largest singular value (the library's default)."""
BLOCK = 4
ID_BITS = 32
CHECK_BITS = 31
PAYLOAD_BITS = ID_BITS + CHECK_BITS
"""63, odd on purpose: block ``k`` carries bit ``k mod 63``, so each bit is spread over every column of the block
grid (with 64 and a 32-block-wide image, a bit would sit in one column only, and a crop would remove it)."""
MIN_SIDE = 256
USUAL_SIZES = (256, 320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536, 2048)
"""Square sizes an original may have had (the generator makes squares); the decoder rescales to each that is
within :data:`MAX_SCALE` of the image's width."""
MAX_SCALE = 4.0
MAX_CROP = 0.3
"""Largest share of each side a crop may have removed for the decoder to look for it."""
_DOMAIN = b"endroll-watermark-1"


def _check(mark_id: int) -> int:
    return zlib.crc32(_DOMAIN + mark_id.to_bytes(4, "big")) >> (32 - CHECK_BITS)


def payload(mark_id: int) -> np.ndarray:
    """The 63 bits embedded for ``mark_id``: the id (big-endian), then 31 bits of a CRC-32 over a tag and the id."""
    if not 0 <= mark_id < 1 << ID_BITS:
        raise ValueError(f"watermark id must fit in {ID_BITS} bits, got {mark_id}")
    value = mark_id << CHECK_BITS | _check(mark_id)
    return np.array([value >> (PAYLOAD_BITS - 1 - i) & 1 for i in range(PAYLOAD_BITS)], dtype=np.uint8)


def _parse(bits: np.ndarray) -> int | None:
    value = int("".join("1" if b else "0" for b in bits), 2)
    mark_id = value >> CHECK_BITS
    return mark_id if value & ((1 << CHECK_BITS) - 1) == _check(mark_id) else None


def _uv(rgb: np.ndarray) -> np.ndarray:
    """The U and V planes (OpenCV's BT.601 YUV, unrounded) of an RGB array, shape (2, rows, cols)."""
    r, g, b = (rgb[..., i].astype(np.float32) for i in range(3))
    y = 0.299 * r + 0.587 * g + 0.114 * b
    return np.stack([0.492111 * (b - y) + 128.0, 0.877283 * (r - y) + 128.0]).astype(np.float64)


def library_encoder() -> Any:
    """invisible-watermark's DWT-DCT-SVD class, loaded without ``imwatermark/__init__.py``: that file imports its
    RivaGAN module, which imports torch (seconds) for a method Endroll does not use."""
    if "imwatermark.dwtDctSvd" in sys.modules:
        return sys.modules["imwatermark.dwtDctSvd"].EmbedDwtDctSvd
    name = "_endroll_imwatermark_dwtdctsvd"
    if name not in sys.modules:
        package = importlib.util.find_spec("imwatermark")
        if package is None or not package.submodule_search_locations:
            raise ModuleNotFoundError("invisible-watermark is not installed (pip install -r requirements-dev.txt)")
        location = next(iter(package.submodule_search_locations))
        spec = importlib.util.spec_from_file_location(name, f"{location}/dwtDctSvd.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return sys.modules[name].EmbedDwtDctSvd


def _haar_low(plane: np.ndarray) -> np.ndarray:
    return (plane[0::2, 0::2] + plane[0::2, 1::2] + plane[1::2, 0::2] + plane[1::2, 1::2]) / 2.0


def _mark_low_band(low: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """The library's rule on every 4×4 block at once: the largest singular value moved onto the grid, at 1/4 of a
    step for a 0 and 3/4 for a 1; only that singular value changes (B' = B + (s' - s) u vᵀ)."""
    rows, cols = low.shape[0] // BLOCK, low.shape[1] // BLOCK
    blocks = low[: rows * BLOCK, : cols * BLOCK].reshape(rows, BLOCK, cols, BLOCK).transpose(0, 2, 1, 3)
    blocks = blocks.reshape(-1, BLOCK, BLOCK)
    values, vectors = np.linalg.eigh(np.einsum("nij,nik->njk", blocks, blocks))
    largest = np.sqrt(np.maximum(values[:, -1], 0.0))
    right = vectors[:, :, -1]
    left = np.einsum("nij,nj->ni", blocks, right) / np.maximum(largest, 1e-12)[:, None]
    bit = bits[np.arange(rows * cols) % PAYLOAD_BITS]
    target = (largest // STRENGTH + 0.25 + 0.5 * bit) * STRENGTH
    marked = blocks + (target - largest)[:, None, None] * left[:, :, None] * right[:, None, :]
    out = low.copy()
    out[: rows * BLOCK, : cols * BLOCK] = (
        marked.reshape(rows, cols, BLOCK, BLOCK).transpose(0, 2, 1, 3).reshape(rows * BLOCK, cols * BLOCK)
    )
    return out


def embed(image: Any, mark_id: int, *, reference: bool = False) -> Any:
    """``image`` (PIL, RGB) with ``mark_id`` embedded; same size and mode. Raises ``ValueError`` below 256 px.

    ``reference=True`` runs the library's own per-block loop (``EmbedDwtDctSvd.encode_frame``, about 120 ms for
    256 px) instead of the same rule applied to all blocks at once with numpy (a few ms); a test holds the two to
    the same pixels.
    """
    from PIL import Image

    rgb = np.asarray(image.convert("RGB"))
    h, w = rgb.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise ValueError(f"an image of {w}×{h} pixels is too small to carry the watermark (at least {MIN_SIDE})")
    bits = payload(mark_id)
    rows, cols = h // 4 * 4, w // 4 * 4
    change = np.zeros((2, h, w))
    for k, plane in enumerate(_uv(rgb[:rows, :cols])):
        low = _haar_low(plane)
        if reference:
            marked = low.copy()
            encoder = library_encoder()(list(bits), wmLen=PAYLOAD_BITS, scales=[0, STRENGTH, STRENGTH], block=BLOCK)
            encoder.encode_frame(marked, STRENGTH)
        else:
            marked = _mark_low_band(low, bits)
        # Haar synthesis with only the low band changed: each 2×2 pixel group moves by half its band's change.
        change[k, :rows, :cols] = np.repeat(np.repeat((marked - low) / 2.0, 2, axis=0), 2, axis=1)
    # U and V move, Y stays: the RGB change that does exactly that (the inverse of the BT.601 matrix).
    d_red, d_blue = change[1] / 0.877283, change[0] / 0.492111
    d_green = -(0.299 * d_red + 0.114 * d_blue) / 0.587
    out = rgb.astype(np.float64) + np.stack([d_red, d_green, d_blue], axis=-1)
    return Image.fromarray(np.clip(np.rint(out), 0, 255).astype(np.uint8), "RGB")


@dataclass(frozen=True)
class Detection:
    """A watermark read back: the id, how the image had to be taken to read it, and how clear the vote was."""

    mark_id: int
    how: str
    """``as is``, ``rescaled from N px``, or ``cropped from N px at (x, y)``."""
    strength: float
    """Mean |vote| over the 64 bits, 0 (noise) to 1 (every block agrees)."""


def _block_scores(uv: np.ndarray) -> np.ndarray:
    """Per 4×4 block of the Haar low band of each chroma plane: the soft bit-1 vote, shape (planes, rows, cols)."""
    h, w = uv.shape[1] // 8 * 8, uv.shape[2] // 8 * 8
    x = uv[:, :h, :w]
    low = (x[:, 0::2, 0::2] + x[:, 0::2, 1::2] + x[:, 1::2, 0::2] + x[:, 1::2, 1::2]) / 2.0
    p, lh, lw = low.shape
    blocks = low.reshape(p, lh // BLOCK, BLOCK, lw // BLOCK, BLOCK).transpose(0, 1, 3, 2, 4).reshape(-1, BLOCK, BLOCK)
    # The largest singular value, as the square root of the largest eigenvalue of BᵀB: half the cost of an SVD.
    gram = np.einsum("nij,nik->njk", blocks, blocks)
    largest = np.sqrt(np.maximum(np.linalg.eigvalsh(gram)[:, -1], 0.0))
    phase = np.mod(largest, STRENGTH) / STRENGTH
    return (-np.sin(2 * np.pi * phase)).reshape(p, lh // BLOCK, lw // BLOCK)


def _sums(scores: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Votes summed by payload index as if the top-left block were block (0, 0) of a ``columns``-wide grid."""
    _, rows, cols = scores.shape
    index = ((np.arange(rows)[:, None] * columns + np.arange(cols)[None, :]) % PAYLOAD_BITS).ravel()
    total = sum(np.bincount(index, weights=plane.ravel(), minlength=PAYLOAD_BITS) for plane in scores)
    return total, np.bincount(index, minlength=PAYLOAD_BITS) * scores.shape[0]


def _read(total: np.ndarray, count: np.ndarray, shift: int) -> tuple[int | None, float]:
    # A crop that starts at block (row0, col0) of the original shifts every index by row0 * columns + col0.
    total, count = np.roll(total, shift), np.roll(count, shift)
    if (count == 0).any():
        return None, 0.0
    mean = total / count
    return _parse(mean > 0), float(np.mean(np.abs(mean)))


def detect(image: Any, *, sizes: tuple[int, ...] = USUAL_SIZES) -> Detection | None:
    """The watermark of ``image`` (PIL), or None when no hypothesis yields a payload whose check bits hold."""
    from PIL import Image

    rgb = np.asarray(image.convert("RGB"))
    h, w = rgb.shape[:2]
    if min(h, w) < 64:
        return None
    mark, strength = _read(*_sums(_block_scores(_uv(rgb)), w // 8), 0)
    if mark is not None:
        return Detection(mark, "as is", strength)
    pil = Image.fromarray(rgb)
    for size in sizes:
        if size == w or not 1 / MAX_SCALE <= size / w <= MAX_SCALE:
            continue
        scaled = np.asarray(pil.resize((size, round(h * size / w)), Image.Resampling.BICUBIC))
        mark, strength = _read(*_sums(_block_scores(_uv(scaled)), size // 8), 0)
        if mark is not None:
            return Detection(mark, f"rescaled from {size} px", strength)
    uv = _uv(rgb)
    for size in sizes:
        if not (w < size and h <= size and min(w, h) >= (1 - MAX_CROP) * size):
            continue
        columns = size // 8
        for dy in range(8):
            for dx in range(8):
                sums = _sums(_block_scores(uv[:, dy:, dx:]), columns)
                # The crop's first whole block is block (row0, col0) of the original: pixel 8 * (col0, row0) there.
                shifts: dict[int, tuple[int, int]] = {}
                for row0 in range(1 if dy else 0, (size - h + dy) // 8 + 1):
                    for col0 in range(1 if dx else 0, (size - w + dx) // 8 + 1):
                        shifts.setdefault((row0 * columns + col0) % PAYLOAD_BITS, (row0, col0))
                for shift, (row0, col0) in shifts.items():
                    mark, strength = _read(*sums, shift)
                    if mark is not None:
                        where = f"({8 * col0 - dx}, {8 * row0 - dy})"
                        return Detection(mark, f"cropped from {size} px at {where}", strength)
    return None
