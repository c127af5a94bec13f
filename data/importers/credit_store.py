"""The credit writer every credit format shares (MADB JSON-LD, credit-roll text, canonical credits): each credit a
line of the production's roll, its name a person or an organization alias, kept verbatim; notes and source defects
as credit notes.

Set-based: rows are taken a chunk at a time, and each chunk costs a handful of statements whatever its size — one
query per kind of key it needs (productions, line hashes, notes, organization and person aliases, each ``IN`` a
list), one ``executemany`` per kind of row it adds.

Public credits (MADB, on-screen, an official site) are never linked to a person by a name match: their names are
unlinked aliases, and a name that matches one of the studio's people is a suggestion for a manager to confirm
(:mod:`services.credit_review`) — a studio's 藤田誠 is not every 藤田誠 in Japanese animation. A studio's own credits
(canonical rows, credit-roll text) link to the one person whose name key they match, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data.credit_records import ParsedCredit
from data.credits.organizations import entity_key, name_evidence
from data.credits.parts import classify_parenthetical, is_blank, strip_brackets
from data.importers.context import ImportContext
from data.importers.credit_aliases import Aliases, chunks, person_key
from data.importers.credit_calls import people_keys
from data.importers.errors import RowError
from data.importers.rows import Item
from data.importers.upsert import digest
from data.schema import (
    PUBLIC_CREDIT_SOURCES,
    CreditLine,
    CreditNote,
    Production,
    Role,
)

CHUNK = 5000  # credits written per round of queries
PUBLIC = frozenset(PUBLIC_CREDIT_SOURCES)
_NOTE_KIND_MAX = 60


class Work(Protocol):
    """The source's record of a work, when it has one (a MADB record): what its production is found or made from."""

    ref: str
    title: str
    kind: str
    start_date: str | None


@dataclass(slots=True)
class _Row:
    item: Item
    credit: ParsedCredit
    production_id: int = 0

    @property
    def raw(self) -> str:
        """The row's text for a rejection: as the reader gave it, else the credit as ``ref [role]name(paren)``."""
        pc = self.credit
        return (
            self.item.raw
            or f"{pc.source_ref or ''} [{pc.role_as_credited}]{pc.name_as_credited}{pc.parenthetical or ''}"
        )


