"""JP-MW-01/02 and CA-MW-01: pay per hour against the minimum wage in force on each day worked, and how sure that
wage is.

Each day is judged against the rate the rollups resolved for its workplace (:mod:`data.law.minimum_wage`: the latest
revision in force, never one the table knows to be superseded). A finding names the rate it used, its revision and
date, and the source of the table row; when the place's table was stale or uncertain on those days, the finding says
so. Pay between the rate used and a revision announced without an effective date cannot be judged either way: it
is reported as a warning (the data cannot settle it) under the same rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings.context import Context, columns_of, iso_dates, month_labels, rounded
from analytics.findings.text import STALE_NOTE, UNCERTAIN_NOTE, Sentences, money, moneys, sentence
from analytics.findings.wage_tables import doubt_windows, tables
from analytics.person_days import EPOCH, as_datetime, day_of, month_start_day
from data.i18n import N_
from data.law.minimum_wage import STALE, STATE, UNCERTAIN, Rate, Resolved, highest, resolve

EPSILON = 1e-9
PLACE_NAMES = {STATE: N_("California (state)")}
BELOW = N_(
    "{rule}: {kind} of {rate} in {month} is below {wage}, {law} in force on {first}–{last} ({hours:.1f} h worked "
    "at that rate)."
)
BELOW_NO_PAY = N_(
    "{rule}: {kind} of {rate} in {month} (no pay recorded for the month) is below {wage}, {law} in force on "
    "{first}–{last} ({hours:.1f} h worked at that rate)."
)
DOUBT = N_("{sentence} The rate used may be out of date: {note}.")
MAY_BE_BELOW = N_(
    "{rule}: {kind} of {rate} in {month} clears {wage}, the rate used for {first}–{last} ({hours:.1f} h), but not "
    "{announced}: {note}. Whether it was below the minimum wage depends on that date; check it and record it."
)
ASSUMED = N_(
    "{sentence} The contract records no scheduled hours, so the statutory most ({month_h:.1f} h a month, {day_h:g} h a "
    "day) was assumed: the lowest rate the pay can come to. Record the schedule to settle it."
)
KINDS = {True: N_("base hourly pay"), False: N_("effective hourly pay")}
LAWS = {
    "CA-MW-01": N_("the California minimum wage at the worksite"),
    "JP-MW-01": N_("the prefectural minimum wage (Minimum Wage Act)"),
    "JP-MW-02": N_("the prefectural minimum wage it would be for an employee"),
}


def _mw_segments(ctx: Context, low: pd.DataFrame) -> pd.DataFrame:
    """For the person-months in ``low``: the days worked under each minimum-wage rate in force.

    Columns: ``person_id``, ``month``, ``mw_per_hour``, ``first_date``, ``last_date`` (datetime64), ``hours``;
    sorted by person, month and first day.
    """
    days = ctx.days()
    month = month_start_day(days.day)
    # Person and month in one integer, so a membership test replaces a join over millions of days.
    wanted = low["person_id"].to_numpy(np.int64) * 1_000_000 + (
        (low["month"].to_numpy("datetime64[D]") - np.datetime64("2000-01-01", "D")).astype(np.int64)
    )
    keep = np.flatnonzero(~np.isnan(days.mw_per_hour) & _member(days.person_id * 1_000_000 + month, wanted))
    person, month, rate = days.person_id[keep], month[keep], days.mw_per_hour[keep]
    # Group by (person, month, rate) without a frame: sort once, then cut where any of the three changes.
    order = np.lexsort((rate, month, person))
    keep, person, month, rate = keep[order], person[order], month[order], rate[order]
    new = np.ones(len(keep), dtype=bool)
    new[1:] = (person[1:] != person[:-1]) | (month[1:] != month[:-1]) | (rate[1:] != rate[:-1])
    starts = np.flatnonzero(new)
    if not len(starts):
        return pd.DataFrame(columns=["person_id", "month", "mw_per_hour", "first_date", "last_date", "hours"])
    day = days.day[keep]
    out = pd.DataFrame(
        {
            "person_id": person[starts],
            "month": as_datetime(month[starts]),
            "mw_per_hour": rate[starts],
            "first_date": as_datetime(np.minimum.reduceat(day, starts)),
            "last_date": as_datetime(np.maximum.reduceat(day, starts)),
            "hours": np.add.reduceat(days.seconds[keep].astype(np.int64), starts) / 3600.0,
        }
    )
    return out.sort_values(["person_id", "month", "first_date"], ignore_index=True)


def _member(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """``np.isin(values, wanted)`` by binary search in the few wanted keys, rather than sorting millions of days with
    them as ``isin`` does."""
    wanted = np.unique(wanted)
    if not len(wanted):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(wanted, values), len(wanted) - 1)
    return wanted[at] == values


class Workplaces:
    """How sure each day's rate is at a contract's workplace, from the table the records carry."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.tables = tables(ctx.records.minimum_wages)
        self.cycles = {"JP": ctx.law.jp_mw_cycles, "US-CA": ctx.law.ca_mw_cycles}
        wages = ctx.records.minimum_wages
        self.rows = {int(r.id): r for r in wages.itertuples(index=False)} if len(wages) else {}

    def keys(self, jurisdiction: Any, prefecture: Any, city: Any) -> list[tuple[str, str]]:
        if jurisdiction == "JP":
            keys = [("JP", prefecture if isinstance(prefecture, str) else "")]
        elif isinstance(jurisdiction, str):
            keys = [(jurisdiction, STATE), (jurisdiction, city if isinstance(city, str) else "")]
        else:
            return []
        return [k for k in keys if k in self.tables]

    def resolved(self, person: Any, day: Any) -> list[tuple[Resolved | None, dict[str, Any] | None]]:
        """For each (person, day): the governing rate at the workplace of the contract in force, and why it may be
        out of date (a sentence naming the place whose table is in doubt; None when every table is current)."""
        info = self.ctx.employment_on(person, day, ["jurisdiction", "prefecture", "city"])
        out: list[tuple[Resolved | None, dict[str, Any] | None]] = []
        # Many findings share a workplace and a day: each is resolved once (resolving reads the place's table), and
        # each contract's place and day is looked up once (``seen``; a place that is NaN may miss it: no harm).
        known: dict[tuple[Any, ...], tuple[Resolved | None, dict[str, Any] | None]] = {}
        seen: dict[tuple[Any, ...], tuple[Resolved | None, dict[str, Any] | None]] = {}
        days = pd.DatetimeIndex(day).date
        for j, pref, city, on in zip(info["jurisdiction"], info["prefecture"], info["city"], days, strict=True):
            found = seen.get((j, pref, city, on))
            if found is None:
                keys = self.keys(j, pref, city)
                if (tuple(keys), on) not in known:
                    known[tuple(keys), on] = self._resolved(keys, on)
                found = seen[j, pref, city, on] = known[tuple(keys), on]
            out.append(found)
        return out

    def _resolved(self, keys: list[tuple[str, str]], on: dt.date) -> tuple[Resolved | None, dict[str, Any] | None]:
        found = {k: resolve(self.tables[k], self.cycles[k[0]].cycle(k[1]), on) for k in keys}
        governing = highest(list(found.values())) if found else None
        doubtful = [(k, f) for k, f in found.items() if f.status in (STALE, UNCERTAIN) and f.used is not None]
        return governing, self.note(*max(doubtful, key=lambda kf: kf[1].status)) if doubtful else None

    def note(self, key: tuple[str, str], found: Resolved) -> dict[str, Any]:
        """Why a place's rate may be out of date, as a sentence (:data:`STALE_NOTE`, :data:`UNCERTAIN_NOTE`)."""
        jurisdiction, region = key
        currency = "USD" if jurisdiction == "US-CA" else "JPY"
        rate = money(found.used.rate, currency, per_hour=True)  # type: ignore[union-attr]
        if found.status == STALE:
            return sentence(
                STALE_NOTE, place=place(jurisdiction, region), rate=rate, since=str(found.used.effective_from),
                revision=found.used.revision_year, expected=str(found.expected),
            )  # fmt: skip
        announced = found.announced
        cycle = self.cycles[jurisdiction].cycle(region).start(announced.revision_year)  # type: ignore[union-attr]
        return sentence(
            UNCERTAIN_NOTE, place=place(jurisdiction, region), revision=announced.revision_year,
            announced=money(announced.rate, currency, per_hour=True), rate=rate, cycle=str(cycle),
        )  # fmt: skip

    def source(self, found: Resolved | None, citation: str) -> str:
        """The rule's citation and the table row the rate came from (its source and check date)."""
        row = None if found is None or found.used is None else self.rows.get(found.used.id)
        if row is None:
            return citation
        checked = "" if pd.isna(row.checked_on) else f", checked {pd.Timestamp(row.checked_on).date()}"
        return f"{citation}; rate: {row.jurisdiction} {row.region} {int(row.revision_year)} ({row.source}{checked})"


