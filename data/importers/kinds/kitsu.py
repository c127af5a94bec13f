"""Kitsu exports: the time-spent list (``kitsu_time_spent``: ``;``-separated, minutes) and the timesheet grid at
day detail (``kitsu_timesheet``: a person per row, hours per day column). Both become work logs, except the time of
AI agents ("bots"), which becomes AI-usage evidence (:class:`Bots`). The persons export is
:mod:`data.importers.kinds.kitsu_persons`.

**AI agents.** Time a bot account logged is AI-usage evidence, never a person's hours. Kitsu lets projects assign
tasks to AI agents ("bots") that log time like people do, and its time-spent export does not leave them out: an
agent's minutes arrive under a person-like name. A Person column is read as a bot only on
evidence that can be said out loud, and the evidence is kept with the row:

1. **the import names it**: ``bots`` (``--bot NAME[=OPERATOR]``), optionally with the person who ran it;
2. **the persons export flagged it**: a Kitsu persons export with a bot column (Kitsu's ``is_bot``) records each
   bot account as a service (:mod:`data.importers.kinds.kitsu_persons`); likewise any AI tool or agent already
   registered as a service under that name;
3. **the name says so**: it ends in ``[bot]`` or ``(bot)``, the convention of bot accounts.

A bot's row becomes an ``ai_usage`` entry (tool = the agent, operator = the person who ran it, the seconds and the
evidence in its ``params``) when its operator is known; otherwise the row is rejected as ``bot_operator_unknown``
and the agent is queued for review (a person picks who ran it), so its hours are accounted for and booked to no one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from data.i18n import N_
from data.importers import units as u
from data.importers.context import ImportContext
from data.importers.errors import ImportFailed, RowError
from data.importers.kinds import work_logs
from data.importers.reading import TOTAL, csv_rows, hkey, mapped
from data.importers.registry import Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.tracker import cell, check_totals, work_log
from data.importers.upsert import digest
from data.names import person_key
from data.schema import AiUsage, PersonMatchReview, Service

_GRID_UNIT = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2})$")


BOT_NAME = re.compile(r"[\[(]\s*bot\s*[\])]\s*$", re.IGNORECASE)
FIX = "name the person who ran it (--bot 'NAME=OPERATOR' on the command line, or in the review queue) and import again"


@dataclass(frozen=True)
class Bot:
    """An agent recognized in a file: its name as written, the evidence, the operator's name or email if known."""

    name: str
    evidence: str
    operator: str | None


