"""The annual paid leave ledger (``canonical_annual_leave``, 年次有給休暇管理簿): days of paid leave granted, and
days taken, per person and date. Matched on their natural key (person, kind, date), which the entries an import
inserts also carry as their ``source_key``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from data.i18n import N_
from data.importers import units as u
from data.importers.cells import check_required, g, person_ref
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.natural import parsed, stored_by, write_natural
from data.importers.reading import mapped
from data.importers.registry import Column, Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.upsert import digest
from data.schema import LEAVE_KINDS, AnnualLeave

COLUMNS = (
    Column("person", False, "text", "山田 花子", "Person or email is required; matched as in work logs."),
    Column("email", False, "text", "hanako@example.jp", "Matched before the name."),
    Column(
        "kind",
        True,
        " / ".join(LEAVE_KINDS) + " (付与 / 取得)",
        "grant",
        "grant: paid leave days given on the date (付与); taken: paid leave taken on the date (取得).",
    ),
    Column("on_date", True, "YYYY-MM-DD", "2025-10-01", "The day of the grant, or the day the leave was taken."),
    Column(
        "days",
        True,
        "days, to 0.01",
        "10",
        "A grant: more than 0, at most 40. A day taken: more than 0, at most 1 (a half day 0.5; hourly leave as a "
        "fraction of the day, 2 h of 8: 0.25).",
    ),
    Column("note", False, "text", "勤続6か月", "At most 200 characters."),
)
# The stored columns a row sets besides its natural key (person, kind, on_date).
STORED = ("days", "note")
# The leave ledger's kinds as a file may write them: the schema's names, and the ledger's Japanese terms.
LEAVE_KIND_NAMES = {**{k: k for k in LEAVE_KINDS}, "付与": "grant", "取得": "taken"}
# A grant is capped as the table caps it (the Act gives at most 20 days a year; an employer may give more). A row of
# leave taken is one day's leave, so more than a day is a typo or several days written as one row.
LEAVE_DAYS_MAX = {"grant": Decimal(40), "taken": Decimal(1)}
LEAVE_DAYS_STEP = Decimal("0.01")  # annual_leave.days is NUMERIC(4, 2)
# A typed spreadsheet cell can carry binary noise (0.1 + 0.2 is 0.30000000000000004); that much is still 0.3.
LEAVE_DAYS_NOISE = Decimal("1e-9")
NOTE_MAX = 200  # annual_leave.note


def _leave_days(cell: str, kind: str) -> Decimal:
    """The days of a leave row, as the table stores them (hundredths). A value the table would round is rejected
    rather than rounded: rounded hourly leave (0.125 → 0.13) would add up to more or less than was taken."""
    try:
        days = Decimal(cell.strip())
    except InvalidOperation:
        days = None
    if days is None or not days.is_finite():
        raise RowError(
            "bad_number",
            f"days must be a number of days such as 1, 0.5 or 0.25, got {cell!r}",
            column="days",
            value=cell,
        )
    limit = LEAVE_DAYS_MAX[kind]
    if 0 < days <= limit:  # checked before quantize, which cannot hold a huge exponent
        stored = days.quantize(LEAVE_DAYS_STEP, rounding=ROUND_HALF_UP)
        if abs(days - stored) > LEAVE_DAYS_NOISE:
            raise RowError(
                "bad_precision",
                f"days is kept in hundredths of a day and {cell.strip()} has more decimals; round it to two (for "
                "hourly leave, the hours divided by the day's scheduled hours, rounded)",
                column="days",
                value=cell,
            )
        if stored > 0:
            return stored
    if kind == "grant":
        reason = f"days of a grant must be more than 0 and at most {limit:g}"
    else:
        reason = (
            f"days taken must be more than 0 and at most {limit:g}: a row is one day's leave (0.5 for half a day); "
            "give each day on its own row"
        )
    raise RowError("out_of_range", reason, column="days", value=cell)


def parse(row: SourceRow) -> dict[str, Any]:
    """A canonical leave-ledger row → its kind, date, days and note, checked against the annual_leave table's
    constraints so the database never has to refuse one; the person is resolved by the writer."""
    check_required(row, COLUMNS)
    name, email = person_ref(row)
    kind = LEAVE_KIND_NAMES.get(g(row, "kind").strip().casefold())
    if kind is None:
        raise RowError(
            "bad_value", N_("kind must be grant (付与) or taken (取得)"), column="kind", value=g(row, "kind")
        )
    note = u.text(g(row, "note"))
    if note is not None and len(note) > NOTE_MAX:
        raise RowError("out_of_range", f"note is longer than {NOTE_MAX} characters", column="note", value=note)
    return {
        "person": name,
        "email": email,
        "kind": kind,
        "on_date": u.iso_date(g(row, "on_date"), "on_date"),
        "days": _leave_days(g(row, "days"), kind),
        "note": note,
    }


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`."""
    return mapped(source.path, parse)


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Leave-ledger rows matched on (person, kind, on_date), like contracts: new ones inserted, changed days or notes
    updated with an audit event, the same ones left alone. Rows inserted by an import also carry that key as their
    ``source_key`` (so the unique index refuses a second copy) and the batch that last wrote them.

    The rollups do not read the ledger, so nothing is refreshed, and no one is named in ``finding_stale_person``:
    JP-LEAVE-01 judges everyone's ledger up to the studio's latest entry, so one person's entry can change anyone's
    findings. ``annual_leave`` is therefore not declared ``per_person`` (``data.rollup.reads``): a write to it moves
    the global data version on, and the next request computes the whole studio's findings again. An import that
    changes no entry writes nothing to the table and leaves the stored findings valid."""
    t = AnnualLeave.__table__
    stored = stored_by(session, table=t, key=("person_id", "kind", "on_date"))
    seen: dict[tuple[Any, ...], int] = {}
    for item, v in parsed(ctx, items):
        try:
            person_id = ctx.matcher.match(v["person"], v["email"], line=item.line, raw=item.raw)
        except RowError as exc:
            ctx.reject(item.line, item.raw, exc)
            continue
        key = (person_id, v["kind"], v["on_date"])
        rec = {c: v[c] for c in STORED}
        write_natural(
            session,
            ctx=ctx,
            item=item,
            table=t,
            key=key,
            rec=rec,
            natural={
                "person_id": person_id,
                "kind": v["kind"],
                "on_date": v["on_date"],
                "source_key": f"{ctx.fmt[:40]}:{person_id}:{v['kind']}:{v['on_date'].isoformat()}",
            },
            seen=seen,
            stored=stored,
            entity="annual_leave",
            what="leave entry (same person, kind and on_date; leave taken is one row a day, half days added up)",
            stamp={"batch_id": ctx.batch.id, "content_hash": digest((*key, *rec.values()), 16)},
        )
    ctx.flush_side_rows()


def _header(h: Header) -> bool:
    # The ledger by its kind, date and days together: no older canonical header has a bare kind or on_date, and no
    # timesheet export an on_date.
    return {"kind", "on_date", "days"} <= h.keys


register(
    Format(
        name="canonical_annual_leave",
        label=N_("Endroll annual paid leave ledger (CSV/XLSX)"),
        entity="annual_leave",
        read=read,
        write=write,
        order=80,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        columns=COLUMNS,
        template="annual_leave",
    )
)
