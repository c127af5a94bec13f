"""Media Arts Database (メディア芸術データベース) JSON-LD: productions and their published credits.

Both schema variants are read: the current one (``@type``, bare property names from ``@context``) and the older
one other MADB classes use (``rdf:type``, prefixed names such as ``schema:contributor``). Episode data sits in
blank nodes linked by ``hasPart``; credits found there are scoped to that episode.

The file is one JSON document, so it is loaded whole (MADB splits its dumps into files of a few MB). Its credits
are written by the credit writer (:mod:`data.importers.kinds.credits`); each record's production is found or created
by its MADB id. Source: メディア芸術データベース (Agency for Cultural Affairs), free secondary use; Endroll parses,
never edits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from data.credit_records import ParsedCredit
from data.i18n import N_
from data.importers.context import ImportContext
from data.importers.credit_text import parse_madb_string
from data.importers.errors import ImportFailed
from data.importers.kinds import credits
from data.importers.registry import Format, Source, register
from data.importers.rows import Item

# Credit-bearing properties, in the order a roll reads: work, makers, studio, distribution, cast.
CREDIT_FIELDS: tuple[tuple[str, str], ...] = (
    ("originalWorkCreator", "main"),
    ("creator", "main"),
    ("contributor", "main"),
    ("productionCompany", "main"),
    ("publisher", "other"),
    ("actor", "cast"),
)
NOTE_FIELDS = ("copyrightHolder", "note")

# The role an entry holds by the JSON-LD property it sits in, for entries that carry no [役職] of their own
# (MADB often writes just the studio under productionCompany). role_as_credited stays empty: the role was not
# published, it is derived, and ParsedCredit.note says so. Documented in docs/import-formats.md.
FIELD_ROLES: dict[str, str] = {
    "productionCompany": "animation_production",  # 制作会社 → アニメーション制作
    "originalWorkCreator": "original_creator",  # 原作
    "actor": "cast",  # 出演 → 声の出演
}
# Properties whose role-less entries are not credits at all. MADB's publisher is the broadcaster (YTV・NTV系, MX) or
# the distributor of a film; neither is a production role in the taxonomy, and crediting them under an invented
# role would misstate who made the work, so they are kept as notes of that kind. (copyrightHolder is a © notice
# with years and marks, not a list of entities: always a note, see NOTE_FIELDS.) An entry in these properties that
# does carry a [役職] stays a credit under that role.
FIELD_NOTES: dict[str, str] = {"publisher": "publisher"}


@dataclass
class MadbRecord:
    number: int  # 1-based position in @graph
    ref: str  # MADB id, e.g. C409342
    title: str
    kind: str  # production kind
    type: str
    fields: dict[str, str] = field(default_factory=dict)
    parts: list[dict[str, str]] = field(default_factory=list)
    start_date: str | None = None


def _local(key: str) -> str:
    if key in ("@id", "@type"):
        return key
    if key in ("rdf:type", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"):
        return "@type"
    for sep in ("#", "/", ":"):
        if sep in key:
            key = key.rsplit(sep, 1)[1]
    return key


def _text(value: Any) -> str:
    """A JSON-LD value as text; language-tagged readings (ja-hrkt kana) yield to the plain title."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("@value", value.get("@id", "")))
    if isinstance(value, list):
        plain = [_text(v) for v in value if not (isinstance(v, dict) and v.get("@language", "").endswith("hrkt"))]
        return " ／ ".join(p for p in (plain or [_text(v) for v in value]) if p)
    return str(value)


