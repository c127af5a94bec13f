"""The employer's week: which weekday each day's week starts on, for the overtime of the day rollup.

The work rules (就業規則) of the employer, or the contract, say which day a week starts; where they say nothing it is
Sunday, the rule parameter ``hours.week_start_default`` (LSA Art. 32; 昭和63年1月1日 基発第1号). The contract's
``week_start`` wins over its employer's; a day without a contract takes the default. Weekly overtime arises in that
week (:func:`data.law.overtime.jp_overtime`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.periods import week_start_days
from data.schema import Employment, Organization

IntArray = npt.NDArray[np.int64]


def contract_weeks(session: Session, employment_ids: Sequence[int | None]) -> dict[int, str]:
    """The first weekday of each contract's week that is recorded (the contract's, else its employer's)."""
    ids = sorted({int(i) for i in employment_ids if i is not None})
    if not ids:
        return {}
    e, o = Employment, Organization
    week = func.coalesce(e.week_start, o.week_start)
    rows = session.execute(select(e.id, week).join(o, o.id == e.employer_id).where(e.id.in_(ids), week.is_not(None)))
    return {int(i): str(w) for i, w in rows}


def day_week_starts(employment: Sequence[int | None], weeks: dict[int, str], default: str) -> list[str]:
    """Per day (its contract in force, None: none), the weekday its week starts on."""
    return [default if e is None else weeks.get(e, default) for e in employment]


def week_keys(person_id: IntArray, day: IntArray, starts: Sequence[str]) -> IntArray:
    """A key equal for the days of one person's week (each day's week starting on its own weekday) and different
    between weeks: person and the week's first day together. Days are sorted by person then date."""
    codes = np.asarray(starts, dtype=object)
    first = np.empty(len(day), dtype=np.int64)
    for code in set(starts):
        mine = codes == code
        first[mine] = week_start_days(day[mine], code)
    return (person_id.astype(np.int64) << 32) + (first + (1 << 31))
