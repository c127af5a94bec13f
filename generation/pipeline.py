"""``generate(request, session=...)``: images, signed provenance and ledger rows, all or nothing.

Order of work, and why:

1. Refuse early what would be refused late: the operator must be a named Person, the production/cut must
   exist, the studio's signing key must be installed. Nothing is generated for a request that cannot be
   recorded.
2. Generate (slow) without holding a database transaction open, so SQLite writers elsewhere are not blocked.
3. For each image: embed the provenance in a PNG text chunk, sign a C2PA manifest, write the file atomically,
   and add its ``AiUsage`` row. Then commit once. If anything fails, the session is rolled back and every file
   written by this call is deleted: a ledger row never points at a missing file and no generated file exists
   without its row (a hard crash between the file writes and the commit can leave unrecorded files, which still
   carry their signed manifest).
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

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.names import nfkc, person_key
from data.schema import AiUsage, Cut, Episode, Person, Production, Role, Service, ai_usage_post_editor
from generation import provenance as prov
from generation.operators import resolve_operator
from generation.request import (
    BUNDLED_MODEL,
    GeneratedImage,
    GenerationError,
    GenerationRequest,
    GenerationResult,
)
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
        raise GenerationError(f"No production {request.production!r} in the database.")
    episode = None
    if request.episode is not None:
        episode = session.scalar(
            select(Episode).where(Episode.production_id == production.id, Episode.label == str(request.episode))
        )
        if episode is None:
            raise GenerationError(f"Production {production.title!r} has no episode {request.episode!r}.")
    if request.cut is None:
        return production, episode, None
    if isinstance(request.cut, int) and not isinstance(request.cut, bool):
        cut = session.get(Cut, request.cut)
        if cut is None or cut.episode.production_id != production.id:
            raise GenerationError(f"Cut id {request.cut} does not belong to {production.title!r}.")
        return production, cut.episode, cut
    query = select(Cut).join(Episode).where(Episode.production_id == production.id, Cut.cut_number == str(request.cut))
    if episode is not None:
        query = query.where(Cut.episode_id == episode.id)
    cuts = list(session.scalars(query))
    if not cuts:
        raise GenerationError(
            f"{production.title!r} has no cut {request.cut!r}"
            + (f" in episode {episode.label}" if episode else "")
            + "."
        )
    if len(cuts) > 1:
        labels = ", ".join(c.episode.label for c in cuts)
        raise GenerationError(f"Cut {request.cut!r} exists in several episodes ({labels}); pass the episode too.")
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


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise GenerationError(f"{path} already exists; refusing to overwrite an asset.")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _person_json(person: Person) -> dict[str, Any]:
    # Manifests are public and travel with the file: a pen-name-only person is named by the pen name alone.
    name = person.pen_name if person.visibility == "pen_name_only" and person.pen_name else person.display_name
    return {"person_id": person.id, "name": name}


def generate(
    request: GenerationRequest,
    *,
    session: Session,
    progress: Progress | None = None,
    assets: Path | str | None = None,
    keys: Path | str | None = None,
) -> GenerationResult:
    """Generate ``request.count`` images, sign them, write them and their ledger rows, and commit the session.

    Raises :class:`~generation.request.OperatorError` for an operator who is not a named person,
    :class:`~generation.request.ModelPathError` for a model that is not loadable offline, and
    :class:`~generation.request.GenerationError` for anything else the caller can fix.
    """
    from generation import backends

    started = time.perf_counter()
    operator = resolve_operator(session, request.operator)
    production, episode, cut = _resolve_target(session, request)
    key = prov.SigningKey.load(keys)
    root = asset_dir(assets)

    bundled = request.model == BUNDLED_MODEL
    if (
        bundled
        or (Path(request.model) / "unet" / "config.json").is_file()
        and not (Path(request.model) / "model_index.json").is_file()
    ):
        if not request.scene:
            raise GenerationError(
                f"The {request.model} model draws one of these scenes; choose one: {', '.join(SCENES)}."
            )
        if request.prompt:
            raise GenerationError(
                "The bundled scene model takes a scene, not a prompt. For prompts, pass the path "
                "of a local text-to-image checkpoint as the model."
            )
        label = scene_index(request.scene)
        loaded = backends.load(request.model) if bundled else backends.load_scene_model_from(Path(request.model))
    else:
        if not request.prompt or not request.prompt.strip():
            raise GenerationError("A text-to-image model needs a prompt.")
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
    operator_json = _person_json(operator)
    what = request.scene if label is not None else _slug(request.prompt or "", 24)

    written: list[Path] = []
    images: list[GeneratedImage] = []
    rows: list[AiUsage] = []
    try:
        for seed, (image, batch_index, seconds) in zip(seeds, outputs, strict=True):
            asset_id = uuid.uuid4().hex
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
            }
            provenance = {
                **{k: v for k, v in params.items() if v is not None},
                "operator": operator_json,
                "model": {"name": loaded.name, "weights_sha256": loaded.weights_sha256, "id": loaded.model_id},
                "production": target if production else None,
                "digital_source_type": prov.TRAINED_ALGORITHMIC_MEDIA,
                "created_at": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
            }
            png = prov.png_with_text(image, provenance)
            signed = prov.sign_png(png, prov.generation_manifest(title=name, provenance=provenance), key)
            store = prov.read_manifest_store(signed) or {}
            sha = hashlib.sha256(signed).hexdigest()
            path = folder / name
            _write_atomic(path, signed)
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
                manifest_ref=store.get("active_manifest"),
                created_at=created.replace(tzinfo=None),
                source_key=f"endroll-gen:{asset_id}",
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


def record_paint_over(
    session: Session,
    *,
    original: Path | str,
    edited: Path | str,
    editor: str | int,
    software: str = "",
    description: str = "Hand-painted corrections of the generated image.",
    out: Path | str | None = None,
    assets: Path | str | None = None,
    keys: Path | str | None = None,
) -> AiUsage:
    """Record a human paint-over of a generated image, naming the editor; returns the new ledger row.

    The edited PNG is signed with a manifest whose parent ingredient is the original signed image
    (``c2pa.opened``) and whose ``c2pa.edited`` action carries ``humanEdits`` and the editor. The ledger gets a
    ``composite`` row (``compositeWithTrainedAlgorithmicMedia``) for the new file, and the editor is added to the
    post-editors of both rows. The whole is committed together or not at all.
    """
    original, edited = Path(original), Path(edited)
    root = asset_dir(assets)
    original_bytes = original.read_bytes()
    parent = session.scalar(select(AiUsage).where(AiUsage.asset_sha256 == hashlib.sha256(original_bytes).hexdigest()))
    if parent is None:
        raise GenerationError(
            f"{original} is not in the AI-usage ledger (no row has its sha256); record paint-overs "
            "of ledgered images only."
        )
    person = resolve_operator(session, editor)
    key = prov.SigningKey.load(keys)
    from PIL import Image

    with Image.open(edited) as img:
        img.load()
        edited_image = img.convert("RGB")
    when = dt.datetime.now(dt.UTC)
    when_iso = when.isoformat(timespec="seconds").replace("+00:00", "Z")
    target = Path(out) if out else original.with_name(f"{original.stem}-edit-{person.id}-{when:%Y%m%dT%H%M%S}.png")
    editor_json = _person_json(person)
    provenance = {
        "parent_sha256": parent.asset_sha256,
        "parent_ai_usage_id": parent.id,
        "editor": editor_json,
        "digital_source_type": prov.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        "edited_at": when_iso,
        "software": software or None,
    }
    png = prov.png_with_text(edited_image, provenance)
    manifest = {
        "claim_generator_info": [prov.CLAIM_GENERATOR],
        "title": target.name,
        "format": "image/png",
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}},
                        {
                            "action": "c2pa.edited",
                            "digitalSourceType": prov.HUMAN_EDITS,
                            **({"softwareAgent": {"name": software}} if software else {}),
                            "description": description,
                            "when": when_iso,
                            "parameters": {prov.OPERATOR_PARAM: editor_json},
                        },
                    ]
                },
            }
        ],
    }
    signed = prov.sign_png(
        png,
        manifest,
        key,
        ingredients=[({"title": original.name, "relationship": "parentOf", "label": "parent"}, original_bytes)],
    )
    store = prov.read_manifest_store(signed) or {}
    try:
        _write_atomic(target, signed)
        rel = (
            target.resolve().relative_to(root.resolve()).as_posix()
            if target.resolve().is_relative_to(root.resolve())
            else str(target)
        )
        row = AiUsage(
            asset_path=rel,
            asset_sha256=hashlib.sha256(signed).hexdigest(),
            service_id=parent.service_id,
            operator_id=parent.operator_id,
            stage="composite",
            digital_source_type=prov.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
            production_id=parent.production_id,
            episode_id=parent.episode_id,
            cut_id=parent.cut_id,
            role_id=parent.role_id,
            prompt=parent.prompt,
            seed=parent.seed,
            params={
                "parent_ai_usage_id": parent.id,
                "parent_sha256": parent.asset_sha256,
                "editor": editor_json,
                "software": software or None,
                "description": description,
            },
            manifest_ref=store.get("active_manifest"),
            created_at=when.replace(tzinfo=None),
            source_key=f"endroll-edit:{uuid.uuid4().hex}",
        )
        session.add(row)
        session.flush()
        already = session.scalar(
            select(ai_usage_post_editor.c.person_id).where(
                ai_usage_post_editor.c.ai_usage_id == parent.id, ai_usage_post_editor.c.person_id == person.id
            )
        )
        for usage_id in (row.id,) if already is not None else (parent.id, row.id):
            session.execute(
                insert(ai_usage_post_editor).values(
                    ai_usage_id=usage_id,
                    person_id=person.id,
                    edit_kind="humanEdits",
                    edited_at=when.replace(tzinfo=None),
                )
            )
        session.commit()
    except BaseException:
        session.rollback()
        target.unlink(missing_ok=True)
        raise
    return row
