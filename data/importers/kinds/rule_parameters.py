"""Dated rule parameters (``canonical_rule_parameters``): a new value of a legal constant from a date — next year's
exempt salary floor, a revised limit — with the statute it stands on, where it was read and when that was checked.
Matched on (jurisdiction, key, effective date). The rules take the latest value in force
(:func:`data.reference.rule_values`); the seeded values (in force from 2019-04-01) are the seed files' and stay so:
a change is a row from a later date.

Only keys the rules read are accepted (a misspelt key would be a value nothing reads), with a value of the same
shape as the key's seeded one (a number for a number, a list for a list). A change to a key the rollups apply (the
working-hours limits, the week, the minimum-wage cycles) refreshes every rollup from its date.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import rollup
from data.i18n import N_
from data.importers import units as u
from data.importers.cells import check_required, g, opt_date
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.natural import parsed, stored_by, write_natural
from data.importers.reading import mapped
from data.importers.registry import Column, Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.reference import RULES_EFFECTIVE, dated_parameter_rows, rule_parameter_rows, statute_of, statutes
from data.schema import JURISDICTIONS, RuleParameter

COLUMNS = (
    Column("jurisdiction", True, " / ".join(JURISDICTIONS), "US-CA", "Whose law."),
    Column("key", True, "text", "exempt_salary_floor.annual", "The parameter (docs/analytics.md names each rule's)."),
    Column("effective_from", True, "YYYY-MM-DD", "2027-01-01", "The day the value takes effect (after 2019-04-01)."),
    Column(
        "value",
        True,
        "number, text or JSON",
        "72000",
        "The value, of the same shape as the parameter's seeded one (a number; a list as JSON: [2, 3, 4]).",
    ),
    Column("source", True, "text", "DIR, 2027 exempt salary", "Where the value was read."),
    Column("checked_on", False, "YYYY-MM-DD", "2026-12-01", "When it was checked there. Blank: the import's day."),
    Column(
        "statute",
        False,
        "text",
        "",
        "The statute it stands on. Blank: the parameter's citation (data/seed/statutes.json).",
    ),
)
STORED = ("value", "statute", "source", "checked_on", "help")
SOURCE_MAX = 200  # rule_parameter.source
HELP = "imported (canonical_rule_parameters)"
# Keys whose values the rollups apply when a day is refreshed: a change means refreshing them.
ROLLUP_KEYS = ("hours.", "premiums.late_night.", "minimum_wage_revision.")


@dataclass(frozen=True)
class Prepared:
    """The keys the rules read, per jurisdiction, with a value showing each one's shape; the import's day."""

    shapes: dict[tuple[str, str], Any]
    today: dt.date


def prepare(session: Session) -> Prepared:
    shapes = {(r["jurisdiction"], r["key"]): r["value"]["value"] for r in rule_parameter_rows()}
    shapes |= {(r["jurisdiction"], r["key"]): r["value"]["value"] for r in dated_parameter_rows()}
    for jurisdiction, key, value in session.execute(
        select(RuleParameter.jurisdiction, RuleParameter.key, RuleParameter.value)
    ):
        shapes.setdefault((jurisdiction, key), value["value"])
    return Prepared(shapes, dt.date.today())


def _shape(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "text"


def parse_value(text: str, like: Any, column: str = "value") -> Any:
    """A cell as the value of a parameter shaped ``like``: JSON when it reads as JSON, else text; a number written
    with thousands commas is a number."""
    stripped = text.strip()
    try:
        found: Any = json.loads(stripped)
    except ValueError:
        found = stripped
        if _shape(like) == "a number":
            found = u.number(stripped, column)
    if _shape(found) != _shape(like):
        raise RowError(
            "bad_value",
            f"the parameter's value is {_shape(like)} (seeded: {json.dumps(like, ensure_ascii=False)[:60]}), "
            f"not {_shape(found)}",
            column=column,
            value=text,
        )
    return found


def values(
    *,
    jurisdiction: str,
    key: str,
    effective_from: dt.date,
    raw_value: str,
    source: str | None,
    checked_on: dt.date | None,
    statute: str | None,
    prep: Prepared,
    help_text: str = HELP,
) -> dict[str, Any]:
    """The columns of a rule-parameter row from its parts, checked (a key the rules read, a later date than the
    seeded values, a value of the key's shape, a source)."""
    if jurisdiction not in JURISDICTIONS:
        raise RowError(
            "bad_value", f"jurisdiction must be one of {', '.join(JURISDICTIONS)}", column="jurisdiction",
            value=jurisdiction,
        )  # fmt: skip
    if (jurisdiction, key) not in prep.shapes:
        raise RowError("unknown_key", f"no rule reads a {jurisdiction} parameter {key!r}", column="key", value=key)
    if effective_from <= RULES_EFFECTIVE:
        raise RowError(
            "out_of_range",
            f"effective_from must be after {RULES_EFFECTIVE}: the seeded values are in force from then, and a new "
            "value is a row from a later date",
            column="effective_from",
            value=str(effective_from),
        )
    if not source:
        raise RowError("missing_value", "source is required: where the value was read", column="source", value="")
    if len(source) > SOURCE_MAX:
        raise RowError("out_of_range", f"source is longer than {SOURCE_MAX} characters", column="source", value=source)
    cited = statute or statute_of(jurisdiction, key, statutes())
    if not cited:
        raise RowError("missing_value", "statute is required: no citation covers this key", column="statute", value="")
    return {
        "jurisdiction": jurisdiction,
        "key": key,
        "effective_from": effective_from,
        "value": {"value": parse_value(raw_value, prep.shapes[jurisdiction, key])},
        "statute": cited,
        "source": source,
        "checked_on": checked_on or prep.today,
        "help": help_text,
    }


def parse(row: SourceRow, *, prep: Prepared) -> dict[str, Any]:
    """A canonical rule-parameter row → the row's columns (:func:`values`)."""
    check_required(row, COLUMNS)
    return values(
        jurisdiction=g(row, "jurisdiction").strip().upper(),
        key=g(row, "key").strip(),
        effective_from=u.iso_date(g(row, "effective_from"), "effective_from"),
        raw_value=g(row, "value"),
        source=u.text(g(row, "source")),
        checked_on=opt_date(row, "checked_on"),
        statute=u.text(g(row, "statute")),
        prep=prep,
    )


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`."""
    prep = source.prepared
    return mapped(source.path, lambda row: parse(row, prep=prep))


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Rows matched on (jurisdiction, key, effective_from): new ones inserted, changed ones updated with an audit
    event. A change to a key the rollups apply refreshes every rollup from the earliest such date."""
    t = RuleParameter.__table__
    stored = stored_by(session, table=t, key=("jurisdiction", "key", "effective_from"))
    seen: dict[tuple[Any, ...], int] = {}
    first: dt.date | None = None
    for item, v in parsed(ctx, items):
        key = (v["jurisdiction"], v["key"], v["effective_from"])
        outcome = write_natural(
            session,
            ctx=ctx,
            item=item,
            table=t,
            key=key,
            rec={c: v[c] for c in STORED},
            natural={"jurisdiction": key[0], "key": key[1], "effective_from": key[2]},
            seen=seen,
            stored=stored,
            entity="rule_parameter",
            what="parameter (same jurisdiction, key and effective_from)",
        )
        if outcome in ("imported", "updated") and key[1].startswith(ROLLUP_KEYS):
            first = key[2] if first is None else min(first, key[2])
    ctx.flush_side_rows()
    if first is not None:
        rollup.refresh(session, start=first)


def _header(h: Header) -> bool:
    return {"key", "value", "effective_from"} <= h.keys


register(
    Format(
        name="canonical_rule_parameters",
        label=N_("Endroll dated rule parameters (CSV/XLSX)"),
        entity="rule_parameter",
        read=read,
        write=write,
        order=87,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        prepare=prepare,
        columns=COLUMNS,
        template="rule_parameters",
    )
)
