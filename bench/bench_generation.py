"""Benchmark: seconds per image for the bundled scene model on CPU, at batch 1 and 8, and peak memory.

    .venv/bin/python bench/bench_generation.py [--threads 1] [--images 16] [--steps 25] [--guidance 3]

Prints absolute figures and ratios against a baseline measured in the same process (the same UNet without
guidance, i.e. half the forward-pass batch), so a busy machine shifts both alike. It asserts nothing about time.
Then the cost the two marks add per image at batch 1, as a share of sampling alone (target: under 10 %): the
invisible watermark, and the operator's identity signature (signing with the studio's key *and* the operator's
credential, minus signing with the studio's key alone). The last line is the end-to-end cost of ``generate()`` per
image (watermark, signatures, PNG encoding, ledger row included).
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
    from generation.keys import create_dev_keys, issue_credential

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.sqlite3")
        keys = create_dev_keys(Path(tmp) / "keys", ca=Path(tmp) / "ca")
        with Session(engine) as s:
            person = Person(display_name="Bench Operator")
            s.add(person)
            s.commit()
            issue_credential(person_id=person.id, name="Bench Operator", keys=keys, ca=Path(tmp) / "ca")
        with Session(engine) as s:
            request = GenerationRequest(operator="Bench Operator", scene="forest", count=images, steps=steps)
            generate(s, request=request, assets=Path(tmp) / "assets", keys=keys)  # warm-up and model load
            t0 = time.perf_counter()
            generate(s, request=GenerationRequest(operator="Bench Operator", scene="sunset", count=images, steps=steps,
                     seed=99), assets=Path(tmp) / "assets", keys=keys)  # fmt: skip
            seconds = (time.perf_counter() - t0) / images
        engine.dispose()
    return seconds


def _marking(images: int, steps: int, guidance: float) -> dict[str, float]:
    """Median CPU seconds per image at batch 1, in this process: sampling as generate() does it, the watermark
    (numpy, and the library's per-block loop for reference), signing with the studio's key alone, and with the
    studio's key plus the operator's identity credential. CPU time, because these steps take milliseconds and the
    wall clock of a shared machine moves by more than that."""
    import io

    import c2pa

    from generation import BUNDLED_MODEL, backends, provenance, signing, watermark
    from generation.keys import SigningKey, create_dev_keys, issue_credential

    loaded = backends.load(BUNDLED_MODEL)
    times: dict[str, list[float]] = {k: [] for k in ("sampling", "watermark", "watermark_library", "studio", "both")}
    with tempfile.TemporaryDirectory() as tmp:
        keys = create_dev_keys(Path(tmp) / "keys", ca=Path(tmp) / "ca")
        credential = issue_credential(person_id=1, name="Bench Operator", keys=keys, ca=Path(tmp) / "ca")
        key = SigningKey.load(keys)
        info = c2pa.C2paSignerInfo(alg=c2pa.C2paSigningAlg.ES256, sign_cert=key.chain_pem, private_key=key.key_pem,
                                   ta_url=None)  # fmt: skip
        for k in range(images + 1):
            t0 = time.process_time()
            image = backends.run(loaded, seeds=[k], batch_size=1, steps=steps, guidance=guidance, size=256,
                                 scene_index=k % 6)[0][0]  # fmt: skip
            t1 = time.process_time()
            marked = watermark.embed(image, k)
            t2 = time.process_time()
            watermark.embed(image, k, reference=True)
            t3 = time.process_time()
            text = {"operator": {"person_id": 1, "name": "Bench Operator"}, "created_at": "2026-12-06T00:00:00Z",
                    "model": {"name": loaded.name, "weights_sha256": loaded.weights_sha256, "id": loaded.model_id},
                    "seed": k, "watermark_id": k}  # fmt: skip
            png = provenance.png_with_text(marked, text)
            manifest = provenance.generation_manifest(title=f"{k}.png", provenance=text)
            t4 = time.process_time()
            # Signing as Endroll did before this round: the studio's key alone, thumbnails off (as sign_png has them).
            with (
                c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}}) as ctx,
                c2pa.Signer.from_info(info) as signer,
                c2pa.Builder(manifest, ctx) as builder,
            ):
                builder.sign(signer, "image/png", io.BytesIO(png), io.BytesIO())
            t5 = time.process_time()
            signing.sign_png(png, manifest, key, identity=credential, references=provenance.GENERATION_REFERENCES)
            t6 = time.process_time()
            if k == 0:
                continue  # warm-up: first-call allocations and library loading are not per-image cost
            for name, seconds in zip(times, (t1 - t0, t2 - t1, t3 - t2, t5 - t4, t6 - t5), strict=True):
                times[name].append(seconds)
    out = {name: statistics.median(values) for name, values in times.items()}
    # The identity signature's own cost: per image, both signatures minus the studio's alone.
    out["identity"] = statistics.median(b - a for a, b in zip(times["studio"], times["both"], strict=True))
    return out


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
    marks = _marking(min(args.images, 16), args.steps, args.guidance)
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
    base = marks["sampling"]
    identity = marks["identity"]
    print(f"the two marks at batch 1, guidance {args.guidance:g}, app settings (median CPU time of "
          f"{min(args.images, 16)} images; sampling alone {base:.3f} CPU s per image):")  # fmt: skip
    for label, seconds in (
        ("invisible watermark (numpy)", marks["watermark"]),
        ("identity signature (studio + operator, minus studio alone)", identity),
        ("both marks", marks["watermark"] + identity),
        ("  for reference: the library's per-block watermark loop", marks["watermark_library"]),
        ("  for reference: studio signature alone (as before)", marks["studio"]),
        ("  for reference: studio + operator signatures", marks["both"]),
    ):
        print(f"  {label:62}{1000 * seconds:8.2f} ms  {100 * seconds / base:5.1f} % of sampling")
    print(f"end-to-end generate() per image (batch 1, guidance 3, watermark + both signatures + PNG + ledger, app "
          f"settings): {e2e:.3f} s ({e2e / cfg1:.2f}x sampling alone)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
