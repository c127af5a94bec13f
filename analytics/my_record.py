"""An artist's own record: credits, hours and pay by month, effective hourly pay, requests they made.

Every function takes a :class:`~analytics.scope.Scope` of one person (``people``) with the requesting viewer, and
refuses anyone but that person or a manager (AccessDenied, a PermissionError), so a page that forgot to hide
something still cannot leak it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_can_view_person
from analytics.credits.review import my_suggestions
from analytics.findings import findings
from analytics.pay import effective_pay
from analytics.queries import people as q
from analytics.scope import Scope

FINDING_COLUMNS = ["rule_id", "severity", "period_start", "period_end", "measured_value", "threshold", "unit",
                   "explanation", "source", "reference", "message", "params"]  # fmt: skip
_CREDIT_COLUMNS = [
    "production",
    "production_en",
    "year",
    "role_as_credited",
    "role_en",
    "episode_scope",
    "name_as_credited",
    "block",
    "source",
    "match",
]


@dataclass(frozen=True)
class MyRecord:
    """An artist's record as the My record page shows it.

    ``profile``: names (native, kana, romaji), display name, pen name, visibility.
    ``monthly``: ``month`` (YYYY-MM), ``currency``, ``hours``, ``pay_amount``, ``pay_per_hour`` (NaN when no hours),
    ``base_pay_per_hour`` (the pay the minimum-wage test counts ÷ hours), ``mw_per_hour`` (the highest minimum wage in
    force that month; NaN when unknown), ``below_mw`` (bool).
    ``credits``: see :func:`own_credits`.
    ``requests``: ``id``, ``subject``, ``status``, ``created_at``, ``response``, ``answered_at``.
    ``suggestions``: public credits that may be theirs (:func:`analytics.credits.review.my_suggestions`), to claim.
    """

    person_id: int
    profile: dict[str, Any]
    monthly: pd.DataFrame
    credits: pd.DataFrame
    requests: pd.DataFrame
    suggestions: pd.DataFrame


def _person(scope: Scope) -> int:
    """The scope's one person, once its viewer may see them."""
    person_id = scope.person
    ensure_can_view_person(scope.viewer, person_id)
    return person_id


def monthly_hours_and_pay(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Hours and pay per calendar month for the scope's person (pay counts in the month its period ends, as in the
    pay analytics): :func:`monthly_table` of :func:`analytics.queries.people.months`."""
    _person(scope)
    return monthly_table(q.months(session, scope=scope), effective_pay(session, scope=scope))


def monthly_table(rows: pd.DataFrame, pay: pd.DataFrame | None = None) -> pd.DataFrame:
    """Columns: ``month`` (YYYY-MM), ``currency`` (of the workplace), ``hours`` (0.1 h), ``pay_amount``,
    ``pay_per_hour`` (pay ÷ hours, whole units; NaN in months without logged hours), ``base_pay_per_hour``,
    ``mw_per_hour`` and ``below_mw`` from ``pay`` (:func:`analytics.pay.effective_pay` of the person: the pay that
    counts for the minimum wage per hour, the highest minimum wage in force that month and whether that pay fell
    short; NaN and False without it)."""
    out = rows[["month", "currency", "hours", "pay_amount"]].copy()
    out["month"] = out["month"].map(lambda d: str(d)[:7])
    out["hours"] = out["hours"].astype(float).round(1)
    out["pay_amount"] = out["pay_amount"].astype(float).round(0)
    out["pay_per_hour"] = (out["pay_amount"] / out["hours"].where(out["hours"] > 0)).round(0)
    out["base_pay_per_hour"] = float("nan")
    out["mw_per_hour"] = float("nan")
    out["below_mw"] = False
    if pay is not None and not pay.empty:
        tested = pay.assign(month=pay["month"].map(lambda d: str(d)[:7]))
        tested = tested.drop_duplicates("month").set_index("month")
        out["base_pay_per_hour"] = out["month"].map(tested["base_pay_per_hour"]).astype(float).round(2)
        out["mw_per_hour"] = out["month"].map(tested["mw_max_per_hour"]).astype(float)
        out["below_mw"] = out["month"].map(tested["below_mw"]).fillna(False).astype(bool)
    return out


def own_credits(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Every credit naming the scope's person, internal and imported (the credits engine's artist record): lines on
    their linked aliases (public credits a manager confirmed among them), and the studio's own credits on an unlinked
    alias with the same match key (``match`` = "name"); a public credit matched by name only is a suggestion instead.
    Columns: ``production``, ``production_en``, ``year``, ``role_as_credited``, ``role_en``, ``episode_scope``,
    ``name_as_credited``, ``block``, ``source``, ``match``."""
    person_id = _person(scope)
    from analytics.credits.record import artist_record, ensure_can_view

    viewer = scope.viewer
    ensure_can_view(viewer.role if viewer else None, viewer.person_id if viewer else None, person_id)
    frame = artist_record(session, person_id=person_id)
    return frame[_CREDIT_COLUMNS].reset_index(drop=True)


def export_my_record(session: Session, *, scope: Scope, fmt: str, lang: str = "ja") -> bytes:
    """The scope's person's credit record as ``csv``, ``json`` or a printable ``pdf`` in ``lang`` (ja or en)."""
    person_id = _person(scope)
    from analytics.credits.record import export_record

    return export_record(session, person_id=person_id, fmt=fmt, lang=lang)


def profile(session: Session, *, scope: Scope) -> dict[str, Any]:
    """The scope's person's names and display preference (no email: it is not shown on pages)."""
    return q.person_record(session, _person(scope))


def own_requests(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Correction requests about the scope's person. Columns as in :class:`MyRecord` ``requests``."""
    _person(scope)
    return q.requests(session, scope=scope)


def my_record(session: Session, *, scope: Scope) -> MyRecord:
    """The whole record for the My record page, in one call; refuses anyone but the person (or a manager)."""
    person_id = _person(scope)
    return MyRecord(
        person_id=person_id,
        profile=profile(session, scope=scope),
        monthly=monthly_hours_and_pay(session, scope=scope),
        credits=own_credits(session, scope=scope),
        requests=own_requests(session, scope=scope),
        suggestions=my_suggestions(session, scope=scope),
    )


def my_findings(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Compliance findings that concern the scope's person (hours, pay, freelance terms). Columns: ``rule_id``,
    ``severity``, ``period_start``, ``period_end``, ``measured_value``, ``threshold``, ``unit``, ``explanation``,
    ``source``, ``reference``, ``message``, ``params`` (render with :func:`analytics.findings.explain`)."""
    person_id = _person(scope)
    found = findings(session, scope=scope)
    if found.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    mine = found[found["person_id"] == person_id]
    return mine[[c for c in FINDING_COLUMNS if c in mine.columns]].reset_index(drop=True)