def place(jurisdiction: str, region: str) -> dict[str, Any]:
    """A place as a sentence names it."""
    if region in PLACE_NAMES:
        return sentence(PLACE_NAMES[region])
    return sentence("{name}", name=region)


def check(ctx: Context) -> None:
    """Each person-month paid under the highest minimum wage it met, reported per stretch of days under one rate;
    then the person-months that cleared the rate used but not a revision that may already have applied."""
    pay = ctx.pay
    if pay.empty:
        return
    pay = pay.assign(rate=pay["base_pay_per_hour"].where(pay["is_employee"], pay["pay_per_hour"]))
    places = Workplaces(ctx)
    _below(ctx, pay, places)
    _may_be_below(ctx, pay, places)


def _shared(words: dict[Any, str]) -> dict[Any, dict[str, Any]]:
    """Each word as a sentence, one object per word: a column of them is rendered once per word."""
    return {k: sentence(w) for k, w in words.items()}


def _rule(currency: Any, employee: Any) -> np.ndarray:
    usd = np.asarray(currency) == "USD"
    return np.where(usd, "CA-MW-01", np.where(np.asarray(employee, dtype=bool), "JP-MW-01", "JP-MW-02"))


def _below(ctx: Context, pay: pd.DataFrame, places: Workplaces) -> None:
    low = pay[pay["mw_max_per_hour"].notna() & (pay["rate"] < pay["mw_max_per_hour"] - EPSILON)]
    if low.empty:
        return
    merged = _mw_segments(ctx, low).merge(low.drop(columns="hours"), on=["person_id", "month"])
    usd = merged["currency"] == "USD"
    merged = merged[(merged["rate"] < merged["mw_per_hour"] - EPSILON) & (~usd | merged["is_employee"])]
    merged = merged.reset_index(drop=True)
    if merged.empty:
        return
    usd = (merged["currency"] == "USD").to_numpy()
    employee = merged["is_employee"].to_numpy(bool)
    rule = _rule(merged["currency"], employee)
    resolved = places.resolved(merged["person_id"], merged["last_date"])
    found = [f for f, _ in resolved]
    notes = [n for _, n in resolved]
    rate, wage, currency, paid, hours = columns_of(merged, "rate", "mw_per_hour", "currency", "pay_amount", "hours")
    kinds, laws = _shared(KINDS), _shared(LAWS)
    base = {
        "rule": rule.tolist(),
        "kind": [kinds[bool(e)] for e in employee],
        "rate": moneys(rate, currency, per_hour=True),
        "month": month_labels(merged["month"]),
        "wage": moneys(wage, currency, per_hour=True),
        "law": [laws[r] for r in rule],
        "first": iso_dates(merged["first_date"]),
        "last": iso_dates(merged["last_date"]),
        "hours": hours,
    }
    assumed = merged["base_assumed"].fillna(False).to_numpy(bool) & employee & ~usd
    bases = ctx.law.jp_wage_bases
    citations = {r: ctx.law.cite("US-CA" if r == "CA-MW-01" else "JP", "minimum_wage") for r in set(rule)}
    severity = np.where(assumed, "warning", np.where(usd | employee, "violation", "advocacy_flag"))
    plain = [BELOW_NO_PAY if p == 0 else BELOW for p in paid]
    doubt = [n is not None for n in notes]
    # Each finding's sentence: the plain one, in a doubt about the rate, in the assumed schedule's caveat. Only the
    # wrapped ones are built one by one (most findings are plain: their parameters are the base columns).
    outer = [ASSUMED if a else DOUBT if d else m for a, d, m in zip(assumed, doubt, plain, strict=True)]
    sources: dict[tuple[int, str], str] = {}
    for message in dict.fromkeys(outer):
        rows = np.flatnonzero([m == message for m in outer])
        if message in (BELOW, BELOW_NO_PAY):
            params = {k: [v[i] for i in rows] for k, v in base.items()}
        else:
            inner = [sentence(plain[i], **{k: v[i] for k, v in base.items()}) for i in rows]
            inner = [
                sentence(DOUBT, sentence=s, note=notes[i]) if doubt[i] else s for s, i in zip(inner, rows, strict=True)
            ]
            if message == DOUBT:
                params = {"sentence": inner, "note": [notes[i] for i in rows]}
            else:
                # No schedule recorded: the statutory one gives the lowest rate the pay can come to, so the
                # shortfall is possible, not certain.
                params = {"sentence": inner, "month_h": [bases.statutory_month_h] * len(rows),
                          "day_h": [bases.daily_limit_h] * len(rows)}  # fmt: skip
        ctx.extend(
            rule[rows],
            severity[rows],
            merged["person_id"].to_numpy()[rows],
            merged["first_date"].to_numpy()[rows],
            merged["last_date"].to_numpy()[rows],
            rounded(np.asarray(rate)[rows]),
            rounded(np.asarray(wage)[rows]),
            [f"{currency[i]}/h" for i in rows],
            Sentences(message, params),
            source=[_source(places, sources, found[i], citations[rule[i]]) for i in rows],
        )