class CreditWriter:
    """Credits and notes into CreditLine / CreditNote, names into person or organization aliases, a chunk at a time.

    ``identity``: ``position`` identifies a line by its place in the roll as well as its text (a studio's roll may
    credit one name twice in one role); ``content`` by its text alone (production, role, name, scope, parenthetical,
    logo), for sources that publish one credit under several properties (MADB)."""

    def __init__(self, session: Session, *, ctx: ImportContext, identity: str = "position") -> None:
        self.ctx = ctx
        self.s = session
        self.identity = identity
        self.roles = {c: (i, p) for i, c, p in session.execute(select(Role.id, Role.code, Role.person_only))}
        self.works: dict[str, int] = {}
        self.created: set[int] = set()  # productions made by this import: nothing of theirs is stored to compare
        self.aliases = Aliases(session, ctx=ctx)
        self.studio_keys = people_keys(session)  # a public name matching one of them is a suggestion
        self.note_keys: dict[int, set[tuple[str, str, str | None]]] = {}
        self.batch_hashes: set[str] = set()
        self.batch_notes: set[tuple[int, str, str, str | None]] = set()
        self.pending: list[_Row] = []

    # rows

    def write(self, item: Item) -> None:
        """Take one credit, note or source defect (or the rejection of its row); written with its chunk."""
        self.ctx.row()
        pc = item.value
        if isinstance(pc, RowError):
            self.ctx.reject(item.line, item.raw, pc)
            return
        self.pending.append(_Row(item, pc))
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write the rows taken so far, and the rejected rows and audit events kept with them."""
        rows, self.pending = self.pending, []
        if rows:
            rows = self._productions(rows)
            self._notes([r for r in rows if r.credit.kind != "credit"])
            self._credits([r for r in rows if r.credit.kind == "credit"])
        self.ctx.flush_side_rows()

    # productions

    def _productions(self, rows: list[_Row]) -> list[_Row]:
        """``rows`` with their production ids: a MADB record's production found or created by its id, any other
        row's by its title (created when new); a row whose production cannot be had is rejected."""
        works = {
            r.item.origin.ref: r for r in rows if r.item.origin is not None and r.item.origin.ref not in self.works
        }
        refs = list(works)
        for part in chunks(refs):
            for pid, ref in self.s.execute(
                select(Production.id, Production.external_ref).where(Production.external_ref.in_(part))
            ):
                self.works[ref] = pid
        self._create_productions([works[ref] for ref in refs if ref not in self.works])
        out = []
        for r in rows:
            try:
                if r.item.origin is not None:
                    r.production_id = self.works[r.item.origin.ref]
                else:
                    r.production_id = self.ctx.refs.production_id(r.credit.production, create=True)
            except RowError as exc:
                self.ctx.reject(r.item.line, r.raw, exc)
                continue
            out.append(r)
        return out

    def _create_productions(self, rows: list[_Row]) -> None:
        """The productions of the records ``rows`` come from, in one insert: titled as the reader named them, with
        the MADB id added to a title the database already has."""
        if not rows:
            return
        titles = {r.item.origin.ref: (r.credit.production or r.item.origin.title)[:300] for r in rows}
        taken: set[str] = set()
        for part in chunks(sorted(set(titles.values()))):
            taken.update(self.s.scalars(select(Production.title).where(Production.title.in_(part))))
        values = []
        for r in rows:
            info: Work = r.item.origin
            title = titles[info.ref]
            if title in taken:
                title = f"{info.title} [MADB {info.ref}]"[:300]
            try:
                start = dt.date.fromisoformat(info.start_date) if info.start_date else None
            except ValueError:
                start = None
            values.append({"title": title, "kind": info.kind, "external_ref": info.ref, "start_date": start})
        # executemany without RETURNING, then the ids by key: SQLite would run a RETURNING insert row by row.
        self.s.execute(insert(Production.__table__), values)
        refs = [v["external_ref"] for v in values]
        for part in chunks(refs):
            for pid, ref in self.s.execute(
                select(Production.id, Production.external_ref).where(Production.external_ref.in_(part))
            ):
                self.works[ref] = pid
                self.created.add(pid)
        self.ctx.summary.count("productions_created", len(values))

    # notes and source defects

    def _notes(self, rows: list[_Row]) -> None:
        missing = sorted({r.production_id for r in rows} - set(self.note_keys))
        t = CreditNote.__table__
        for pid in missing:
            self.note_keys[pid] = set()
        missing = [pid for pid in missing if pid not in self.created]
        for part in chunks(missing):
            for pid, kind, text_, ref in self.s.execute(
                select(t.c.production_id, t.c.kind, t.c.text, t.c.source_ref).where(t.c.production_id.in_(part))
            ):
                self.note_keys[pid].add((kind, text_, ref))
        new: list[dict[str, Any]] = []
        for r in rows:
            pc = r.credit
            if pc.kind == "defect":
                kind = f"source_defect:{pc.role_as_credited}"[:_NOTE_KIND_MAX]
                text_ = f"{pc.name_as_credited} ({pc.note})" if pc.note else pc.name_as_credited
            else:
                kind = (pc.role_as_credited or "note")[:_NOTE_KIND_MAX]
                text_ = pc.name_as_credited
            key = (kind, text_, pc.source_ref)
            if key in self.note_keys[r.production_id]:
                self._seen(r, (r.production_id, *key) in self.batch_notes)
                continue
            self.note_keys[r.production_id].add(key)
            self.batch_notes.add((r.production_id, *key))
            new.append({"production_id": r.production_id, "kind": kind, "text": text_, "source": pc.source,
                        "source_ref": pc.source_ref, "batch_id": self.ctx.batch.id})  # fmt: skip
            self.ctx.summary.imported += 1
            self.ctx.summary.count("source_defects" if pc.kind == "defect" else "notes")
            if pc.kind == "defect":
                self.ctx.summary.count(f"source_defects_{pc.role_as_credited}")
        if new:
            self.aliases.insert(t, new)

    def _seen(self, r: _Row, in_this_file: bool) -> None:
        if in_this_file:
            # The source repeats an entry verbatim; the first copy is stored, this one is reported.
            self.ctx.reject(
                r.item.line,
                r.raw,
                RowError(
                    "duplicate_row",
                    "the same entry appears earlier in this file",
                    column="name",
                    value=r.credit.name_as_credited,
                ),  # fmt: skip
            )
            return
        self.ctx.summary.unchanged += 1

    # credit lines

    def _hash(self, production_id: int, pc: ParsedCredit) -> str:
        if self.identity == "content":
            text = "\x1f".join(
                str(v) for v in (production_id, pc.source, pc.source_ref, pc.block, pc.role_code, pc.role_as_credited,
                                 pc.name_as_credited, pc.episode_scope, pc.parenthetical, int(pc.is_logo))
            )  # fmt: skip
            return hashlib.blake2b(text.encode("utf-8"), digest_size=32).hexdigest()
        else:
            parts = (production_id, pc.source, pc.source_ref, pc.block, pc.line_order, pc.position_in_line,
                     pc.role_as_credited, pc.name_as_credited, pc.episode_scope, pc.parenthetical, pc.is_logo)  # fmt: skip
        return digest(parts, 32)

    def _credits(self, rows: list[_Row]) -> None:
        ctx = self.ctx
        todo: list[tuple[_Row, str]] = []
        for r in rows:
            pc = r.credit
            if is_blank(pc.name_as_credited) or not person_key(pc.name_as_credited):
                ctx.reject(r.item.line, r.raw, RowError("empty_name", f"role {pc.role_as_credited!r} has no name under it",
                                                        column="name", value=pc.name_as_credited))  # fmt: skip
                continue
            todo.append((r, self._hash(r.production_id, pc)))
        stored: set[str] = set()
        fresh = [h for r, h in todo if h not in self.batch_hashes and r.production_id not in self.created]
        for part in chunks(fresh):
            stored.update(self.s.scalars(select(CreditLine.content_hash).where(CreditLine.content_hash.in_(part))))
        new: list[tuple[_Row, str]] = []
        for r, h in todo:
            if h in stored or h in self.batch_hashes:
                self._seen(r, h in self.batch_hashes)
                continue
            self.batch_hashes.add(h)
            new.append((r, h))
        if not new:
            return
        calls = [self._call(r.credit) for r, _ in new]
        orgs = {r.credit.name_as_credited for (r, _), org in zip(new, calls, strict=True) if org[0]}
        vias = {}
        for r, _ in new:
            pc = r.credit
            if (
                pc.parenthetical
                and (pc.parenthetical_kind or classify_parenthetical(pc.parenthetical)) == "affiliation"
            ):
                vias[pc.parenthetical] = strip_brackets(pc.parenthetical)
        self.aliases.ensure_orgs(orgs | set(vias.values()))
        people = [r.credit.name_as_credited for (r, _), org in zip(new, calls, strict=True) if not org[0]]
        public = {n for (r, _), org in zip(new, calls, strict=True) if not org[0] and r.credit.source in PUBLIC
                  for n in [r.credit.name_as_credited]}  # fmt: skip
        self.aliases.ensure_public(sorted(public))
        self.aliases.load_person_keys([n for n in people if n not in public])
        lines = []
        for (r, h), (is_org, basis, reason) in zip(new, calls, strict=True):
            lines.append(self._line(r, h, is_org, basis, reason, vias))
        self.aliases.link_people(lines)
        self.aliases.insert(CreditLine.__table__, [line for line, _ in lines])
        summary = self.ctx.summary
        summary.imported += len(lines)
        summary.count("credit_lines", len(lines))
        orgs = sum(1 for line, _ in lines if line["org_alias_id"] is not None)
        if orgs:
            summary.count("credits_to_organizations", orgs)
        if self.studio_keys:
            suggested = sum(1 for line, name in lines if line["source"] in PUBLIC and line["org_alias_id"] is None
                            and person_key(name) in self.studio_keys)  # fmt: skip
            if suggested:
                summary.count("credit_suggestions", suggested)

    def _call(self, pc: ParsedCredit) -> tuple[bool, str, str]:
        if pc.is_organization is not None and pc.entity_basis:
            return bool(pc.is_organization), pc.entity_basis, pc.entity_reason or ""
        if pc.is_organization is not None:
            return bool(pc.is_organization), "column", "is_organization"
        found = name_evidence(pc.name_as_credited, is_logo=pc.is_logo)
        if found is not None:
            return True, found.basis, found.reason
        return False, "default", "no organization evidence"

    def _line(self, r: _Row, h: str, is_org: bool, basis: str, reason: str, vias: dict[str, str]) -> tuple[dict, str]:
        ctx, pc = self.ctx, r.credit
        role = self.roles.get(pc.role_code) if pc.role_code else None
        notes = [pc.note] if pc.note else []
        via_org = None
        if pc.parenthetical:
            kind = pc.parenthetical_kind or classify_parenthetical(pc.parenthetical)
            notes.append(f"parenthetical ({kind}): {pc.parenthetical}")
            if pc.parenthetical in vias:
                via_org = self.aliases.org_aliases[entity_key(vias[pc.parenthetical])][1]
        line = {
            "production_id": r.production_id,
            "episode_scope": (pc.episode_scope or None) and pc.episode_scope[:100],
            "episode_from": pc.episode_from,
            "episode_to": pc.episode_to,
            "role_as_credited": pc.role_as_credited[:200],
            "role_id": role[0] if role else None,
            "role_person_only": role[1] if role else None,
            "name_as_credited": pc.name_as_credited,
            "person_alias_id": None,
            "org_alias_id": None,
            "via_org_id": via_org,
            # The schema lets an organization stand in a person-only role only with the individuals marked
            # uncredited; no reason is written: a person records one, and until then the validator warns.
            "individuals_uncredited": bool(is_org and role and role[1]),
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
            "entity_basis": basis,
            "entity_reason": reason,
        }
        if is_org:
            line["org_alias_id"] = self.aliases.org_aliases[entity_key(pc.name_as_credited)][0]
        elif pc.source in PUBLIC:
            line["person_alias_id"] = self.aliases.public_aliases[pc.name_as_credited[:200]]
        return line, pc.name_as_credited


def write_credits(session: Session, *, ctx: ImportContext, items: Iterable[Item], identity: str = "position") -> None:
    """Every credit, note and source defect of ``items`` (:class:`CreditWriter`)."""
    writer = CreditWriter(session, ctx=ctx, identity=identity)
    for item in items:
        writer.write(item)
    writer.flush()
