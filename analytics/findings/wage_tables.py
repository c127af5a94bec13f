"""The minimum-wage table on frames (no database): each place's rates, and the periods in which a place's rate is
not known to be current (:mod:`data.law.minimum_wage`). The minimum-wage rule and the reference-data views share it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from data.law.minimum_wage import KNOWN, STATUS_NAMES, MinimumWageCycles, Rate, segments

DOUBT_COLUMNS = ["jurisdiction", "region", "status", "first_date", "last_date", "rate", "currency", "used_from",
                 "used_revision", "announced_rate", "announced_revision", "expected"]  # fmt: skip


def tables(wages: pd.DataFrame) -> dict[tuple[str, str], list[Rate]]:
    """The minimum-wage table (:func:`analytics.queries.reference.minimum_wages`) as each place's rates."""
    out: dict[tuple[str, str], list[Rate]] = {}
    for r in wages.itertuples(index=False):
        since = None if pd.isna(r.effective_from) else pd.Timestamp(r.effective_from).date()
        rate = Rate(int(r.revision_year), since, Decimal(str(r.rate_per_hour)), int(r.id) if pd.notna(r.id) else None)
        out.setdefault((r.jurisdiction, r.region), []).append(rate)
    return out


def doubt_windows(wages: pd.DataFrame, cycles: Mapping[str, MinimumWageCycles], until: dt.date) -> pd.DataFrame:
    """Per place, the periods up to ``until`` in which its rate is not known to be current (``DOUBT_COLUMNS``:
    ``status`` uncertain or stale, the days, the rate used (``rate``, ``used_from``, ``used_revision``), the
    revision announced without a date (uncertain) or the day a revision fell due (stale, ``expected``))."""
    currency = dict(zip(wages["jurisdiction"], wages["currency"], strict=False))
    rows: list[dict[str, Any]] = []
    for (jurisdiction, region), rates in tables(wages).items():
        cycle = cycles[jurisdiction].cycle(region)
        first = cycle.start(min(r.revision_year for r in rates))
        for since, until_day, found in segments([(rates, cycle)], first, until):
            if found is None or found.status == KNOWN or found.used is None:
                continue
            row = {
                "jurisdiction": jurisdiction,
                "region": region,
                "status": STATUS_NAMES[found.status],
                "first_date": since,
                "last_date": until_day,
                "rate": float(found.used.rate),
                "currency": currency.get(jurisdiction),
                "used_from": found.used.effective_from,
                "used_revision": found.used.revision_year,
                "announced_rate": None if found.announced is None else float(found.announced.rate),
                "announced_revision": None if found.announced is None else found.announced.revision_year,
                "expected": found.expected,
            }
            same = rows and all(rows[-1][k] == row[k] for k in DOUBT_COLUMNS if k not in ("first_date", "last_date"))
            if same and rows[-1]["last_date"] + dt.timedelta(days=1) == since:
                rows[-1]["last_date"] = until_day
            else:
                rows.append(row)
    return pd.DataFrame(rows, columns=DOUBT_COLUMNS)