def _source(places: Workplaces, known: dict[tuple[int, str], str], found: Resolved | None, citation: str) -> str:
    # Findings at one workplace and day share one resolved rate (Workplaces.resolved): its source is written once.
    key = (id(found), citation)
    if key not in known:
        known[key] = places.source(found, citation)
    return known[key]


def _may_be_below(ctx: Context, pay: pd.DataFrame, places: Workplaces) -> None:
    """Person-months worked while a revision announced without a date may already have applied, paid at least the
    rate used but under the announced one: warnings, per stretch of such days."""
    days = ctx.days()
    if not len(days) or ctx.records.minimum_wages.empty:
        return
    until = (EPOCH + int(days.day.max())).astype(dt.date)
    windows = doubt_windows(ctx.records.minimum_wages, places.cycles, until)
    windows = windows[windows["status"] == "uncertain"]
    if windows.empty:
        return
    e = ctx.employments
    stretches = []
    for w in windows.itertuples(index=False):
        at = e["jurisdiction"] == w.jurisdiction
        if w.jurisdiction == "JP":
            at &= e["prefecture"] == w.region
        elif w.region != STATE:
            at &= e["city"] == w.region
        for c in e[at].itertuples(index=False):
            first = max(w.first_date, c.start_date.date())
            last = min(w.last_date, c.end_date.date() if pd.notna(c.end_date) else w.last_date)
            if first <= last:
                stretches.append((int(c.person_id), day_of(first), day_of(last), w))
    rows = []
    for person, lo_day, hi_day, w in stretches:
        lo, hi = np.searchsorted(days.person_id, person, "left"), np.searchsorted(days.person_id, person, "right")
        d = days.day[lo:hi]
        inside = (d >= lo_day) & (d <= hi_day)
        if not inside.any():
            continue
        picked = d[inside]
        month = month_start_day(picked)
        seconds = days.seconds[lo:hi][inside]
        for m in np.unique(month):
            this = month == m
            rows.append({"person_id": person, "month": as_datetime(np.array([m]))[0], "first": picked[this].min(),
                         "last": picked[this].max(), "hours": seconds[this].sum() / 3600.0, "window": w})  # fmt: skip
    if not rows:
        return
    found = pd.DataFrame(rows).merge(pay, on=["person_id", "month"], suffixes=("", "_month"))
    announced = found["window"].map(lambda w: w.announced_rate)
    used = found["window"].map(lambda w: w.rate)
    usd = found["currency"] == "USD"
    hit = (found["rate"] >= used - EPSILON) & (found["rate"] < announced - EPSILON) & (~usd | found["is_employee"])
    found = found[hit.to_numpy()].reset_index(drop=True)
    if found.empty:
        return
    employee = found["is_employee"].to_numpy(bool)
    rule = _rule(found["currency"], employee)
    currency = found["currency"].tolist()
    windows_ = found["window"].tolist()
    kinds = _shared(KINDS)
    said = Sentences(
        MAY_BE_BELOW,
        {
            "rule": rule.tolist(),
            "kind": [kinds[bool(x)] for x in employee],
            "rate": [money(r, c, per_hour=True) for r, c in zip(found["rate"], currency, strict=True)],
            "month": month_labels(found["month"]),
            "wage": [money(w.rate, c, per_hour=True) for w, c in zip(windows_, currency, strict=True)],
            "first": iso_dates(as_datetime(found["first"].to_numpy())),
            "last": iso_dates(as_datetime(found["last"].to_numpy())),
            "hours": found["hours"].tolist(),
            "announced": [money(w.announced_rate, c, per_hour=True) for w, c in zip(windows_, currency, strict=True)],
            "note": [
                places.note(
                    (w.jurisdiction, w.region),
                    Resolved(
                        Rate(int(w.used_revision), w.used_from, w.rate),
                        UNCERTAIN,
                        announced=Rate(int(w.announced_revision), None, w.announced_rate),
                    ),
                )  # fmt: skip
                for w in windows_
            ],
        },
    )
    citation = {r: ctx.law.cite("US-CA" if r == "CA-MW-01" else "JP", "minimum_wage") for r in set(rule)}
    ctx.extend(
        rule,
        "warning",
        found["person_id"],
        as_datetime(found["first"].to_numpy()),
        as_datetime(found["last"].to_numpy()),
        rounded(found["rate"]),
        rounded([w.announced_rate for w in windows_]),
        [f"{c}/h" for c in currency],
        said,
        source=[
            f"{citation[r]}; announced rate: {w.jurisdiction} {w.region} {int(w.announced_revision)}"
            for r, w in zip(rule, windows_, strict=True)
        ],
    )
