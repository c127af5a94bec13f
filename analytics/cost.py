"""Cost per episode and per cut: the pay that went into them, beside the hours.

Cost is pay attributed to the episode or cut (pay items that name it). Amounts are in ``currency``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.scope import AnalyticsError, check_range, frame, money, production_id
from data.periods import py_month_start
from data.schema import Cut, Episode, PayItem, Production, RollupCutMonth, RollupPayCell, RollupWorkMonth


def cost_per_episode(
    *,
    session: Session,
    production: str | int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    currency: str = "JPY",
) -> pd.DataFrame:
    """Pay and hours per episode, and per cut of the episode.

    Columns: ``production_id``, ``production``, ``episode_id``, ``episode``, ``cuts`` (in the episode's cut list),
    ``hours``, ``pay_amount``, ``cost_per_cut`` (pay ÷ cuts), ``hours_per_cut``, ``pay_per_hour``.
    """
    check_range(start, end)
    pid = production_id(session, production)
    w, c = RollupWorkMonth, RollupPayCell  # pay from the person-free cells: a few thousand rows

    def bounded(query, table):  # noqa: ANN001, ANN202
        if pid is not None:
            query = query.where(table.production_id == pid)
        if start is not None:
            query = query.where(table.month_start >= py_month_start(start))
        if end is not None:
            query = query.where(table.month_start <= end)
        return query

    hours = bounded(
        select(w.episode_id, (func.sum(w.minutes) / 60.0).label("hours")).where(w.episode_id.is_not(None)), w
    ).group_by(w.episode_id)
    pay = bounded(
        select(c.episode_id, money(func.sum(c.amount)).label("pay_amount")).where(
            c.episode_id.is_not(None), c.currency == currency
        ),
        c,
    ).group_by(c.episode_id)
    cuts = select(Cut.episode_id, func.count().label("cuts")).group_by(Cut.episode_id)
    episodes = select(
        Production.id.label("production_id"),
        Production.title.label("production"),
        Episode.id.label("episode_id"),
        Episode.label.label("episode"),
        Episode.number,
    ).join(Production, Production.id == Episode.production_id)
    if pid is not None:
        episodes = episodes.where(Production.id == pid)
    df = frame(session, episodes)
    df = df.merge(frame(session, cuts), on="episode_id", how="left")
    df = df.merge(frame(session, hours), on="episode_id", how="left")
    df = df.merge(frame(session, pay), on="episode_id", how="left")
    df = df.fillna({"cuts": 0, "hours": 0.0, "pay_amount": 0.0})
    df = df[(df["hours"] > 0) | (df["pay_amount"] > 0)]
    df["cuts"] = df["cuts"].astype(int)
    df["cost_per_cut"] = df["pay_amount"] / df["cuts"].where(df["cuts"] > 0)
    df["hours_per_cut"] = df["hours"] / df["cuts"].where(df["cuts"] > 0)
    df["pay_per_hour"] = df["pay_amount"] / df["hours"].where(df["hours"] > 0)
    df = df.sort_values(["production", "number", "episode"]).reset_index(drop=True)
    return df[
        [
            "production_id",
            "production",
            "episode_id",
            "episode",
            "cuts",
            "hours",
            "pay_amount",
            "cost_per_cut",
            "hours_per_cut",
            "pay_per_hour",
        ]
    ]


def cost_per_cut(
    *,
    session: Session,
    production: str | int,
    episode: str | None = None,
    currency: str = "JPY",
) -> pd.DataFrame:
    """Pay and hours per cut of one production (optionally one episode, by label).

    Columns: ``episode_id``, ``episode``, ``cut_id``, ``cut_number``, ``hours``, ``ai_hours``, ``pay_amount``,
    ``pay_per_hour``. Cuts with neither work nor pay are left out.
    """
    pid = production_id(session, production)
    if pid is None:
        raise AnalyticsError("cost per cut needs a production; pass its title or id")
    cm, pi = RollupCutMonth, PayItem
    # The person-free month × cut × role rollup: a production's cuts without reading the work log.
    hours = (
        select(
            cm.cut_id,
            (func.sum(cm.minutes) / 60.0).label("hours"),
            (func.sum(cm.ai_minutes) / 60.0).label("ai_hours"),
        )
        .where(cm.production_id == pid)
        .group_by(cm.cut_id)
    )
    pay = (
        select(pi.cut_id, money(func.sum(pi.amount)).label("pay_amount"))
        .where(pi.production_id == pid, pi.cut_id.is_not(None), pi.currency == currency)
        .group_by(pi.cut_id)
    )
    cuts = (
        select(Episode.id.label("episode_id"), Episode.label.label("episode"), Cut.id.label("cut_id"), Cut.cut_number)
        .join(Episode, Episode.id == Cut.episode_id)
        .where(Episode.production_id == pid)
    )
    if episode is not None:
        cuts = cuts.where(Episode.label == str(episode))
    df = frame(session, cuts.order_by(Episode.number, Episode.label, Cut.id))
    df = df.merge(frame(session, hours), on="cut_id", how="left").merge(frame(session, pay), on="cut_id", how="left")
    df = df.fillna({"hours": 0.0, "ai_hours": 0.0, "pay_amount": 0.0})
    df = df[(df["hours"] > 0) | (df["pay_amount"] > 0)].reset_index(drop=True)
    df["pay_per_hour"] = df["pay_amount"] / df["hours"].where(df["hours"] > 0)
    return df[["episode_id", "episode", "cut_id", "cut_number", "hours", "ai_hours", "pay_amount", "pay_per_hour"]]
