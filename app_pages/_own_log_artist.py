"""The artist's own tools in My record's own-log tab, beside the reconciliation: change or delete a day of the month,
the Freelance Act facts of a freelancer's month, the dated report (PDF and JSON, with its SHA-256 digest) and the
check of a report file, and whether the month counts in the advocates' anonymized figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.own_log_entries import my_advocate_months, my_entries
from analytics.own_log_freelance import freelance_facts
from analytics.own_log_report import build_report, digest, report_json, report_pdf, report_pdf_refusal, verify_report
from analytics.scope import Scope
from app_pages import _format, _safe, _tables, _ui
from data.engine import session_scope
from data.errors import EndrollError
from data.identity import Identity
from services.own_log import Day, delete_day, edit_day
from services.own_log_advocates import opt_in, opt_out

REPORT_KEY = "own_report"


def _label(row: pd.Series) -> str:
    _ = _ui.translator()
    what = " / ".join(str(v) for v in (row["production"], row["role"]) if v) or _("no details")
    return _("{day}, {hours} — {what}", day=_format.date(row["work_date"]), hours=_format.hours(row["hours"]),
             what=what)  # fmt: skip


def _time(value: object) -> dt.time | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).time()


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def edit_days(ident: Identity, scope: Scope) -> None:
    """The month's days of the artist's own log: pick one, change it or delete it."""
    _ = _ui.translator()
    try:
        days = _ui.query(my_entries, scope=scope)
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    with st.expander(_("Change or delete a day of my log")):
        if days.empty:
            st.info(_("Your log has no day in this month yet. Add one above, or upload a timesheet."))
            return
        rows = {int(r["id"]): r for _i, r in days.iterrows()}
        labels = {i: _label(r) for i, r in rows.items()}  # made in the run: the language is the reader's
        chosen = st.selectbox(_("Day to change"), list(rows), key="own_edit_pick", format_func=labels.get)
        row = rows[chosen]
        timed = row["start_at"] is not None and not pd.isna(row["start_at"])
        with st.form(f"own_edit_{chosen}"):
            c = st.columns(4)
            day = c[0].date_input(_("Day"), value=row["work_date"], key=f"own_edit_date_{chosen}")
            start = c[1].time_input(_("Start"), value=_time(row["start_at"]), key=f"own_edit_start_{chosen}")
            end = c[2].time_input(_("End"), value=_time(row["end_at"]), key=f"own_edit_end_{chosen}")
            brk = c[3].number_input(_("Break (minutes)"), min_value=0.0, value=float(row["break_minutes"]), step=15.0,
                                    key=f"own_edit_break_{chosen}")  # fmt: skip
            c = st.columns(4)
            hours = c[0].number_input(_("Hours (without start and end)"), min_value=0.0, max_value=24.0, step=0.25,
                                      value=None if timed else float(row["hours"]),
                                      key=f"own_edit_hours_{chosen}")  # fmt: skip
            production = c[1].text_input(_("Production"), value=_text(row["production"]),
                                         key=f"own_edit_production_{chosen}")  # fmt: skip
            role = c[2].text_input(_("Role"), value=_text(row["role"]), key=f"own_edit_role_{chosen}")
            units = c[3].number_input(_("Units delivered"), min_value=0.0, key=f"own_edit_units_{chosen}",
                                      value=None if pd.isna(row["units"]) else float(row["units"]))  # fmt: skip
            note = st.text_input(_("Note"), value=_text(row["note"]), key=f"own_edit_note_{chosen}")
            if st.form_submit_button(_("Save the changes")) and _ui.try_write(
                edit_day, ident, entry_id=chosen,
                day=Day(day, start=start, end=end, break_minutes=brk, hours=None if start is not None or end is not None else hours,
                        production=production, role=role, units=units, note=note, episode=_text(row["episode"]),
                        cut=_text(row["cut"]), unit_kind=_text(row["unit_kind"])),
            ):  # fmt: skip
                st.success(_("The day is changed."))
        sure = st.checkbox(_("Yes, delete this day from my log"), key=f"own_delete_sure_{chosen}")
        if st.button(_("Delete this day"), key=f"own_delete_{chosen}", disabled=not sure) and _ui.try_write(
            delete_day, ident, entry_id=chosen
        ):
            st.success(_("The day is deleted from your log."))


def freelance_section(scope: Scope) -> None:
    """The Freelance Act facts of the month's commissions, from the studio's records (nothing for an employee)."""
    _ = _ui.translator()
    try:
        facts = _ui.query(freelance_facts, scope=scope)
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    if facts.empty:
        return
    known = facts.dropna(subset=["delivery_date", "latest_due_date"])
    term = (known.iloc[0]["latest_due_date"] - known.iloc[0]["delivery_date"]).days + 1 if len(known) else None
    st.markdown(_("**The Freelance Act, from the studio's records of your commissions.**"))
    if term is not None:
        st.caption(_("Payment falls due within {days} days of the studio receiving the work, the day of delivery "
                     "counted as the first (or on the agreed date, if earlier).", days=term))  # fmt: skip
    _tables.table(facts, "own_log_freelance_act", empty="",
                  hide=("unpaid_past_due", "retake_paid_amount", "due_date"))  # fmt: skip
    for r in facts.itertuples(index=False):
        item = _("pay item {id}", id=int(r.pay_item_id))
        if r.terms_issued_date is None:
            st.warning(_("{item}: the studio has no record of written terms.", item=item))
        elif pd.notna(r.terms_days_late) and r.terms_days_late > 0:
            st.warning(_("{item}: terms issued {days} days after the commission.", item=item,
                         days=int(r.terms_days_late)))  # fmt: skip
        if r.paid_late:
            st.warning(_("{item}: paid {days} days after it was due on {due}.", item=item,
                         days=int(r.days_paid_after_due), due=_format.date(r.deemed_due_date)))  # fmt: skip
        elif r.unpaid_past_due:
            st.warning(_("{item}: still unpaid after it was due on {due}.", item=item,
                         due=_format.date(r.deemed_due_date)))  # fmt: skip
        if r.unpaid_retakes:
            st.warning(_("{item}: {n} retakes asked for with nothing paid for them.", item=item,
                         n=int(r.retake_count)))  # fmt: skip


def report_section(ident: Identity, scope: Scope) -> None:
    """The dated report of the month (PDF and JSON with its digest), and the check of a report file."""
    _ = _ui.translator()
    st.subheader(_("A dated report of this month"))
    st.caption(_("A PDF and a JSON file of this month reconciled, dated, with a SHA-256 digest of its content. Keep "
                 "the digest somewhere else too (send it to yourself or to your union): anyone can later check that "
                 "the report was not changed."))  # fmt: skip
    name = st.text_input(_("Name on the report"), value=ident.display_name or "", key="own_report_name",
                         help=_("As you want to be named: your name, a pen name or initials."))  # fmt: skip
    if st.button(_("Make the report"), key="own_report_make"):
        try:
            with session_scope(_ui.engine()) as session:
                content = build_report(session, scope=scope, name=name)
        except EndrollError as exc:
            _ui.show_error(exc)
        else:
            st.session_state[REPORT_KEY] = content
    content = st.session_state.get(REPORT_KEY)
    wanted = (scope.start.isoformat(), scope.end.isoformat()) if scope.start and scope.end else None
    if content is not None and (content["period"]["start"], content["period"]["end"]) == wanted:
        st.caption(_("Generated at {at} (UTC) for {name}. SHA-256 digest:", at=content["generated_at"],
                     name=_safe.md(content["person"])))  # fmt: skip
        st.code(digest(content), language=None)
        c = st.columns(2)
        stem = f"own_log_report_{content['period']['start'][:7]}"
        c[0].download_button(_("Report (JSON)"), report_json(content), f"{stem}.json", "application/json",
                             key="own_report_json")  # fmt: skip
        refused = report_pdf_refusal(content, lang=_.language)
        if refused is None:
            c[1].download_button(_("Report (PDF)"), lambda: report_pdf(content, lang=_.language), f"{stem}.pdf",
                                 "application/pdf", key="own_report_pdf")  # fmt: skip
        else:
            _ui.show_error(refused)
    upload = st.file_uploader(_("Check a report (its JSON file)"), type=["json"], key="own_report_check")
    if upload is not None:
        found = verify_report(upload.getvalue())
        (st.success if found.matches else st.error)(_safe.md(found.message(_)))


def advocate_section(ident: Identity, scope: Scope) -> None:
    """Whether this month counts in the advocates' anonymized figures, and the button that changes it."""
    _ = _ui.translator()
    month = scope.start
    try:
        months = _ui.query(my_advocate_months, scope=Scope(people=scope.people, viewer=ident))
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    st.caption(_("Advocates (a union, a lawyer) never see your log. If you let this month count, your hours go into "
                 "their anonymized figures only: the share of hours missing from the studio's records, for groups of "
                 "several artists, never for one person."))  # fmt: skip
    if month in months:
        st.caption(_("This month counts in the advocates' anonymized figures."))
        if st.button(_("Stop counting this month"), key="own_adv_out") and _ui.try_write(
            opt_out, ident, person_id=scope.person, month=month
        ):
            st.success(_("This month no longer counts in the advocates' figures."))
    elif st.button(_("Let this month count in the advocates' anonymized figures"), key="own_adv_in") and _ui.try_write(
        opt_in, ident, person_id=scope.person, month=month
    ):
        st.success(_("This month now counts in the advocates' anonymized figures."))
