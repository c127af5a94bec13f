"""Minimum wages (``canonical_minimum_wages``): one rate per place and revision, with where it was read and when that
was checked. Matched on (jurisdiction, region, revision year); a rate announced before its effective date is known
is imported with the date blank and completed by a later import. The people who work at a place whose rates changed
have their rollups refreshed from the first day the change can touch.

The parsing and writing here serve the MHLW nationwide table too (:mod:`data.importers.kinds.mhlw_minimum_wages`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from data.i18n import N_
from data.importers import units as u
from data.importers.cells import check_required, g, opt_date
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.natural import parsed, stored_by, write_natural
from data.importers.places import JP_PREFECTURES_JA, place_key
from data.importers.reading import mapped
from data.importers.registry import Column, Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.law.minimum_wage import STATE, MinimumWageCycles
from data.names import nfkc
from data.reference import rule_values
from data.schema import CURRENCIES, JURISDICTIONS, Employment, MinimumWage

COLUMNS = (
    Column("jurisdiction", True, " / ".join(JURISDICTIONS), "JP", "Whose minimum wage."),
    Column(
        "region",
        True,
        "text",
        "Tokyo",
        "JP: the prefecture (romaji or Japanese: 東京都); US-CA: state, or a city or county with its own minimum wage "
        "(Los Angeles).",
    ),
    Column(
        "revision_year",
        False,
        "year",
        "2026",
        "The revision the rate belongs to: the JP fiscal year (令和8年度, FY2026 or 2026), the US-CA year. Blank: the "
        "cycle effective_from falls in (JP from 1 October, the US-CA state 1 January, cities 1 July); required when "
        "effective_from is blank.",
    ),
    Column(
        "effective_from",
        False,
        "YYYY-MM-DD",
        "2026-10-01",
        "The day the rate takes effect. Blank: announced, date not known yet (work in its cycle is then reported as "
        "uncertain).",
    ),
    Column("rate_per_hour", True, "currency units per hour", "1280", "The minimum hourly wage."),
    Column("currency", False, " / ".join(CURRENCIES), "JPY", "Default JPY for JP, USD for US-CA."),
    Column(
        "source",
        True,
        "text",
        "MHLW 地域別最低賃金の全国一覧 (令和8年度)",
        "Where the rate was read (a publication, a URL); shown beside the rate on the Admin page.",
    ),
    Column(
        "checked_on", False, "YYYY-MM-DD", "2026-12-01", "When the rate was checked there. Blank: the import's day."
    ),
)
STORED = ("effective_from", "rate_per_hour", "currency", "source", "checked_on")
DEFAULT_CURRENCY = {"JP": "JPY", "US-CA": "USD"}
RATE_MAX = Decimal("100000000")  # minimum_wage.rate_per_hour is NUMERIC(10, 2)
SOURCE_MAX = 200  # minimum_wage.source
REGION_MAX = 80  # minimum_wage.region
# 令和 N (Reiwa N) is 2018 + N; 令和元年 is its first year.
REIWA = 2018
_FISCAL = re.compile(r"^(?:fy|令和|r)?\s*(元|\d{1,4})\s*(?:年度|年)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Prepared:
    """What parsing needs from the database: the revision cycles, the US-CA places already in the table (so a city
    is spelt as stored), and the import's day (a blank ``checked_on``)."""

    cycles: dict[str, MinimumWageCycles]
    cities: dict[str, str]
    today: dt.date


def prepare(session: Session) -> Prepared:
    cities = {
        place_key(region): region
        for (region,) in session.execute(
            select(MinimumWage.region).where(MinimumWage.jurisdiction == "US-CA").distinct()
        )
    }
    return Prepared(prepare_cycles(session), cities, dt.date.today())


def _prefectures() -> dict[str, str]:
    names: dict[str, str] = {}
    for romaji, ja in JP_PREFECTURES_JA.items():
        names[place_key(romaji)] = romaji
        names[place_key(ja)] = romaji
        if ja[-1] in "都府県":  # 東京 for 東京都; 北海道 is only ever written whole
            names[place_key(ja[:-1])] = romaji
    return names


PREFECTURES = _prefectures()


