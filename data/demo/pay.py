"""The pay of the Japanese crew: piece work settled per month, production and episode (月末締め), monthly and
per-episode fees and flat jobs, each with the Freelance Act dates of its commission; employees' monthly pay is
:mod:`data.demo.payroll`'s."""

from __future__ import annotations

import datetime as dt
from typing import Any

from data.demo.pay_items import add_pay_item, commission
from data.demo.payroll import employee_month, jp_overtime_seconds
from data.demo.spec import FIRST_DAY, PRODUCTIONS, TV
from data.demo.state import Member, Studio, month_end, yen


def pay_jp(studio: Studio, m: Member, days: list[dict[str, Any]]) -> None:
    """The pay items of a Japanese crew member for ``days`` (:func:`data.demo.work.work_days`): per month piece
    work and monthly fees (and an employee's monthly pay), then per-episode fees and flat jobs. A window or job not
    finished by the studio's last day is not delivered yet, so not paid."""
    stream = m.rng
    last_day = studio.preset.last_day
    by_month: dict[dt.date, list[dict[str, Any]]] = {}
    for d in days:
        by_month.setdefault(d["date"].replace(day=1), []).append(d)
    ot_seconds = jp_overtime_seconds(days, studio.rules.jp_hours) if m.employee else {}
    for month, mdays in by_month.items():
        m_end = month_end(month)
        # piece work, settled per month, production and episode (月末締め)
        groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
        for d in mdays:
            if d["kind"] and d["prod"] in m.piece:
                groups.setdefault((d["prod"], d["ep"]), []).append(d)
        piece_total = 0.0
        for (prod, n), gdays in groups.items():
            basis, _kind, rate, _hpu = m.piece[prod]
            units = sum(d["units"] for d in gdays)
            if units <= 0:
                continue
            amount = yen(units * rate)
            piece_total += float(amount)
            extra = {} if m.employee else commission(studio, m, gdays[0]["date"], gdays[-1]["date"], amount)
            add_pay_item(
                studio,
                m,
                production_id=PRODUCTIONS[prod]["id"],
                episode_id=studio.episode_ids[(prod, n)],
                basis=basis,
                units=float(units),
                unit_rate=yen(rate),
                amount=amount,
                period_start=gdays[0]["date"],
                period_end=gdays[-1]["date"],
                **extra,
            )
        for prod, fee in m.monthly_fee.items():
            pdays = [d for d in mdays if d["prod"] == prod]
            if pdays:
                stint = [s for s in m.stints if s[0] == prod][0]
                covered = (min(m_end, stint[2]) - max(month, stint[1])).days + 1
                amount = yen(fee * covered / ((m_end - month).days + 1))
                add_pay_item(
                    studio,
                    m,
                    production_id=PRODUCTIONS[prod]["id"],
                    episode_id=studio.episode_ids[(prod, 1)],
                    basis="fixed_fee",
                    units=1.0,
                    unit_rate=amount,
                    amount=amount,
                    period_start=pdays[0]["date"],
                    period_end=pdays[-1]["date"],
                    note="monthly fee",
                    **commission(studio, m, month, pdays[-1]["date"], amount),
                )
        if m.employee:
            employee_month(studio, m, month, mdays, piece_total, ot_seconds)
    # per-episode fees, one item per window, delivered on the window's last day
    if m.episode_fee:
        for n, a, b in m.windows:
            if b > last_day or not any(a <= d["date"] <= b for d in days):
                continue
            amount = yen(m.episode_fee)
            commissioned = max(FIRST_DAY, a - dt.timedelta(days=int(stream.integers(0, 11))))
            delivered = b + dt.timedelta(days=int(stream.integers(0, 4)) if stream.random() < 0.2 else 0)
            add_pay_item(
                studio,
                m,
                production_id=PRODUCTIONS[TV]["id"],
                episode_id=studio.episode_ids[(TV, n)],
                basis="per_episode",
                units=1.0,
                unit_rate=amount,
                amount=amount,
                period_start=a,
                period_end=b,
                **commission(studio, m, commissioned, min(delivered, last_day), amount),
            )
    for prod, a, b, fee in m.fixed_fees:
        pdays = [d for d in days if d["prod"] == prod and a <= d["date"] <= b]
        if b > last_day or not pdays:
            continue
        amount = yen(fee)
        add_pay_item(
            studio,
            m,
            production_id=PRODUCTIONS[prod]["id"],
            episode_id=studio.episode_ids[(prod, 1)] if prod != TV else None,
            basis="fixed_fee",
            units=1.0,
            unit_rate=amount,
            amount=amount,
            period_start=a,
            period_end=b,
            **commission(studio, m, a, b, amount),
        )
