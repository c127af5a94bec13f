"""The AI-usage ledger (``canonical_ai_usage``): which tool made which asset, run by which named person. The tool
is recorded as a Service (never credited); rows are keyed by a hashed ``source_key`` and written one by one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from data.i18n import N_
from data.importers import units as u
from data.importers.cells import check_required, g, person_ref
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.reading import mapped
from data.importers.registry import Column, Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.upsert import digest
from data.names import person_key
from data.schema import AI_STAGES, SERVICE_KINDS, AiUsage, Service

DEFAULT_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
COLUMNS = (
    Column("asset_path", True, "path", "ep03/bg/c042_bg.png", "The asset the tool produced."),
    Column("asset_sha256", False, "hex", "", ""),
    Column("tool", True, "text", "Stable Diffusion XL", "Recorded as a Service, never credited."),
    Column("tool_version", False, "text", "1.0", ""),
    Column("tool_kind", False, " / ".join(SERVICE_KINDS), "generative_image", "Default generative_image."),
    Column("operator", False, "text", "山田 花子", "The named human who ran the tool (or operator_email)."),
    Column("operator_email", False, "text", "hanako@example.jp", ""),
    Column("stage", False, " / ".join(AI_STAGES), "generation", "Default generation."),
    Column("digital_source_type", False, "IPTC URI", DEFAULT_SOURCE_TYPE, "Default trainedAlgorithmicMedia."),
    Column("production", False, "text", "星の庭", ""),
    Column("episode", False, "text", "3", ""),
    Column("cut", False, "text", "042", ""),
    Column("role", False, "text", "背景", "The work it stood in for."),
    Column("prompt", False, "text", "", ""),
    Column("seed", False, "integer", "1234", ""),
    Column("created_at", False, "ISO datetime, local", "2025-04-02T14:30", ""),
    Column("manifest_ref", False, "text", "", "C2PA manifest reference."),
    Column("external_id", False, "text", "AI-0001", "The dedupe key when given (else asset_path+tool+time)."),
)
# The stored columns compared on a re-import.
STORED = (
    "asset_path",
    "asset_sha256",
    "service_id",
    "operator_id",
    "stage",
    "digital_source_type",
    "production_id",
    "episode_id",
    "cut_id",
    "role_id",
    "prompt",
    "seed",
    "manifest_ref",
    "created_at",
)


def parse(row: SourceRow, *, tz: ZoneInfo) -> dict[str, Any]:
    """A canonical AI-usage row → the entry's values, the operator and references it names, and its natural key."""
    check_required(row, COLUMNS)
    name, email = person_ref(row, "operator", "operator_email")
    stage = u.text(g(row, "stage")) or "generation"
    if stage not in AI_STAGES:
        raise RowError("bad_value", f"stage must be one of {', '.join(AI_STAGES)}", column="stage", value=stage)
    kind = u.text(g(row, "tool_kind")) or "generative_image"
    if kind not in SERVICE_KINDS:
        raise RowError(
            "bad_value", f"tool_kind must be one of {', '.join(SERVICE_KINDS)}", column="tool_kind", value=kind
        )
    dst = u.text(g(row, "digital_source_type")) or DEFAULT_SOURCE_TYPE
    if not dst.startswith("http"):
        raise RowError(
            "bad_value", N_("digital_source_type must be an IPTC URI (http…)"), column="digital_source_type", value=dst
        )
    created = None if u.blank(g(row, "created_at")) else u.local_datetime(g(row, "created_at"), "created_at", tz)
    ext = u.text(g(row, "external_id"))
    return {
        "person": name,
        "email": email,
        "asset_path": g(row, "asset_path").strip(),
        "asset_sha256": u.text(g(row, "asset_sha256")),
        "tool": g(row, "tool").strip(),
        "tool_version": u.text(g(row, "tool_version")) or "",
        "tool_kind": kind,
        "stage": stage,
        "digital_source_type": dst,
        "production": u.text(g(row, "production")),
        "episode": u.text(g(row, "episode")),
        "cut": u.text(g(row, "cut")),
        "role": u.text(g(row, "role")),
        "prompt": u.text(g(row, "prompt")),
        "seed": None if u.blank(g(row, "seed")) else u.integer(g(row, "seed"), "seed"),
        "created_at": created,
        "manifest_ref": u.text(g(row, "manifest_ref")),
        "key": ("id", ext)
        if ext
        else ("t", g(row, "asset_path").strip(), g(row, "tool").strip(), created.isoformat() if created else ""),
    }


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`, times without a zone in the workplace's."""
    tz = source.tz
    return mapped(source.path, lambda row: parse(row, tz=tz))


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Each entry inserted, updated (an audit event of the changed columns) or left alone, by its ``source_key``;
    a tool not yet known becomes a Service."""
    s = session
    services: dict[tuple[str, str], int] = {}
    for item in items:
        ctx.row()
        v = item.value
        if isinstance(v, RowError):
            ctx.reject(item.line, item.raw, v)
            continue
        try:
            operator = ctx.matcher.match(v["person"], v["email"], line=item.line, raw=item.raw)
            refs = ctx.refs.resolve(v)
        except RowError as exc:
            ctx.reject(item.line, item.raw, exc)
            continue
        skey = (v["tool"][:200], v["tool_version"][:100])
        if skey not in services:
            sid = s.scalar(select(Service.id).where(Service.name == skey[0], Service.version == skey[1]))
            if sid is None:
                sid = s.execute(
                    insert(Service)
                    .values(
                        name=skey[0],
                        version=skey[1],
                        kind=v["tool_kind"],
                        match_key=person_key(skey[0]) or skey[0].casefold(),
                    )
                    .returning(Service.id)
                ).scalar_one()
                ctx.summary.count("services_created")
            services[skey] = sid
        rec = {
            "asset_path": v["asset_path"][:1000],
            "asset_sha256": v["asset_sha256"],
            "service_id": services[skey],
            "operator_id": operator,
            "stage": v["stage"],
            "digital_source_type": v["digital_source_type"],
            **refs,
            "prompt": v["prompt"],
            "seed": v["seed"],
            "manifest_ref": v["manifest_ref"],
            "created_at": v["created_at"] or dt.datetime.combine(dt.date.today(), dt.time()),
        }
        key = v["key"]
        source_key = f"{ctx.fmt[:40]}:{digest((ctx.fmt, *key) if key[:1] == ('id',) else (ctx.fmt, operator, *key))}"
        t = AiUsage.__table__
        old = s.execute(select(t).where(t.c.source_key == source_key)).mappings().first()
        if old is None:
            s.execute(insert(t).values(**rec, source_key=source_key, batch_id=ctx.batch.id))
            ctx.summary.imported += 1
        elif old["batch_id"] == ctx.batch.id:
            ctx.reject(item.line, item.raw, RowError("duplicate_row", N_("same entry as an earlier row of this file")))
        else:
            if v["created_at"] is None:
                rec["created_at"] = old["created_at"]  # the default is the import day; keep the first one
            changed = {c: old[c] for c in STORED if old[c] != rec[c]}
            if not changed:
                ctx.summary.unchanged += 1
                continue
            s.execute(update(t).where(t.c.id == old["id"]).values(**rec, batch_id=ctx.batch.id))
            ctx.audit("import.update.ai_usage", "ai_usage", old["id"], changed, {c: rec[c] for c in changed})
            ctx.summary.updated += 1
    ctx.flush_side_rows()


def _header(h: Header) -> bool:
    return {"asset_path", "tool"} <= h.keys


register(
    Format(
        name="canonical_ai_usage",
        label=N_("Endroll AI-usage ledger (CSV/XLSX)"),
        entity="ai_usage",
        read=read,
        write=write,
        order=30,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        columns=COLUMNS,
        template="ai_usage",
    )
)
