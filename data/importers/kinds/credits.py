"""Credits (``canonical_credits``), and what every credit format shares: reading a credit file without a database
(:func:`parse_credits`), and the person-or-organization call made over a whole file (:func:`decided`). The writer
is :mod:`data.importers.credit_store`.

A "row" of a credit file is one credit (one name under one role) or one note. Credit lines are identified by a hash
of production, source, position in the roll, verbatim role and name, scope and parenthetical: a re-import adds
nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from data import settings
from data.credit_records import ParsedCredit
from data.i18n import N_
from data.importers import units as u
from data.importers.cells import check_required, g
from data.importers.context import ImportContext
from data.importers.credit_calls import Evidence, decider, prepare
from data.importers.credit_store import write_credits
from data.importers.credit_text import classify_parenthetical, map_role, parse_scope, split_roles
from data.importers.errors import ImportFailed, RowError
from data.importers.reading import mapped
from data.importers.registry import Column, Format, Header, Source, detect, get, register
from data.importers.rows import Item, SourceRow
from data.schema import CREDIT_BLOCKS, CREDIT_SOURCES

ENTITY = "credit"
COLUMNS = (
    Column("production", False, "text", "星の庭", "Or --production."),
    Column("block", False, " / ".join(CREDIT_BLOCKS), "main", "Default main."),
    Column("line_order", False, "integer", "12", "Order of the role line in the roll; default file order."),
    Column("role", True, "text, verbatim", "原画", "Kept verbatim; mapped onto the taxonomy."),
    Column("name", True, "text, verbatim", "山田 花子", "Kept verbatim; a person or an organization."),
    Column("position_in_line", False, "integer", "0", "Order of the name within its role line."),
    Column("episode_scope", False, "text", "3～13話", ""),
    Column("parenthetical", False, "text", "（スタジオX）", "Affiliation or alias, as credited."),
    Column("is_organization", False, "yes / no", "no", "Blank: decided from the name."),
    Column("is_logo", False, "yes / no", "no", "Shown as a logo."),
    Column("source", False, " / ".join(CREDIT_SOURCES), "internal", "Default imported_file."),
    Column("source_ref", False, "text", "", ""),
    Column("note", False, "text", "", ""),
)


def parse(row: SourceRow, *, production: str | None, order: int, source_ref: str) -> list[ParsedCredit]:
    """One canonical credit row → its credits. A combined role (``演出、絵コンテ``, ``絵コンテ・演出``) becomes one
    credit per role sharing the row's source_line_id, split by the same rule as MADB and credit-roll text
    (:func:`data.importers.credit_text.split_roles`); each part keeps its own verbatim role text."""
    check_required(row, COLUMNS)
    title = u.text(g(row, "production")) or production
    if not title:
        raise RowError(
            "missing_production",
            N_(
                "production is required: fill the column, or give the production for the whole file (Production on the "
                "Import page, --production on the command line)"
            ),
            column="production",
            value="",
        )
    block = u.text(g(row, "block")) or "main"
    if block not in CREDIT_BLOCKS:
        raise RowError("bad_value", f"block must be one of {CREDIT_BLOCKS}", column="block", value=block)
    source = u.text(g(row, "source")) or "imported_file"
    if source not in CREDIT_SOURCES:
        raise RowError("bad_value", f"source must be one of {CREDIT_SOURCES}", column="source", value=source)
    role, name = g(row, "role").strip(), g(row, "name").strip()
    scope = u.text(g(row, "episode_scope"))
    lo, hi = parse_scope(scope) if scope else (None, None)
    paren = u.text(g(row, "parenthetical"))
    is_org = None if u.blank(g(row, "is_organization")) else u.boolean(g(row, "is_organization"), "is_organization")
    is_logo = u.boolean(g(row, "is_logo"), "is_logo")
    line_order = order if u.blank(g(row, "line_order")) else u.integer(g(row, "line_order"), "line_order")
    pos = 0 if u.blank(g(row, "position_in_line")) else u.integer(g(row, "position_in_line"), "position_in_line")
    parts = split_roles(role) if role else [role]
    out = []
    for part in parts:
        code, prov = map_role(part)
        notes = [u.text(g(row, "note")), prov]
        if len(parts) > 1:
            notes.append(f"split from combined role {role!r}")
        out.append(
            ParsedCredit(
                line=row.line,
                production=title,
                role_as_credited=part,
                name_as_credited=name,
                role_code=code,
                block=block,
                line_order=line_order,
                position_in_line=pos,
                episode_scope=scope,
                episode_from=lo,
                episode_to=hi,
                parenthetical=paren,
                parenthetical_kind=classify_parenthetical(paren) if paren else None,
                is_organization=is_org,
                entity_basis="column" if is_org is not None else None,
                entity_reason="is_organization" if is_org is not None else None,
                is_logo=is_logo,
                source=source,
                source_ref=u.text(g(row, "source_ref")) or source_ref,
                source_line_id=f"{source_ref}:{row.line}",
                note="; ".join(filter(None, notes)) or None,
            )
        )
    return out


def read(source: Source) -> Iterator[Item]:
    """The file's credits, one Item per credit: a row with a combined role is as many Items as it has roles."""
    return decided(_read(source), source.prepared)


def _read(source: Source) -> Iterator[Item]:
    order = 0
    for item in mapped(source.path, lambda row: row):
        if isinstance(item.value, RowError):
            yield item
            continue
        order += 1
        try:
            parts = parse(item.value, production=source.production, order=order, source_ref=source.path.name)
        except RowError as exc:
            yield Item(item.line, item.raw, exc)
            continue
        for pc in parts:  # a combined role: one credit (and one counted row) per role
            yield Item(item.line, item.raw, pc)


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Every credit and note of ``items``, identified by their place in the roll as well as their text
    (:func:`data.importers.credit_store.write_credits`)."""
    write_credits(session, ctx=ctx, items=items)


def decided(items: Iterable[Item], evidence: Evidence | None) -> Iterator[Item]:
    """``items`` with every credit's person-or-organization call made over the whole file (rejections pass)."""
    items = list(items)
    parsed = [i.value for i in items if isinstance(i.value, ParsedCredit)]
    calls = iter(decider(evidence).decide(parsed))
    for item in items:
        if isinstance(item.value, ParsedCredit):
            item = Item(item.line, item.raw, next(calls), item.origin)
        yield item


def parse_credits(
    path: str | Path, *, format: str | None = None, production: str | None = None
) -> Iterator[ParsedCredit]:
    """Every credit and note in a credit file (MADB JSON-LD, credit-roll text, canonical credits CSV/XLSX).

    Nothing is written. Rows that cannot be read at all (a blank line, a malformed canonical row) are skipped here;
    :func:`data.importers.import_file` reports them as rejected rows.
    """
    path = Path(path)
    fmt = get(format or detect(path))
    if fmt.entity != ENTITY:
        raise ImportFailed(
            N_("{file}: format {format} does not hold credits"),
            fix={"cli": N_("pass a credit file"), "page": N_("choose a credit file")},
            file=path.name,
            format=fmt.name,
        )
    source = Source(path, tz=ZoneInfo(settings.get("timezone")), production=production)
    for item in fmt.read(source):
        if isinstance(item.value, ParsedCredit):
            yield item.value


def _header(h: Header) -> bool:
    return {"role", "name"} <= h.keys and ("line_order" in h.keys or "production" in h.keys)


register(
    Format(
        name="canonical_credits",
        label=N_("Endroll credits (CSV/XLSX)"),
        entity=ENTITY,
        read=read,
        write=write,
        order=40,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        columns=COLUMNS,
        template="credits",
        prepare=prepare,
    )
)