def _ids(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [i for v in value for i in _ids(v)]
    if isinstance(value, dict):
        return [str(value.get("@id", ""))]
    return [str(value)]


def _kind(type_name: str, genre: str) -> str:
    t = f"{type_name} {genre}"
    if "Movie" in t or "映画" in t:
        return "film"
    if "Video" in t or "OVA" in t or "パッケージ" in t:
        return "ova"
    if "Web" in t or "ネット" in t:
        return "ona"
    return "tv"


def load(path: Path) -> tuple[list[MadbRecord], int]:
    """(typed records with their parts, number of graph nodes)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(N_("{file}: not valid JSON ({error})"), file=path.name, error=str(exc)) from exc
    graph = doc.get("@graph", doc) if isinstance(doc, dict) else doc
    if isinstance(graph, dict):
        graph = [graph]
    if not isinstance(graph, list):
        raise ImportFailed(N_("{file}: no @graph list of records"), file=path.name)
    nodes = [{_local(k): v for k, v in n.items()} for n in graph if isinstance(n, dict)]
    by_id = {str(n.get("@id")): n for n in nodes if n.get("@id")}
    records: list[MadbRecord] = []
    for number, node in enumerate(nodes, start=1):
        node_id = str(node.get("@id", ""))
        types = _ids(node.get("@type"))
        if node_id.startswith("_:") or not types:
            continue
        type_name = _local(types[0])
        ref = _text(node.get("identifier")) or node_id.rsplit("/", 1)[-1]
        title = _text(node.get("label")) or _text(node.get("name")) or ref
        rec = MadbRecord(
            number=number,
            ref=ref,
            title=title.strip(),
            kind=_kind(type_name, _text(node.get("genre"))),
            type=type_name,
            start_date=_text(node.get("startDate")) or _text(node.get("datePublished")),
        )
        for key, _block in CREDIT_FIELDS:
            if node.get(key):
                rec.fields[key] = _text(node[key])
        for key in NOTE_FIELDS:
            if node.get(key):
                rec.fields[key] = _text(node[key])
        for part_id in _ids(node.get("hasPart")):
            part = by_id.get(part_id)
            if part is None:
                continue
            pf = {k: _text(part[k]) for k, _ in CREDIT_FIELDS if part.get(k)}
            if pf:
                pf["@episode"] = _text(part.get("episodeNumber")) or _text(part.get("alternativeHeadline")) or part_id
                records_part = pf
                rec.parts.append(records_part)
        records.append(rec)
    return records, len(nodes)


def record_credits(rec: MadbRecord, *, title: str | None = None) -> list[ParsedCredit]:
    """Every credit and note of one record (and of its episodes), in roll order."""
    production = title or rec.title
    out: list[ParsedCredit] = []
    line_order = 0

    def add(items: list[ParsedCredit], field_name: str, scope: str | None = None) -> None:
        nonlocal line_order
        base = line_order
        for c in items:
            if c.kind == "credit" and c.role_code is None and not c.role_as_credited.strip():
                c = _role_from_field(c, field_name, scope)
            if scope and c.kind == "credit" and not c.episode_scope:
                c = replace(c, episode_scope=scope, note="; ".join(filter(None, [c.note, "from an episode entry"])))
            out.append(replace(c, line_order=base + c.line_order))
            line_order = max(line_order, base + c.line_order)

    for key, block in CREDIT_FIELDS:
        if key in rec.fields:
            add(
                parse_madb_string(
                    rec.fields[key], production=production, line=rec.number, source_ref=rec.ref, field=key, block=block
                ),
                key,
            )
    for part in rec.parts:
        for key, block in CREDIT_FIELDS:
            if key in part:
                add(
                    parse_madb_string(
                        part[key], production=production, line=rec.number, source_ref=rec.ref, field=key, block=block
                    ),
                    key,
                    scope=part["@episode"],
                )
    for key in NOTE_FIELDS:
        if key in rec.fields:
            line_order += 1
            out.append(
                ParsedCredit(
                    line=rec.number,
                    production=production,
                    role_as_credited=key,
                    name_as_credited=rec.fields[key],
                    kind="note",
                    line_order=line_order,
                    source="madb",
                    source_ref=rec.ref,
                )
            )
    return out


def _role_from_field(c: ParsedCredit, field_name: str, part_scope: str | None) -> ParsedCredit:
    """A role-less entry: the role its property implies (FIELD_ROLES), or a note (FIELD_NOTES), or as it was."""
    derived = "; ".join(filter(None, [c.note, f"role derived from the MADB property {field_name} (none published)"]))
    if field_name in FIELD_ROLES:
        return replace(c, role_code=FIELD_ROLES[field_name], note=derived)
    if field_name in FIELD_NOTES and c.name_as_credited.strip():
        text = f"{c.name_as_credited}{c.parenthetical or ''}"
        if c.episode_scope or part_scope:  # per-episode entries stay apart (a note has no scope column)
            text = f"[{c.episode_scope or part_scope}]{text}"
        return replace(
            c,
            kind="note",
            role_as_credited=FIELD_NOTES[field_name],
            name_as_credited=text,
            role_code=None,
            parenthetical=None,
            parenthetical_kind=None,
            is_organization=None,
            is_logo=False,
            episode_scope=None,
            episode_from=None,
            episode_to=None,
            position_in_line=0,
            note=f"{field_name} entry with no role: the broadcaster or distributor, not a production role",
        )
    return c


def read(source: Source) -> Iterator[Item]:
    """Every credit and note of every record, in roll order; each Item's ``origin`` is its record."""
    records, _ = load(source.path)
    for rec in records:
        for pc in record_credits(rec):
            raw = f"{rec.ref} [{pc.role_as_credited}]{pc.name_as_credited}{pc.parenthetical or ''}"
            yield Item(pc.line, raw, pc, origin=rec)


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """The credits, by the credit writer; ``details["records_with_credits"]`` counts the records they came from."""
    records: set[str] = set()

    def counted() -> Iterator[Item]:
        for item in items:
            records.add(item.origin.ref)
            yield item

    credits.write(session, ctx=ctx, items=counted())
    ctx.summary.details["records_with_credits"] = len(records)


register(
    Format(
        name="madb",
        label=N_("Media Arts Database JSON-LD"),
        entity=credits.ENTITY,
        read=read,
        write=write,
        order=200,
        files=frozenset({"json"}),
    )
)
