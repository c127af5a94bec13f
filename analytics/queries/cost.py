"""Hours and pay per episode and per cut, from the person-free rollups (a few thousand rows at any studio size)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.queries.base import frame, money, scoped
from analytics.scope import Scope
from data.schema import (
    Cut,
    Episode,
    PayItem,
    Production,
    RollupCutTotal,
    RollupPayCell,
    RollupWorkCell,
    RollupWorkMonth,
)


def episode_rows(session: Session, *, scope: Scope, currency: str = "JPY") -> pd.DataFrame:
    """The episodes of the scope's productions (all when none is selected) with their cut count and the hours and
    pay in ``currency`` of the scope's rows.

    Columns: ``production_id``, ``production``, ``episode_id``, ``episode``, ``number``, ``cuts`` (in the episode's
    cut list), ``hours``, ``pay_amount`` (NaN where none).
    """
    # Work from the person-free cells (a few thousand rows) unless the scope names people; pay always.
    w, c = RollupWorkMonth if scope.people is not None else RollupWorkCell, RollupPayCell
    hours = scoped(
        select(w.episode_id, (func.sum(w.seconds) / 3600.0).label("hours")).where(w.episode_id.is_not(None)), w, scope
    ).group_by(w.episode_id)
    pay = scoped(
        select(c.episode_id, money(func.sum(c.amount)).label("pay_amount")).where(
            c.episode_id.is_not(None), c.currency == currency
        ),
        c,
        scope,
    ).group_by(c.episode_id)
    cuts = select(Cut.episode_id, func.count().label("cuts")).group_by(Cut.episode_id)
    # One statement: a few dozen episodes joined in SQL cost less than three frames merged in pandas.
    cuts, hours, pay = cuts.subquery("cuts"), hours.subquery("hours"), pay.subquery("pay")
    episodes = (
        select(
            Production.id.label("production_id"),
            Production.title.label("production"),
            Episode.id.label("episode_id"),
            Episode.label.label("episode"),
            Episode.number,
            cuts.c.cuts,
            hours.c.hours,
            pay.c.pay_amount,
        )
        .join(Production, Production.id == Episode.production_id)
        .outerjoin(cuts, cuts.c.episode_id == Episode.id)
        .outerjoin(hours, hours.c.episode_id == Episode.id)
        .outerjoin(pay, pay.c.episode_id == Episode.id)
    )
    if scope.productions:
        episodes = episodes.where(Production.id.in_(scope.productions))
    return _floats(frame(session, episodes, raw=True), ("cuts", "hours", "pay_amount"))


def _floats(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """``df`` with ``columns`` as floats (NaN where NULL), as a left merge of the numbers would have made them."""
    for column in columns:
        df[column] = df[column].astype("float64")
    return df


def cut_rows(session: Session, *, scope: Scope, episode: str | None = None, currency: str = "JPY") -> pd.DataFrame:
    """The cuts of the scope's productions (optionally of one episode, by label) with the hours, AI-assisted hours
    and pay in ``currency`` of the scope's rows (all time: a cut list has no period).

    Columns: ``episode_id``, ``episode``, ``cut_id``, ``cut_number``, ``hours``, ``ai_hours``, ``pay_amount``
    (NaN where none).
    """
    cm, pi = RollupCutTotal, PayItem
    everything = scope.replace(start=None, end=None)
    # The person-free cut × role totals: a production's cuts without reading the work log or each month worked.
    hours = scoped(
        select(
            cm.cut_id,
            (func.sum(cm.seconds) / 3600.0).label("hours"),
            (func.sum(cm.ai_seconds) / 3600.0).label("ai_hours"),
        ),
        cm,
        everything,
    ).group_by(cm.cut_id)
    pay = scoped(
        select(pi.cut_id, money(func.sum(pi.amount)).label("pay_amount")).where(
            pi.cut_id.is_not(None), pi.currency == currency
        ),
        pi,
        everything,
    ).group_by(pi.cut_id)
    hours, pay = hours.subquery("hours"), pay.subquery("pay")
    cuts = (
        select(Episode.id.label("episode_id"), Episode.label.label("episode"), Cut.id.label("cut_id"), Cut.cut_number,
               hours.c.hours, hours.c.ai_hours, pay.c.pay_amount)
        .join(Episode, Episode.id == Cut.episode_id)
        .outerjoin(hours, hours.c.cut_id == Cut.id)
        .outerjoin(pay, pay.c.cut_id == Cut.id)
        .where(Episode.production_id.in_(scope.productions))
    )  # fmt: skip
    if episode is not None:
        cuts = cuts.where(Episode.label == str(episode))
    df = frame(session, cuts.order_by(Episode.number, Episode.label, Cut.id), raw=True)
    return _floats(df, ("hours", "ai_hours", "pay_amount"))
