"""Hours and pay on the People page: log a day or a pay item for one person by hand, correct an entry in a form
pre-filled with what is stored, delete one, or edit a month's entries in a table (:mod:`app_pages._bulk_edit`);
each shows the person-month before and after. Every write goes through services (role check, the importer's checks,
audit, rollups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from analytics.people import person_entries
from analytics.queries.productions import filter_options
from analytics.scope import Scope
from app_pages import _bulk_edit, _format, _labels, _ui
from data.errors import EndrollError
from data.identity import Identity
from data.schema import PAY_BASES
from services.bulk_records import entry_cells
from services.work_records import (
    PAY_ITEM_CELLS,
    WORK_LOG_CELLS,
    add_pay_item,
    add_work_log,
    correct_pay_item,
    correct_work_log,
    delete_pay_item,
    delete_work_log,
)


def section(ident: Identity, scope: Scope, *, person_id: int, name: str) -> None:
    """The hours-and-pay forms for ``person_id``; ``name`` is already escaped for Markdown."""
    _ = _ui.translator()
    chosen = person_id

    def _write(func: Any, **kwargs: Any) -> Any:
        try:
            return _ui.write(func, ident, **kwargs)
        except EndrollError as exc:
            _ui.show_error(exc)
            return None

    def _effect(change: Any) -> None:
        for before, after in change.months:
            st.success(_("{name}, {month}: {before_h} → {after_h} worked, pay {before_pay} → {after_pay}.", name=name,
                         month=_format.month(before.month, _ui.language()), before_h=_format.hours(before.seconds / 3600),
                         after_h=_format.hours(after.seconds / 3600), before_pay=_format.money(before.pay_amount, before.currency),
                         after_pay=_format.money(after.pay_amount, after.currency)))  # fmt: skip

    st.subheader(_("Hours and pay"))
    titles = [""] + _ui.query(filter_options).query("kind == 'production'")["title"].tolist()

    def no_production(title: str) -> str:
        return title or _("— none —")

    with st.form("people_hours"):
        c = st.columns(4)
        day = c[0].date_input(_("Date"), value=dt.date.today(), key="hours_date")
        start, end = (
            c[1].text_input(_("Start (HH:MM)"), key="hours_start"),
            c[2].text_input(_("End (HH:MM)"), key="hours_end"),
        )
        brk = c[3].text_input(_("Break (minutes)"), key="hours_break")
        c = st.columns(4)
        minutes = c[0].text_input(_("Minutes worked (without start and end)"), key="hours_minutes")
        production = c[1].selectbox(_("Production"), titles, key="hours_production", format_func=no_production)
        role, task = c[2].text_input(_("Role"), key="hours_role"), c[3].text_input(_("Task"), key="hours_task")
        if st.form_submit_button(_("Log the hours")):
            cells = {"work_date": day.isoformat(), "start_time": start, "end_time": end, "break_minutes": brk,
                     "minutes": minutes, "production": production, "role": role, "task": task}  # fmt: skip
            if (change := _write(add_work_log, person_id=int(chosen), cells=cells)) is not None:
                _effect(change)
    with st.form("people_pay"):
        c = st.columns(4)
        basis = c[0].selectbox(_("Pay basis"), PAY_BASES, format_func=lambda b: _labels.value_label("basis", b, _),
                               key="pay_basis")  # fmt: skip
        amount = c[1].text_input(_("Amount"), key="pay_amount")
        first = dt.date.today().replace(day=1)
        p_start = c[2].date_input(_("Period start"), value=first, key="pay_start")
        p_end = c[3].date_input(_("Period end"), value=dt.date.today(), key="pay_end")
        c = st.columns(3)
        pay_production = c[0].selectbox(_("Production"), titles, key="pay_production", format_func=no_production)
        units, rate = c[1].text_input(_("Units"), key="pay_units"), c[2].text_input(_("Unit rate"), key="pay_rate")
        if st.form_submit_button(_("Record the pay item")):
            cells = {"basis": basis, "amount": amount, "period_start": p_start.isoformat(), "period_end": p_end.isoformat(),
                     "production": pay_production, "units": units, "unit_rate": rate}  # fmt: skip
            if (change := _write(add_pay_item, person_id=int(chosen), cells=cells)) is not None:
                _effect(change)

    logs, pay = _ui.query(person_entries, scope=scope, person_id=int(chosen))
    entries = {("work_log", int(r.entry_id)): _("Hours {date}: {hours} {production}", date=_format.date(r.work_date),
               hours=_format.hours(r.seconds / 3600), production=r.production or "") for r in logs.head(200).itertuples()}  # fmt: skip
    entries |= {("pay_item", int(r.entry_id)): _("Pay {date}: {amount} {production}", date=_format.date(r.period_end),
                amount=_format.money(r.amount, r.currency), production=r.production or "")
                for r in pay.head(200).itertuples()}  # fmt: skip
    if entries:
        _correct(ident, entries, write=_write, effect=_effect)
        with st.form("people_delete"):
            which = st.selectbox(_("Entry"), list(entries), format_func=entries.get, key="entry_delete")
            if st.form_submit_button(_("Delete the entry")):
                delete, id_key = ((delete_work_log, "work_log_id") if which[0] == "work_log"
                                  else (delete_pay_item, "pay_item_id"))  # fmt: skip
                if (change := _write(delete, **{id_key: which[1]})) is not None:
                    _effect(change)
    _bulk_edit.section(ident, scope, person_id=int(chosen), name=name)


def _correct(ident: Identity, entries: dict[tuple[str, int], str], *, write: Any, effect: Any) -> None:
    """Correct one entry in a form pre-filled with what is stored: every column of its import, checked as the import
    checks it."""
    _ = _ui.translator()
    st.subheader(_("Correct an entry"))
    which = st.selectbox(_("Entry to correct"), list(entries), format_func=entries.get, key="entry_correct")
    entity, entry_id = which
    try:
        current = _ui.query(entry_cells, actor=ident, entity=entity, entry_id=entry_id)
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    names = WORK_LOG_CELLS if entity == "work_log" else PAY_ITEM_CELLS
    with st.form("people_correct"):
        cols = st.columns(4)
        # Keyed by the entry, so choosing another entry fills the form with its values.
        cells = {n: cols[i % 4].text_input(_labels.header(n, _), value=current.get(n, ""), key=f"fix_{entity}_{entry_id}_{n}")
                 for i, n in enumerate(names)}  # fmt: skip
        if st.form_submit_button(_("Save the correction")):
            correct, id_key = ((correct_work_log, "work_log_id") if entity == "work_log"
                               else (correct_pay_item, "pay_item_id"))  # fmt: skip
            if (change := write(correct, **{id_key: entry_id}, cells=cells)) is not None:
                effect(change)
