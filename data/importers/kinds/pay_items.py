"""Pay items (``canonical_pay_items``): what was paid for which work and period, with the Freelance Act's dates;
keyed by ``source_key`` like work logs, and refused in a locked pay period."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy.orm import Session

from data.i18n import N_
from data.importers import units as u
from data.importers.cells import check_required, g, opt_date, person_ref
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.reading import mapped
from data.importers.registry import Column, Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.upsert import Keyed, write_keyed
from data.law.wages import ALLOWANCE_KINDS
from data.schema import CURRENCIES, PAY_BASES, PayItem

COLUMNS = (
    Column("person", False, "text", "山田 花子", "Person or email is required."),
    Column("email", False, "text", "hanako@example.jp", ""),
    Column(
        "basis",
        True,
        " / ".join(PAY_BASES),
        "per_cut",
        "How the amount was computed (daily: a day rate, 日給, with units the days paid).",
    ),
    Column(
        "allowance_kind",
        False,
        " / ".join(ALLOWANCE_KINDS),
        "",
        "For an allowance: what it pays for (通勤手当 commuting, 家族手当 family, 住宅手当 housing, 別居手当 "
        "living_apart, 子女教育手当 children_education, 精皆勤手当 perfect_attendance, 臨時 one_off, 役職・職務手当 job). "
        "The minimum-wage and premium bases leave some out; an allowance of no kind counts in neither.",
    ),
    Column("amount", True, "currency units (yen)", "11400", "Total of this item, before tax."),
    Column("currency", False, " / ".join(CURRENCIES), "JPY", "Default JPY."),
    Column("units", False, "count", "3", "Cuts, sheets, hours … paid."),
    Column("unit_rate", False, "currency units per unit", "3800", ""),
    Column("period_start", True, "YYYY-MM-DD", "2025-04-01", "Pay period the item belongs to."),
    Column("period_end", True, "YYYY-MM-DD", "2025-04-30", ""),
    Column("production", False, "text", "星の庭", ""),
    Column("episode", False, "text", "3", ""),
    Column("cut", False, "text", "042", ""),
    Column("role", False, "text", "原画", ""),
    Column("commission_date", False, "YYYY-MM-DD", "2025-03-25", "Freelance Act: date commissioned."),
    Column("terms_issued_date", False, "YYYY-MM-DD", "2025-03-25", "Freelance Act: written terms issued."),
    Column("delivery_date", False, "YYYY-MM-DD", "2025-04-10", ""),
    Column("due_date", False, "YYYY-MM-DD", "2025-05-31", ""),
    Column("paid_date", False, "YYYY-MM-DD", "", ""),
    Column("agreed_amount", False, "currency units", "11400", ""),
    Column("retake_count", False, "count", "0", ""),
    Column("retake_paid_amount", False, "currency units", "", ""),
    Column("note", False, "text", "", ""),
    Column("external_id", False, "text", "PAY-2025-04-0001", "The dedupe key when given."),
)
# The stored columns of a pay item besides its person, keys and batch.
STORED = (
    "person_id",
    "production_id",
    "episode_id",
    "cut_id",
    "role_id",
    "basis",
    "allowance_kind",
    "units",
    "unit_rate",
    "amount",
    "currency",
    "period_start",
    "period_end",
    "commission_date",
    "terms_issued_date",
    "delivery_date",
    "due_date",
    "paid_date",
    "agreed_amount",
    "retake_count",
    "retake_paid_amount",
    "note",
)


# What a Japanese payroll calls each kind of allowance (手当).
ALLOWANCE_NAMES = {
    "通勤手当": "commuting",
    "通勤": "commuting",
    "家族手当": "family",
    "扶養手当": "family",
    "住宅手当": "housing",
    "別居手当": "living_apart",
    "単身赴任手当": "living_apart",
    "子女教育手当": "children_education",
    "精皆勤手当": "perfect_attendance",
    "皆勤手当": "perfect_attendance",
    "精勤手当": "perfect_attendance",
    "臨時": "one_off",
    "臨時の賃金": "one_off",
    "役職手当": "job",
    "職務手当": "job",
    "資格手当": "job",
}


def allowance_kind(text: str, basis: str) -> str | None:
    """What an allowance pays for (:data:`ALLOWANCE_KINDS`, or its Japanese name); None when blank."""
    written = u.text(text)
    if written is None:
        return None
    kind = ALLOWANCE_NAMES.get(written, written.strip().lower())
    if kind not in ALLOWANCE_KINDS:
        raise RowError(
            "bad_value",
            f"allowance_kind must be one of {', '.join(ALLOWANCE_KINDS)}",
            column="allowance_kind",
            value=written,
        )
    if basis != "allowance":
        raise RowError(
            "inconsistent_value",
            f"allowance_kind says what an allowance pays for, but the basis is {basis}",
            column="allowance_kind",
            value=written,
        )
    return kind


def parse(row: SourceRow) -> dict[str, Any]:
    """A canonical pay-item row → its columns, the person and references it names, and its natural ``key``."""
    check_required(row, COLUMNS)
    name, email = person_ref(row)
    basis = g(row, "basis").strip()
    if basis not in PAY_BASES:
        raise RowError("bad_value", f"basis must be one of {', '.join(PAY_BASES)}", column="basis", value=basis)
    kind = allowance_kind(g(row, "allowance_kind"), basis)
    currency = (u.text(g(row, "currency")) or "JPY").upper()
    if currency not in CURRENCIES:
        raise RowError("bad_value", f"currency must be one of {CURRENCIES}", column="currency", value=currency)
    amount = u.decimal(g(row, "amount"), "amount")
    start, end = u.iso_date(g(row, "period_start"), "period_start"), u.iso_date(g(row, "period_end"), "period_end")
    if end < start:
        raise RowError(
            "bad_period", N_("period_end is before period_start"), column="period_end", value=g(row, "period_end")
        )
    units = None if u.blank(g(row, "units")) else u.finite_number(g(row, "units"), "units")
    rate = None if u.blank(g(row, "unit_rate")) else u.decimal(g(row, "unit_rate"), "unit_rate")
    for col, val in (("units", units), ("unit_rate", rate), ("amount", amount)):
        if val is not None and val < 0 and col != "amount":
            raise RowError("out_of_range", f"{col} must not be negative", column=col, value=g(row, col))
    if abs(amount) >= 10**12:
        raise RowError("out_of_range", N_("amount is too large"), column="amount", value=g(row, "amount"))
    ext = u.text(g(row, "external_id"))
    return {
        "person": name,
        "email": email,
        "basis": basis,
        "allowance_kind": kind,
        "amount": amount,
        "currency": currency,
        "units": units,
        "unit_rate": rate,
        "period_start": start,
        "period_end": end,
        "production": u.text(g(row, "production")),
        "episode": u.text(g(row, "episode")),
        "cut": u.text(g(row, "cut")),
        "role": u.text(g(row, "role")),
        "commission_date": opt_date(row, "commission_date"),
        "terms_issued_date": opt_date(row, "terms_issued_date"),
        "delivery_date": opt_date(row, "delivery_date"),
        "due_date": opt_date(row, "due_date"),
        "paid_date": opt_date(row, "paid_date"),
        "agreed_amount": None
        if u.blank(g(row, "agreed_amount"))
        else u.decimal(g(row, "agreed_amount"), "agreed_amount"),
        "retake_count": 0 if u.blank(g(row, "retake_count")) else u.integer(g(row, "retake_count"), "retake_count"),
        "retake_paid_amount": None
        if u.blank(g(row, "retake_paid_amount"))
        else u.decimal(g(row, "retake_paid_amount"), "retake_paid_amount"),
        "note": u.text(g(row, "note")),
        # Two allowances of one period are two items when they pay for different things; without a kind the key is
        # what it always was, so earlier imports keep matching.
        "key": ("id", ext) if ext else (("t", basis, kind) if kind else ("t", basis)),
    }


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`."""
    return mapped(source.path, parse)


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Pay items keyed by ``source_key`` (:func:`data.importers.upsert.write_keyed`), over their pay period."""
    keyed = Keyed(session, ctx=ctx)

    def resolve(item: Item) -> dict[str, Any]:
        v = item.value
        person_id = ctx.matcher.match(v["person"], v["email"], line=item.line, raw=item.raw)
        refs = ctx.refs.resolve(v)
        rec = {c: v.get(c) for c in STORED if c in v}
        rec.update(person_id=person_id, **refs)
        dates = (v["period_start"].isoformat(), v["period_end"].isoformat())
        keyed.keys(rec, item, v["key"], person_id, refs, dates)
        return rec

    write_keyed(
        session,
        ctx=ctx,
        keyed=keyed,
        items=items,
        table=PayItem,
        columns=STORED,
        entity="pay_item",
        resolve=resolve,
        period=operator.itemgetter("period_start", "period_end"),
    )


def _header(h: Header) -> bool:
    return {"basis", "amount", "period_start"} <= h.keys


register(
    Format(
        name="canonical_pay_items",
        label=N_("Endroll pay items (CSV/XLSX)"),
        entity="pay_item",
        read=read,
        write=write,
        order=20,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        columns=COLUMNS,
        template="pay_items",
    )
)
