"""Reading the cells of an Endroll canonical row: the checks the canonical kinds share (a required column, the
person a row names, a yes/no cell, a period, an organization's name), each a :class:`RowError` naming the column."""

from __future__ import annotations

import datetime as dt

from data.importers import units as u
from data.importers.errors import RowError
from data.importers.registry import Column
from data.importers.rows import SourceRow

ORGANIZATION_NAME_MAX = 200  # organization.name, org_alias.text


def g(row: SourceRow, key: str) -> str:
    """The cell of column ``key`` as written ("" when the file has no such column)."""
    return row.cells.get(key, "") or ""


def check_required(row: SourceRow, columns: tuple[Column, ...]) -> None:
    """RowError ``missing_value`` for the first required column of ``columns`` the row leaves blank."""
    for col in columns:
        if col.required and u.blank(g(row, col.name)):
            raise RowError("missing_value", f"{col.name} is required", column=col.name, value=g(row, col.name))


def person_ref(row: SourceRow, name_col: str = "person", email_col: str = "email") -> tuple[str | None, str | None]:
    """(name, lower-cased email) of the person a row names; RowError ``missing_person`` when it names none."""
    name, email = u.text(g(row, name_col)), u.text(g(row, email_col))
    if not name and not email:
        raise RowError("missing_person", f"{name_col} or {email_col} is required", column=name_col, value="")
    return name, (email.lower() if email else None)


def opt_date(row: SourceRow, col: str) -> dt.date | None:
    """The date in ``col``, None when blank."""
    return None if u.blank(g(row, col)) else u.iso_date(g(row, col), col)


def flag(row: SourceRow, col: str, default: bool) -> bool:
    """A yes/no cell (:func:`units.boolean`: yes/no, true/false, 1/0, はい/いいえ …); blank is ``default``."""
    return default if u.blank(g(row, col)) else u.boolean(g(row, col), col)


def period(row: SourceRow, start_col: str, end_col: str) -> tuple[dt.date, dt.date | None]:
    """(start, end or None) of a period; RowError ``bad_period`` when it ends before it starts."""
    start, end = u.iso_date(g(row, start_col), start_col), opt_date(row, end_col)
    if end is not None and end < start:
        raise RowError(
            "bad_period", f"{end_col} {end} is before {start_col} {start}", column=end_col, value=g(row, end_col)
        )
    return start, end


def organization(row: SourceRow, col: str) -> str:
    """An organization's name as written, at most ORGANIZATION_NAME_MAX characters."""
    name = g(row, col).strip()
    if len(name) > ORGANIZATION_NAME_MAX:
        raise RowError(
            "out_of_range", f"{col} is longer than {ORGANIZATION_NAME_MAX} characters", column=col, value=name
        )
    return name
