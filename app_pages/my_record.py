"""My record: an artist's own credits, hours and pay, effective hourly pay, name preference and requests."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.credits.record import record_pdf_refusal
from analytics.exports import to_csv_bytes, to_json_bytes
from analytics.findings import explain
from analytics.my_record import export_my_record, my_findings, my_record
from analytics.scope import Scope
from app_pages import _ui
from data.engine import session_scope
from data.errors import EndrollError
from data.schema import VISIBILITY
from services.corrections import request_correction
from services.preferences import set_name_preference

ident = _ui.require("artist")
scope = Scope(people=(ident.person_id,), viewer=ident)
try:
    rec = _ui.query(my_record, scope=scope)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

p = rec.profile
st.title("My record")
st.markdown(f"### {_ui.name_with_romaji(p['native_name'], p['romaji'])}")
st.caption(f"Shown as **{p['display_name']}** · visibility: {p['visibility'].replace('_', ' ')}")

monthly = rec.monthly
tab_work, tab_credits, tab_findings, tab_prefs, tab_requests = st.tabs(
    ["Hours and pay", "Credits", "Findings", "Name", "Corrections"]
)

with tab_work:
    if monthly.empty:
        st.info("No work or pay is recorded for you yet. If that is wrong, send a correction request.")
    else:
        hours, pay = monthly["hours"].sum(), monthly["pay_amount"].sum()
        cur = "/".join(sorted(monthly["currency"].dropna().unique())) or "JPY"
        c = st.columns(3)
        c[0].metric("Hours logged", f"{hours:,.0f} h")
        c[1].metric("Pay", f"{pay:,.0f} {cur}")
        c[2].metric("Effective hourly pay", f"{pay / hours:,.0f} {cur}/h" if hours else "–")
        fig = px.bar(monthly, x="month", y="hours")
        _ui.chart(fig, title="Hours worked per month", x_title="Month", y_title="Hours (h)",
                  caption="Your logged working hours in each calendar month.", key="my_hours")  # fmt: skip
        fig = px.line(monthly, x="month", y="pay_per_hour", markers=True)
        _ui.chart(fig, title="Effective hourly pay per month", x_title="Month", y_title=f"Pay per hour ({cur}/h)",
                  caption="All your pay in a month divided by the hours you logged that month.", key="my_rate")  # fmt: skip
        _ui.table(monthly, "my_hours_and_pay", empty="")

with tab_credits:
    _ui.table(
        rec.credits,
        "my_credits",
        empty="No credits name you yet. If a production credited you under another name, send a correction request.",
    )

with tab_findings:
    st.caption("Where your hours or pay cross a legal line or an advocacy threshold (overtime, minimum wage, "
               "payment terms).")  # fmt: skip
    with st.spinner("Checking the compliance rules…"):
        mine = explain(_ui.query(my_findings, scope=scope), _ui.translator())
    _ui.table(mine, "my_findings", empty="No findings concern you. If your hours or pay look wrong, send a "
              "correction request.")  # fmt: skip

with tab_prefs, st.form("name_pref"):
    st.caption("How you are named in end rolls and on the dashboard.")
    display = st.text_input("Display name", value=p["display_name"], key="pref_display")
    pen = st.text_input("Pen name", value=p["pen_name"] or "", key="pref_pen")
    vis = st.selectbox("Visibility", VISIBILITY, index=VISIBILITY.index(p["visibility"]), key="pref_visibility",
                       format_func=lambda v: v.replace("_", " "))  # fmt: skip
    if st.form_submit_button("Save name preference") and _ui.try_write(
        set_name_preference, ident, person_id=ident.person_id, display_name=display, pen_name=pen, visibility=vis
    ):
        st.success("Saved. End rolls built from now on use this name.")

with tab_requests:
    with st.form("correction", clear_on_submit=True):
        subject = st.text_input("What is wrong?", key="corr_subject", placeholder="e.g. missing credit on episode 5")
        body = st.text_area("Details", key="corr_body", placeholder="Which production, month or credit, and why")
        if st.form_submit_button("Send correction request") and _ui.try_write(
            request_correction, ident, subject=subject, body=body
        ):
            st.success("Sent. A manager will answer it here.")
            rec = _ui.query(my_record, scope=scope)
    _ui.table(rec.requests, "my_requests", empty="You have not sent any correction requests.")

st.divider()
st.subheader("Export my record")
export = {"profile": rec.profile, "monthly": rec.monthly, "credits": rec.credits}
c = st.columns(3)
c[0].download_button("Hours and pay (CSV)", to_csv_bytes(rec.monthly), "my_record_hours_pay.csv", "text/csv",
                     key="exp_csv")  # fmt: skip
c[1].download_button("Whole record (JSON)", to_json_bytes(export), "my_record.json", "application/json",
                     key="exp_json")  # fmt: skip


viewer_lang = _ui.language()  # read here: the download runs outside the page's script


def _pdf() -> bytes:
    with session_scope(_ui.engine()) as session:
        return export_my_record(session, scope=scope, fmt="pdf", lang=viewer_lang)


pdf_refusal = _ui.query(record_pdf_refusal, person_id=ident.person_id, lang=viewer_lang)
if pdf_refusal is None:
    c[2].download_button("Credit record (PDF)", _pdf, "my_credit_record.pdf", "application/pdf", key="exp_pdf")
else:
    _ui.show_error(pdf_refusal)
