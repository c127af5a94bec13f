"""The artist's own log on the pages: the artist's section of My record (add a day, upload a timesheet, the
reconciliation of a month, share it, export the log) and the manager's view of a period an artist shared (Person)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.own_log import Reconciliation, my_shares, reconcile, shared_periods
from analytics.scope import Scope
from app_pages import _format, _own_log_artist, _safe, _sign_off, _tables, _ui
from data.engine import session_scope
from data.errors import EndrollError
from data.identity import Identity
from services.own_log import Day, add_day, export_csv, export_json, share_period, unshare_period
from services.own_log_import import import_file

CODES = {"state": "own_log_state"}


def _month_end(month: dt.date) -> dt.date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def _money(found: Reconciliation) -> None:
    """What the difference means in money, month by month, in sentences."""
    _ = _ui.translator()
    for row in found.money.itertuples(index=False):
        month, cur = _format.month(row.month, _.language), row.currency
        if row.basis == "employee":
            st.markdown(_("{month}: overtime {own} on your count, {studio} on the studio's; the premiums owed for it "
                          "come to {own_owed} on your count and {studio_owed} on the studio's ({gap} more).",
                          month=month, own=_format.hours(row.own_overtime_hours),
                          studio=_format.hours(row.studio_overtime_hours), own_owed=_format.money(row.own_premiums, cur),
                          studio_owed=_format.money(row.studio_premiums, cur),
                          gap=_format.money(row.premiums_difference, cur)))  # fmt: skip
            if row.mw_per_hour == row.mw_per_hour:
                st.markdown(_("{month}: your pay per hour for the minimum wage is {own} on your hours and {studio} on "
                              "the studio's, against a minimum wage of {wage}; the shortfall is {own_short} on your "
                              "count and {studio_short} on the studio's.", month=month,
                              own=_format.money(row.own_mw_base, cur, per_hour=True),
                              studio=_format.money(row.studio_mw_base, cur, per_hour=True),
                              wage=_format.money(row.mw_per_hour, cur, per_hour=True),
                              own_short=_format.money(row.own_shortfall, cur),
                              studio_short=_format.money(row.studio_shortfall, cur)))  # fmt: skip
        else:
            st.markdown(_("{month}: {pay} of pay is {own} on your hours and {studio} on the studio's.", month=month,
                          pay=_format.money(row.pay_amount, cur),
                          own=_format.money(row.own_per_hour, cur, per_hour=True),
                          studio=_format.money(row.studio_per_hour, cur, per_hour=True)))  # fmt: skip


def show_reconciliation(found: Reconciliation, *, key: str) -> None:
    """The totals, the days and the money of a reconciliation."""
    _ = _ui.translator()
    totals = found.totals
    c = st.columns(3)
    c[0].metric(_("My hours"), _format.hours(totals["own_hours"]))
    c[1].metric(_("Studio's hours"), _format.hours(totals["studio_hours"]))
    c[2].metric(_("Difference"), _format.hours(totals["difference_hours"]))
    _tables.table(found.days, f"own_log_days_{key}", codes=CODES,
                  empty=_("Neither your log nor the studio's record has a day in this month."))  # fmt: skip
    _money(found)


def artist_section(ident: Identity) -> None:
    """My record's own-log tab: what only the artist sees and does."""
    _ = _ui.translator()
    person_id = int(ident.person_id)  # type: ignore[arg-type]
    st.caption(_("Your own record of your hours, kept apart from the studio's. Managers see nothing of it unless you "
                 "share a month; you can export all of it at any time."))  # fmt: skip
    with st.expander(_("Add a day")), st.form("own_day", clear_on_submit=True):
        c = st.columns(4)
        day = c[0].date_input(_("Day"), value=dt.date.today(), key="own_date")
        start = c[1].time_input(_("Start"), value=None, key="own_start")
        end = c[2].time_input(_("End"), value=None, key="own_end")
        brk = c[3].number_input(_("Break (minutes)"), min_value=0, value=0, step=15, key="own_break")
        c = st.columns(4)
        hours = c[0].number_input(_("Hours (without start and end)"), min_value=0.0, max_value=24.0, value=None,
                                  step=0.25, key="own_hours")  # fmt: skip
        production = c[1].text_input(_("Production"), key="own_production")
        role = c[2].text_input(_("Role"), key="own_role")
        units = c[3].number_input(_("Units delivered"), min_value=0.0, value=None, key="own_units")
        note = st.text_input(_("Note"), key="own_note")
        if st.form_submit_button(_("Add to my log")) and _ui.try_write(
            add_day, ident, person_id=person_id,
            day=Day(day, start=start, end=end, break_minutes=brk, hours=hours, production=production, role=role,
                    units=units, note=note),
        ):  # fmt: skip
            st.success(_("Added to your log."))
    with st.expander(_("Upload a timesheet you kept")):
        st.caption(_("A Toggl, Clockify or Kimai export, Endroll's work-log CSV, or a sheet with the columns date, "
                     "hours and note. Its rows go into your own log only."))  # fmt: skip
        upload = st.file_uploader(_("Timesheet file"), type=["csv", "xlsx", "tsv", "txt"], key="own_upload")
        if upload is not None and st.button(_("Add its rows to my log"), key="own_import"):
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                try:
                    report = _ui.write(import_file, ident, person_id=person_id, path=path)
                except EndrollError as exc:
                    _ui.show_error(exc)
                else:
                    st.success(_("{file}: {read} rows read, {added} added, {already} already in your log, {rejected} "
                                 "rejected.", file=_safe.md(upload.name), read=report.read, added=report.added,
                                 already=report.already, rejected=len(report.rejected)))  # fmt: skip
                    for line, reason in report.rejected:
                        st.caption(_("Line {line}: {reason}", line=line, reason=_safe.md(_(reason))))

    st.subheader(_("My log beside the studio's"))
    picked = st.date_input(_("Month (any day in it)"), value=dt.date.today(), key="own_month")
    month = picked.replace(day=1)
    period = (month, _month_end(month))
    st.caption(_format.month(month, _.language))
    scope = Scope(people=(person_id,), start=period[0], end=period[1], viewer=ident)
    try:
        found = _ui.query(reconcile, scope=scope)
        shares = _ui.query(my_shares, scope=Scope(people=(person_id,), viewer=ident))
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    show_reconciliation(found, key="mine")
    _own_log_artist.freelance_section(scope)
    _own_log_artist.edit_days(ident, scope)
    share = shares[(shares["period_start"] == period[0]) & (shares["period_end"] == period[1])]
    if share.empty:
        st.caption(_("Managers cannot see this month of your log."))
        if st.button(_("Share this month with the managers"), key="own_share") and _ui.try_write(
            share_period, ident, person_id=person_id, start=period[0], end=period[1]
        ):
            st.success(_("Shared. Managers can now see this month of your log beside the studio's."))
    else:
        st.caption(_("Managers can see this month of your log."))
        if st.button(_("Stop sharing this month"), key="own_unshare") and _ui.try_write(
            unshare_period, ident, share_id=int(share.iloc[0]["id"])
        ):
            st.success(_("No longer shared."))
    _own_log_artist.advocate_section(ident, scope)
    _own_log_artist.report_section(ident, scope)

    st.subheader(_("Export my own log"))

    def _export(fmt: str) -> bytes:
        with session_scope(_ui.engine()) as session:
            text = (export_csv if fmt == "csv" else export_json)(session, ident, person_id=person_id)
        return ("\ufeff" + text if fmt == "csv" else text).encode("utf-8")

    c = st.columns(2)
    c[0].download_button(_("Own log (CSV)"), lambda: _export("csv"), "my_own_log.csv", "text/csv", key="own_csv")
    c[1].download_button(_("Own log (JSON)"), lambda: _export("json"), "my_own_log.json", "application/json",
                         key="own_json")  # fmt: skip


def manager_section(ident: Identity, person_id: int) -> None:
    """The Person page's tab: the periods this artist shared, and the chosen one reconciled."""
    _ = _ui.translator()
    try:
        shared = _ui.query(shared_periods, scope=Scope(people=(person_id,), viewer=ident))
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    if shared.empty:
        st.info(_("This person has shared no period of their own log. Only they can share it, from My record."))
        return
    periods = {int(r.id): (r.period_start, r.period_end) for r in shared.itertuples(index=False)}
    chosen = st.selectbox(_("Shared period"), list(periods), key="own_shared_period",
                          format_func=lambda i: f"{_format.date(periods[i][0])} – {_format.date(periods[i][1])}")  # fmt: skip
    start, end = periods[chosen]
    try:
        found = _ui.query(reconcile, scope=Scope(people=(person_id,), start=start, end=end, viewer=ident))
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    show_reconciliation(found, key="shared")
    _sign_off.answer_differences(ident, person_id, found)
