"""Command line: ``python -m generation {generate,verify,keys,paint-over,train,sample-grid}``.

``verify`` exits 0 only for a trusted file: 1 altered, 2 no manifest (and no watermark of this ledger), 3 signed
by a certificate outside the trust list, 4 an identity signature missing, untrusted or naming someone else,
5 no manifest but the watermark leads to a ledger row. A command that cannot run at all exits 2 with ``error: ...``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from data.cli import quiet_pipes


def _cmd_generate(args: argparse.Namespace) -> int:
    from data.engine import get_engine, session_scope
    from generation.pipeline import generate
    from generation.request import GenerationRequest

    request = GenerationRequest(
        operator=args.operator,
        scene=args.scene,
        prompt=args.prompt,
        model=args.model,
        count=args.count,
        seed=args.seed,
        steps=args.steps,
        guidance=args.guidance,
        size=args.size,
        batch_size=args.batch_size,
        production=args.production,
        episode=args.episode,
        cut=args.cut,
        negative_prompt=args.negative_prompt,
    )

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{done}/{total} denoising steps", end="", file=sys.stderr, flush=True)

    with session_scope(get_engine(args.database_url)) as session:
        result = generate(session, request=request, progress=progress, assets=args.out, keys=args.keys)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for image in result.images:
        print(f"{image.path}  seed={image.seed}  sha256={image.sha256[:16]}…  ledger #{image.ai_usage_id}")
    per_image = sum(image.seconds for image in result.images) / len(result.images)
    print(
        f"{len(result.images)} image(s) by {result.model} on {result.device}, operated by {result.operator}; "
        f"{result.steps} steps, guidance {result.guidance}; sampling {per_image:.2f} s per image, "
        f"{result.seconds:.1f} s in all (model loading, signing and ledger included)"
    )
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from generation.verification import verify

    def run(session) -> int:
        code = 0
        for file in args.files:
            v = verify(session, file, keys=args.keys)
            if args.json:
                print(json.dumps({**asdict(v), "outcome": v.outcome, "exit_code": v.exit_code}, ensure_ascii=False,
                                 indent=2, default=str))  # fmt: skip
            else:
                print(v.summary())
            code = code or v.exit_code
        return code

    if args.no_ledger:
        return run(None)
    from data.engine import get_engine, session_scope

    with session_scope(get_engine(args.database_url)) as session:
        return run(session)


def _cmd_keys(args: argparse.Namespace) -> int:
    from generation import keys

    if args.action == "init":
        folder = keys.create_dev_keys(args.keys, ca=args.ca, studio=args.studio, overwrite=args.force)
        print(
            f"Development CA written to {keys.ca_dir(args.ca)} and the studio's signing certificate to {folder}.\n"
            "For local use only: a studio signs published assets with its own certificate (put signer.pem, "
            "signer.key.pem and trust_anchors.pem in the key folder).\n"
            "Each operator signs too: issue their credential with `python -m generation keys issue --person NAME`."
        )
        if args.person:
            _issue(args)
        return 0
    if args.action == "issue":
        if not args.person:
            raise SystemExit("error: keys issue needs --person (a name, alias or id)")
        _issue(args)
        return 0
    print(keys.describe_trust_list(args.keys))
    stray = keys.misplaced_ca_key(args.keys)
    if stray is not None:
        print(f"warning: a CA private key lies in the key folder ({stray}); move it to {keys.ca_dir(args.ca)}")
    for credential in keys.credentials(args.keys):
        print(
            f"person #{credential.person_id}  {credential.name}  serial {credential.serial}  "
            f"valid until {credential.not_after:%Y-%m-%d}  sha256 {credential.fingerprint[:16]}…"
        )
    return 0


def _issue(args: argparse.Namespace) -> None:
    from data.engine import get_engine, session_scope
    from generation.keys import issue_credential
    from generation.operators import public_person, resolve_operator

    with session_scope(get_engine(args.database_url)) as session:
        for name in args.person:
            person = resolve_operator(session, int(name) if name.isdigit() else name)
            public = public_person(person)
            credential = issue_credential(
                person_id=person.id, name=public["name"], keys=args.keys, ca=args.ca, overwrite=args.force
            )
            print(
                f"signing credential issued to {credential.name} (person #{person.id}): serial {credential.serial}, "
                f"valid until {credential.not_after:%Y-%m-%d}"
            )


def _cmd_paint_over(args: argparse.Namespace) -> int:
    from data.engine import get_engine, session_scope
    from generation.paint_over import record_paint_over

    with session_scope(get_engine(args.database_url)) as session:
        row = record_paint_over(
            session,
            original=args.original,
            edited=args.edited,
            editor=args.editor,
            software=args.software,
            description=args.description,
            out=args.out,
            assets=args.assets,
            keys=args.keys,
        )
        print(f"paint-over recorded as ledger #{row.id}: {row.asset_path}")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from generation.train import TrainConfig, train

    cfg = TrainConfig(
        out=Path(args.out),
        minutes=args.minutes,
        threads=args.threads,
        resolution=args.resolution,
        batch_size=args.batch_size,
        per_class=args.per_class,
        checkpoint_minutes=args.checkpoint_minutes,
        bf16=not args.no_bf16,
        seed=args.seed,
        resume=args.resume,
        max_steps=args.max_steps,
    )
    train(cfg, log=lambda msg: print(msg, flush=True))
    return 0


def _cmd_sample_grid(args: argparse.Namespace) -> int:
    from generation.evaluate import sample_grid

    stats = sample_grid(
        Path(args.model),
        Path(args.out),
        per_class=args.per_class,
        steps=args.steps,
        guidance=args.guidance,
        scale=args.scale,
        threads=args.threads,
        bf16=args.bf16,
    )
    print(json.dumps(stats, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generation", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def db_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--database-url", default=None, help="default: DATABASE_URL or the embedded SQLite file")
        p.add_argument("--keys", default=None, help="C2PA key folder (default: ENDROLL_KEY_DIR or ENDROLL_HOME/keys)")

    p = sub.add_parser("generate", help="generate images; each is signed and recorded in the AI-usage ledger")
    p.add_argument("--operator", required=True, help="the person who runs the tool (name, alias or id)")
    p.add_argument("--scene", help="bundled model: sky_clouds, sunset, hills_field, night_city, forest, interior_room")
    p.add_argument("--prompt", help="text-to-image checkpoints: the prompt")
    p.add_argument("--negative-prompt", default=None)
    p.add_argument("--model", default="endroll-scenes-32", help="bundled model name or a local diffusers folder")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--seed", type=int, default=0, help="image i uses seed+i")
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--guidance", type=float, default=None)
    p.add_argument("--size", type=int, default=None, help="output pixels (bundled: 32 px upscaled, default 256)")
    p.add_argument("--batch-size", type=int, default=1, help="images per forward pass (1: seed alone fixes pixels)")
    p.add_argument("--production", default=None)
    p.add_argument("--episode", default=None)
    p.add_argument("--cut", default=None)
    p.add_argument("--out", default=None, help="asset folder (default: ENDROLL_ASSET_DIR or ENDROLL_HOME/assets)")
    db_args(p)
    p.set_defaults(func=_cmd_generate)

    p = sub.add_parser(
        "verify",
        help="who made a file, with what and when, proven (exit 0) or not (1 altered, 2 no manifest, 3 untrusted "
        "signer, 4 identity not proven, 5 no manifest but traced by its watermark)",
    )
    p.add_argument("files", nargs="+")
    p.add_argument("--keys", default=None, help="key folder whose trust_anchors.pem is the trust list")
    p.add_argument("--database-url", default=None, help="the ledger to check against (default: DATABASE_URL or the "
                   "embedded SQLite file)")  # fmt: skip
    p.add_argument("--no-ledger", action="store_true", help="check signatures and watermark only, not the ledger")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_verify)

    p = sub.add_parser(
        "keys",
        help="init: a development CA and the studio's signing certificate (local use only); issue: an operator's "
        "signing credential; list: the trust list and the credentials",
    )
    p.add_argument("action", nargs="?", choices=("init", "issue", "list"), default="init")
    p.add_argument("--person", action="append", help="issue: the person (name, alias or id); repeat for several")
    p.add_argument("--keys", default=None, help="key folder (default: ENDROLL_KEY_DIR or ENDROLL_HOME/keys)")
    p.add_argument("--ca", default=None, help="CA folder, kept apart (default: ENDROLL_CA_DIR or ENDROLL_HOME/ca)")
    p.add_argument("--database-url", default=None, help="issue: where the person is (default: DATABASE_URL)")
    p.add_argument("--studio", default="Endroll development studio")
    p.add_argument("--force", action="store_true", help="replace existing keys or credentials")
    p.set_defaults(func=_cmd_keys)

    p = sub.add_parser("paint-over", help="record a human paint-over of a generated image, naming the editor")
    p.add_argument("original", help="the generated (signed) PNG")
    p.add_argument("edited", help="the painted-over PNG")
    p.add_argument("--editor", required=True, help="the person who painted over it")
    p.add_argument("--software", default="", help="e.g. 'Clip Studio Paint 3.0'")
    p.add_argument("--description", default="Hand-painted corrections of the generated image.")
    p.add_argument("--out", default=None, help="where to write the signed edited PNG")
    p.add_argument("--assets", default=None)
    db_args(p)
    p.set_defaults(func=_cmd_paint_over)

    p = sub.add_parser("train", help="train the bundled scene model on procedurally drawn scenes")
    p.add_argument("--out", required=True, help="run folder: checkpoints, log.csv and model/ (EMA, fp16)")
    p.add_argument("--minutes", type=float, default=40.0, help="wall-clock training budget for this invocation")
    p.add_argument("--threads", type=int, default=1, help="torch threads; 1 avoids oversubscribing a shared CPU")
    p.add_argument("--resolution", type=int, default=32)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--per-class", type=int, default=2000, help="procedural scenes drawn per class")
    p.add_argument("--checkpoint-minutes", type=float, default=5.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-bf16", action="store_true", help="train in fp32 (bf16 autocast is 1.2-1.6x faster)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/training_state.pt")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many steps (smoke tests)")
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("sample-grid", help="model evaluation: one row per scene and per-class colour statistics")
    p.add_argument("--model", required=True, help="a scene-model folder (e.g. RUN/model or generation/weights/...)")
    p.add_argument("--out", required=True, help="PNG to write")
    p.add_argument("--per-class", type=int, default=8)
    p.add_argument("--steps", type=int, default=25)
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--scale", type=int, default=4, help="display upscale factor")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--bf16", action="store_true", help="bfloat16 autocast, as generate() uses on CPUs with bf16")
    p.set_defaults(func=_cmd_sample_grid)
    return parser


@quiet_pipes
def main(argv: list[str] | None = None) -> int:
    from data.errors import EndrollError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except EndrollError as exc:
        print(f"error: {exc.message('cli')}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: {exc.filename or exc}: no such file", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
