"""``record_paint_over(session, ...)``: a person's hand edit of a generated image, signed by that person and ledgered.

The edited PNG gets its own watermark (a new ledger watermark id, so a stripped copy of the edit leads to the edit's
row and from there to the generation), a manifest whose parent ingredient is the signed original (``c2pa.opened``)
and whose ``c2pa.edited`` action carries ``humanEdits`` and the editor, the studio's claim signature and the
editor's identity signature. The ledger gets a ``composite`` row for the new file, and the editor is added to the
post-editors of both rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data.i18n import N_
from data.schema import AiUsage, ai_usage_post_editor
from generation import provenance as prov
from generation import signing
from generation.errors import GenerationError
from generation.keys import SigningKey, require_credential
from generation.ledger import new_watermark_id
from generation.operators import public_person, resolve_operator
from generation.pipeline import asset_dir, mark_and_sign, write_atomic


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
    """Record a human paint-over of a generated image, naming and signed by the editor; returns the new ledger row.

    The whole is committed together or not at all.
    """
    original, edited = Path(original), Path(edited)
    root = asset_dir(assets)
    original_bytes = original.read_bytes()
    parent = session.scalar(select(AiUsage).where(AiUsage.asset_sha256 == hashlib.sha256(original_bytes).hexdigest()))
    if parent is None:
        raise GenerationError(
            N_("{original} is not in the AI-usage ledger (no row has its sha256)"),
            fix=N_("record paint-overs of ledgered images only: start from the generated file itself"),
            original=str(original),
        )
    person = resolve_operator(session, editor)
    editor_json = public_person(person)
    key = SigningKey.load(keys)
    credential = require_credential(person.id, editor_json["name"], keys)
    from PIL import Image

    with Image.open(edited) as img:
        img.load()
        edited_image = img.convert("RGB")
    when = dt.datetime.now(dt.UTC)
    when_iso = when.isoformat(timespec="seconds").replace("+00:00", "Z")
    target = Path(out) if out else original.with_name(f"{original.stem}-edit-{person.id}-{when:%Y%m%dT%H%M%S}.png")
    mark_id = new_watermark_id(session)
    provenance = {
        "parent_sha256": parent.asset_sha256,
        "parent_ai_usage_id": parent.id,
        "editor": editor_json,
        "digital_source_type": prov.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        "edited_at": when_iso,
        "software": software or None,
        "watermark_id": mark_id,
    }
    signed = mark_and_sign(
        edited_image,
        mark_id=mark_id,
        provenance=provenance,
        manifest=prov.paint_over_manifest(
            title=target.name,
            editor=editor_json,
            software=software,
            description=description,
            when=when_iso,
            watermark_id=mark_id,
        ),
        key=key,
        credential=credential,
        references=prov.PAINT_OVER_REFERENCES,
        ingredients=[({"title": original.name, "relationship": "parentOf", "label": "parent"}, original_bytes)],
    )
    try:
        write_atomic(target, signed)
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
                "identity": {"person_id": person.id, "serial": credential.serial, "sha256": credential.fingerprint},
            },
            manifest_ref=signing.active_label(signed),
            created_at=when.replace(tzinfo=None),
            source_key=f"endroll-edit:{uuid.uuid4().hex}",
            watermark_id=mark_id,
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
