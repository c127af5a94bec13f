"""AI assistance: how much of the work, the cuts and the pay was AI-assisted, and what adoption did to paid work.

* Hours: seconds × the work log's ``ai_assisted_fraction``. Units (drawings, sheets, backgrounds — the "assets"
  people produce): units × that fraction.
* Pay: each cell of month × person × production × episode × role gives its pay the AI-assisted share of its hours.
* Cuts: a cut is AI-assisted when any work on it had an AI-assisted fraction or an AI-usage record names it.
* Unattributed AI use: the database refuses an AI-usage record without an operator, so such records surface as import
  rows rejected for a missing operator, or as records whose operator is a placeholder name rather than a person.

The rows come from :mod:`analytics.queries.ai`; the shares are computed here, on frames.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from analytics.errors import AnalyticsError
from analytics.queries import ai as q
from analytics.scope import Scope
from data.names import person_key

SHARE_DIMENSIONS = ("month", "production", "episode", "department")
SHARE_COLUMNS = ["hours", "ai_hours", "ai_hours_share", "units", "ai_units", "ai_units_share", "pay_amount",
                 "ai_pay_amount", "ai_pay_share", "people"]  # fmt: skip
CUT_COLUMNS = ["production_id", "production", "episode_id", "episode", "cuts", "ai_cuts", "ai_cuts_share",
               "ai_usage_records"]  # fmt: skip
ADOPTION_COLUMNS = ["department", "adopted_month", "period", "cuts", "hours", "pay_amount", "hours_per_cut",
                    "pay_per_cut", "people"]  # fmt: skip
UNATTRIBUTED_COLUMNS = ["source", "reference", "production_id", "value", "reason"]
# Names that stand in for a person without naming one (the credits validator keeps the full list).
PLACEHOLDER_OPERATOR_KEYS = frozenset(
    person_key(t)
    for t in (
        "AI",
        "AI (+Human)",
        "AI(+Human)",
        "human",
        "staff",
        "スタッフ",
        "未定",
        "ほか",
        "他",
        "operator",
        "unknown",
        "n/a",
        "none",
        "-",
        "?",
    )
)


def ai_share(
    session: Session, *, scope: Scope, by: Sequence[str] = ("production",), currency: str = "JPY"
) -> pd.DataFrame:
    """Share of the scope's hours, units and pay that was AI-assisted, grouped by ``month``/``production``/
    ``episode``/``department``: :func:`shares` of :func:`analytics.queries.ai.share_rows`."""
    unknown = [d for d in by if d not in SHARE_DIMENSIONS]
    if unknown:
        raise AnalyticsError("cannot group AI share by {unknown}; choose from {known}", unknown=unknown,
                             known=", ".join(SHARE_DIMENSIONS))  # fmt: skip
    work, pay = q.share_rows(session, scope=scope, by=by, currency=currency)
    return shares(work, pay, [d for k in by for d in _names(k)])


def _names(dim: str) -> list[str]:
    return {"production": ["production_id", "production"], "episode": ["episode_id", "episode"]}.get(dim, [dim])


def shares(work: pd.DataFrame, pay: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Work and pay per ``keys`` side by side, with the AI-assisted shares.

    Columns: ``keys``, ``hours``, ``ai_hours``, ``ai_hours_share`` (0–1), ``units``, ``ai_units``,
    ``ai_units_share``, ``pay_amount``, ``ai_pay_amount``, ``ai_pay_share``, ``people``.
    """
    df = work.merge(pay, on=keys, how="outer") if keys else pd.concat([work, pay], axis=1)
    for column in ("hours", "ai_hours", "units", "ai_units", "pay_amount", "ai_pay_amount", "people"):
        df[column] = df[column].fillna(0.0)
    df["ai_hours_share"] = (df["ai_hours"] / df["hours"].where(df["hours"] > 0)).fillna(0.0)
    df["ai_units_share"] = (df["ai_units"] / df["units"].where(df["units"] > 0)).fillna(0.0)
    df["ai_pay_share"] = (df["ai_pay_amount"] / df["pay_amount"].where(df["pay_amount"] > 0)).fillna(0.0)
    df["ai_pay_amount"] = df["ai_pay_amount"].round(2)
    order = [*keys, *SHARE_COLUMNS]
    return df[order].sort_values(keys).reset_index(drop=True) if keys else df[order]


