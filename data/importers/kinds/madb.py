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
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from data.credit_records import ParsedCredit, with_changes
from data.credits.madb_strings import parse_madb_string
from data.i18n import N_
from data.importers.context import ImportContext
from data.importers.credit_calls import decider, prepare
from data.importers.credit_store import write_credits
from data.importers.errors import ImportFailed
from data.importers.kinds import credits
from data.importers.registry import Format, Source, register
from data.importers.rows import Item
from data.schema import CREDIT_BLOCKS

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


def _node(raw: dict[str, Any]) -> dict[str, Any]:
    """A graph node by local property names. A record may publish one property under two names (``contributor`` and
    ``schema:contributor``): both values are kept, as a list, and their shared credits become one line later."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        local = _local(key)
        if local in out and local not in ("@id", "@type") and out[local] != value:
            before = out[local] if isinstance(out[local], list) else [out[local]]
            out[local] = [*before, *(value if isinstance(value, list) else [value])]
        else:
            out[local] = value
    return out


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
    nodes = [_node(n) for n in graph if isinstance(n, dict)]
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
    """Every credit, note and source defect of one record (and of its episodes), credits in roll order (block, line,
    position). The same credit published under several properties (``contributor`` and ``creator``, or
    ``productionCompany`` without the role ``contributor`` gives it) is one credit, noted as published under each."""
    production = title or rec.title
    found: list[tuple[str, ParsedCredit]] = []
    line_order = 0

    def add(value: str, field_name: str, block: str, scope: str | None = None) -> None:
        nonlocal line_order
        items = parse_madb_string(value, production=production, line=rec.number, source_ref=rec.ref,
                                  field=field_name, block=block, line_order=line_order, episode=scope)  # fmt: skip
        for c in items:
            if c.kind == "credit" and c.role_code is None and not c.role_as_credited.strip():
                c = _role_from_field(c, field_name, scope)
            found.append((field_name, c))
            line_order = max(line_order, c.line_order)

    for key, block in CREDIT_FIELDS:
        if key in rec.fields:
            add(rec.fields[key], key, block)
    for part in rec.parts:
        for key, block in CREDIT_FIELDS:
            if key in part:
                add(part[key], key, block, scope=part["@episode"])
    for key in NOTE_FIELDS:
        if key in rec.fields:
            line_order += 1
            note = ParsedCredit(
                line=rec.number,
                production=production,
                role_as_credited=key,
                name_as_credited=rec.fields[key],
                kind="note",
                line_order=line_order,
                source="madb",
                source_ref=rec.ref,
            )
            found.append((key, note))
    return _one_line_per_credit(found)


_BLOCK_RANK = {b: i for i, b in enumerate(CREDIT_BLOCKS)}


def _one_line_per_credit(found: list[tuple[str, ParsedCredit]]) -> list[ParsedCredit]:
    """Credits merged across properties (the first occurrence stays, with a note naming every property it was
    published under), then in roll order; notes once each; source defects all (each is a place in the record)."""
    published: dict[tuple[Any, ...], int] = {}
    for i, (_field, c) in enumerate(found):
        if c.kind == "credit" and c.role_code and c.role_as_credited:
            published.setdefault((c.role_code, c.name_as_credited, c.episode_scope, c.parenthetical), i)
    first: dict[tuple[Any, ...], int] = {}
    into: dict[int, int] = {}
    for i, (_field, c) in enumerate(found):
        if c.kind == "defect":
            continue
        if c.kind == "note":
            key: tuple[Any, ...] = ("note", c.role_as_credited, c.name_as_credited)
        else:
            key = (c.role_code, c.role_as_credited, c.name_as_credited, c.episode_scope, c.parenthetical, c.is_logo)
        if key in first:
            into[i] = first[key]
            continue
        if c.kind == "credit" and c.role_code and not c.role_as_credited:
            j = published.get((c.role_code, c.name_as_credited, c.episode_scope, c.parenthetical))
            if j is not None and j != i:
                into[i] = j
                continue
        first[key] = i
    fields: dict[int, list[str]] = {}
    for i, j in into.items():
        while j in into:
            j = into[j]
        fields.setdefault(j, [found[j][0]]).append(found[i][0])
    credits: list[ParsedCredit] = []
    rest: list[ParsedCredit] = []
    for i, (_field, c) in enumerate(found):
        if i in into:
            continue
        if i in fields:
            counts = Counter(fields[i])
            names = ", ".join(f"{f} ×{n}" if n > 1 else f for f, n in counts.items())
            c = with_changes(c, note="; ".join(filter(None, [c.note, f"published under {names}"])))
        (credits if c.kind == "credit" else rest).append(c)
    credits.sort(key=lambda c: (_BLOCK_RANK.get(c.block, len(_BLOCK_RANK)), c.line_order, c.position_in_line))
    return credits + rest


def _role_from_field(c: ParsedCredit, field_name: str, part_scope: str | None) -> ParsedCredit:
    """A role-less entry: the role its property implies (FIELD_ROLES), or a note (FIELD_NOTES), or as it was."""
    derived = "; ".join(filter(None, [c.note, f"role derived from the MADB property {field_name} (none published)"]))
    if field_name in FIELD_ROLES:
        return with_changes(c, role_code=FIELD_ROLES[field_name], note=derived)
    if field_name in FIELD_NOTES and c.name_as_credited.strip():
        text = f"{c.name_as_credited}{c.parenthetical or ''}"
        if c.episode_scope or part_scope:  # per-episode entries stay apart (a note has no scope column)
            text = f"[{c.episode_scope or part_scope}]{text}"
        return with_changes(
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
    """Every credit, note and source defect of every record; each Item's ``origin`` is its record. Productions are
    named by their titles (a title two records share gets the MADB id: ``title [MADB C123]``), and every credit's
    person-or-organization call is made over the whole file (:func:`data.importers.credit_calls.decider`)."""
    records, _ = load(source.path)
    titles = Counter(rec.title for rec in records)
    per_record = [
        (rec, record_credits(rec, title=rec.title if titles[rec.title] == 1 else f"{rec.title} [MADB {rec.ref}]"))
        for rec in records
    ]
    decided = iter(decider(source.prepared).decide(c for _, cs in per_record for c in cs))
    for rec, cs in per_record:
        for _ in cs:
            pc = next(decided)
            yield Item(pc.line, "", pc, origin=rec)  # the writer spells the raw text out only for a rejection


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """The credits, by the credit writer; ``details["records_with_credits"]`` counts the records they came from."""
    records: set[str] = set()

    def counted() -> Iterator[Item]:
        for item in items:
            records.add(item.origin.ref)
            yield item

    write_credits(session, ctx=ctx, items=counted(), identity="content")
    ctx.summary.details["records_with_credits"] = len(records)


register(
    Format(
        name="madb",
        label=N_("Media Arts Database JSON-LD"),
        entity=credits.ENTITY,
        read=read,
        write=write,
        prepare=prepare,
        order=200,
        files=frozenset({"json"}),
    )
)
