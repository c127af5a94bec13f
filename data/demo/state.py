"""The generator's shared state (:class:`Studio`), one crew member's decisions (:class:`Member`), and the small
helpers every part uses: seeded random streams, months, money.

Every random draw comes from a numpy ``Generator`` seeded with ``(seed, stream, index)``, so a person's year does not
depend on who was generated before them and ``--scale`` adds people without changing the base crew.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from data.demo.presets import CrewSpec, Preset
from data.demo.rules import Rules
from data.demo.spec import FIRST_DAY
from data.demo.writer import RowWriter
from data.schema import Role


@dataclass
class Member:
    """One person of the demo crew and everything the generator decided about them."""

    pid: int
    spec: CrewSpec
    role: Role
    rng: np.random.Generator
    employee: bool
    employment_type: str
    prefecture: str | None
    stints: list[tuple[str, dt.date, dt.date]]
    tv_episodes: list[int] = field(default_factory=list)
    windows: list[tuple[int, dt.date, dt.date]] = field(default_factory=list)  # per-episode (ep, from, to)
    salary: int | None = None
    hourly: float | None = None
    piece: dict[str, tuple[str, str, float, float]] = field(default_factory=dict)  # prod -> basis, kind, rate, h/unit
    episode_fee: int | None = None
    fixed_fees: list[tuple[str, dt.date, dt.date, int]] = field(default_factory=list)
    monthly_fee: dict[str, int] = field(default_factory=dict)
    scheduled_hours: float | None = None
    daily_hours: float | None = None  # paid by the day (日給): the scheduled hours of a day
    premium_mode: str = "ok"
    no_rest_in_crunch: bool = False
    alias_ids: dict[str, int] = field(default_factory=dict)  # 'real', 'pen', 'variant'
    person: dict[str, Any] = field(default_factory=dict)
    employment_start: dt.date = FIRST_DAY
    employment_end: dt.date | None = None
    service_start: dt.date | None = None  # first day of the (first) contract: annual leave counts from it


class Ids:
    """The next explicit ID per table: rows carry their IDs, so a seed gives the same IDs on every backend."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        n = self._next.get(table, 1)
        self._next[table] = n + 1
        return n

    def skip_to(self, table: str, next_id: int) -> None:
        self._next[table] = next_id


@dataclass
class Studio:
    """What the parts of the generator share while one studio is written: the seed, the preset, the row writer,
    the roles, the law (read from the database being written), and what earlier parts decided (the crew, the episodes' and cuts' IDs, the aliases to credit)."""

    seed: int
    scale: float
    preset: Preset
    out: RowWriter
    roles: dict[str, Role]
    rules: Rules
    progress: Callable[[str], None] | None = None
    ids: Ids = field(default_factory=Ids)
    members: list[Member] = field(default_factory=list)
    creator: Member | None = None  # the original creator of the series: credited, never logs work here
    episode_ids: dict[tuple[str, int], int] = field(default_factory=dict)
    cut_ids: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    org_alias_ids: dict[int, int] = field(default_factory=dict)  # org id -> its main alias id
    placeholder_alias: dict[str, int] = field(default_factory=dict)
    uncredited_tv: list[int] = field(default_factory=list)


def rng(seed: int, *keys: int | str) -> np.random.Generator:
    """The random stream of ``seed`` for ``keys`` (a stream name and indices)."""
    ints = [zlib.crc32(k.encode()) if isinstance(k, str) else int(k) for k in keys]
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, *ints])


def tri(stream: np.random.Generator, low_mode_high: Sequence[float]) -> float:
    """A draw from the triangular distribution (low, mode, high)."""
    low, mode, high = low_mode_high
    return float(stream.triangular(low, mode, high))


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from ``start``'s to ``end``'s."""
    out, d = [], start.replace(day=1)
    while d <= end:
        out.append(d)
        d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def months_later(d: dt.date, n: int) -> dt.date:
    """The same day ``n`` months later (the month's last day when it has fewer days)."""
    year, month = divmod(d.year * 12 + d.month - 1 + n, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def month_end(d: dt.date) -> dt.date:
    """The last day of ``d``'s month."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def yen(x: float) -> Decimal:
    """``x`` rounded to whole yen (half to even)."""
    return Decimal(int(round(x)))


def usd(x: float) -> Decimal:
    """``x`` rounded to cents."""
    return Decimal(f"{x:.2f}")
