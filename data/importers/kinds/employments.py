"""Employment contracts (``canonical_employments``): how a person works for an employer over a period. Matched on
their natural key (person, employer, start date); the people whose contracts changed have their rollups refreshed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy.orm import Session

from data.i18n import N_
from data.importers import units as u
from data.importers.cells import check_required, flag, g, opt_date, organization, period, person_ref
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.lookups import Employers
from data.importers.natural import parsed, stored_by, write_natural
from data.importers.places import PREFECTURE_MAX, Places
from data.importers.reading import mapped
from data.importers.registry import Column, Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.law.params import WEEKDAYS
from data.schema import DEPARTMENTS, EMPLOYEE_TYPES, EMPLOYMENT_TYPES, JURISDICTIONS, Employment

COLUMNS = (
    Column("person", False, "text", "山田 花子", "Person or email is required; matched as in work logs."),
    Column("email", False, "text", "hanako@example.jp", "Matched before the name."),
    Column("employer", True, "text", "スタジオ星", "Organization name or alias; created (kind other) if new."),
    Column(
        "employment_type",
        True,
        " / ".join(EMPLOYMENT_TYPES),
        "employee_regular",
        "The first three are employees (labor law applies); the others are commissions (Freelance Act).",
    ),
    Column("jurisdiction", False, " / ".join(JURISDICTIONS), "JP", "Whose labor law applies. Default JP."),
    Column(
        "prefecture",
        False,
        "romaji or Japanese",
        "Tokyo",
        "JP workplace, required for a JP contract: a prefecture of the minimum-wage table (東京都, 東京 and "
        "Tōkyō read as Tokyo).",
    ),
    Column("city", False, "text", "", "US-CA workplace city (Los Angeles); blank for JP."),
    Column("start_date", True, "YYYY-MM-DD", "2025-04-01", "First day of the contract."),
    Column("end_date", False, "YYYY-MM-DD", "", "Last day; blank while the contract runs."),
    Column(
        "scheduled_monthly_hours",
        False,
        "hours a month",
        "160",
        "JP 月平均所定労働時間: average scheduled hours a month, above 0 and at most 744. A monthly salary (and "
        "fixed allowances) per hour is divided by it, for the minimum wage and the premium base.",
    ),
    Column(
        "scheduled_daily_hours",
        False,
        "hours a day",
        "8",
        "JP 1日の所定労働時間: scheduled hours a day, above 0 and at most 24. A daily wage per hour is divided by it.",
    ),
    Column(
        "week_start",
        False,
        " / ".join(WEEKDAYS),
        "",
        "First day of the week in this contract's work rules, when it differs from the employer's; blank: the "
        "employer's (Sunday unless set). Weekly overtime, weekly days off and the Californian workweek follow it.",
    ),
    Column(
        "days_off_4w_from",
        False,
        "YYYY-MM-DD",
        "",
        "JP variable days off (変形休日制, LSA Art. 35(2)): four days off in every four weeks counted from this day "
        "instead of one a week. Blank: the employer's arrangement (weekly unless set).",
    ),
    Column("is_exempt", False, "yes / no", "no", "US-CA exempt employee. Default no."),
    Column(
        "discretionary_work",
        False,
        "professional / planning",
        "",
        "JP employee under discretionary work (専門業務型 / 企画業務型, LSA Art. 38-3 / 38-4); blank: none.",
    ),
    Column(
        "discretionary_consent_date",
        False,
        "YYYY-MM-DD",
        "",
        "When the employee's written consent to discretionary work was obtained (the planning type always needs "
        "it, the professional type from 2024-04-01); only with discretionary_work. Months before it are checked "
        "on the hours logged (JP-DISC-01).",
    ),
    Column(
        "piece_rate_guarantee_per_hour",
        False,
        "JPY per hour",
        "",
        "JP employee paid by the piece: the guaranteed wage per hour worked (保障給, LSA Art. 27). Blank: none "
        "recorded, which JP-PAY-04 reports for months paid mainly by the piece.",
    ),
    Column("department", False, " / ".join(DEPARTMENTS), "animation", ""),
)
# The stored columns a row sets besides its natural key (person, employer, start date).
STORED = (
    "employment_type",
    "jurisdiction",
    "prefecture",
    "city",
    "end_date",
    "scheduled_monthly_hours",
    "scheduled_daily_hours",
    "week_start",
    "days_off_4w_from",
    "is_exempt",
    "discretionary_work",
    "discretionary_consent_date",
    "piece_rate_guarantee_per_hour",
    "department",
)
# Discretionary work (裁量労働制) as the columns may name it; the findings only ask whether a contract has one.
DISCRETIONARY_KINDS = {
    "professional": "professional",
    "planning": "planning",
    "専門業務型": "professional",
    "企画業務型": "planning",
}
DAILY_HOURS_MAX = 24.0
SCHEDULED_HOURS_MAX = 744.0  # 31 days × 24 h: more scheduled hours than a month holds is a typo (monthly minutes?)
GUARANTEE_MAX = 10**10  # employment.piece_rate_guarantee_per_hour is NUMERIC(12, 2)


def parse(row: SourceRow, *, places: Places) -> dict[str, Any]:
    """A canonical employment row → the contract's columns, each checked against the employment table's
    constraints and the analytics' reading of them, so the database never has to refuse one. ``places`` holds the
    workplaces the minimum-wage table knows; the person and employer are resolved by the writer."""
    check_required(row, COLUMNS)
    name, email = person_ref(row)
    employer = organization(row, "employer")
    etype = g(row, "employment_type").strip().lower()
    if etype not in EMPLOYMENT_TYPES:
        raise RowError(
            "bad_value",
            f"employment_type must be one of {', '.join(EMPLOYMENT_TYPES)}",
            column="employment_type",
            value=g(row, "employment_type"),
        )
    jurisdiction = (u.text(g(row, "jurisdiction")) or "JP").upper()
    if jurisdiction not in JURISDICTIONS:
        raise RowError(
            "bad_value",
            f"jurisdiction must be one of {', '.join(JURISDICTIONS)}",
            column="jurisdiction",
            value=g(row, "jurisdiction"),
        )
    pref_text, city_text = u.text(g(row, "prefecture")), u.text(g(row, "city"))
    prefecture = city = None
    if jurisdiction == "JP":
        if city_text:
            raise RowError(
                "bad_value",
                N_("city is the workplace of a US-CA contract; a JP workplace is given by prefecture"),
                column="city",
                value=city_text,
            )
        if not pref_text:
            # Without it the day's minimum wage is unknown and the minimum-wage rules silently skip the contract.
            raise RowError(
                "missing_value",
                N_("prefecture is required for a JP contract: the minimum wage depends on the workplace"),
                column="prefecture",
                value="",
            )
        prefecture = places.prefecture(pref_text)
        if len(prefecture) > PREFECTURE_MAX:  # a region of the minimum-wage table that employment cannot hold
            raise RowError("out_of_range", N_("prefecture is too long"), column="prefecture", value=pref_text)
    else:
        if pref_text:
            raise RowError(
                "bad_value",
                N_("prefecture is the workplace of a JP contract; give a US-CA workplace as city"),
                column="prefecture",
                value=pref_text,
            )
        city = places.city(city_text) if city_text else None
    start, end = period(row, "start_date", "end_date")
    hours = None
    if not u.blank(g(row, "scheduled_monthly_hours")):
        hours = u.number(g(row, "scheduled_monthly_hours"), "scheduled_monthly_hours")
        if not 0 < hours <= SCHEDULED_HOURS_MAX:  # NaN fails too
            raise RowError(
                "out_of_range",
                f"scheduled_monthly_hours must be more than 0 and at most {SCHEDULED_HOURS_MAX:.0f} (hours in a month)",
                column="scheduled_monthly_hours",
                value=g(row, "scheduled_monthly_hours"),
            )
    daily_hours = None
    if not u.blank(g(row, "scheduled_daily_hours")):
        daily_hours = u.number(g(row, "scheduled_daily_hours"), "scheduled_daily_hours")
        if not 0 < daily_hours <= DAILY_HOURS_MAX:  # NaN fails too
            raise RowError(
                "out_of_range",
                f"scheduled_daily_hours must be more than 0 and at most {DAILY_HOURS_MAX:.0f}",
                column="scheduled_daily_hours",
                value=g(row, "scheduled_daily_hours"),
            )
    week_start = u.text(g(row, "week_start"))
    if week_start is not None:
        week_start = week_start.upper()[:3]
        if week_start not in WEEKDAYS:
            raise RowError(
                "bad_value",
                f"week_start must be one of {', '.join(WEEKDAYS)} (or a weekday's English name)",
                column="week_start",
                value=g(row, "week_start"),
            )
    employee = etype in EMPLOYEE_TYPES
    days_off_from = opt_date(row, "days_off_4w_from")
    if days_off_from is not None and (jurisdiction != "JP" or not employee):
        raise RowError(
            "bad_value",
            f"variable days off (LSA Art. 35(2)) are an arrangement for JP employees, not a {jurisdiction} {etype} "
            "contract",
            column="days_off_4w_from",
            value=g(row, "days_off_4w_from"),
        )
    is_exempt = flag(row, "is_exempt", False)
    if is_exempt and (jurisdiction != "US-CA" or not employee):
        raise RowError(
            "bad_value",
            f"is_exempt marks a US-CA exempt employee; a {jurisdiction} {etype} contract cannot be exempt",
            column="is_exempt",
            value=g(row, "is_exempt"),
        )
    disc_text = u.text(g(row, "discretionary_work"))
    discretionary = None
    if disc_text:
        discretionary = DISCRETIONARY_KINDS.get(disc_text.casefold())
        if discretionary is None:
            raise RowError(
                "bad_value",
                N_("discretionary_work must be professional (専門業務型) or planning (企画業務型), or blank"),
                column="discretionary_work",
                value=disc_text,
            )
        if jurisdiction != "JP" or not employee:
            raise RowError(
                "bad_value",
                f"discretionary work is an arrangement for JP employees (LSA Art. 38-3 / 38-4), not a {jurisdiction} "
                f"{etype} contract",
                column="discretionary_work",
                value=disc_text,
            )
    consent = opt_date(row, "discretionary_consent_date")
    if consent is not None and discretionary is None:
        raise RowError(
            "inconsistent_value",
            N_("discretionary_consent_date is the consent to discretionary work, but discretionary_work is blank"),
            column="discretionary_consent_date",
            value=g(row, "discretionary_consent_date"),
        )
    guarantee = None
    if not u.blank(g(row, "piece_rate_guarantee_per_hour")):
        guarantee = u.decimal(g(row, "piece_rate_guarantee_per_hour"), "piece_rate_guarantee_per_hour")
        if guarantee < 0 or guarantee >= GUARANTEE_MAX:
            raise RowError(
                "out_of_range",
                f"piece_rate_guarantee_per_hour must be at least 0 and under {GUARANTEE_MAX:,} (per hour)",
                column="piece_rate_guarantee_per_hour",
                value=g(row, "piece_rate_guarantee_per_hour"),
            )
        if jurisdiction != "JP" or not employee:
            raise RowError(
                "bad_value",
                f"piece_rate_guarantee_per_hour is the guarantee a JP employee paid by the piece is owed (LSA Art. "
                f"27), not part of a {jurisdiction} {etype} contract",
                column="piece_rate_guarantee_per_hour",
                value=g(row, "piece_rate_guarantee_per_hour"),
            )
    department = u.text(g(row, "department"))
    if department is not None:
        department = department.lower()
        if department not in DEPARTMENTS:
            raise RowError(
                "bad_value",
                f"department must be one of {', '.join(DEPARTMENTS)}",
                column="department",
                value=g(row, "department"),
            )
    return {
        "person": name,
        "email": email,
        "employer": employer,
        "employment_type": etype,
        "jurisdiction": jurisdiction,
        "prefecture": prefecture,
        "city": city,
        "start_date": start,
        "end_date": end,
        "scheduled_monthly_hours": hours,
        "scheduled_daily_hours": daily_hours,
        "week_start": week_start,
        "days_off_4w_from": days_off_from,
        "is_exempt": is_exempt,
        "discretionary_work": discretionary,
        "discretionary_consent_date": consent,
        "piece_rate_guarantee_per_hour": guarantee,
        "department": department,
    }


def prepare(session: Session) -> Places:
    """The workplaces the minimum-wage table knows, for :func:`parse`."""
    return Places.of(session)


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`."""
    places = source.prepared
    return mapped(source.path, lambda row: parse(row, places=places))


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Contracts matched on (person, employer, start_date): new ones inserted, changed ones updated with an audit
    event, the same ones left alone. The people whose contracts were written go into ``ctx.touched_people`` with no
    dates, so the import's rollup refresh resolves the employment and minimum wage of every day of theirs (a
    contract may change any of them) and names them for the findings snapshot."""
    t = Employment.__table__
    employers = Employers(session, summary=ctx.summary)
    stored = stored_by(session, table=t, key=("person_id", "employer_id", "start_date"))
    seen: dict[tuple[Any, ...], int] = {}
    for item, v in parsed(ctx, items):
        try:
            person_id = ctx.matcher.match(v["person"], v["email"], line=item.line, raw=item.raw)
            employer_id = employers.id(v["employer"], "employer")
        except RowError as exc:
            ctx.reject(item.line, item.raw, exc)
            continue
        key = (person_id, employer_id, v["start_date"])
        rec = {c: v[c] for c in STORED}
        outcome = write_natural(
            session,
            ctx=ctx,
            item=item,
            table=t,
            key=key,
            rec=rec,
            natural={"person_id": person_id, "employer_id": employer_id, "start_date": v["start_date"]},
            seen=seen,
            stored=stored,
            entity="employment",
            what="contract (same person, employer and start_date)",
        )
        if outcome in ("imported", "updated"):
            ctx.touched_people.add(person_id)
    ctx.flush_side_rows()


def _header(h: Header) -> bool:
    # After every older canonical test, so a file they claim stays theirs: contracts are told by their type and
    # start (neither column pair occurs in a timesheet export).
    return {"employment_type", "start_date"} <= h.keys


register(
    Format(
        name="canonical_employments",
        label=N_("Endroll employment contracts (CSV/XLSX)"),
        entity="employment",
        read=read,
        write=write,
        order=60,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        prepare=prepare,
        columns=COLUMNS,
        template="employments",
    )
)
