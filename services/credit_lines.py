"""Adding a credit line by hand: the line the validator asks for ("add a credit line"), for a person or an
organization, in a role, for the whole production or some episodes. Managers only.

The values are checked by the canonical credit import's own row parser (:func:`data.importers.kinds.credits.parse`),
so a role or episode scope it cannot read is refused in its words; a combined role (``演出、絵コンテ``) becomes one line
per role, as an import makes it. A person is credited under their chosen name (their alias for it, created if they
have none); the text typed as credited is kept verbatim. The validator reads credit lines when it runs and no stored
derived data does, so the write brings nothing else up to date (see :mod:`services.credit_fixes`).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import audit
from data.credit_checks import productions_of_people
from data.credits.parts import map_role
from data.engine import about_productions
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.importers.errors import RowError
from data.importers.kinds.credits import parse as parse_credit_row
from data.importers.rows import SourceRow
from data.names import org_key, person_key
from data.schema import CreditLine, OrgAlias, Organization, Production, Role
from services.access import require
from services.credit_fixes import _alias_for_person, credited_name
from services.errors import ValidationError
from services.people import get_person


class CreditLineRefused(ValidationError):
    """A credit line cannot be added as given: the credit importer's message for the same value."""


def _org_alias(session: Session, organization: Organization) -> OrgAlias:
    alias = session.scalars(
        select(OrgAlias).where(OrgAlias.organization_id == organization.id).order_by(OrgAlias.id)
    ).first()
    if alias is None:
        alias = OrgAlias(
            organization_id=organization.id,
            text=organization.name,
            match_key=org_key(organization.name) or person_key(organization.name) or organization.name[:200],
        )
        session.add(alias)
        session.flush()
    return alias


def add_credit_line(
    session: Session,
    actor: Identity | None,
    *,
    production_id: int,
    role: str,
    person_id: int | None = None,
    organization_id: int | None = None,
    name_as_credited: str | None = None,
    episode_scope: str | None = None,
    block: str = "main",
    note: str | None = None,
) -> list[CreditLine]:
    """Credit exactly one of ``person_id`` or ``organization_id`` as ``role`` (verbatim, any spelling of the role
    taxonomy) on ``production_id``, for ``episode_scope`` (verbatim, e.g. ``3～13話``; blank: the whole production).
    ``name_as_credited`` is the text as it is to be printed (default: the person's chosen name, the organization's
    name). The line goes at the end of the lines of that role in ``block`` (a new role line at the end of the block).
    Returns the new lines (one per role of a combined role)."""
    actor = require(actor, "manager", to=N_("fix credits"))
    if (person_id is None) == (organization_id is None):
        raise CreditLineRefused(
            N_("give exactly one of person_id or organization_id"),
            fix={"page": N_("choose a person or an organization")},
        )
    production = session.get(Production, production_id)
    if production is None:
        raise NotFound(N_("there is no production #{production_id}"), production_id=production_id)
    if person_id is not None:
        person = get_person(session, person_id)
        default_name, entity = credited_name(person), {"person_id": person.id}
    else:
        org = session.get(Organization, organization_id)
        if org is None:
            raise NotFound(N_("there is no organization #{organization_id}"), organization_id=organization_id)
        default_name, entity = org.name, {"organization_id": org.id}
    name = (name_as_credited or "").strip() or default_name
    cells = {"production": production.title, "role": role or "", "name": name, "episode_scope": episode_scope or "",
             "block": block or "", "note": note or "", "source": "internal"}  # fmt: skip
    try:
        parsed = parse_credit_row(SourceRow(line=1, cells=cells, raw=""), production=None, order=0, source_ref="manual")
    except RowError as exc:
        error = CreditLineRefused(exc.reason, fix={"page": N_("correct that value and save again")})
        error.column = exc.column
        raise error from None
    # The checks this line changes, said before anything is written: its production, and every production of the
    # person it may give a new alias.
    about_productions(session, {production.id} | productions_of_people(session, [person_id] if person_id else []))
    alias = _alias_for_person(session, person, source="manual") if person_id is not None else None
    org_alias = _org_alias(session, org) if organization_id is not None else None
    lines = []
    for pc in parsed:
        code, _ = map_role(pc.role_as_credited)
        role_row = session.scalars(select(Role).where(Role.code == code)).first() if code else None
        same_role = session.scalar(
            select(func.max(CreditLine.line_order)).where(
                CreditLine.production_id == production.id,
                CreditLine.block == pc.block,
                CreditLine.role_as_credited == pc.role_as_credited,
            )
        )
        if same_role is None:
            order = (
                session.scalar(
                    select(func.max(CreditLine.line_order)).where(
                        CreditLine.production_id == production.id, CreditLine.block == pc.block
                    )
                )
                or 0
            ) + 1
            position = 0
        else:
            order = same_role
            position = (
                session.scalar(
                    select(func.max(CreditLine.position_in_line)).where(
                        CreditLine.production_id == production.id,
                        CreditLine.block == pc.block,
                        CreditLine.line_order == order,
                    )
                )
                or 0
            ) + 1
        line = CreditLine(
            production_id=production.id,
            episode_scope=pc.episode_scope,
            episode_from=pc.episode_from,
            episode_to=pc.episode_to,
            role_as_credited=pc.role_as_credited,
            role_id=role_row.id if role_row else None,
            role_person_only=role_row.person_only if role_row else None,
            name_as_credited=pc.name_as_credited,
            person_alias_id=alias.id if alias else None,
            org_alias_id=org_alias.id if org_alias else None,
            block=pc.block,
            line_order=order,
            position_in_line=position,
            source="internal",
            source_ref=f"entered by {actor.username}"[:300],
            note=pc.note,
        )
        session.add(line)
        session.flush()
        audit.record(
            session,
            actor=actor.username,
            action="credit.add_line",
            entity_type="credit_line",
            entity_id=line.id,
            new={
                "production_id": production.id,
                "role_as_credited": line.role_as_credited,
                "role_id": line.role_id,
                "name_as_credited": line.name_as_credited,
                "episode_scope": line.episode_scope,
                "block": line.block,
                **entity,
            },
        )
        lines.append(line)
    return lines