class Bots:
    """The bots of one import (see the module docstring) and the AI-usage rows their time becomes."""

    def __init__(self, session: Session, *, ctx: ImportContext, named: dict[str, str | None]) -> None:
        self.ctx = ctx
        self.named = {person_key(k): (k, v) for k, v in named.items() if person_key(k)}
        self.services: dict[str, tuple[int, str]] = {}
        for sid, name, key in session.execute(select(Service.id, Service.name, Service.match_key)):
            self.services.setdefault(key, (sid, name))
        self.reviewed: set[str] = set()

    def recognize(self, name: str | None) -> Bot | None:
        """The bot ``name`` is, with every piece of evidence for it, or None for a person."""
        if not name:
            return None
        key = person_key(name)
        evidence, operator = [], None
        if key in self.named:
            written, operator = self.named[key]
            evidence.append(f"named as an AI agent for this import ({written!r})")
        if key in self.services:
            evidence.append(f"the name of the AI tool or agent {self.services[key][1]!r} registered in Endroll")
        if BOT_NAME.search(name):
            evidence.append("the account's name ends in [bot]")
        return Bot(name, "; ".join(evidence), operator) if evidence else None

    def _service(self, session: Session, bot: Bot) -> int:
        key = person_key(bot.name)
        if key not in self.services:
            sid = session.execute(
                insert(Service).values(name=bot.name[:200], match_key=key[:200], kind="other").returning(Service.id)
            ).scalar_one()
            self.services[key] = (sid, bot.name)
            self.ctx.summary.count("services_created")
        return self.services[key][0]

    def write(self, session: Session, item: Item, bot: Bot) -> None:
        """The row ``item`` (a parsed work log naming ``bot``) as AI-usage evidence, or rejected for review; it ends
        imported, updated, unchanged or rejected."""
        v = item.value
        ctx = self.ctx
        if bot.operator is None:
            if bot.name not in self.reviewed:
                self.reviewed.add(bot.name)
                session.add(PersonMatchReview(
                    batch_id=ctx.batch.id, line=item.line, name=bot.name[:200],
                    candidate_ids={"ids": [], "bot": True, "evidence": bot.evidence}, raw=item.raw[:10000],
                    status="open",
                ))  # fmt: skip
                ctx.matcher.reviews += 1
            ctx.reject(item.line, item.raw, RowError(
                "bot_operator_unknown",
                f"time logged by the AI agent {bot.name!r} ({bot.evidence}) is AI-usage evidence, not a person's "
                f"hours, and nobody is named as who ran it: {FIX}",
                column="Person", value=bot.name,
            ))  # fmt: skip
            return
        try:
            operator = ctx.matcher.match(bot.operator, bot.operator if "@" in bot.operator else None, line=item.line,
                                         raw=item.raw)  # fmt: skip
            refs = ctx.refs.resolve(v)
        except RowError as exc:
            ctx.reject(item.line, item.raw, exc)
            return
        params = {
            "source": ctx.fmt,
            "seconds": v["seconds"],
            "work_date": v["work_date"].isoformat(),
            "task": v["task"],
            "note": v["note"],
            "agent": bot.name,
            "evidence": bot.evidence,
        }
        values: dict[str, Any] = {
            "asset_path": f"{ctx.fmt}:{v['production'] or ''}/{v['note'] or ''}/{v['task'] or ''}"[:1000],
            "service_id": self._service(session, bot),
            "operator_id": operator,
            "stage": "generation",
            "production_id": refs["production_id"],
            "episode_id": refs["episode_id"],
            "cut_id": refs["cut_id"],
            "params": params,
            "created_at": dt.datetime.combine(v["work_date"], dt.time()),
        }
        key = f"{ctx.fmt[:40]}:bot:{digest((person_key(bot.name), v['work_date'].isoformat(), *v['key']))}"
        t = AiUsage.__table__
        old = session.execute(select(t).where(t.c.source_key == key)).mappings().one_or_none()
        if old is None:
            session.execute(insert(t).values(**values, source_key=key, batch_id=ctx.batch.id))
            ctx.summary.imported += 1
            ctx.summary.count("ai_agent_entries")
            ctx.warn(item.line, item.raw, "ai_agent_time", f"time of the AI agent {bot.name!r} ({bot.evidence}) "
                     "was recorded as AI usage operated by the person named, not as anyone's hours", column="Person",
                     value=bot.name)  # fmt: skip
            ctx.refs.used(v["production"])
            return
        # The evidence can grow between imports (the first one registered the agent as a service): not a change.
        same_params = {**(old["params"] or {}), "evidence": params["evidence"]} == params
        changed = {c: old[c] for c in values if old[c] != values[c] and not (c == "params" and same_params)}
        if changed:
            session.execute(update(t).where(t.c.id == old["id"]).values(**values, batch_id=ctx.batch.id))
            ctx.audit("import.update.ai_usage", "ai_usage", old["id"], changed, {c: values[c] for c in changed})
            ctx.summary.updated += 1
        else:
            ctx.summary.unchanged += 1
        ctx.refs.used(v["production"])


def parse_time_spent(row: SourceRow) -> dict[str, Any]:
    """A time-spent row → a work log; a Shot entity ``EP03 / SQ01 / SH042`` gives its episode and cut."""
    check_totals(row, ("person",))
    day = u.iso_date(cell(row, "date"), "Date")
    seconds = u.seconds_from_minutes(cell(row, "time spent") or "0", "Time spent")
    if seconds == 0:
        raise RowError("zero_duration", "no time spent (Kitsu records only positive durations)", column="Time spent",
                       value=cell(row, "time spent"))  # fmt: skip
    etype, entity, task = cell(row, "entity type name").strip(), cell(row, "entity").strip(), cell(row, "task type")
    episode = cut = None
    if etype.casefold() == "shot" and entity:
        parts = [p for p in re.split(r"\s*/\s*", entity) if p]
        cut = parts[-1]
        episode = parts[0] if len(parts) >= 3 else None
    return work_log(
        person=cell(row, "person").strip(),
        work_date=day,
        seconds=seconds,
        production=u.text(cell(row, "project")),
        episode=episode,
        cut=cut,
        task=u.text(task),
        note=f"{etype}: {entity}" if entity else None,
        key=("kitsu", etype, entity, task.strip()),  # Kitsu keeps one TimeSpent per person, task and day
    )


