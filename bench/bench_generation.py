"""Benchmark: seconds per image for the bundled scene model on CPU, at batch 1 and 8, and peak memory.

    .venv/bin/python bench/bench_generation.py [--threads 1] [--images 16] [--steps 25] [--guidance 3]

Prints absolute figures and ratios against a baseline measured in the same process (the same UNet without
guidance, i.e. half the forward-pass batch), so a busy machine shifts both alike. It asserts nothing about time.
The last line is the end-to-end cost of ``generate()`` per image (signing, PNG encoding, ledger row included).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time_per_image(
    pipe, *, images: int, batch: int, steps: int, guidance: float, repeats: int, bf16: bool
) -> tuple[float, float]:
    import torch

    runs, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for start in range(0, images, batch):
            n = min(batch, images - start)
            gens = [torch.Generator().manual_seed(start + i) for i in range(n)]
            pipe([start % 6] * n, generator=gens, num_inference_steps=steps, guidance_scale=guidance, bf16=bf16)
        runs.append((time.perf_counter() - t0) / images)
        cpu.append((time.process_time() - c0) / images)
    # CPU seconds per image barely move when other processes share the cores; wall seconds do.
    return statistics.median(runs), statistics.median(cpu)


def _end_to_end(images: int, steps: int) -> float:
    from sqlalchemy.orm import Session

    from data.engine import make_engine
    from data.schema import Person
    from generation import GenerationRequest, generate
    from generation.provenance import create_dev_keys

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.sqlite3")
        keys = create_dev_keys(Path(tmp) / "keys")
        with Session(engine) as s:
            s.add(Person(display_name="Bench Operator"))
            s.commit()
        with Session(engine) as s:
            request = GenerationRequest(operator="Bench Operator", scene="forest", count=images, steps=steps)
            generate(request, session=s, assets=Path(tmp) / "assets", keys=keys)  # warm-up and model load
            t0 = time.perf_counter()
            generate(GenerationRequest(operator="Bench Operator", scene="sunset", count=images, steps=steps, seed=99),
                     session=s, assets=Path(tmp) / "assets", keys=keys)  # fmt: skip
            seconds = (time.perf_counter() - t0) / images
        engine.dispose()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the app's default is 1)")
    parser.add_argument("--images", type=int, default=16)
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--guidance", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ["ENDROLL_GENERATION_THREADS"] = str(args.threads)

    t0 = time.perf_counter()
    import torch

    from generation.backends import bundled_model_dir
    from generation.model import load_model

    torch.set_num_threads(args.threads)
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    pipe = load_model(bundled_model_dir())
    t_load = time.perf_counter() - t0
    pipe([0], num_inference_steps=2)  # warm-up: first-call allocations are not per-image cost

    from generation.backends import cpu_has_native_bf16

    common = {"images": args.images, "steps": args.steps, "repeats": args.repeats}
    modes = [False, True] if cpu_has_native_bf16() else [False]
    rows = []
    for bf16 in modes:
        for batch in (1, 8):
            for guidance in (1.0, args.guidance):
                seconds, cpu_seconds = _time_per_image(pipe, batch=batch, guidance=guidance, bf16=bf16, **common)
                rows.append((bf16, batch, guidance, seconds, cpu_seconds))
    rss_sampling = _peak_rss_mib()
    e2e = _end_to_end(min(args.images, 8), args.steps)

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")  # fmt: skip
    print(f"bundled model {bundled_model_dir().name}; torch {torch.__version__}; {cpu}; {args.threads} thread(s); "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"import torch+diffusers {t_import:.2f} s; model load {t_load:.2f} s")
    base = rows[0][3]
    print(f"{'UNet compute':14}{'batch':>6}{'guidance':>10}{'s/image':>10}{'vs baseline':>13}{'CPU s/image':>13}")
    for bf16, batch, guidance, seconds, cpu_seconds in rows:
        label = "bf16 autocast" if bf16 else "float32"
        print(f"{label:14}{batch:6d}{guidance:10g}{seconds:10.3f}{seconds / base:12.2f}x{cpu_seconds:13.3f}")
    print(f"(baseline: first row; {args.steps} DDIM steps, {args.images} images per row, median of {args.repeats})")
    print(f"peak RSS while sampling: {rss_sampling:.0f} MiB; after the end-to-end run: {_peak_rss_mib():.0f} MiB")
    cfg1 = next(r[3] for r in rows if r[0] == modes[-1] and r[1] == 1 and r[2] == args.guidance)
    print(f"end-to-end generate() per image (batch 1, guidance 3, sign + PNG + ledger, app settings): {e2e:.3f} s "
          f"({e2e / cfg1:.2f}x sampling alone)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
