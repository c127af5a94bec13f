"""Public credits that may name the studio's people, claims on them, and the person-or-organization call on each
credit line: the review queue's rows as plain values.

A public credit (MADB, on-screen, an official site) is never linked by a name match: a line whose unlinked alias has
the match key of one of a person's names is a *suggestion* until a manager confirms it (or rejects it), and an
artist may claim a suggestion as theirs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.queries.base import frame
from data.names import person_key
from data.schema import (
    PUBLIC_CREDIT_SOURCES,
    CreditClaim,
    CreditLine,
    OrgAlias,
    Person,
    PersonAlias,
    Production,
    Role,
)

IN_LIST = 500
SUGGESTION_COLUMNS = (
    "credit_line_id", "person_id", "person", "production_id", "production", "start_date", "role_as_credited",
    "role_ja", "episode_scope", "name_as_credited", "source", "source_ref", "status", "claimed_by", "claimed_at",
)  # fmt: skip


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), IN_LIST):
        yield values[i : i + IN_LIST]


def person_keys(session: Session, person_ids: Sequence[int] | None = None) -> dict[str, set[int]]:
    """Match key → the people it names, from display names, pen names and linked aliases (of ``person_ids``, or of
    everyone)."""
    people = select(Person.id, Person.display_name, Person.pen_name)
    aliases = select(PersonAlias.person_id, PersonAlias.match_key).where(PersonAlias.person_id.is_not(None))
    if person_ids is not None:
        people = people.where(Person.id.in_(list(person_ids)))
        aliases = aliases.where(PersonAlias.person_id.in_(list(person_ids)))
    out: dict[str, set[int]] = defaultdict(set)
    for pid, display, pen in session.execute(people):
        for text in (display, pen):
            if text:
                out[person_key(text)].add(pid)
    for pid, key in session.execute(aliases):
        out[key].add(pid)
    return out


def _line_columns() -> tuple[Any, ...]:
    c = CreditLine
    return (
        c.id.label("credit_line_id"), Production.id.label("production_id"), Production.title.label("production"),
        Production.start_date, c.role_as_credited, Role.ja.label("role_ja"), c.episode_scope, c.name_as_credited,
        c.source, c.source_ref,
    )  # fmt: skip


def suggestion_rows(
    session: Session, *, person_ids: Sequence[int] | None = None, production_ids: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """Public credit lines on an unlinked alias that one of the people's names matches, and the lines claimed for
    them, not yet confirmed or rejected. One mapping per (line, person) with :data:`SUGGESTION_COLUMNS`; ``status``
    is ``suggested`` (a name match) or ``claimed`` (the artist says it is theirs); oldest production first."""
    keys = person_keys(session, person_ids)
    names = dict(session.execute(select(Person.id, Person.display_name)).tuples().all())
    decided: dict[tuple[int, int], tuple[str, str | None, Any]] = {}
    claims = select(CreditClaim.credit_line_id, CreditClaim.person_id, CreditClaim.status, CreditClaim.claimed_by,
                    CreditClaim.claimed_at)  # fmt: skip
    if person_ids is not None:
        claims = claims.where(CreditClaim.person_id.in_(list(person_ids)))
    for line_id, pid, status, by, at in session.execute(claims):
        decided[(line_id, pid)] = (status, by, at)
    base = (
        select(*_line_columns(), PersonAlias.match_key)
        .join(Production, Production.id == CreditLine.production_id)
        .join(PersonAlias, PersonAlias.id == CreditLine.person_alias_id)
        .outerjoin(Role, Role.id == CreditLine.role_id)
        .where(PersonAlias.person_id.is_(None), CreditLine.source.in_(PUBLIC_CREDIT_SOURCES))
    )
    if production_ids is not None:
        base = base.where(CreditLine.production_id.in_(list(production_ids)))
    out: dict[tuple[int, int], dict[str, Any]] = {}
    for part in _chunks(sorted(keys)):
        for row in session.execute(base.where(PersonAlias.match_key.in_(part))).mappings():
            for pid in sorted(keys[row["match_key"]]):
                status = decided.get((row["credit_line_id"], pid))
                if status is not None and status[0] != "claimed":
                    continue
                out[(row["credit_line_id"], pid)] = _suggestion(row, pid, names, status)
    claimed = [(line, pid) for (line, pid), s in decided.items() if s[0] == "claimed" and (line, pid) not in out]
    lines = sorted({line for line, _ in claimed})
    for part in _chunks(lines):
        q = (
            select(*_line_columns())
            .join(Production, Production.id == CreditLine.production_id)
            .outerjoin(Role, Role.id == CreditLine.role_id)
            .where(CreditLine.id.in_(part))
        )
        if production_ids is not None:
            q = q.where(CreditLine.production_id.in_(list(production_ids)))
        rows = {r["credit_line_id"]: r for r in session.execute(q).mappings()}
        for line, pid in claimed:
            if line in rows:
                out[(line, pid)] = _suggestion(rows[line], pid, names, decided[(line, pid)])
    return sorted(
        out.values(),
        key=lambda r: (
            r["start_date"] is None,
            r["start_date"] or 0,
            r["production"],
            r["credit_line_id"],
            r["person"],
        ),
    )


def _suggestion(row: Any, pid: int, names: dict[int, str], status: tuple[str, str | None, Any] | None) -> dict:
    out = {k: row[k] for k in SUGGESTION_COLUMNS if k in row}
    out.update(
        person_id=pid,
        person=names.get(pid, ""),
        status="claimed" if status else "suggested",
        claimed_by=status[1] if status else None,
        claimed_at=status[2] if status else None,
    )
    return out


def entity_call_rows(session: Session, *, production_id: int) -> pd.DataFrame:
    """The production's credit lines with the person-or-organization call on each, in roll order. Columns:
    ``credit_line_id``, ``role_as_credited``, ``name_as_credited``, ``organization`` (bool), ``entity_basis``,
    ``entity_reason``, ``source``."""
    c = CreditLine
    q = (
        select(
            c.id.label("credit_line_id"),
            c.role_as_credited,
            c.name_as_credited,
            c.org_alias_id,
            c.entity_basis,
            c.entity_reason,
            c.source,
        )  # fmt: skip
        .where(c.production_id == production_id)
        .order_by(c.block, c.line_order, c.position_in_line, c.id)
    )
    # Read raw (numbers and text only): a large production's tens of thousands of lines, one mapping each, took
    # seconds.
    rows = frame(session, q, raw=True)
    rows.insert(3, "organization", rows.pop("org_alias_id").notna())
    return rows


def lines_named(session: Session, *, person_key_: str, org_key_: str) -> list[Any]:
    """Every credit line on an unlinked person alias with ``person_key_``, or on an organization alias with
    ``org_key_``: the lines a call on one name moves. Mappings: ``id``, ``name_as_credited``, ``person_alias_id``,
    ``org_alias_id``, ``role_person_only``."""
    c = CreditLine
    cols = (c.id, c.name_as_credited, c.person_alias_id, c.org_alias_id, c.role_person_only)
    people = (
        select(*cols)
        .join(PersonAlias, PersonAlias.id == c.person_alias_id)
        .where(PersonAlias.person_id.is_(None), PersonAlias.match_key == person_key_)
    )
    orgs = select(*cols).join(OrgAlias, OrgAlias.id == c.org_alias_id).where(OrgAlias.match_key == org_key_)
    return [*session.execute(people).mappings(), *session.execute(orgs).mappings()]
