"""The sidebar's period presets: this month, last month, this quarter, the fiscal year (April–March, as Japanese
studios keep their books), the latest month with work, all time, or dates of one's own."""

from __future__ import annotations

import datetime as dt

from data.i18n import N_
from data.periods import py_month_end, py_month_start

PRESETS: dict[str, str] = {
    "all": N_("All time"),
    "this_month": N_("This month"),
    "last_month": N_("Last month"),
    "this_quarter": N_("This quarter"),
    "fiscal_year": N_("This fiscal year (April–March)"),
    "last_fiscal_year": N_("Last fiscal year"),
    "latest_month": N_("Latest month with work"),
    "custom": N_("Dates below"),
}
FISCAL_YEAR_STARTS = 4  # April


def fiscal_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The April–March year ``day`` falls in."""
    year = day.year if day.month >= FISCAL_YEAR_STARTS else day.year - 1
    return dt.date(year, FISCAL_YEAR_STARTS, 1), dt.date(year + 1, FISCAL_YEAR_STARTS, 1) - dt.timedelta(days=1)


def preset_range(
    preset: str, *, today: dt.date, last_work: dt.date | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of ``preset`` (None, None: no limit) seen from ``today``; ``latest_month`` is the
    month of ``last_work`` (the last day with work logged), or this month when nothing is logged."""
    if preset == "this_month":
        return py_month_start(today), py_month_end(today)
    if preset == "last_month":
        last = py_month_start(today) - dt.timedelta(days=1)
        return py_month_start(last), last
    if preset == "this_quarter":
        first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return first, py_month_end(dt.date(first.year, first.month + 2, 1))
    if preset == "fiscal_year":
        return fiscal_year(today)
    if preset == "last_fiscal_year":
        return fiscal_year(fiscal_year(today)[0] - dt.timedelta(days=1))
    if preset == "latest_month":
        day = last_work or today
        return py_month_start(day), py_month_end(day)
    return None, None
