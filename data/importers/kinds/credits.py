"""Credits (``canonical_credits``), and the credit writer every credit format shares (MADB JSON-LD, credit-roll
text): each credit a line of the production's roll, its names person or organization aliases, kept verbatim.

A "row" of a credit file is one credit (one name under one role) or one note. Credit lines are identified by a hash
of production, source, position in the roll, verbatim role and name, scope and parenthetical: a re-import adds
nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data import settings
from data.credit_records import ParsedCredit
from data.i18n import N_
from data.importers import units as u
from data.importers.cells import check_required, g
from data.importers.context import ImportContext
from data.importers.credit_text import (
    classify_parenthetical,
    looks_like_org,
    map_role,
    parse_scope,
    split_roles,
    strip_brackets,
)
from data.importers.errors import ImportFailed, RowError
from data.importers.reading import mapped
from data.importers.registry import Column, Format, Header, Source, detect, get, register
from data.importers.rows import Item, SourceRow
from data.importers.upsert import digest
from data.names import org_key, person_key
from data.schema import (
    CREDIT_BLOCKS,
    CREDIT_SOURCES,
    CreditLine,
    CreditNote,
    OrgAlias,
    Organization,
    PersonAlias,
    Production,
    Role,
)

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


class Work(Protocol):
    """The source's record of a work, when it has one (a MADB record): what its production is found or made from."""

    ref: str
    title: str
    kind: str
    start_date: str | None


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
                is_organization=is_org if is_org is not None else (True if is_logo or looks_like_org(name) else None),
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


