"""What the credit cross-checks and the end roll's AI disclosure compare the credits with: the production's labor
records (work log, pay items), the people's aliases and employers, and its AI-usage ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from data.schema import (
    Affiliation,
    AiUsage,
    CreditLine,
    Employment,
    Episode,
    OrgAlias,
    PayItem,
    PersonAlias,
    Role,
    RollupWorkMonth,
    Service,
    ai_usage_post_editor,
)


@dataclass(frozen=True)
class RoleRow:
    """A role of the taxonomy as the checks name it."""

    id: int
    code: str
    ja: str
    en: str
    person_only: bool
    sort_order: int


def roles(session: Session) -> dict[int, RoleRow]:
    """Every role of the taxonomy, by id."""
    r = Role
    rows = session.execute(select(r.id, r.code, r.ja, r.en, r.person_only, r.sort_order)).all()
    return {row.id: RoleRow(row.id, row.code, row.ja, row.en, bool(row.person_only), row.sort_order) for row in rows}


def worked(session: Session, production_id: int) -> set[tuple[int, int | None]]:
    """(person, role) pairs with work logged or pay on the production."""
    # From the month rollup (every work-log row is in one of its rows, kept current in the writer's transaction):
    # the largest production's 4.2 million work logs took 12 s to read distinct on SQLite, its 0.2 million
    # person-role-episode-months a fraction of a second.
    w = RollupWorkMonth
    work = select(w.person_id, w.role_id).where(w.production_id == production_id)
    pay = select(PayItem.person_id, PayItem.role_id).where(PayItem.production_id == production_id)
    return {(p, r) for p, r in session.execute(union(work, pay))}


def worked_episodes(session: Session, production_id: int) -> dict[tuple[int, int], set[int]]:
    """(person, role) → the episode numbers they logged work on."""
    out: dict[tuple[int, int], set[int]] = defaultdict(set)
    w = RollupWorkMonth
    rows = session.execute(
        select(w.person_id, w.role_id, Episode.number)
        .join(Episode, Episode.id == w.episode_id)
        .where(w.production_id == production_id, w.role_id.is_not(None), Episode.number.is_not(None))
        .distinct()
    )
    for person_id, role_id, number in rows:
        out[(person_id, role_id)].add(number)
    return out


def alias_keys(session: Session, alias_ids: Iterable[int]) -> dict[int, str]:
    """The match key of each alias of ``alias_ids``."""
    ids = sorted(set(alias_ids))
    if not ids:
        return {}
    return dict(session.execute(select(PersonAlias.id, PersonAlias.match_key).where(PersonAlias.id.in_(ids))).all())


def keys_of(session: Session, people: Iterable[int]) -> dict[int, set[str]]:
    """The match keys of each person's aliases."""
    out: dict[int, set[str]] = defaultdict(set)
    ids = sorted(set(people))
    if ids:
        query = select(PersonAlias.person_id, PersonAlias.match_key).where(PersonAlias.person_id.in_(ids))
        for pid, key in session.execute(query):
            out[pid].add(key)
    return out


def uncredited_org_lines(session: Session, production_id: int) -> dict[int | None, list[Any]]:
    """Per role id, the production's organization lines marked "individuals uncredited": mappings of ``id``,
    ``name_as_credited``, ``uncredited_reason`` and ``organization_id`` (of the line's alias; None without one)."""
    out: dict[int | None, list[Any]] = defaultdict(list)
    c = CreditLine
    rows = session.execute(
        select(c.id, c.role_id, c.name_as_credited, c.uncredited_reason, OrgAlias.organization_id)
        .outerjoin(OrgAlias, OrgAlias.id == c.org_alias_id)
        .where(c.production_id == production_id, c.org_alias_id.is_not(None), c.individuals_uncredited.is_(True))
        .order_by(c.id)
    ).mappings()
    for row in rows:
        out[row["role_id"]].append(row)
    return out


def org_members(session: Session, people: Iterable[int]) -> dict[int, set[int]]:
    """Each person's employers and the organizations they are affiliated with."""
    out: dict[int, set[int]] = defaultdict(set)
    ids = sorted(set(people))
    if not ids:
        return out
    for pid, org in session.execute(
        select(Employment.person_id, Employment.employer_id).where(Employment.person_id.in_(ids))
    ):
        out[pid].add(org)
    for pid, org in session.execute(
        select(Affiliation.person_id, Affiliation.organization_id).where(Affiliation.person_id.in_(ids))
    ):
        out[pid].add(org)
    return out


def ai_usage_rows(session: Session, production_id: int) -> list[Any]:
    """The production's AI-usage records, by role order then id: mappings of ``id``, ``operator_id``, ``role_id``,
    ``stage``, ``service_id``, ``service`` (name), ``version``."""
    u = AiUsage
    return list(
        session.execute(
            select(u.id, u.operator_id, u.role_id, u.stage, u.service_id, Service.name.label("service"),
                   Service.version)
            .join(Service, Service.id == u.service_id)
            .outerjoin(Role, Role.id == u.role_id)
            .where(u.production_id == production_id)
            .order_by(Role.sort_order, u.id)
        ).mappings()
    )  # fmt: skip


def post_editors(session: Session, usage_ids: Iterable[int]) -> dict[int, list[int]]:
    """Per AI-usage record, the people who edited its output, in the order they edited it."""
    out: dict[int, list[int]] = defaultdict(list)
    ids = sorted(set(usage_ids))
    if not ids:
        return out
    e = ai_usage_post_editor.c
    for usage_id, person_id in session.execute(
        select(e.ai_usage_id, e.person_id).where(e.ai_usage_id.in_(ids)).order_by(e.edited_at, e.person_id)
    ):
        out[usage_id].append(person_id)
    return out
