"""Stored credit lines as the shared credit shape, so the validator checks a production like it checks a file."""

from __future__ import annotations

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from analytics.credits.validator import StoredCredit
from data.credit_records import ParsedCredit
from data.schema import CREDIT_BLOCKS, CreditLine, OrgAlias, PersonAlias, Production, Role


class ProductionNotFound(LookupError):
    """No production matches what the user typed; the message lists what was tried."""


def block_rank():  # noqa: ANN201 - a SQL CASE expression
    """The schema's block order (main, OP, ED, cast, special_thanks, other) as a sortable SQL expression."""
    return case({b: i for i, b in enumerate(CREDIT_BLOCKS)}, value=CreditLine.block, else_=len(CREDIT_BLOCKS))


def find_production(ref: str | int, *, session: Session) -> Production:
    """A production by id, title (native, romaji or English) or external reference such as a MADB id."""
    text = str(ref).strip()
    if text.isdigit():
        production = session.get(Production, int(text))
        if production is not None:
            return production
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
        return matches[0]
    if len(matches) > 1:
        ids = ", ".join(str(p.id) for p in matches)
        raise ProductionNotFound(f"{text!r} matches several productions (ids {ids}); give the id")
    raise ProductionNotFound(
        f"no production with id, title or external reference {text!r}; "
        "to check a credit file instead, give a path to an existing file"
    )


def stored_credits(production_id: int, *, session: Session) -> list[StoredCredit]:
    """The production's credit lines in roll order (block, line_order, position_in_line), as StoredCredit.

    ``credit.line`` is the 1-based position in that order, the number the findings and the roll show.
    """
    rows = session.execute(
        select(
            CreditLine,
            Production.title,
            Role.code,
            PersonAlias.person_id,
        )
        .join(Production, Production.id == CreditLine.production_id)
        .outerjoin(Role, Role.id == CreditLine.role_id)
        .outerjoin(PersonAlias, PersonAlias.id == CreditLine.person_alias_id)
        .outerjoin(OrgAlias, OrgAlias.id == CreditLine.org_alias_id)
        .where(CreditLine.production_id == production_id)
        .order_by(block_rank(), CreditLine.line_order, CreditLine.position_in_line, CreditLine.id)
    ).all()
    out: list[StoredCredit] = []
    for number, (line, title, role_code, person_id) in enumerate(rows, start=1):
        credit = ParsedCredit(
            line=number,
            production=title,
            role_as_credited=line.role_as_credited,
            name_as_credited=line.name_as_credited,
            role_code=role_code,
            block=line.block,
            line_order=line.line_order,
            position_in_line=line.position_in_line,
            episode_scope=line.episode_scope,
            episode_from=line.episode_from,
            episode_to=line.episode_to,
            is_organization=line.org_alias_id is not None,
            source=line.source,
            source_ref=line.source_ref,
            source_line_id=line.source_line_id,
            note=line.note,
        )
        out.append(
            StoredCredit(
                credit=credit,
                credit_line_id=line.id,
                person_id=person_id,
                person_alias_id=line.person_alias_id,
                org_alias_id=line.org_alias_id,
                individuals_uncredited=bool(line.individuals_uncredited),
                uncredited_reason=line.uncredited_reason,
            )
        )
    return out
