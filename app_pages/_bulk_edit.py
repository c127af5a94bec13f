"""A month of one person's hours and pay edited in a table (People and records page): the manager edits cells, reviews
what will change (each cell was → becomes, the month's hours and pay before → after), and saves every row in one
transaction (services.bulk_records.apply_bulk), or nothing when a row is refused, each refusal named by row and
column in the importer's words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from analytics.people import person_entries
from analytics.scope import Scope
from app_pages import _format, _labels, _tables, _ui
from data.errors import EndrollError
from data.identity import Identity
from data.periods import py_month_start
from data.schema import PAY_BASES
from services.bulk_records import BulkChange, BulkRefused, BulkResult, apply_bulk, entry_cells, preview_bulk

# The columns the table shows; the others of the import keep what is stored.
HOUR_COLUMNS = ("work_date", "start_time", "end_time", "break_minutes", "minutes", "production", "role", "task", "note")
PAY_COLUMNS = ("basis", "amount", "period_start", "period_end", "production", "units", "unit_rate", "note")
PENDING = "bulk_pending"


def _basis_words() -> dict[str, str]:
    """Pay bases in the reader's words: the table shows and offers these, the import reads the codes."""
    _ = _ui.translator()
    return {code: str(_labels.value_label("basis", code, _)) for code in PAY_BASES}


def _tables_for(ident: Identity, logs: pd.DataFrame, pay: pd.DataFrame, month: dt.date,
                key: str) -> list[tuple[str, list[int], dict[int, dict[str, str]], pd.DataFrame, str]]:  # fmt: skip
    out, first = [], 1
    for entity, frame, date_col, columns in (("work_log", logs, "work_date", HOUR_COLUMNS),
                                             ("pay_item", pay, "period_end", PAY_COLUMNS)):  # fmt: skip
        ids = [int(i) for i, d in zip(frame["entry_id"], frame[date_col], strict=True) if py_month_start(d) == month]
        if not ids:
            continue
        ids.reverse()  # oldest first, as a month is read
        stored = {i: _ui.query(entry_cells, actor=ident, entity=entity, entry_id=i) for i in ids}
        table = pd.DataFrame([{c: stored[i].get(c, "") for c in columns} for i in ids],
                             index=pd.RangeIndex(first, first + len(ids)), columns=list(columns))  # fmt: skip
        if "basis" in table:
            table["basis"] = table["basis"].map(lambda code: _basis_words().get(code, code))
        out.append((entity, ids, stored, table, f"{key}_{entity}"))
        first += len(ids)
    return out


def _changes(parts: list[tuple[str, list[int], dict[int, dict[str, str]], pd.DataFrame, pd.DataFrame]]) -> list[BulkChange]:  # fmt: skip
    changes = []
    for entity, ids, stored, table, edited in parts:
        for row, entry_id in zip(table.index, ids, strict=True):
            new = {c: "" if pd.isna(v) else str(v) for c, v in edited.loc[row].items()}
            if new != {c: str(v) for c, v in table.loc[row].items()}:
                if "basis" in new:
                    new["basis"] = {w: c for c, w in _basis_words().items()}.get(new["basis"], new["basis"])
                changes.append(BulkChange(entity, entry_id, {**stored[entry_id], **new}, row=int(row)))
    return changes


def _attempt(func: Any, ident: Identity, changes: list[BulkChange]) -> BulkResult | None:
    """``func`` (the preview or the save) run on ``changes``; None after its refusal is shown."""
    try:
        return _ui.write(func, ident, changes=changes)
    except BulkRefused as exc:
        _refusals(exc)
    except EndrollError as exc:
        _ui.show_error(exc)
    return None


def _review(result: BulkResult, changes: list[BulkChange], stored: dict[tuple[str, int], dict[str, str]]) -> None:
    _ = _ui.translator()
    kinds = {"work_log": _("Hours"), "pay_item": _("Pay")}
    changed = {r.row for r in result.rows}
    words = _basis_words()

    def shown(col: str, value: str) -> str:
        return words.get(value, value) if col == "basis" else value

    cells = [{"row": c.row, "entry": kinds[c.entity], "column": _labels.header(col, _),
              "old_value": shown(col, stored[(c.entity, c.entry_id)].get(col, "")), "new_value": shown(col, value)}
             for c in changes if c.row in changed
             for col, value in c.cells.items() if value != stored[(c.entity, c.entry_id)].get(col, "")]  # fmt: skip
    _tables.table(pd.DataFrame(cells, columns=["row", "entry", "column", "old_value", "new_value"]), "bulk_review",
                  empty=_("The edits change nothing that is stored."), downloadable=False)  # fmt: skip
    language = _ui.language()
    months = [{"month": _format.month(b.month, language), "hours_before": _format.hours(b.seconds / 3600),
               "hours_after": _format.hours(a.seconds / 3600), "pay_before": _format.money(b.pay_amount, b.currency),
               "pay_after": _format.money(a.pay_amount, a.currency)} for b, a in result.months]  # fmt: skip
    _tables.table(pd.DataFrame(months, columns=["month", "hours_before", "hours_after", "pay_before", "pay_after"]),
                  "bulk_months", empty=_("No month changes."), downloadable=False)  # fmt: skip