def prefecture(text: str, column: str = "region") -> str:
    """A JP prefecture written in romaji or Japanese, as the table stores it (``東京都`` → ``Tokyo``)."""
    found = PREFECTURES.get(place_key(text))
    if found is None:
        raise RowError(
            "unknown_prefecture",
            "region must be one of the 47 prefectures (romaji like Tokyo, or 東京都)",
            column=column,
            value=text,
        )
    return found


def region_of(jurisdiction: str, text: str, prep: Prepared, column: str = "region") -> str:
    """The stored name of a place: a prefecture; ``state``; a city as the table already spells it, else as written."""
    if jurisdiction == "JP":
        return prefecture(text, column)
    name = nfkc(text).strip()
    if place_key(name) in {"state", "california", "ca"}:
        return STATE
    if len(name) > REGION_MAX:
        raise RowError("out_of_range", f"{column} is longer than {REGION_MAX} characters", column=column, value=text)
    return prep.cities.get(place_key(name), name)


def revision_year(text: str, column: str = "revision_year") -> int:
    """A revision year as written: ``2026``, ``FY2026``, ``令和8年度``, ``R8``, ``8`` (a Reiwa year)."""
    m = _FISCAL.match(nfkc(text).strip())
    if not m:
        raise RowError("bad_value", "revision_year must be a year like 2026 or 令和8年度", column=column, value=text)
    n = 1 if m.group(1) == "元" else int(m.group(1))
    year = n if n >= 1000 else REIWA + n
    if not 1950 <= year <= 2200:
        raise RowError("out_of_range", "revision_year must be between 1950 and 2200", column=column, value=text)
    return year


def rate(text: str, column: str = "rate_per_hour") -> Decimal:
    value = u.decimal(text, column)
    if not 0 < value < RATE_MAX or value != value.quantize(Decimal("0.01")):
        raise RowError(
            "out_of_range",
            f"{column} must be above 0 and under {RATE_MAX:,}, in cents (two decimals) at most",
            column=column,
            value=text,
        )
    return value


def values(
    *,
    jurisdiction: str,
    region: str,
    year: int | None,
    effective_from: dt.date | None,
    rate_per_hour: Decimal,
    currency: str | None,
    source: str | None,
    checked_on: dt.date | None,
    prep: Prepared,
) -> dict[str, Any]:
    """The columns of a minimum-wage row from its parts, checked: the revision year from the effective date's cycle
    when not given (and the two agreeing when both are), the jurisdiction's currency, a source."""
    cycle = prep.cycles[jurisdiction].cycle(region)
    if year is None:
        if effective_from is None:
            raise RowError(
                "missing_value",
                "revision_year is required when effective_from is blank (an announced rate)",
                column="revision_year",
                value="",
            )
        year = cycle.year_of(effective_from)
    elif effective_from is not None and not cycle.start(year) <= effective_from < cycle.start(year + 1):
        raise RowError(
            "inconsistent_value",
            f"effective_from {effective_from} is outside revision {year}'s cycle ({cycle.start(year)} to "
            f"{cycle.start(year + 1) - dt.timedelta(days=1)})",
            column="effective_from",
            value=str(effective_from),
        )
    currency = currency or DEFAULT_CURRENCY[jurisdiction]
    if currency != DEFAULT_CURRENCY[jurisdiction]:
        raise RowError(
            "bad_value",
            f"a {jurisdiction} minimum wage is in {DEFAULT_CURRENCY[jurisdiction]}",
            column="currency",
            value=currency,
        )
    if not source:
        raise RowError("missing_value", "source is required: where the rate was read", column="source", value="")
    if len(source) > SOURCE_MAX:
        raise RowError("out_of_range", f"source is longer than {SOURCE_MAX} characters", column="source", value=source)
    return {
        "jurisdiction": jurisdiction,
        "region": region,
        "revision_year": year,
        "effective_from": effective_from,
        "rate_per_hour": rate_per_hour,
        "currency": currency,
        "source": source,
        "checked_on": checked_on or prep.today,
    }


