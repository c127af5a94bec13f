"""Cost per episode and per cut: the pay that went into them, beside the hours.

Cost is pay attributed to the episode or cut (pay items that name it). Amounts are in ``currency``. The rows come
from :mod:`analytics.queries.cost`; the ratios are computed here, on frames.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from analytics.errors import AnalyticsError
from analytics.queries import cost as q
from analytics.scope import Scope
from data.i18n import N_

EPISODE_COLUMNS = ["production_id", "production", "episode_id", "episode", "cuts", "hours", "pay_amount",
                   "cost_per_cut", "hours_per_cut", "pay_per_hour"]  # fmt: skip
CUT_COLUMNS = ["episode_id", "episode", "cut_id", "cut_number", "hours", "ai_hours", "pay_amount", "pay_per_hour"]


def cost_per_episode(session: Session, *, scope: Scope, currency: str = "JPY") -> pd.DataFrame:
    """Pay and hours per episode of the scope's productions, and per cut of the episode (:func:`episode_costs`)."""
    return episode_costs(q.episode_rows(session, scope=scope, currency=currency))


def episode_costs(rows: pd.DataFrame) -> pd.DataFrame:
    """Episodes of ``rows`` (:func:`analytics.queries.cost.episode_rows`) with work or pay, and their ratios.

    Columns: ``production_id``, ``production``, ``episode_id``, ``episode``, ``cuts`` (in the episode's cut list),
    ``hours``, ``pay_amount``, ``cost_per_cut`` (pay ÷ cuts), ``hours_per_cut``, ``pay_per_hour``.
    """
    df = rows.fillna({"cuts": 0, "hours": 0.0, "pay_amount": 0.0})
    df = df[(df["hours"] > 0) | (df["pay_amount"] > 0)].copy()
    df["cuts"] = df["cuts"].astype(int)
    df["cost_per_cut"] = df["pay_amount"] / df["cuts"].where(df["cuts"] > 0)
    df["hours_per_cut"] = df["hours"] / df["cuts"].where(df["cuts"] > 0)
    df["pay_per_hour"] = df["pay_amount"] / df["hours"].where(df["hours"] > 0)
    df = df.sort_values(["production", "number", "episode"]).reset_index(drop=True)
    return df[EPISODE_COLUMNS]


def cost_per_cut(session: Session, *, scope: Scope, episode: str | None = None, currency: str = "JPY") -> pd.DataFrame:
    """Pay and hours per cut of the scope's productions (optionally one episode, by label): :func:`cut_costs`.

    A cut list has no date, so the period does not apply; at least one production must be selected.
    """
    if not scope.productions:
        raise AnalyticsError(
            N_("cost per cut needs a production"),
            fix={"cli": N_("pass --production with its title or id"), "page": N_("choose a production in the sidebar")},
        )
    return cut_costs(q.cut_rows(session, scope=scope, episode=episode, currency=currency))


def cut_costs(rows: pd.DataFrame) -> pd.DataFrame:
    """Cuts of ``rows`` (:func:`analytics.queries.cost.cut_rows`) with work or pay, and pay per hour.

    Columns: ``episode_id``, ``episode``, ``cut_id``, ``cut_number``, ``hours``, ``ai_hours``, ``pay_amount``,
    ``pay_per_hour``.
    """
    df = rows.fillna({"hours": 0.0, "ai_hours": 0.0, "pay_amount": 0.0})
    df = df[(df["hours"] > 0) | (df["pay_amount"] > 0)].reset_index(drop=True)
    df["pay_per_hour"] = df["pay_amount"] / df["hours"].where(df["hours"] > 0)
    return df[CUT_COLUMNS]
