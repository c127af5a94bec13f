"""``generate(session, request=...)``: images, their marks and signatures, and ledger rows, all or nothing.

Order of work, and why:

1. Refuse early what would be refused late: the operator must be a named Person holding a signing credential, the
   production/cut must exist, the studio's signing key must be installed. Nothing is generated for a request that
   cannot be recorded.
2. Generate (slow) without holding a database transaction open, so SQLite writers elsewhere are not blocked.
3. For each image: embed the invisible watermark (a fresh ledger watermark id), put the provenance in a PNG text
   chunk, sign the C2PA manifest (the studio's claim signature and the operator's identity signature), write the
   file atomically, and add its ``AiUsage`` row. Then commit once. If anything fails, the session is rolled back
   and every file written by this call is deleted: a ledger row never points at a missing file and no generated
   file exists without its row (a hard crash between the file writes and the commit can leave unrecorded files,
   which still carry their signed manifest; their watermark id then names no row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.i18n import N_
from data.names import nfkc, person_key
from data.schema import AiUsage, Cut, Episode, Production, Role, Service
from generation import provenance as prov
from generation import signing, watermark
from generation.errors import GenerationError, WatermarkError
from generation.keys import SigningKey, require_credential
from generation.ledger import new_watermark_id
from generation.operators import public_person, resolve_operator
from generation.request import BUNDLED_MODEL, GeneratedImage, GenerationRequest, GenerationResult
from generation.scenes import SCENES, scene_index

Progress = Callable[[int, int], None]


def asset_dir(path: Path | str | None = None) -> Path:
    """The configured asset folder (``ENDROLL_ASSET_DIR``, else ``ENDROLL_HOME/assets``)."""
    if path is not None:
        return Path(path)
    from data import settings

    return Path(settings.get("asset_dir") or settings.home() / "assets")


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^\w-]+", "-", nfkc(text).strip().lower(), flags=re.UNICODE).strip("-")
    return (slug or "x")[:limit]


def _resolve_target(
    session: Session, request: GenerationRequest
) -> tuple[Production | None, Episode | None, Cut | None]:
    if request.production is None:
        return None, None, None
    if isinstance(request.production, int):
        production = session.get(Production, request.production)
    else:
        title = nfkc(request.production).strip()
        production = session.scalar(
            select(Production).where(
                (Production.title == title) | (Production.title_romaji == title) | (Production.title_en == title)
            )
        )
    if production is None:
        raise GenerationError(
            N_("No production {production!r} in the database"),
            fix={"cli": N_("pass the title (native, romaji or English) or id of an existing production"),
                 "page": N_("choose the production from the list")},
            production=request.production,
        )  # fmt: skip
    episode = None
    if request.episode is not None:
        episode = session.scalar(
            select(Episode).where(Episode.production_id == production.id, Episode.label == str(request.episode))
        )
        if episode is None:
            raise GenerationError(
                N_("Production {title!r} has no episode {episode!r}"), title=production.title, episode=request.episode
            )
    if request.cut is None:
        return production, episode, None
    if isinstance(request.cut, int) and not isinstance(request.cut, bool):
        cut = session.get(Cut, request.cut)
        if cut is None or cut.episode.production_id != production.id:
            raise GenerationError(
                N_("Cut id {cut} does not belong to {title!r}"), cut=request.cut, title=production.title
            )
        return production, cut.episode, cut
    query = select(Cut).join(Episode).where(Episode.production_id == production.id, Cut.cut_number == str(request.cut))
    if episode is not None:
        query = query.where(Cut.episode_id == episode.id)
    cuts = list(session.scalars(query))
    if not cuts:
        raise GenerationError(
            N_("{title!r} has no cut {cut!r}{where}"),
            title=production.title,
            cut=request.cut,
            where=f" in episode {episode.label}" if episode else "",
        )
    if len(cuts) > 1:
        labels = ", ".join(c.episode.label for c in cuts)
        raise GenerationError(
            N_("Cut {cut!r} exists in several episodes ({labels})"),
            fix={"cli": N_("pass --episode too"), "page": N_("choose the cut from the list")},
            cut=request.cut,
            labels=labels,
        )
    return production, cuts[0].episode, cuts[0]


def _service(session: Session, loaded) -> Service:
    """The ledger's tool row for ``loaded`` (name + weights hash), created on first use.

    Another user's first generation with the same model may be inserting it at the same moment: the insert runs
    in a savepoint, and a unique-constraint clash just means the other call won, so the row is read back.
    """
    version = loaded.weights_sha256[:12]
    query = select(Service.id).where(Service.name == loaded.name, Service.version == version)
    service_id = session.scalar(query)
    if service_id is None:
        try:
            with session.begin_nested():
                session.add(
                    Service(
                        name=loaded.name,
                        match_key=person_key(loaded.name),
                        version=version,
                        model_id=loaded.model_id,
                        weights_sha256=loaded.weights_sha256,
                        kind="generative_image",
                    )
                )
        except IntegrityError:
            pass
        service_id = session.scalar(query)
    return session.get(Service, service_id)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise GenerationError(N_("{path} already exists; refusing to overwrite an asset"), path=str(path))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def mark_and_sign(
    image: Any,
    *,
    mark_id: int,
    provenance: dict[str, Any],
    manifest: dict[str, Any],
    key: SigningKey,
    credential: Any,
    references: tuple[str, ...],
    ingredients: list[tuple[dict[str, Any], bytes]] | None = None,
) -> bytes:
    """The signed PNG of ``image``: watermarked with ``mark_id``, with the text chunk, the studio's claim signature
    and ``credential``'s identity signature over ``references``."""
    try:
        marked = watermark.embed(image, mark_id)
    except ValueError as exc:
        raise WatermarkError(
            N_("{error}; every image Endroll records carries the invisible watermark"),
            fix={"cli": N_("use --size 256 or more"), "page": N_("choose a size of at least 256 pixels")},
            error=str(exc),
        ) from exc
    png = prov.png_with_text(marked, provenance)
    return signing.sign_png(
        png, manifest, key, identity=credential, references=references, ingredients=ingredients or []
    )