def parse(row: SourceRow, *, prep: Prepared) -> dict[str, Any]:
    """A canonical minimum-wage row → the row's columns (:func:`values`)."""
    check_required(row, COLUMNS)
    jurisdiction = g(row, "jurisdiction").strip().upper()
    if jurisdiction not in JURISDICTIONS:
        raise RowError(
            "bad_value",
            f"jurisdiction must be one of {', '.join(JURISDICTIONS)}",
            column="jurisdiction",
            value=g(row, "jurisdiction"),
        )
    year_text = u.text(g(row, "revision_year"))
    currency = u.text(g(row, "currency"))
    return values(
        jurisdiction=jurisdiction,
        region=region_of(jurisdiction, g(row, "region"), prep),
        year=None if year_text is None else revision_year(year_text),
        effective_from=opt_date(row, "effective_from"),
        rate_per_hour=rate(g(row, "rate_per_hour")),
        currency=None if currency is None else currency.upper(),
        source=u.text(g(row, "source")),
        checked_on=opt_date(row, "checked_on"),
        prep=prep,
    )


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`."""
    prep = source.prepared
    return mapped(source.path, lambda row: parse(row, prep=prep))


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Rates matched on (jurisdiction, region, revision year): new ones inserted, changed ones updated with an audit
    event. The people with a contract at a place whose rates changed are refreshed from the first day a change can
    touch (the start of its cycle, or an effective date before it)."""
    t = MinimumWage.__table__
    stored = stored_by(session, table=t, key=("jurisdiction", "region", "revision_year"))
    cycles = prepare_cycles(session)
    seen: dict[tuple[Any, ...], int] = {}
    touched: dict[tuple[str, str], dt.date] = {}
    for item, v in parsed(ctx, items):
        key = (v["jurisdiction"], v["region"], v["revision_year"])
        before = stored.get(key, [{}])[0].get("effective_from")
        outcome = write_natural(
            session,
            ctx=ctx,
            item=item,
            table=t,
            key=key,
            rec={c: v[c] for c in STORED},
            natural={"jurisdiction": key[0], "region": key[1], "revision_year": key[2]},
            seen=seen,
            stored=stored,
            entity="minimum_wage",
            what="rate (same place and revision year)",
        )
        if outcome in ("imported", "updated"):
            cycle = cycles[key[0]].cycle(key[1])
            days = [cycle.start(key[2]), *(d for d in (v["effective_from"], before) if d is not None)]
            place = (key[0], key[1])
            touched[place] = min([*days, touched.get(place, days[0])])
    ctx.flush_side_rows()
    refresh_places(session, ctx=ctx, touched=touched)


def prepare_cycles(session: Session) -> dict[str, MinimumWageCycles]:
    """The revision cycles of each jurisdiction's places (rule parameters ``minimum_wage_revision.*``)."""
    return {j: MinimumWageCycles.from_values(rule_values(session, j), j) for j in JURISDICTIONS}


def people_at(session: Session, places: Iterable[tuple[str, str]]) -> list[int]:
    """The people with a contract at any of ``places`` (the state's rate: every US-CA contract)."""
    e = Employment
    conditions = []
    for jurisdiction, region in places:
        if jurisdiction == "JP":
            conditions.append(and_(e.jurisdiction == "JP", e.prefecture == region))
        elif region == STATE:
            conditions.append(e.jurisdiction == jurisdiction)
        else:
            conditions.append(and_(e.jurisdiction == jurisdiction, e.city == region))
    if not conditions:
        return []
    return sorted(session.scalars(select(e.person_id).where(or_(*conditions)).distinct()))


def refresh_places(session: Session, *, ctx: ImportContext, touched: dict[tuple[str, str], dt.date]) -> None:
    """Hand the import's rollup refresh the people at the places ``touched`` (place → first day changed)."""
    people = people_at(session, touched)
    if not people:
        return
    ctx.touched_people.update(people)
    first = min(touched.values())
    ctx.touched_from = first if ctx.touched_from is None else min(ctx.touched_from, first)


def _header(h: Header) -> bool:
    return {"rate_per_hour", "region"} <= h.keys


register(
    Format(
        name="canonical_minimum_wages",
        label=N_("Endroll minimum wages (CSV/XLSX)"),
        entity="minimum_wage",
        read=read,
        write=write,
        order=85,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        prepare=prepare,
        columns=COLUMNS,
        template="minimum_wages",
    )
)
