"""Employment contracts entered by hand: add, correct or end one of a person's contracts. Managers only.

A contract's values are the employment import's cells, checked by that format's own parser
(:func:`data.importers.kinds.employments.parse`: the type, the jurisdiction and its workplace, the dates, the scheduled
hours, the week, the variable days off, the exemption, discretionary work and its consent, the piece-rate
guarantee, the department), and its employer resolved as the import resolves it (an organization of that name or
alias, created when there is none), so the page says exactly what an import of the same values would say. As the
import does, a contract is known by its person, employer and start date: a second one under the same three is
refused (correct the first instead). Contracts may overlap — the rollups take the newest one in force on each day,
as they do for imported contracts. A contract decides every day's employment and minimum wage, so the person's
rollups are recomputed in the same transaction (:func:`data.rollup.refresh`, all their days), as an import does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.queries.people import CONTRACT_CELLS, contract_cells
from data import audit, rollup
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.importers.errors import RowError
from data.importers.kinds import employments
from data.importers.lookups import Employers
from data.importers.report import ImportSummary
from data.importers.rows import SourceRow
from data.schema import Employment, Organization, Person
from services.access import require
from services.errors import ValidationError
from services.people import get_person

STORED = ("employer_id", "start_date", *employments.STORED)


class ContractRefused(ValidationError):
    """A contract cannot be stored as given: the employment importer's message for the same value, unchanged."""


def refused(exc: RowError) -> ContractRefused:
    """The importer's refusal ``exc`` as the service's error (``column`` kept, so a form can point at the field)."""
    error = ContractRefused(exc.reason, fix={"page": N_("correct that value and save again")})
    error.column = exc.column
    return error


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    def one(v: Any) -> Any:
        if isinstance(v, dt.date):
            return v.isoformat()
        return str(v) if isinstance(v, Decimal) else v

    return {k: one(v) for k, v in values.items()}


def _manager(actor: Identity | None) -> Identity:
    return require(actor, "manager", to=N_("enter or correct employment contracts"))


def _record(session: Session, person: Person, cells: Mapping[str, Any]) -> dict[str, Any]:
    row = {n: "" if cells.get(n) is None else str(cells.get(n)) for n in CONTRACT_CELLS}
    row["person"] = person.display_name  # who is chosen, not typed: the parser only asks that someone is named
    try:
        parsed = employments.parse(SourceRow(line=1, cells=row, raw=""), places=employments.prepare(session))
        employer_id = Employers(session, summary=ImportSummary(format="canonical_employments")).id(
            parsed["employer"], "employer"
        )
    except RowError as exc:
        raise refused(exc) from None
    return {
        "employer_id": employer_id,
        "start_date": parsed["start_date"],
        **{c: parsed[c] for c in employments.STORED},
    }


def _check_one_per_key(session: Session, person: Person, rec: Mapping[str, Any], *, but: int | None) -> None:
    query = select(Employment.id).where(
        Employment.person_id == person.id,
        Employment.employer_id == rec["employer_id"],
        Employment.start_date == rec["start_date"],
    )
    if but is not None:
        query = query.where(Employment.id != but)
    if session.scalar(query) is not None:
        employer = session.scalar(select(Organization.name).where(Organization.id == rec["employer_id"]))
        raise ContractRefused(
            N_("{name} already has a contract with {employer} starting {start}"),
            fix={"page": N_("correct that contract instead, or give another start date")},
            name=person.display_name,
            employer=employer,
            start=rec["start_date"].isoformat(),
        )


def _contract(session: Session, contract_id: int) -> Employment:
    contract = session.get(Employment, contract_id)
    if contract is None:
        raise NotFound(
            N_("there is no contract #{contract_id}"),
            fix={"page": N_("pick the contract from the list")},
            contract_id=contract_id,
        )
    return contract


def add_contract(session: Session, actor: Identity | None, *, person_id: int, cells: Mapping[str, Any]) -> Employment:
    """A new contract for ``person_id``: ``cells`` are the employment import's columns as text (employer,
    employment_type, jurisdiction, prefecture or city, start_date, end_date, scheduled_monthly_hours,
    scheduled_daily_hours, week_start, days_off_4w_from, is_exempt, discretionary_work, discretionary_consent_date,
    piece_rate_guarantee_per_hour, department). Returns the flushed contract."""
    actor = _manager(actor)
    person = get_person(session, person_id)
    rec = _record(session, person, cells)
    _check_one_per_key(session, person, rec, but=None)
    contract = Employment(person_id=person.id, **rec)
    session.add(contract)
    session.flush()
    rollup.refresh(session, person_ids=[person.id])
    audit.record(session, actor=actor.username, action="employment.add", entity_type="employment",
                 entity_id=contract.id, new={"person_id": person.id, **_jsonable(rec)})  # fmt: skip
    return contract


def edit_contract(
    session: Session, actor: Identity | None, *, contract_id: int, cells: Mapping[str, Any], action: str = "edit"
) -> Employment:
    """Correct contract ``contract_id`` to ``cells`` (as :func:`add_contract`; a cell left out keeps its value).
    Returns the contract."""
    actor = _manager(actor)
    contract = _contract(session, contract_id)
    person = get_person(session, contract.person_id)
    rec = _record(session, person, {**contract_cells(session, contract_id), **cells})
    _check_one_per_key(session, person, rec, but=contract.id)
    old = {c: getattr(contract, c) for c in STORED if getattr(contract, c) != rec[c]}
    for c in old:
        setattr(contract, c, rec[c])
    session.flush()
    if old:
        rollup.refresh(session, person_ids=[person.id])
        audit.record(session, actor=actor.username, action=f"employment.{action}", entity_type="employment",
                     entity_id=contract.id, old=_jsonable(old), new=_jsonable({c: rec[c] for c in old}))  # fmt: skip
    return contract


def end_contract(session: Session, actor: Identity | None, *, contract_id: int, end_date: dt.date | str) -> Employment:
    """End contract ``contract_id`` on ``end_date`` (its last day; checked as the import checks ``end_date``).
    Returns the contract."""
    end = end_date.isoformat() if isinstance(end_date, dt.date) else str(end_date)
    return edit_contract(session, actor, contract_id=contract_id, cells={"end_date": end}, action="end")
