"""Employment contracts on the People page: a person's contracts, and a form to add one, correct one or end one.
Every write goes through services.contracts (role check, the employment importer's checks, audit, rollups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from analytics.people import contract_form, contracts
from analytics.scope import Scope
from app_pages import _format, _labels, _tables, _ui
from data.errors import EndrollError
from data.identity import Identity
from data.importers.places import JP_PREFECTURES_JA
from data.law.params import WEEKDAYS
from data.schema import DEPARTMENTS, EMPLOYMENT_TYPES, JURISDICTIONS
from services.contracts import add_contract, edit_contract, end_contract

NEW = 0  # the choice "a new contract" in the list of contracts


def _choice(label: str, options: list[str], current: str, key: str, vocabulary: str, _: Any) -> str:
    """A select box of codes shown in words, ``""`` (none) first when it is in ``options``."""
    return st.selectbox(label, options, index=options.index(current) if current in options else 0, key=key,
                        format_func=lambda v: _labels.value_label(vocabulary, v, _) if v else "–")  # fmt: skip


def _form(key: str, current: dict[str, str], submit: str, _: Any) -> dict[str, str] | None:
    with st.form(key):
        c = st.columns(3)
        cells = {"employer": c[0].text_input(_("Employer"), value=current.get("employer", ""), key=f"{key}_employer")}
        with c[1]:
            cells["employment_type"] = _choice(_("Employment"), list(EMPLOYMENT_TYPES),
                                               current.get("employment_type", ""), f"{key}_type", "employment_type", _)  # fmt: skip
        with c[2]:
            cells["department"] = _choice(_("Department"), ["", *DEPARTMENTS], current.get("department", ""),
                                          f"{key}_department", "department", _)  # fmt: skip
        c = st.columns(3)
        with c[0]:
            cells["jurisdiction"] = _choice(_("Jurisdiction"), list(JURISDICTIONS), current.get("jurisdiction", "JP"),
                                            f"{key}_jurisdiction", "jurisdiction", _)  # fmt: skip
        cells["prefecture"] = c[1].text_input(_("Prefecture (a Japanese workplace)"), value=current.get("prefecture", ""),
                                              placeholder="東京都", key=f"{key}_prefecture")  # fmt: skip
        cells["city"] = c[2].text_input(_("City (a Californian workplace)"), value=current.get("city", ""),
                                        key=f"{key}_city")  # fmt: skip
        c = st.columns(4)
        day = "YYYY-MM-DD"
        cells["start_date"] = c[0].text_input(_("First day"), value=current.get("start_date", ""), placeholder=day,
                                              key=f"{key}_start")  # fmt: skip
        cells["end_date"] = c[1].text_input(_("Last day (blank while it runs)"), value=current.get("end_date", ""),
                                            placeholder=day, key=f"{key}_end")  # fmt: skip
        cells["scheduled_monthly_hours"] = c[2].text_input(_("Scheduled hours a month"),
                                                           value=current.get("scheduled_monthly_hours", ""),
                                                           key=f"{key}_monthly")  # fmt: skip
        cells["scheduled_daily_hours"] = c[3].text_input(_("Scheduled hours a day"),
                                                         value=current.get("scheduled_daily_hours", ""),
                                                         key=f"{key}_daily")  # fmt: skip
        c = st.columns(4)
        with c[0]:
            cells["week_start"] = _choice(_("Week starts on (blank: the employer's)"), ["", *WEEKDAYS],
                                          current.get("week_start", ""), f"{key}_week", "weekday", _)  # fmt: skip
        cells["days_off_4w_from"] = c[1].text_input(_("Four weeks of days off counted from"),
                                                    value=current.get("days_off_4w_from", ""), placeholder=day,
                                                    key=f"{key}_days_off")  # fmt: skip
        cells["piece_rate_guarantee_per_hour"] = c[2].text_input(_("Piece-rate guarantee per hour (yen)"),
                                                                 value=current.get("piece_rate_guarantee_per_hour", ""),
                                                                 key=f"{key}_guarantee")  # fmt: skip
        exempt = c[3].checkbox(_("Exempt (California)"), value=current.get("is_exempt") == "yes", key=f"{key}_exempt")
        cells["is_exempt"] = "yes" if exempt else "no"
        c = st.columns(2)
        with c[0]:
            cells["discretionary_work"] = _choice(_("Discretionary work"), ["", "professional", "planning"],
                                                  current.get("discretionary_work", ""), f"{key}_disc",
                                                  "discretionary_work", _)  # fmt: skip
        cells["discretionary_consent_date"] = c[1].text_input(_("Written consent to discretionary work obtained on"),
                                                              value=current.get("discretionary_consent_date", ""),
                                                              placeholder=day, key=f"{key}_consent")  # fmt: skip
        return cells if st.form_submit_button(submit) else None


def section(ident: Identity, scope: Scope, *, person_id: int, name: str) -> None:
    """The contracts of ``person_id`` and the forms that add, correct or end one; ``name`` is escaped for Markdown."""
    _ = _ui.translator()

    def _write(func: Any, **kwargs: Any) -> Any:
        try:
            return _ui.write(func, ident, **kwargs)
        except EndrollError as exc:
            _ui.show_error(exc)
            return None

    def _done(message: str) -> None:
        # Drawn again from the top, so the list of contracts above the form shows the change.
        st.session_state["contract_done"] = message
        st.rerun()

    st.subheader(_("Employment contracts"))
    if saved := st.session_state.pop("contract_done", None):
        st.success(saved)
    rows = _ui.query(contracts, scope=scope, person_id=person_id)
    if _.language == "ja":  # stored as the minimum-wage table names it (Tokyo); a Japanese reader reads 東京都
        rows = rows.assign(prefecture=rows["prefecture"].map(lambda p: JP_PREFECTURES_JA.get(p, p)))
    _tables.table(rows, "contracts", empty=_("No contract recorded for {name}. Add one below.", name=name),
                  hide=("contract_id",), codes={"contract_week_start": "weekday"}, downloadable=False)  # fmt: skip
    labels = {NEW: _("A new contract")} | {
        int(r.contract_id): _("{employer} · {kind} · from {start}", employer=r.employer,
                              kind=_labels.value_label("employment_type", r.employment_type, _),
                              start=_format.date(r.start_date))
        for r in rows.itertuples()
    }  # fmt: skip
    pick = st.selectbox(_("Contract"), list(labels), format_func=labels.get, key="contract_pick")
    if pick == NEW:
        cells = _form("contract_new", {}, _("Add the contract"), _)
        if cells is not None and (done := _write(add_contract, person_id=person_id, cells=cells)) is not None:
            _done(_("Contract from {start} added for {name}.", start=_format.date(done.start_date), name=name))
        return
    current = _ui.query(contract_form, scope=scope, contract_id=int(pick))
    cells = _form(f"contract_{pick}", current, _("Save the contract"), _)
    if cells is not None and _write(edit_contract, contract_id=int(pick), cells=cells) is not None:
        _done(_("Contract saved for {name}.", name=name))
    with st.form(f"contract_end_{pick}"):
        last = st.date_input(_("Last day of the contract"), value=dt.date.today(), key=f"contract_last_{pick}")
        if (
            st.form_submit_button(_("End the contract"))
            and _write(end_contract, contract_id=int(pick), end_date=last) is not None
        ):
            _done(_("The contract of {name} ends on {date}.", name=name, date=_format.date(last)))
