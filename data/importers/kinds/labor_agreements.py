"""Article 36 labor agreements (``canonical_labor_agreements``): an employer's agreement, without which no overtime
or statutory-holiday work is lawful in Japan. Matched on their natural key (organization, start date); a row's
employee count, when given, sets its organization's."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data.i18n import N_
from data.importers import units as u
from data.importers.cells import check_required, flag, g, organization, period
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.lookups import Employers
from data.importers.natural import Audit, parsed, stored_by, write_natural
from data.importers.reading import mapped
from data.importers.registry import Column, Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.schema import LaborAgreement, Organization

COLUMNS = (
    Column("organization", True, "text", "スタジオ星", "The employer: name or alias; created (kind other) if new."),
    Column(
        "has_36_agreement",
        False,
        "yes / no",
        "yes",
        "Default yes. no records a period without one: then no overtime or holiday work is lawful.",
    ),
    Column(
        "special_clause",
        False,
        "yes / no",
        "no",
        "Special clause (特別条項): overtime above 45 h a month in up to 6 months a year. Default no.",
    ),
    Column(
        "variable_hours_1y",
        False,
        "yes / no",
        "no",
        "One-year variable working hours (1年単位の変形労働時間制): limits 42 h a month, 320 h a year. Default no.",
    ),
    Column("valid_from", True, "YYYY-MM-DD", "2025-04-01", "First day the agreement is in force."),
    Column("valid_to", False, "YYYY-MM-DD", "2026-03-31", "Last day; blank: open-ended."),
    Column(
        "employee_count",
        False,
        "count",
        "45",
        "Sets the organization's employee count when given (the Freelance Act covers clients with employees).",
    ),
)
# The stored columns a row sets besides its natural key (organization, valid_from).
STORED = ("has_36_agreement", "special_clause", "variable_hours_1y", "valid_to")
EMPLOYEE_COUNT_MAX = 10_000_000


def parse(row: SourceRow) -> dict[str, Any]:
    """A canonical labor-agreement row → the agreement's columns and the employer's employee count (None: keep)."""
    check_required(row, COLUMNS)
    has_36 = flag(row, "has_36_agreement", True)
    special = flag(row, "special_clause", False)
    if special and not has_36:
        raise RowError(
            "inconsistent_value",
            N_("special_clause is a clause of an Article 36 agreement, but has_36_agreement is no"),
            column="special_clause",
            value=g(row, "special_clause"),
        )
    start, end = period(row, "valid_from", "valid_to")
    count = None
    if not u.blank(g(row, "employee_count")):
        count = u.integer(g(row, "employee_count"), "employee_count")
        if not 0 <= count <= EMPLOYEE_COUNT_MAX:
            raise RowError(
                "out_of_range",
                f"employee_count must be between 0 and {EMPLOYEE_COUNT_MAX:,}",
                column="employee_count",
                value=g(row, "employee_count"),
            )
    return {
        "organization": organization(row, "organization"),
        "has_36_agreement": has_36,
        "special_clause": special,
        "variable_hours_1y": flag(row, "variable_hours_1y", False),
        "valid_from": start,
        "valid_to": end,
        "employee_count": count,
    }


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`."""
    return mapped(source.path, parse)


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Agreements matched on (organization, valid_from), like contracts; a row's employee_count, when given, sets
    its organization's (audited). Rollups do not read agreements or employee counts: the write moves the data
    version on, and the findings are computed again."""
    t = LaborAgreement.__table__
    employers = Employers(session, summary=ctx.summary)
    stored = stored_by(session, table=t, key=("organization_id", "valid_from"))
    seen: dict[tuple[Any, ...], int] = {}
    counts: dict[int, tuple[int, int]] = {}  # organization → (employee_count, line) as this file gives it
    for item, v in parsed(ctx, items):
        try:
            org_id = employers.id(v["organization"], "organization")
        except RowError as exc:
            ctx.reject(item.line, item.raw, exc)
            continue
        count = v["employee_count"]
        given = counts.get(org_id)
        if count is not None and given is not None and given[0] != count:
            # Applying both would flip the count on every re-import of the file.
            ctx.reject(
                item.line,
                item.raw,
                RowError(
                    "conflicting_value",
                    f"employee_count {count} disagrees with line {given[1]} ({given[0]}) for the same organization, "
                    "which has one employee count",
                    column="employee_count",
                    value=str(count),
                ),
            )
            continue
        outcome = write_natural(
            session,
            ctx=ctx,
            item=item,
            table=t,
            key=(org_id, v["valid_from"]),
            rec={c: v[c] for c in STORED},
            natural={"organization_id": org_id, "valid_from": v["valid_from"]},
            seen=seen,
            stored=stored,
            entity="labor_agreement",
            what="agreement (same organization and valid_from)",
            also=None
            if count is None
            else functools.partial(
                _set_employee_count, session, org_id=org_id, count=count, new=org_id in employers.created
            ),
        )
        if count is not None and outcome != "rejected":
            counts.setdefault(org_id, (count, item.line))
    ctx.flush_side_rows()


def _set_employee_count(session: Session, *, org_id: int, count: int, new: bool) -> Audit | None:
    """Set an organization's employee count; the audit event to record when it changed. An organization created by
    this import gets its first count unaudited, as every new row is."""
    s = session
    old = s.scalar(select(Organization.employee_count).where(Organization.id == org_id))
    if old == count:
        return None
    s.execute(update(Organization).where(Organization.id == org_id).values(employee_count=count))
    if new and old is None:
        return None
    return ("import.update.organization", "organization", org_id, {"employee_count": old}, {"employee_count": count})


def _header(h: Header) -> bool:
    # Agreements by their start and employer (neither occurs in a timesheet export, nor with an older canonical one).
    return "valid_from" in h.keys and bool(h.keys & {"organization", "has_36_agreement"})


register(
    Format(
        name="canonical_labor_agreements",
        label=N_("Endroll Article 36 labor agreements (CSV/XLSX)"),
        entity="labor_agreement",
        read=read,
        write=write,
        order=70,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        columns=COLUMNS,
        template="labor_agreements",
    )
)
