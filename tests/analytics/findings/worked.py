"""Worked examples both builders take (a database's and the frames'), for the tests that check a rule on frames and
the query feeding it on the databases with the same facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date


def commission(st: Any, person: Any, **dates: Any) -> None:
    """A cut commissioned on 1 March 2025 for 40,000 JPY, with the Freelance Act's dates given."""
    st.pay(person, 40_000, D(2025, 3, 1), D(2025, 3, 31), basis="per_cut", commission_date=D(2025, 3, 1), **dates)


def terms_and_due_dates(st: Any) -> None:
    """L's terms came a day late, N's never; U's payment falls due 61 days after delivery (and is paid then)."""
    late_terms = st.person("L", employment_type="freelancer")
    no_terms = st.person("N", employment_type="freelancer")
    far_due = st.person("U", employment_type="freelancer")
    delivered = D(2025, 3, 31)
    paid = delivered + dt.timedelta(days=30)
    commission(st, late_terms, terms_issued_date=D(2025, 3, 2), delivery_date=delivered, due_date=paid, paid_date=paid)
    commission(st, no_terms, delivery_date=delivered, due_date=paid, paid_date=paid)
    commission(
        st,
        far_due,
        terms_issued_date=D(2025, 3, 1),
        delivery_date=delivered,
        due_date=delivered + dt.timedelta(days=61),
        paid_date=delivered + dt.timedelta(days=61),
    )


def fees_and_retakes(st: Any) -> None:
    """Commissions of a month or more (1 March → 1 April) but S's (→ 31 March): R's fee cut to 40,000 of 45,000
    agreed, S's too; T's two retakes unpaid, P's paid 8,000; K's kept as agreed."""
    cut_fee = st.person("R", employment_type="freelancer")
    short = st.person("S", employment_type="freelancer")
    retakes = st.person("T", employment_type="freelancer")
    paid_retakes = st.person("P", employment_type="freelancer")
    kept = st.person("K", employment_type="freelancer")
    terms = {"terms_issued_date": D(2025, 3, 1), "due_date": D(2025, 4, 30), "paid_date": D(2025, 4, 30)}
    month, under = D(2025, 4, 1), D(2025, 3, 31)
    commission(st, cut_fee, delivery_date=month, agreed_amount=45_000, **terms)  # paid 40,000
    commission(st, short, delivery_date=under, agreed_amount=45_000, retake_count=3, **terms)
    commission(st, retakes, delivery_date=month, agreed_amount=40_000, retake_count=2, **terms)
    commission(st, paid_retakes, delivery_date=month, retake_count=2, retake_paid_amount=8_000, **terms)
    commission(st, kept, delivery_date=month, agreed_amount=40_000, retake_count=0, **terms)
