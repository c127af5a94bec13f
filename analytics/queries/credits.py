"""Stored credits as plain values: a production by reference, its credit lines in roll order, the people they name,
an artist's credits across productions, and the AI tools the database knows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import Session

from analytics.errors import ProductionNotFound
from analytics.queries.base import rows_of_ids
from data.i18n import N_
from data.schema import (
    CREDIT_BLOCKS,
    PUBLIC_CREDIT_SOURCES,
    CreditLine,
    Organization,
    Person,
    PersonAlias,
    Production,
    Role,
    Service,
)


@dataclass(frozen=True)
class ProductionRef:
    """A production as the credit views name it."""

    id: int
    title: str
    title_en: str | None = None
    title_romaji: str | None = None


@dataclass(frozen=True)
class PersonNames:
    """How a person may be named on a roll: ``romaji`` is given name first ("" when none is recorded)."""

    id: int
    display_name: str
    visibility: str = "public"
    pen_name: str | None = None
    romaji: str = ""


def block_rank() -> Any:
    """The schema's block order (main, OP, ED, cast, special_thanks, other) as a sortable SQL expression."""
    return case({b: i for i, b in enumerate(CREDIT_BLOCKS)}, value=CreditLine.block, else_=len(CREDIT_BLOCKS))


def _ref(p: Production) -> ProductionRef:
    return ProductionRef(p.id, p.title, p.title_en, p.title_romaji)


def find_production(session: Session, ref: str | int) -> ProductionRef:
    """A production by id, title (native, romaji or English) or external reference such as a MADB id;
    ProductionNotFound names what was tried."""
    text = str(ref).strip()
    if text.isdigit():
        production = session.get(Production, int(text))
        if production is not None:
            return _ref(production)
    matches = session.scalars(
        select(Production).where(
            or_(
                Production.title == text,
                Production.title_romaji == text,
                Production.title_en == text,
                Production.external_ref == text,
            )
        )
    ).all()
    if len(matches) == 1:
        return _ref(matches[0])
    if len(matches) > 1:
        raise ProductionNotFound(
            N_("{ref!r} matches several productions (ids {ids})"),
            fix={"cli": N_("give the id"), "page": N_("choose the production by id")},
            ref=text,
            ids=", ".join(str(p.id) for p in matches),
        )
    raise ProductionNotFound(
        N_("no production with id, title or external reference {ref!r}"),
        fix={"cli": N_("to check a credit file instead, give a path to an existing file"),
             "page": N_("choose one of the productions listed")},
        ref=text,
    )  # fmt: skip


def credit_line_rows(session: Session, production_id: int) -> list[Any]:
    """The production's credit lines in roll order (block, line_order, position_in_line, id), one mapping each:
    the line's columns (``id``, ``role_as_credited``, ``name_as_credited``, ``block``, ``line_order``,
    ``position_in_line``, ``episode_scope``, ``episode_from``, ``episode_to``, ``source``, ``source_ref``,
    ``source_line_id``, ``note``, ``person_alias_id``, ``org_alias_id``, ``individuals_uncredited``,
    ``uncredited_reason``), ``production`` (title), ``role_code`` and ``person_id`` (through a linked alias)."""
    c = CreditLine
    return list(
        session.execute(
            select(
                c.id, c.role_as_credited, c.name_as_credited, c.block, c.line_order, c.position_in_line,
                c.episode_scope, c.episode_from, c.episode_to, c.source, c.source_ref, c.source_line_id, c.note,
                c.person_alias_id, c.org_alias_id, c.individuals_uncredited, c.uncredited_reason,
                Production.title.label("production"), Role.code.label("role_code"), PersonAlias.person_id,
            )
            .join(Production, Production.id == c.production_id)
            .outerjoin(Role, Role.id == c.role_id)
            .outerjoin(PersonAlias, PersonAlias.id == c.person_alias_id)
            .where(c.production_id == production_id)
            .order_by(block_rank(), c.line_order, c.position_in_line, c.id)
        ).mappings()
    )  # fmt: skip