def _refusals(exc: BulkRefused) -> None:
    _ = _ui.translator()
    _ui.show_error(exc)
    rows = [{"row": p.row, "column": _labels.header(p.column, _) if p.column else "", "value": p.value or "",
             "reason": p.error.message("page", translate=_)} for p in exc.problems]  # fmt: skip
    _tables.table(pd.DataFrame(rows, columns=["row", "column", "value", "reason"]), "bulk_refused",
                  empty="", downloadable=False)  # fmt: skip


def section(ident: Identity, scope: Scope, *, person_id: int, name: str) -> None:
    """Edit one month of ``person_id``'s hours and pay in a table, review, save; ``name`` is escaped for Markdown."""
    _ = _ui.translator()
    st.subheader(_("Edit a month in a table"))
    logs, pay = _ui.query(person_entries, scope=scope, person_id=person_id)
    months = sorted({py_month_start(d) for d in logs["work_date"]} | {py_month_start(d) for d in pay["period_end"]},
                    reverse=True)  # fmt: skip
    if not months:
        st.info(_("Nothing is recorded for {name} yet: log a day or a pay item above.", name=name))
        return
    language = _ui.language()
    month = st.selectbox(_("Month to edit"), months, format_func=lambda m: _format.month(m, language),
                         key=f"bulk_month_{person_id}")  # fmt: skip
    key = f"bulk_{person_id}_{month.isoformat()}"
    parts, stored = [], {}
    for entity, ids, cells, table, editor_key in _tables_for(ident, logs, pay, month, key):
        st.caption(_("Hours") if entity == "work_log" else _("Pay items"))
        config: dict[str, Any] = {c: st.column_config.TextColumn(_labels.header(c, _)) for c in table.columns}
        if "basis" in table:
            config["basis"] = st.column_config.SelectboxColumn(_labels.header("basis", _),
                                                               options=list(_basis_words().values()))  # fmt: skip
        edited = st.data_editor(table.astype(str), key=editor_key, num_rows="fixed", column_config=config,
                                width="stretch")  # fmt: skip
        parts.append((entity, ids, cells, table, edited))
        stored |= {(entity, i): c for i, c in cells.items()}
    st.caption(_("Rows are numbered in the order shown; a refused row is named by its number."))
    changes = _changes(parts)
    if st.button(_("Review the changes"), key=f"{key}_review"):
        st.session_state[PENDING] = (key, changes)
    pending = st.session_state.get(PENDING)
    if pending is None or pending[0] != key:
        return
    if pending[1] != changes:  # edited again since the review: review again
        st.session_state.pop(PENDING, None)
        st.info(_("The table changed since the review. Review the changes again."))
        return
    if not changes:
        st.info(_("Nothing was changed in the table."))
        return
    if (result := _attempt(preview_bulk, ident, changes)) is None:
        return
    st.markdown(_("**Review** — {n} rows of {name} will change:", n=len(result.rows), name=name))
    _review(result, changes, stored)
    if st.button(_("Save the changes"), key=f"{key}_save", type="primary"):
        if (done := _attempt(apply_bulk, ident, changes)) is None:
            return
        st.session_state.pop(PENDING, None)
        for before, after in done.months:
            st.success(_("{name}, {month}: {before_h} → {after_h} worked, pay {before_pay} → {after_pay}.", name=name,
                         month=_format.month(before.month, language), before_h=_format.hours(before.seconds / 3600),
                         after_h=_format.hours(after.seconds / 3600), before_pay=_format.money(before.pay_amount, before.currency),
                         after_pay=_format.money(after.pay_amount, after.currency)))  # fmt: skip
        st.success(_("Saved {n} rows in one go.", n=len(done.rows)))