def read_time_spent(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse_time_spent`."""
    return mapped(source.path, parse_time_spent)


def write_entries(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """People's rows as work logs (:func:`data.importers.kinds.work_logs.write`); rows of an AI agent as AI usage
    (:class:`Bots`), never as a person's hours."""
    bots = Bots(session, ctx=ctx, named=ctx.bots)

    def people() -> Iterator[Item]:
        for item in items:
            v = item.value
            bot = bots.recognize(v["person"]) if isinstance(v, dict) else None
            if bot is None:
                yield item
                continue
            ctx.row()
            bots.write(session, item, bot)

    work_logs.write(session, ctx=ctx, items=people())


def grid_period(path: Path, header: list[str]) -> tuple[int, int] | None:
    """Year and month for a day-level grid whose columns are day numbers (taken from the file name); None when the
    columns are dates."""
    if all(re.match(r"^\d{4}-\d{2}-\d{2}$", hkey(h)) for h in header[1:] if hkey(h)):
        return None
    m = re.search(r"(\d{4})[-_]?(\d{2})", path.name)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ImportFailed(
            N_(
                "{file}: a Kitsu timesheet grid with day-number columns needs the month in the file name; week and month "
                "detail levels cannot be imported as daily logs"
            ),
            fix=N_("rename the file to name its month (e.g. kitsu_timesheet_2025-04.csv) and import it again"),
            file=path.name,
        )
    return int(m.group(1)), int(m.group(2))


def grid_entries(
    row: SourceRow, header_keys: list[str], period: tuple[int, int] | None
) -> Iterator[dict[str, Any] | RowError]:
    """One work log per non-empty day cell (hours → seconds); errors per cell."""
    person = row.cells.get("person", "").strip()
    if TOTAL.match(person):
        yield RowError("totals_row", N_("a totals row, not a person"), column="Person", value=person)
        return
    found = False
    for key in header_keys[1:]:
        value = row.cells.get(key, "").strip()
        if u.blank(value):
            continue
        found = True
        try:
            if not person:
                raise RowError("missing_person", N_("no person in Person"), column="Person", value="")
            day = dt.date.fromisoformat(key) if period is None else dt.date(period[0], period[1], int(key))
            u.in_years(day, key, key)
            seconds = u.seconds_from_hours(value, key)
            if seconds == 0:
                raise RowError("zero_duration", "no time in the cell", column=key, value=value)
            yield work_log(person=person, work_date=day, seconds=seconds, task=None, key=("kitsu_grid",))
        except ValueError:
            yield RowError("bad_date", f"column {key!r} is not a day of {period}", column=key, value=value)
        except RowError as exc:
            yield exc
    if not found:
        yield RowError("empty_row", N_("no time in any column"), column=None, value=person)


def read_grid(source: Source) -> Iterator[Item]:
    """A grid row is as many Items as it has non-empty day cells (an all-empty row one ``empty_row``)."""
    header, rows = csv_rows(source.path)
    keys = [hkey(h) for h in header]
    period = grid_period(source.path, header)
    for row in rows:
        if not row.cells:
            yield Item(row.line, row.raw, RowError("blank_line", N_("blank line"), value=""))
            continue
        for entry in grid_entries(row, keys, period):
            yield Item(row.line, row.raw, entry)


def _time_spent_header(h: Header) -> bool:
    return {"project", "person", "entity", "task type", "date", "time spent"} <= h.keys


def _grid_header(h: Header) -> bool:
    return h.first == "person" and len(h.cells) > 1 and all(_GRID_UNIT.match(hkey(x)) for x in h.cells[1:] if hkey(x))


register(
    Format(
        name="kitsu_time_spent",
        label=N_("Kitsu time-spent export (;, minutes)"),
        entity="work_log",
        read=read_time_spent,
        write=write_entries,
        order=110,
        header=_time_spent_header,
        prepare=work_logs.prepare,
    )
)
register(
    Format(
        name="kitsu_timesheet",
        label=N_("Kitsu timesheet grid, day detail (;, hours)"),
        entity="work_log",
        read=read_grid,
        write=write_entries,
        order=120,
        header=_grid_header,
        prepare=work_logs.prepare,
    )
)