def generate(
    session: Session,
    *,
    request: GenerationRequest,
    progress: Progress | None = None,
    assets: Path | str | None = None,
    keys: Path | str | None = None,
) -> GenerationResult:
    """Generate ``request.count`` images, mark and sign them, write them and their ledger rows, and commit the
    session; returns the images (path, sha256, seed, ledger id) and what made them.

    Raises :class:`~generation.errors.OperatorError` for an operator who is not a named person,
    :class:`~generation.errors.CredentialError` when the studio's key or the operator's credential is missing,
    :class:`~generation.errors.ModelPathError` for a model that is not loadable offline, and
    :class:`~generation.errors.GenerationError` for anything else the caller can fix.
    """
    from generation import backends

    started = time.perf_counter()
    operator = resolve_operator(session, request.operator)
    operator_json = public_person(operator)
    production, episode, cut = _resolve_target(session, request)
    key = SigningKey.load(keys)
    credential = require_credential(operator.id, operator_json["name"], keys)
    root = asset_dir(assets)

    bundled = request.model == BUNDLED_MODEL
    if (
        bundled
        or (Path(request.model) / "unet" / "config.json").is_file()
        and not (Path(request.model) / "model_index.json").is_file()
    ):
        if not request.scene:
            raise GenerationError(
                N_("The {model} model draws one of these scenes; choose one: {scenes}"),
                model=request.model,
                scenes=", ".join(SCENES),
            )
        if request.prompt:
            raise GenerationError(
                N_("The bundled scene model takes a scene, not a prompt"),
                fix={"cli": N_("for prompts, pass the path of a local text-to-image checkpoint as --model"),
                     "page": N_("for prompts, choose 'Local checkpoint folder' and enter its path")},
            )  # fmt: skip
        label = scene_index(request.scene)
        loaded = backends.load(request.model) if bundled else backends.load_scene_model_from(Path(request.model))
    else:
        if not request.prompt or not request.prompt.strip():
            raise GenerationError(
                N_("A text-to-image model needs a prompt"),
                fix={"cli": N_("pass --prompt"), "page": N_("write a prompt")},
            )
        label = None
        loaded = backends.load(request.model)

    service = _service(session, loaded)
    steps = request.steps or loaded.default_steps
    guidance = loaded.default_guidance if request.guidance is None else float(request.guidance)
    size = request.size or loaded.default_size
    seeds = [request.seed + i for i in range(request.count)]
    outputs = backends.run(
        loaded,
        seeds=seeds,
        batch_size=request.batch_size,
        steps=steps,
        guidance=guidance,
        size=size,
        scene_index=label,
        prompt=request.prompt,
        negative_prompt=request.negative_prompt,
        progress=progress,
    )

    role = session.scalar(select(Role).where(Role.code == "background")) if label is not None else None
    target = {
        "title": production.title if production else None,
        "episode": episode.label if episode else None,
        "cut": cut.cut_number if cut else None,
    }
    folder = root / (
        f"{_slug(production.title_romaji or production.title)}-p{production.id}" if production else "unassigned"
    )
    if cut is not None:
        folder = folder / f"ep{_slug(episode.label, 12)}-c{_slug(cut.cut_number, 12)}"
    what = request.scene if label is not None else _slug(request.prompt or "", 24)

    written: list[Path] = []
    images: list[GeneratedImage] = []
    rows: list[AiUsage] = []
    marks: set[int] = set()
    try:
        for seed, (image, batch_index, seconds) in zip(seeds, outputs, strict=True):
            asset_id = uuid.uuid4().hex
            mark_id = new_watermark_id(session)
            while mark_id in marks:
                mark_id = new_watermark_id(session)
            marks.add(mark_id)
            created = dt.datetime.now(dt.UTC)
            stamp = created.strftime("%Y%m%dT%H%M%S")
            name = f"{stamp}-{what}-s{seed}-{asset_id[:8]}.png"
            params = {
                "asset_id": asset_id,
                "model": loaded.name,
                "model_id": loaded.model_id,
                "weights_sha256": loaded.weights_sha256,
                "scene": request.scene if label is not None else None,
                "prompt": request.prompt if label is None else None,
                "negative_prompt": request.negative_prompt,
                "seed": seed,
                "steps": steps,
                "guidance": guidance,
                "size": size,
                "native_size": loaded.native_size,
                "batch_size": request.batch_size,
                "batch_index": batch_index,
                "device": loaded.device,
                "dtype": loaded.dtype,
                "autocast": "bfloat16" if loaded.bf16 else None,
                "variant": loaded.variant,
                "turbo": loaded.turbo,
                "seconds": round(seconds, 4),
                "versions": loaded.versions,
                "identity": {"person_id": operator.id, "serial": credential.serial, "sha256": credential.fingerprint},
            }
            provenance = {
                **{k: v for k, v in params.items() if v is not None},
                "operator": operator_json,
                "model": {"name": loaded.name, "weights_sha256": loaded.weights_sha256, "id": loaded.model_id},
                "production": target if production else None,
                "digital_source_type": prov.TRAINED_ALGORITHMIC_MEDIA,
                "created_at": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
                "watermark_id": mark_id,
            }
            signed = mark_and_sign(
                image,
                mark_id=mark_id,
                provenance=provenance,
                manifest=prov.generation_manifest(title=name, provenance=provenance),
                key=key,
                credential=credential,
                references=prov.GENERATION_REFERENCES,
            )
            sha = hashlib.sha256(signed).hexdigest()
            path = folder / name
            write_atomic(path, signed)
            written.append(path)
            row = AiUsage(
                asset_path=path.relative_to(root).as_posix(),
                asset_sha256=sha,
                service=service,
                operator_id=operator.id,
                stage="generation",
                digital_source_type=prov.TRAINED_ALGORITHMIC_MEDIA,
                production_id=production.id if production else None,
                episode_id=episode.id if episode else None,
                cut_id=cut.id if cut else None,
                role_id=role.id if role else None,
                prompt=request.prompt if label is None else f"scene:{request.scene}",
                seed=seed,
                params=params,
                manifest_ref=signing.active_label(signed),
                created_at=created.replace(tzinfo=None),
                source_key=f"endroll-gen:{asset_id}",
                watermark_id=mark_id,
            )
            session.add(row)
            rows.append(row)
            images.append(
                GeneratedImage(
                    path=str(path),
                    sha256=sha,
                    seed=seed,
                    batch_index=batch_index,
                    ai_usage_id=0,
                    width=image.width,
                    height=image.height,
                    seconds=seconds,
                )
            )
        session.flush()
        session.commit()
    except BaseException:
        session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        raise
    for image, row in zip(images, rows, strict=True):
        image.ai_usage_id = row.id
    return GenerationResult(
        images=images,
        model=loaded.name,
        weights_sha256=loaded.weights_sha256,
        device=loaded.device,
        steps=steps,
        guidance=guidance,
        operator=operator_json["name"],
        operator_id=operator.id,
        seconds=time.perf_counter() - started,
        params={"size": size, "batch_size": request.batch_size, "asset_dir": str(root)},
    )
