"""A pay item row, and the Freelance Act dates of a commission (terms, due date, payment, retakes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from data.demo.state import Member, Studio, month_end, yen


def add_pay_item(studio: Studio, m: Member, **row: Any) -> None:
    """A pay_item row of ``m``: the given columns over the defaults (JPY, no dates, no retakes)."""
    base = dict(
        id=studio.ids("pay_item"),
        person_id=m.pid,
        production_id=None,
        episode_id=None,
        cut_id=None,
        role_id=m.role.id,
        basis=None,
        allowance_kind=None,
        units=None,
        unit_rate=None,
        amount=None,
        currency="JPY",
        period_start=None,
        period_end=None,
        commission_date=None,
        terms_issued_date=None,
        delivery_date=None,
        due_date=None,
        paid_date=None,
        agreed_amount=None,
        retake_count=0,
        retake_paid_amount=None,
        note=None,
    )
    base.update(row)
    studio.out.add("pay_item", base)


def commission(studio: Studio, m: Member, commissioned: dt.date, delivered: dt.date, amount: Decimal) -> dict[str, Any]:
    """Freelance Act dates of a commission: most in order; some terms late or missing, some due later than the Act
    allows after delivery, some paid late or not at all; a few retakes, half of them unpaid."""
    stream = m.rng
    r = stream.random()
    terms = (
        commissioned
        if r < 0.85
        else (commissioned + dt.timedelta(days=int(stream.integers(3, 31))) if r < 0.96 else None)
    )
    next_month_end = month_end(month_end(delivered) + dt.timedelta(days=1))
    due = next_month_end if stream.random() < 0.9 else month_end(next_month_end + dt.timedelta(days=1))
    limit = studio.rules.freelance_pay_due_days
    # The day of delivery is day 1 of the Act's term (Art. 4): the last lawful due date is delivery + limit - 1.
    if (due - delivered).days > limit - 1 and stream.random() < 0.5:
        due = delivered + dt.timedelta(days=limit - 1)
    r = stream.random()
    paid = due if r < 0.9 else (due + dt.timedelta(days=int(stream.integers(5, 46))) if r < 0.97 else None)
    if paid is not None and paid > studio.preset.last_day:
        paid = None
    retakes = int(stream.integers(1, 4)) if stream.random() < 0.08 else 0
    retake_paid = (yen(float(amount) * 0.1) if stream.random() < 0.5 else Decimal(0)) if retakes else None
    return dict(
        commission_date=commissioned,
        terms_issued_date=terms,
        delivery_date=delivered,
        due_date=due,
        paid_date=paid,
        agreed_amount=amount,
        retake_count=retakes,
        retake_paid_amount=retake_paid,
    )
