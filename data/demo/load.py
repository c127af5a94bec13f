"""The orchestrator: write one studio part by part on a shared :class:`~data.demo.state.Studio`, in one transaction.

The order is fixed (IDs follow it): organizations, productions, the crew, then each person's work logs, pay and leave
ledger, the AI ledger, the credits; the rollups are refreshed and the accounts created last.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from data import rollup
from data.demo.accounts import write_accounts
from data.demo.ai_ledger import write_ai_ledger
from data.demo.cast import cast_crew
from data.demo.credits import write_credits
from data.demo.errors import DemoError
from data.demo.la_payroll import pay_la
from data.demo.leave import write_leave_ledger
from data.demo.organizations import write_organizations
from data.demo.pay import pay_jp
from data.demo.presets import STUDIO, Preset
from data.demo.productions import write_productions
from data.demo.rules import read_rules
from data.demo.spec import FIRST_DAY
from data.demo.state import Member, Studio
from data.demo.work import work_days
from data.demo.writer import DEMO_TABLES, RowWriter
from data.engine import is_empty, session_scope
from data.i18n import N_
from data.schema import Base, Role

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoSummary:
    """What one ``load_demo`` call wrote."""

    seed: int
    scale: float
    first_day: dt.date
    last_day: dt.date
    organizations: int
    services: int
    productions: int
    episodes: int
    cuts: int
    people: int
    person_aliases: int
    employments: int
    leave_entries: int
    work_logs: int
    pay_items: int
    ai_usages: int
    credit_lines: int
    accounts: int
    peak_buffered_rows: int = field(compare=False)  # the most rows held in memory at once: bounded by the chunk
    seconds: float = field(compare=False)

    def lines(self) -> list[str]:
        return [f"{f.name:>18}: {getattr(self, f.name)}" for f in fields(self)]


def load_demo(
    engine: Engine,
    *,
    seed: int = 42,
    scale: float = 1.0,
    preset: Preset = STUDIO,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty database with the studio of ``preset`` (the full demo by default) for ``seed``; ``scale``
    multiplies the piece-work crews. Commits; on PostgreSQL the ID sequences are then moved past the demo's rows.

    Raises :class:`DemoError` when the database already holds studio data or ``scale`` is not positive.
    """
    if not (scale > 0):
        raise DemoError(
            N_("the scale must be a positive number, not {scale}: 1.0 is the demo studio, 119 ≈ 5M work logs"),
            fix={"cli": N_("pass a positive --scale"), "page": N_("choose a positive scale")},
            scale=scale,
        )
    if not is_empty(engine) or not _demo_tables_empty(engine):
        raise DemoError(
            N_("the database at {url} already holds studio data"),
            fix={
                "cli": N_("load the demo into an empty database (or pass --if-empty to skip when it is not empty)"),
                "page": N_("load the demo into an empty database"),
            },
            url=engine.url.render_as_string(hide_password=True),
        )
    started = time.perf_counter()
    with session_scope(engine) as session:
        counts = write_studio(session, seed=int(seed), scale=float(scale), preset=preset, progress=progress)
    if engine.dialect.name == "postgresql":
        _advance_sequences(engine)
    return DemoSummary(
        seed=int(seed),
        scale=float(scale),
        first_day=FIRST_DAY,
        last_day=preset.last_day,
        seconds=round(time.perf_counter() - started, 2),
        **counts,
    )


def write_studio(
    session: Session,
    *,
    seed: int,
    scale: float = 1.0,
    preset: Preset = STUDIO,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the studio into ``session``'s transaction (never commits) and refresh the rollups over its year.
    Returns the rows written per kind, keyed as :class:`DemoSummary`'s counts (``peak_buffered_rows`` included)."""
    studio = Studio(
        seed=seed,
        scale=scale,
        preset=preset,
        out=RowWriter(session.connection(), progress),
        roles={r.code: r for r in session.scalars(select(Role))},
        rules=read_rules(session, on=FIRST_DAY),
        progress=progress,
    )
    write_organizations(studio)
    write_productions(studio)
    cast_crew(studio)
    for m in studio.members:
        _work_and_pay(studio, m)
    studio.out.flush()
    write_ai_ledger(studio)
    write_credits(studio)
    studio.out.flush()
    rollup.refresh(session, person_ids=None, start=FIRST_DAY, end=preset.last_day)
    write_accounts(session, studio)
    return _counts(studio)


def _work_and_pay(studio: Studio, m: Member) -> None:
    days = work_days(studio, m)
    if not days:
        return
    for d in days:
        for row in d["logs"]:
            studio.out.add("work_log", row)
    if m.spec.la:
        pay_la(studio, m, days)
    else:
        pay_jp(studio, m, days)
        write_leave_ledger(studio, m, {d["date"] for d in days})


def _counts(studio: Studio) -> dict[str, int]:
    c = studio.out.counts
    return dict(
        organizations=c.get("organization", 0),
        services=c.get("service", 0),
        productions=c.get("production", 0),
        episodes=c.get("episode", 0),
        cuts=c.get("cut", 0),
        people=c.get("person", 0),
        person_aliases=c.get("person_alias", 0),
        employments=c.get("employment", 0),
        leave_entries=c.get("annual_leave", 0),
        work_logs=c.get("work_log", 0),
        pay_items=c.get("pay_item", 0),
        ai_usages=c.get("ai_usage", 0),
        credit_lines=c.get("credit_line", 0),
        accounts=c.get("account", 0),
        peak_buffered_rows=studio.out.peak,
    )


def _demo_tables_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        for name in ("organization", "production", "person_alias", "work_log", "pay_item", "credit_line"):
            if conn.execute(select(text("1")).select_from(Base.metadata.tables[name]).limit(1)).first():
                return False
    return True


def _advance_sequences(engine: Engine) -> None:
    # Rows carry explicit IDs, so PostgreSQL's sequences must catch up before anyone else inserts.
    with engine.begin() as conn:
        for name in DEMO_TABLES:
            table = Base.metadata.tables[name]
            if "id" not in table.c:
                continue
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
                    f"FROM {name}"
                )
            )
