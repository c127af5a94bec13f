"""Measurement: what survives of the invisible watermark on the bundled model's images (not a test).

    .venv/bin/python bench/bench_watermark.py [--images 100] [--workers 2]

Samples ``--images`` images with the bundled model as ``generate()`` does (256 px, 25 DDIM steps, guidance 3, one
image per seed, scenes in turn), embeds a random 32-bit id in each, and puts every marked image through each
transformation of ``tests/generation/fixtures.py`` (the same ones the tests use): PNG→JPEG quality 85, resize to
50 %, a 10 % crop at a random position, and a screenshot-like copy (125 % display scaling, JPEG quality 90). It
prints, per transformation, how many images still give back their own id, and how many of the *unmarked* images
(the same pictures without the mark, through the same transformation) give back any id at all (false positives).
Also: the embedding's PSNR and the detector's time per image. With ``--dwtdct``, first the method diffusers uses for
SDXL (invisible-watermark's ``dwtDct``, its own encoder and decoder, the same 63 bits) on the same images as
delivered and after JPEG, to show why Endroll embeds with ``dwtDctSvd`` instead.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _sample(count: int) -> list:
    import torch

    from generation import BUNDLED_MODEL, SCENES, backends

    torch.set_num_threads(1)
    loaded = backends.load(BUNDLED_MODEL)
    images = []
    for k in range(count):
        out = backends.run(
            loaded, seeds=[1000 + k], batch_size=1, steps=25, guidance=3.0, size=256, scene_index=k % len(SCENES)
        )
        images.append(out[0][0])
    return images


def _check(job: tuple[int, bytes, int]) -> dict:
    """One image: embed, transform, detect; the marked and the unmarked copy through every transformation."""
    import io

    import numpy as np
    from PIL import Image

    from generation import watermark
    from tests.generation.fixtures import TRANSFORMS

    k, png, mark_id = job
    image = Image.open(io.BytesIO(png)).convert("RGB")
    t0 = time.process_time()
    marked = watermark.embed(image, mark_id)
    embed_s = time.process_time() - t0
    a, b = np.asarray(image, dtype=float), np.asarray(marked, dtype=float)
    out = {"psnr": 10 * np.log10(255**2 / np.mean((a - b) ** 2)), "max_diff": float(np.abs(a - b).max()),
           "embed_s": embed_s, "found": {}, "false": {}, "seconds": {}}  # fmt: skip
    for name, transform in {"as delivered": lambda im, seed: im, **TRANSFORMS}.items():
        t0 = time.process_time()
        found = watermark.detect(transform(marked, k))
        out["seconds"][name] = time.process_time() - t0
        out["found"][name] = found is not None and found.mark_id == mark_id
        out["false"][name] = watermark.detect(transform(image, k)) is not None
    return out


def _dwtdct(job: tuple[int, bytes, int]) -> tuple[bool, bool, float, float, float]:
    """invisible-watermark's DWT-DCT, as diffusers' SDXL watermarker calls it: read back as delivered, and after
    JPEG q85; the share of bits right as delivered; and the largest pixel change of the library's own DWT-DCT-SVD
    wrapper against Endroll's application of the same rule."""
    import io

    import cv2
    import numpy as np
    from imwatermark import WatermarkDecoder, WatermarkEncoder
    from PIL import Image

    from generation.watermark import PAYLOAD_BITS, STRENGTH, embed, payload
    from tests.generation.fixtures import to_jpeg

    _, png, mark_id = job
    bits = list(payload(mark_id))
    encoder = WatermarkEncoder()
    encoder.set_watermark("bits", bits)
    bgr = cv2.cvtColor(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")), cv2.COLOR_RGB2BGR)
    marked = Image.fromarray(cv2.cvtColor(encoder.encode(bgr, "dwtDct"), cv2.COLOR_BGR2RGB))
    decoder = WatermarkDecoder("bits", PAYLOAD_BITS)

    def read(image) -> list[int]:
        return [int(b) for b in decoder.decode(cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR), "dwtDct")]

    delivered = read(marked)
    svd = encoder.encode(bgr.copy(), "dwtDctSvd", scales=[0, STRENGTH, STRENGTH])
    wrapper = float(
        np.abs(
            cv2.cvtColor(svd, cv2.COLOR_BGR2RGB).astype(int)
            - np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=int)
        ).max()
    )
    ours = float(
        np.abs(
            np.asarray(embed(Image.open(io.BytesIO(png)), mark_id), dtype=int)
            - cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB).astype(int)
        ).max()
    )
    same = float(np.mean(np.array(delivered) == np.array(bits)))
    return delivered == bits, read(to_jpeg(marked)) == bits, same, wrapper, ours


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="processes for the detection part")
    parser.add_argument("--dwtdct", action="store_true", help="also measure the library's dwtDct (diffusers' SDXL)")
    parser.add_argument("--dwtdct-only", action="store_true", help="measure only the library's dwtDct")
    args = parser.parse_args()

    import io

    t0 = time.perf_counter()
    images = _sample(args.images)
    sampling = time.perf_counter() - t0
    rng = random.Random(20261206)
    jobs = []
    for k, image in enumerate(images):
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        jobs.append((k, buf.getvalue(), rng.getrandbits(32)))
    if args.dwtdct or args.dwtdct_only:
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            library = list(pool.map(_dwtdct, jobs))
        n = len(library)
        print(f"invisible-watermark dwtDct (diffusers' SDXL method), 63 bits: read back as delivered "
              f"{sum(r[0] for r in library)}/{n}, after PNG→JPEG q85 {sum(r[1] for r in library)}/{n}; bits right "
              f"as delivered {100 * statistics.mean(r[2] for r in library):.0f} % on average "
              f"(worst image {100 * min(r[2] for r in library):.0f} %)")  # fmt: skip
        print(f"largest pixel change, library's dwtDctSvd wrapper: {max(r[3] for r in library):.0f} grey levels "
              f"(median image {statistics.median(r[3] for r in library):.0f}); Endroll's application of the same "
              f"rule: {max(r[4] for r in library):.0f} (median {statistics.median(r[4] for r in library):.0f})")  # fmt: skip
        if args.dwtdct_only:
            return 0
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(_check, jobs))
    checking = time.perf_counter() - t0

    n = len(results)
    print(f"bundled model, {n} images of 256 px (25 steps, guidance 3, scenes in turn); sampling {sampling:.0f} s, "
          f"embedding + detection {checking:.0f} s with {args.workers} process(es)")  # fmt: skip
    psnr = [r["psnr"] for r in results]
    print(f"embedding: PSNR {statistics.mean(psnr):.1f} dB (min {min(psnr):.1f}), largest change "
          f"{max(r['max_diff'] for r in results):.0f} grey levels, "
          f"{1000 * statistics.mean(r['embed_s'] for r in results):.1f} ms CPU per image")  # fmt: skip
    print(f"{'transformation':18}{'detected':>12}{'rate':>8}{'false positives':>18}{'detect CPU s':>14}")
    for name in results[0]["found"]:
        found = sum(r["found"][name] for r in results)
        false = sum(r["false"][name] for r in results)
        seconds = statistics.mean(r["seconds"][name] for r in results)
        print(f"{name:18}{found:>8}/{n:<3}{100 * found / n:7.0f}%{false:>14}/{n:<3}{seconds:14.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