def roll_rows(session: Session, production_id: int) -> list[Any]:
    """The production's credit lines in credited order (line_order, position_in_line, id) with what the end roll
    prints: ``id``, ``block``, ``line_order``, ``role_as_credited``, ``name_as_credited``, ``episode_scope``,
    ``role_id``, ``role_code``, ``role_ja``, ``role_en``, ``role_sort`` (None without a taxonomy role),
    ``person_id`` (through a linked alias) and ``via`` (the organization the person was credited through)."""
    c = CreditLine
    return list(
        session.execute(
            select(
                c.id, c.block, c.line_order, c.role_as_credited, c.name_as_credited, c.episode_scope,
                Role.id.label("role_id"), Role.code.label("role_code"), Role.ja.label("role_ja"),
                Role.en.label("role_en"), Role.sort_order.label("role_sort"), PersonAlias.person_id,
                Organization.name.label("via"),
            )
            .outerjoin(Role, Role.id == c.role_id)
            .outerjoin(PersonAlias, PersonAlias.id == c.person_alias_id)
            .outerjoin(Organization, Organization.id == c.via_org_id)
            .where(c.production_id == production_id)
            .order_by(c.line_order, c.position_in_line, c.id)
        ).mappings()
    )  # fmt: skip


def person_names(session: Session, ids: Iterable[int]) -> dict[int, PersonNames]:
    """The people of ``ids`` with their naming choices, by id."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return {}
    # The columns, not Person entities: building 15,000 of them for the largest production's check took 0.6 s.
    query = select(Person.id, Person.display_name, Person.visibility, Person.pen_name, Person.given_romaji,
                   Person.family_romaji)  # fmt: skip
    return {
        pid: PersonNames(pid, display, visibility, pen, " ".join(p for p in (given, family) if p))
        for pid, display, visibility, pen, given, family in rows_of_ids(session, query, wanted)
    }


def person_exists(session: Session, person_id: int) -> bool:
    """Whether a person with ``person_id`` is stored."""
    return session.get(Person, person_id) is not None


def artist_rows(session: Session, person_id: int) -> list[Any]:
    """Every credit line on an alias of the person, or on an unlinked alias whose match key is one of theirs in the
    studio's own credits (public credits matched by name only are suggestions, not credits); oldest production
    first, in roll order within one. Mappings: ``production_id``, ``production``, ``title_en``,
    ``title_romaji``, ``production_kind``, ``start_date``, the line's ``id``, ``role_as_credited``, ``block``,
    ``episode_scope``, ``name_as_credited``, ``source``, ``source_ref``, ``role_code``, ``role_ja``, ``role_en``
    and ``alias_person_id`` (None for a line matched by name only)."""
    keys = select(PersonAlias.match_key).where(PersonAlias.person_id == person_id)
    c = CreditLine
    # A public credit (MADB, on-screen, an official site) on an unlinked alias is someone of that name, not
    # necessarily this person: it is a suggestion (analytics.queries.credit_review) until a manager confirms it.
    mine = or_(
        PersonAlias.person_id == person_id,
        and_(
            PersonAlias.person_id.is_(None),
            PersonAlias.match_key.in_(keys),
            c.source.not_in(PUBLIC_CREDIT_SOURCES),
        ),
    )
    return list(
        session.execute(
            select(
                Production.id.label("production_id"), Production.title.label("production"), Production.title_en,
                Production.title_romaji, Production.kind.label("production_kind"), Production.start_date, c.id,
                c.role_as_credited, c.block, c.episode_scope, c.name_as_credited, c.source, c.source_ref,
                Role.code.label("role_code"), Role.ja.label("role_ja"), Role.en.label("role_en"),
                PersonAlias.person_id.label("alias_person_id"),
            )
            .join(Production, Production.id == c.production_id)
            .join(PersonAlias, PersonAlias.id == c.person_alias_id)
            .outerjoin(Role, Role.id == c.role_id)
            .where(mine)
            .order_by(
                Production.start_date.is_(None), Production.start_date, Production.title, block_rank(),
                c.line_order, c.position_in_line,
            )
        ).mappings()
    )  # fmt: skip


def ai_tool_names(session: Session) -> tuple[list[str], list[str]]:
    """The database's AI services (tools, never credited) and AI vendor organizations (credited only as
    organizations), by name."""
    services = [n for (n,) in session.execute(select(Service.name).distinct()) if n]
    vendors = [n for (n,) in session.execute(select(Organization.name).where(Organization.kind == "ai_vendor"))]
    return services, vendors