def cut_share(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Share of cuts that were AI-assisted, per episode of the scope's productions (:func:`cut_shares`)."""
    return cut_shares(q.cut_rows(session, scope=scope))


def cut_shares(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (:func:`analytics.queries.ai.cut_rows`) with ``ai_cuts_share`` (0–1).

    Columns: ``production_id``, ``production``, ``episode_id``, ``episode``, ``cuts`` (in the episode's cut list),
    ``ai_cuts``, ``ai_cuts_share``, ``ai_usage_records`` (AI-usage ledger rows for the episode).
    """
    df = rows
    df["ai_cuts_share"] = (df["ai_cuts"] / df["cuts"].where(df["cuts"] > 0)).fillna(0.0)
    return df[CUT_COLUMNS]


def adoption_effect(session: Session, *, scope: Scope, currency: str = "JPY") -> pd.DataFrame:
    """Hours and pay per cut in each department of the scope before and after it adopted AI (:func:`adoption`)."""
    adopted, months = q.adoption_rows(session, scope=scope, currency=currency)
    return adoption(adopted, months)


def adoption(adopted: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    """Before and after each department adopted AI, from :func:`analytics.queries.ai.adoption_rows`.

    A department adopts AI in the first month any of its work is AI-assisted. ``before`` covers its months up to
    then, ``after`` from then on; departments that never adopted have only ``before``. Cuts are distinct cuts worked
    on in the period. Columns: ``department``, ``adopted_month`` (datetime64 or NaT), ``period`` (before/after),
    ``cuts``, ``hours``, ``pay_amount``, ``hours_per_cut``, ``pay_per_cut`` (in the pay's currency), ``people``.
    """
    if months.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in ADOPTION_COLUMNS})
    adopted_map = dict(zip(adopted["department"], adopted["adopted_month"], strict=True))
    months = months.fillna({"pay_amount": 0.0, "cuts": 0})
    months["adopted_month"] = months["department"].map(adopted_map)
    months["period"] = [
        "after" if pd.notna(a) and m >= a else "before"
        for m, a in zip(months["month"], months["adopted_month"], strict=True)
    ]
    # Cuts and people are summed over months: a cut worked on in two months counts twice, like its hours do.
    out = months.groupby(["department", "period"], as_index=False, dropna=False).agg(
        adopted_month=("adopted_month", "first"),
        cuts=("cuts", "sum"),
        hours=("hours", "sum"),
        pay_amount=("pay_amount", "sum"),
        people=("people", "max"),
    )
    out["hours_per_cut"] = out["hours"] / out["cuts"].where(out["cuts"] > 0)
    out["pay_per_cut"] = out["pay_amount"] / out["cuts"].where(out["cuts"] > 0)
    out["period"] = pd.Categorical(out["period"], ["before", "after"])
    return out.sort_values(["department", "period"]).reset_index(drop=True)[ADOPTION_COLUMNS]


def unattributed_ai_use(session: Session, *, scope: Scope) -> pd.DataFrame:
    """AI use in the scope with no named human operator (:func:`unattributed`)."""
    rejected, operators = q.unattributed_rows(session, scope=scope)
    return unattributed(rejected, operators)


def unattributed(rejected: pd.DataFrame, operators: pd.DataFrame) -> pd.DataFrame:
    """AI use with no named human operator, from :func:`analytics.queries.ai.unattributed_rows`.

    Columns: ``source`` (``rejected_import``: a row refused for a missing operator; ``placeholder_operator``: a
    ledger record whose operator's name is a placeholder), ``reference`` (file and line, or ``ai_usage <id>``),
    ``production_id`` (nullable integer), ``value`` (what stood where a person should be), ``reason``.
    """
    rows = [
        {
            "source": "rejected_import",
            "reference": f"{r.filename}:{r.line}",
            "production_id": _id(r.production_id),
            "value": r.value,
            "reason": f"{r.reason} ({r.reason_code})",
        }
        for r in rejected.itertuples(index=False)
    ]
    for usage_id, prod, name in operators[["usage_id", "production_id", "operator"]].itertuples(index=False):
        if person_key(name) in PLACEHOLDER_OPERATOR_KEYS:
            rows.append(
                {
                    "source": "placeholder_operator",
                    "reference": f"ai_usage {usage_id}",
                    "production_id": _id(prod),
                    "value": name,
                    "reason": "the operator is a placeholder name, not a person",
                }
            )
    out = pd.DataFrame(rows, columns=UNATTRIBUTED_COLUMNS)
    out["production_id"] = out["production_id"].astype("Int64")  # ids with gaps stay ids, not floats
    return out


def _id(value: object) -> int | None:
    # A column of ids with a NULL among them arrives as floats.
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[arg-type]
