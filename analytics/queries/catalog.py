"""The productions as entered: each production with its other names, its episodes and their cuts, and the roles and
departments worked on it (the Productions page)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.queries.base import frame
from data.schema import Cut, Episode, Production, ProductionAlias, Role, RollupWorkMonth


def production_rows(session: Session) -> pd.DataFrame:
    """Every production, by title. Columns: ``production_id``, ``title``, ``title_romaji``, ``title_en``, ``kind``,
    ``start_date``, ``end_date`` (datetime64), ``ai_policy``, ``episodes`` (count), ``aliases`` (the other names
    imports know it by, joined with " / ")."""
    episodes = select(Episode.production_id, func.count().label("episodes")).group_by(Episode.production_id).subquery()
    p = Production
    rows = frame(session, select(
        p.id.label("production_id"), p.title, p.title_romaji, p.title_en, p.kind, p.start_date, p.end_date,
        p.ai_policy, func.coalesce(episodes.c.episodes, 0).label("episodes"),
    ).outerjoin(episodes, episodes.c.production_id == p.id).order_by(p.title), dates=("start_date", "end_date"))  # fmt: skip
    aliases = frame(session, select(ProductionAlias.production_id, ProductionAlias.text).order_by(ProductionAlias.id))
    joined = aliases.groupby("production_id")["text"].agg(" / ".join)
    rows["aliases"] = rows["production_id"].map(joined).astype(object)
    return rows


def episode_rows(session: Session, production_id: int) -> pd.DataFrame:
    """The episodes of one production, by number then label. Columns: ``episode_id``, ``label``, ``number``,
    ``title``, ``delivery_date`` (datetime64), ``cuts`` (count)."""
    cuts = select(Cut.episode_id, func.count().label("cuts")).group_by(Cut.episode_id).subquery()
    e = Episode
    return frame(session, select(
        e.id.label("episode_id"), e.label, e.number, e.title, e.delivery_date,
        func.coalesce(cuts.c.cuts, 0).label("cuts"),
    ).outerjoin(cuts, cuts.c.episode_id == e.id).where(e.production_id == production_id)
        .order_by(e.number, e.label), dates=("delivery_date",))  # fmt: skip


def cut_rows(session: Session, episode_id: int) -> pd.DataFrame:
    """The cuts of one episode, by number. Columns: ``cut_id``, ``cut_number``, ``seconds``, ``frames``,
    ``sheets``."""
    c = Cut
    return frame(session, select(c.id.label("cut_id"), c.cut_number, c.seconds, c.frames, c.sheets)
                 .where(c.episode_id == episode_id).order_by(c.cut_number))  # fmt: skip


def role_rows(session: Session, production_id: int) -> pd.DataFrame:
    """The roles worked on one production, most hours first. Columns: ``role`` (the role's English name, as views
    give it), ``department``, ``hours``, ``people``."""
    w = RollupWorkMonth
    return frame(session, select(
        Role.en.label("role"), Role.department, (func.sum(w.seconds) / 3600.0).label("hours"),
        func.count(func.distinct(w.person_id)).label("people"),
    ).join(Role, Role.id == w.role_id).where(w.production_id == production_id)
        .group_by(Role.en, Role.department).order_by(func.sum(w.seconds).desc()))  # fmt: skip