class CreditWriter:
    """Credits and notes into CreditLine / CreditNote, names into person or organization aliases."""

    def __init__(self, session: Session, *, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.s = session
        self.roles_by_code = {c: (i, p) for i, c, p in session.execute(select(Role.id, Role.code, Role.person_only))}
        self.works: dict[str, int] = {}  # production ids by the id of the source's record of the work (MADB)
        self.person_aliases: dict[str, tuple[list[tuple[int, int | None, str]]]] = {}
        self.org_alias_ids: dict[str, int | None] = {}
        self.hashes: dict[int, set[str]] = {}
        self.pending: list[dict[str, Any]] = []
        self.batch_hashes: set[str] = set()
        self.batch_notes: set[int] = set()

    def _seen(self, pc: ParsedCredit, in_this_file: bool) -> None:
        if in_this_file:
            # The source repeats an entry verbatim; the first copy is stored, this one is reported.
            raise RowError(
                "duplicate_row",
                N_("the same entry appears earlier in this file"),
                column="name",
                value=pc.name_as_credited,
            )
        self.ctx.summary.unchanged += 1

    # entities

    def _org_by_key(self, key: str) -> int | None:
        if key not in self.org_alias_ids:
            self.org_alias_ids[key] = self.s.scalar(select(OrgAlias.id).where(OrgAlias.match_key == key).limit(1))
        return self.org_alias_ids[key]

    def org_alias(self, text_: str) -> int:
        """The id of the organization alias for ``text_``, created (with its organization) when new."""
        key = org_key(text_) or person_key(text_)
        aid = self._org_by_key(key)
        if aid is None:
            name = text_.replace("[ロゴ]", "").strip()[:200] or text_[:200]
            oid = self.s.scalar(select(Organization.id).where(Organization.name == name))
            if oid is None:
                oid = self.s.execute(
                    insert(Organization).values(name=name, kind="other").returning(Organization.id)
                ).scalar_one()
                self.ctx.summary.count("organizations_created")
            aid = self.s.execute(
                insert(OrgAlias).values(organization_id=oid, text=text_[:200], match_key=key).returning(OrgAlias.id)
            ).scalar_one()
            self.org_alias_ids[key] = aid
        return aid

    def org_id(self, text_: str) -> int:
        """The id of the organization ``text_`` names (its alias created when new)."""
        aid = self.org_alias(text_)
        return self.s.scalar(select(OrgAlias.organization_id).where(OrgAlias.id == aid))

    def person_alias(self, text_: str) -> int:
        """The id of the person alias for ``text_``: linked to a person only when its match key is theirs alone."""
        key = person_key(text_)
        if key not in self.person_aliases:
            rows = self.s.execute(
                select(PersonAlias.id, PersonAlias.person_id, PersonAlias.text).where(PersonAlias.match_key == key)
            ).all()
            self.person_aliases[key] = [tuple(r) for r in rows]
        rows = self.person_aliases[key]
        people = {pid for _, pid, _ in rows if pid is not None}
        # Link only on an unambiguous match; otherwise the name stays an unlinked alias for a human to resolve.
        owner = next(iter(people)) if len(people) == 1 else None
        for aid, pid, t in rows:
            if pid == owner and t == text_[:200]:
                return aid
        aid = self.s.execute(
            insert(PersonAlias)
            .values(
                person_id=owner,
                text=text_[:200],
                kind="real_name" if owner is None else "variant_spelling",
                match_key=key,
                public=True,
                source=f"import:{self.ctx.batch.filename}"[:100],
            )
            .returning(PersonAlias.id)
        ).scalar_one()
        rows.append((aid, owner, text_[:200]))
        self.ctx.summary.count("person_aliases_linked" if owner else "person_aliases_unlinked")
        return aid

    # rows

    def production(self, pc: ParsedCredit, info: Work | None) -> int:
        """The production a credit belongs to: the work the source's record describes (found or created by its id
        in ``production.external_ref``), else the production the credit names (created when new)."""
        if info is not None:
            pid = self.works.get(info.ref)
            if pid is None:
                pid = self.s.scalar(select(Production.id).where(Production.external_ref == info.ref))
                if pid is None:
                    title = info.title[:300]
                    if self.s.scalar(select(Production.id).where(Production.title == title)) is not None:
                        title = f"{info.title} [MADB {info.ref}]"[:300]
                    start = None
                    try:
                        start = dt.date.fromisoformat(info.start_date) if info.start_date else None
                    except ValueError:
                        start = None
                    pid = self.s.execute(
                        insert(Production)
                        .values(title=title, kind=info.kind, external_ref=info.ref, start_date=start)
                        .returning(Production.id)
                    ).scalar_one()
                    self.ctx.summary.count("productions_created")
                self.works[info.ref] = pid
            return pid
        return self.ctx.refs.production_id(pc.production, create=True)

    def write(self, item: Item) -> None:
        """One credit or note, or the rejection of its row."""
        ctx = self.ctx
        info = item.origin
        ctx.row()
        pc = item.value
        if isinstance(pc, RowError):
            ctx.reject(item.line, item.raw, pc)
            return
        raw = item.raw or f"[{pc.role_as_credited}]{pc.name_as_credited}{pc.parenthetical or ''}"
        try:
            pid = self.production(pc, info)
            if pc.kind == "note":
                self._note(pid, pc)
                return
            if not pc.name_as_credited.strip() or not person_key(pc.name_as_credited):
                raise RowError(
                    "empty_name",
                    f"role {pc.role_as_credited!r} has no name under it",
                    column="name",
                    value=pc.name_as_credited,
                )
            self._credit(pid, pc, raw)
        except RowError as exc:
            ctx.reject(item.line, raw, exc)

    def _note(self, production_id: int, pc: ParsedCredit) -> None:
        t = CreditNote.__table__
        exists = self.s.scalar(
            select(t.c.id)
            .where(
                t.c.production_id == production_id,
                t.c.kind == pc.role_as_credited[:60],
                t.c.text == pc.name_as_credited,
                t.c.source_ref == pc.source_ref,
            )
            .limit(1)
        )
        if exists:
            self._seen(pc, exists in self.batch_notes)
            return
        nid = self.s.execute(
            insert(t)
            .values(
                production_id=production_id,
                kind=pc.role_as_credited[:60] or "note",
                text=pc.name_as_credited,
                source=pc.source,
                source_ref=pc.source_ref,
                batch_id=self.ctx.batch.id,
            )
            .returning(t.c.id)
        ).scalar_one()
        self.batch_notes.add(nid)
        self.ctx.summary.imported += 1
        self.ctx.summary.count("notes")

    def _credit(self, production_id: int, pc: ParsedCredit, raw: str) -> None:
        ctx = self.ctx
        if production_id not in self.hashes:
            self.hashes[production_id] = set(
                self.s.scalars(select(CreditLine.content_hash).where(CreditLine.production_id == production_id))
            )
        h = digest(
            (
                production_id,
                pc.source,
                pc.source_ref,
                pc.block,
                pc.line_order,
                pc.position_in_line,
                pc.role_as_credited,
                pc.name_as_credited,
                pc.episode_scope,
                pc.parenthetical,
                pc.is_logo,
            ),
            32,
        )
        if h in self.hashes[production_id]:
            self._seen(pc, h in self.batch_hashes)
            return
        role = self.roles_by_code.get(pc.role_code) if pc.role_code else None
        is_org = (
            pc.is_organization
            or pc.is_logo
            or (pc.is_organization is None and self._org_by_key(org_key(pc.name_as_credited) or "\x00") is not None)
        )
        if is_org is None:
            is_org = looks_like_org(pc.name_as_credited)
        notes = [pc.note] if pc.note else []
        via_org = None
        if pc.parenthetical:
            kind = pc.parenthetical_kind or classify_parenthetical(pc.parenthetical)
            notes.append(f"parenthetical ({kind}): {pc.parenthetical}")
            if kind == "affiliation":
                via_org = self.org_id(strip_brackets(pc.parenthetical))
        line = {
            "production_id": production_id,
            "episode_scope": (pc.episode_scope or None) and pc.episode_scope[:100],
            "episode_from": pc.episode_from,
            "episode_to": pc.episode_to,
            "role_as_credited": pc.role_as_credited[:200],
            "role_id": role[0] if role else None,
            "role_person_only": role[1] if role else None,
            "name_as_credited": pc.name_as_credited[:300],
            "person_alias_id": None,
            "org_alias_id": None,
            "via_org_id": via_org,
            "individuals_uncredited": False,
            "uncredited_reason": None,
            "block": pc.block,
            "line_order": pc.line_order,
            "position_in_line": pc.position_in_line,
            "source": pc.source,
            "source_ref": pc.source_ref,
            "source_line_id": (pc.source_line_id or None) and pc.source_line_id[:100],
            "note": "; ".join(notes) or None,
            "batch_id": ctx.batch.id,
            "content_hash": h,
        }
        if is_org:
            line["org_alias_id"] = self.org_alias(pc.name_as_credited)
            if role and role[1]:
                # Stored as published; the credit validator reports the missing individual names.
                line["individuals_uncredited"] = True
                line["uncredited_reason"] = "an organization is credited in a person-only role (as published)"
            ctx.summary.count("credits_to_organizations")
        else:
            line["person_alias_id"] = self.person_alias(pc.name_as_credited)
        self.pending.append(line)
        self.hashes[production_id].add(h)
        self.batch_hashes.add(h)
        ctx.summary.imported += 1
        ctx.summary.count("credit_lines")
        if len(self.pending) >= 1000:
            self.flush()

    def flush(self) -> None:
        """Write the credit lines and side rows kept so far."""
        if self.pending:
            self.s.execute(insert(CreditLine.__table__), self.pending)
            self.pending = []
        self.ctx.flush_side_rows()


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Every credit and note of ``items`` (:class:`CreditWriter`)."""
    writer = CreditWriter(session, ctx=ctx)
    for item in items:
        writer.write(item)
    writer.flush()


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
    )
)
