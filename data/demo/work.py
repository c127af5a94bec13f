"""Days of work: which days each person works, how long, when, on what, and the work-log rows of each day.

Per-day draws use the stdlib generator (fast scalar draws), seeded from the person's own stream.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
from typing import Any

from data.demo.spec import (
    DEFAULT_HOURS_PER_UNIT,
    EPISODE_SHARE,
    FILM,
    FILM_DELIVERY,
    PER_EPISODE_STAFF,
    PRODUCTIONS,
    SHORT,
    SHORT_BREAK_MINUTES,
    SHORT_DELIVERY,
    STATUTORY_DAY_OFF,
    TV,
    TV_AI_FROM,
    TV_INTERP_FROM,
    UNIT_OF_ROLE,
    tv_delivery,
)
from data.demo.state import Member, Studio, month_end, months
from data.law.params import SECONDS_PER_MINUTE
from data.law.shifts import night_minutes_of_span

MINUTES_PER_HOUR = 60  # the generator's draws are whole minutes
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR


def _current(m: Member, day: dt.date) -> tuple[str, int, dt.date] | None:
    """(production, episode number, its delivery date) the person works on that day, or None."""
    prod = next((p for p, a, b in m.stints if a <= day <= b), None)
    if prod is None:
        return None
    if prod == FILM:
        return FILM, 1, FILM_DELIVERY
    if prod == SHORT:
        return SHORT, 1, SHORT_DELIVERY
    if m.windows:
        for n, a, b in m.windows:
            if a <= day <= b:
                return TV, n, b
        return None
    for n in m.tv_episodes:
        if tv_delivery(n) >= day:
            return TV, n, tv_delivery(n)
    return TV, m.tv_episodes[-1], tv_delivery(m.tv_episodes[-1])


def work_days(studio: Studio, m: Member) -> list[dict[str, Any]]:
    """The days ``m`` works, in date order: per day ``date``, ``prod`` and ``ep`` (what was worked on), ``seconds``
    worked, ``night`` seconds, ``holiday`` (a statutory day off), ``units`` and ``kind`` produced, and ``logs``, the
    day's work-log rows (one, or two when the day was split). The generator draws whole minutes (a studio's own
    records); what it stores and hands on is in seconds, as every work log is."""
    if not m.stints:  # joins after the studio's last day
        return []
    stream = m.rng
    r = random.Random(int(stream.integers(2**62)))
    start = min(s[1] for s in m.stints)
    end = max(s[2] for s in m.stints)
    part_time = m.employment_type == "employee_parttime"
    mu = 112.0 if part_time else (118.0 if m.spec.light else 192.0 + (9.0 if m.employee else 0.0))
    mu = float(stream.normal(mu, 12))
    crunch: dict[tuple[str, int], tuple[int, float]] = {}
    all_eps = m.spec.code not in EPISODE_SHARE and m.spec.code not in PER_EPISODE_STAFF

    def crunch_of(prod: str, n: int) -> tuple[int, float]:
        if (prod, n) not in crunch:
            length = r.randint(21, 42) if prod == FILM else r.randint(14, 28)
            if prod == TV and r.random() > (0.35 if all_eps else 0.75):
                length = 0  # not every delivery is a crunch for everyone
            crunch[(prod, n)] = (length, r.uniform(0.2, 0.4))
        return crunch[(prod, n)]

    days: list[dict[str, Any]] = []
    for month in months(start, end):
        first = max(month, start)
        last = min(month_end(month), end)
        span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        current = [_current(m, d) for d in span]
        active = [d for d, c in zip(span, current, strict=True) if c is not None]
        if not active:
            continue
        month_len = calendar.monthrange(month.year, month.month)[1]
        frac = len(active) / month_len
        if part_time:
            off = r.randint(12, 16)
        else:
            cat = r.choices(range(5), weights=[0.17, 0.24, 0.15, 0.21, 0.23])[0]
            off = [r.randint(2, 3), 4, 5, r.randint(6, 7), r.randint(8, 10)][cat]
        off = int(round(off * frac))
        target = min(330.0, max(60.0, r.gauss(mu, 20))) * frac
        if m.spec.la:
            off_days = [d for d in active if d.weekday() >= 5]
        elif m.employee:
            weekend = [d for d in active if d.weekday() == 6] + [d for d in active if d.weekday() == 5]
            off_days = weekend[:off]
        else:
            off_days = sorted(r.sample(active, min(off, len(active))))
        planned = max(1, len(active) - len(off_days))
        base = target / planned
        productivity = r.gauss(1.0, 0.09)
        off_set = {d.toordinal() for d in off_days}
        for d, cur in zip(span, current, strict=True):
            if cur is None:
                continue
            prod, n, delivery = cur
            length, uplift = crunch_of(prod, n)
            in_crunch = 0 <= (delivery - d).days < length
            if d.toordinal() in off_set:
                keep_off = not in_crunch or (not m.no_rest_in_crunch and r.random() < 0.75)
                if keep_off:
                    continue
            hours = base * r.gauss(1.0, 0.15) * (1.0 + uplift if in_crunch else 1.0)
            days.append(_day(studio, m, r, d, prod, n, min(16.0, max(3.0, hours)), productivity))
    return days


def _day(
    studio: Studio, m: Member, r: random.Random, day: dt.date, prod: str, n: int, hours: float, productivity: float
) -> dict[str, Any]:
    worked = int(round(hours * 12)) * 5
    ai = _ai_fraction(m, r, prod, day)
    units, kind = None, None
    piece = m.piece.get(prod)
    unit_kind = piece[1] if piece else UNIT_OF_ROLE.get(m.spec.code)
    if unit_kind:
        hpu = piece[3] if piece else DEFAULT_HOURS_PER_UNIT[unit_kind]
        if m.spec.home == SHORT and m.spec.code == "background" and prod == SHORT:
            hpu = 6.0
        saved = 0.3 + 0.55 * ((m.pid * 7919) % 100) / 100.0  # time an AI-assisted unit saves this person
        raw = worked / MINUTES_PER_HOUR / (hpu * (1.0 - ai * saved)) * productivity * r.gauss(1.0, 0.08)
        step = 2 if unit_kind == "cut" else 1  # cuts progress in halves; sheets and backgrounds are whole
        units = math.floor(raw * step + r.random()) / step
        units, kind = max(0.0, units), unit_kind
    rules = studio.rules
    night = rules.jp_hours.night
    is_holiday = m.employee and not m.spec.la and day.weekday() == STATUTORY_DAY_OFF
    # start so that the evening runs into the night about as often as the late-night shares of §8.3 say
    if m.spec.la:
        start_min = int(r.gauss(570, 30))
    elif m.employee:
        start_min = int(r.gauss(600, 30))
    else:
        start_min = int(
            night.start_second // SECONDS_PER_MINUTE + r.betavariate(2, 6) * worked - worked - MINUTES_PER_HOUR
        )
    start_min = min(1200, max(420, start_min)) // 5 * 5
    cut_ids = studio.cut_ids.get((prod, n)) or []
    cut_id = cut_ids[r.randrange(len(cut_ids))] if (units and cut_ids) else None
    ep_id = studio.episode_ids[(prod, n)]
    sessions: list[tuple[int, int, int]] = []  # start minute from midnight, worked minutes, break minutes
    first = int(worked * r.uniform(0.4, 0.65)) // 5 * 5
    gap = r.randint(12, 36) * 5
    # Long days (from the first break line on) are sometimes split: home for dinner, back at the desk later, two
    # sessions on one work date.
    if (
        worked * SECONDS_PER_MINUTE >= rules.first_break_over_seconds
        and r.random() < 0.15
        and start_min + first + gap < MINUTES_PER_DAY
    ):
        sessions.append((start_min, first, 0))
        sessions.append((start_min + first + gap, worked - first, 0))
    else:
        if m.spec.la:  # a meal period on most days that need one
            meal = rules.ca_meal_seconds // SECONDS_PER_MINUTE
            brk = meal if worked * SECONDS_PER_MINUTE > rules.ca_meal_after_seconds and r.random() > 0.08 else 0
        elif m.employee:
            brk = rules.required_break(worked)
            if brk and r.random() < 0.08:
                brk = SHORT_BREAK_MINUTES  # a short break the rules should catch
        else:  # freelancers rest on long days too, as long as they like
            brk = r.randint(6, 18) * 5 if rules.required_break(worked) else 0
        sessions.append((start_min, worked, brk))
    midnight = dt.datetime(day.year, day.month, day.day)
    logs = []
    night_total = 0
    for i, (s, w, brk) in enumerate(sessions):
        b_start = s + min(240, w // 2)
        end = s + w + brk
        # work_log.night_seconds: the time worked in the late-night window (the break's placement is known here)
        night_worked = night_minutes_of_span(s * SECONDS_PER_MINUTE, end * SECONDS_PER_MINUTE, night) - (
            night_minutes_of_span(b_start * SECONDS_PER_MINUTE, (b_start + brk) * SECONDS_PER_MINUTE, night)
        )
        night_total += night_worked
        share_units = None
        if units is not None:
            if len(sessions) == 1:
                share_units = units
            elif i == 0:
                share_units = math.floor(units * w / worked * 2) / 2
            else:
                share_units = units - logs[0]["units"]
        logs.append(
            dict(
                id=studio.ids("work_log"),
                person_id=m.pid,
                production_id=PRODUCTIONS[prod]["id"],
                episode_id=ep_id,
                cut_id=cut_id,
                role_id=m.role.id,
                task=m.role.ja,
                work_date=day,
                start_at=midnight + dt.timedelta(minutes=s),
                end_at=midnight + dt.timedelta(minutes=end),
                seconds=w * SECONDS_PER_MINUTE,
                break_seconds=brk * SECONDS_PER_MINUTE,
                night_seconds=night_worked,
                is_statutory_holiday=is_holiday,
                units=share_units,
                unit_kind=kind,
                ai_assisted_fraction=ai,
                note=None,
            )
        )
    return dict(
        date=day,
        prod=prod,
        ep=n,
        seconds=worked * SECONDS_PER_MINUTE,
        night=night_total,
        holiday=is_holiday,
        units=units or 0.0,
        kind=kind,
        logs=logs,
    )


def _ai_fraction(m: Member, r: random.Random, prod: str, day: dt.date) -> float:
    code = m.spec.code
    span = None
    if prod == SHORT:
        if code == "background":
            return 1.0
        span = {"ink_and_paint": (0.5, 0.9), "inbetween": (0.1, 0.4), "key_animation": (0.0, 0.1)}.get(code)
    elif prod == TV:
        if code == "background" and day >= TV_AI_FROM:
            span = (0.1, 0.4)
        elif code == "ink_and_paint" and day >= TV_AI_FROM:
            span = (0.2, 0.6)
        elif code == "inbetween" and day >= TV_INTERP_FROM:
            span = (0.0, 0.15)
    if not span:
        return 0.0
    return round(r.uniform(*span), 2)


# pay ------------------------------------------------------------------------------------------------------
