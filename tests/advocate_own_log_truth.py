"""What the attacker (tests/advocate_attacker.py) knows of the artists' own logs, read with its own SQL from the
documented semantics of the advocates' reconciliation aggregate: the months artists opted in, each day's own-logged
minutes beside the studio's, and what counts as missing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.rollup import UNASSIGNED
from data.schema import OwnLogAdvocateMonth, OwnLogEntry, RollupPersonDay

# The reconciliation's documented tolerance: a day the studio's record shows less by no more than this is matched.
OWN_LOG_MATCH_MINUTES = 15


def _date(value: Any) -> pd.Timestamp:
    return pd.Timestamp(str(value)[:10])


def own_log_units(session: Session, pm: pd.DataFrame) -> pd.DataFrame:
    """The opted-in person-months with own-logged hours: ``person_id``, ``month``, ``role`` (the month's main role
    in the studio's record), ``own_minutes``, ``missing_minutes`` (on each day the studio's record shows less by
    more than the tolerance, or has no hours: own minus studio)."""
    columns = ["person_id", "month", "role", "own_minutes", "missing_minutes"]
    opted = {(int(p), _date(m)) for p, m in session.execute(
        select(OwnLogAdvocateMonth.person_id, OwnLogAdvocateMonth.month_start))}  # fmt: skip
    if not opted:
        return pd.DataFrame(columns=columns)
    e, d = OwnLogEntry, RollupPersonDay
    own = pd.DataFrame(session.execute(select(e.person_id, e.work_date, e.seconds / 60.0)).all(),
                       columns=["person_id", "day", "own"]).groupby(["person_id", "day"], as_index=False)["own"].sum()  # fmt: skip
    studio = pd.DataFrame(session.execute(select(d.person_id, d.work_date, d.seconds / 60.0)).all(),
                          columns=["person_id", "day", "studio"])  # fmt: skip
    days = own.merge(studio, on=["person_id", "day"], how="left").fillna({"studio": 0.0})
    days["month"] = [_date(day).replace(day=1) for day in days["day"]]
    days = days[[(int(p), m) in opted for p, m in zip(days["person_id"], days["month"], strict=True)]]
    gap = days["own"] - days["studio"]
    days = days.assign(missing=np.where((days["studio"] <= 0) | (gap > OWN_LOG_MATCH_MINUTES), gap, 0.0))
    units = days.groupby(["person_id", "month"], as_index=False).agg(own_minutes=("own", "sum"),
                                                                     missing_minutes=("missing", "sum"))  # fmt: skip
    units = units[units["own_minutes"] > 0]
    roles = {(int(p), m): r for p, m, r in zip(pm["person_id"], pm["month"], pm["role"], strict=True)}
    units["role"] = [roles.get((int(p), m), UNASSIGNED) for p, m in zip(units["person_id"], units["month"],
                                                                       strict=True)]  # fmt: skip
    return units[columns].reset_index(drop=True)
