"""My record: an artist's own credits, hours and pay, whether each month reached the minimum wage, name preference
and requests."""

from __future__ import annotations

import math

import plotly.express as px
import streamlit as st

from analytics.credits.record import record_pdf_refusal
from analytics.exports import to_csv_bytes, to_json_bytes
from analytics.my_record import export_my_record, my_findings, my_record
from analytics.people import shown_name
from analytics.scope import Scope
from app_pages import _format, _labels, _own_log, _safe, _sign_off, _tables, _ui
from data.engine import session_scope
from data.errors import EndrollError
from data.schema import VISIBILITY
from services.corrections import request_correction
from services.credit_review import claim_credit, decline_credit
from services.preferences import set_name_preference

ident = _ui.require("artist")
_ = _ui.translator()
scope = Scope(people=(ident.person_id,), viewer=ident)
try:
    rec = _ui.query(my_record, scope=scope)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

p = rec.profile
st.title(_("My record"))
# Their own page: the name they were given, whatever they chose to be credited as.
st.markdown(f"### {shown_name(_safe.md(p['native_name']), _safe.md(p['romaji']), None, 'public', language=_.language)}")
st.caption(_("Shown as **{name}** · credited: {visibility}", name=_safe.md(p["display_name"]),
             visibility=_labels.value_label("visibility", p["visibility"], _)))  # fmt: skip

monthly = rec.monthly
tab_work, tab_wage, tab_own, tab_sign, tab_credits, tab_findings, tab_prefs, tab_requests = st.tabs(
    [_("Hours and pay"), _("Minimum wage"), _("My own log"), _("Sign-off"), _("Credits"), _("Findings"), _("Name"),
     _("Corrections")]
)  # fmt: skip
currency = "/".join(sorted(monthly["currency"].dropna().unique())) if not monthly.empty else "JPY"
currency = currency or "JPY"
currency_word = currency if _.language == "en" else _labels.value_label("unit", currency, _)

with tab_work:
    if monthly.empty:
        st.info(_("No work or pay is recorded for you yet. If that is wrong, send a correction request."))
    else:
        hours, pay = monthly["hours"].sum(), monthly["pay_amount"].sum()
        c = st.columns(3)
        c[0].metric(_("Hours logged"), f"{hours:,.0f} h")
        c[1].metric(_("Pay"), _format.money(pay, currency))
        c[2].metric(_("Effective hourly pay"), _format.money(pay / hours, currency, per_hour=True) if hours else "–")
        months = monthly.assign(month=monthly["month"].map(lambda m: f"{m}-01")).astype({"month": "datetime64[ns]"})
        fig = px.bar(months, x="month", y="hours", labels=_tables.plot_labels())
        _tables.chart(fig, title=_("Hours worked per month"), x_title=_("Month"), y_title=_("Hours (h)"),
                      caption=_("Your logged working hours in each calendar month."), key="my_hours",
                      months=months["month"])  # fmt: skip
        _tables.table(monthly, "my_hours_and_pay", empty="", hide=("base_pay_per_hour", "mw_per_hour", "below_mw"))

with tab_wage:
    st.subheader(_("Was I paid at least the minimum wage?"))
    tested = monthly[monthly["mw_per_hour"].notna() & monthly["base_pay_per_hour"].notna()] if not monthly.empty else (
        monthly)  # fmt: skip
    if tested.empty:
        st.info(_("No month has both pay and the minimum wage of your workplace on record, so it cannot be said. If "
                  "your workplace is missing, send a correction request."))  # fmt: skip
    else:
        below = tested[tested["below_mw"]]
        if below.empty:
            st.success(_("Yes: in every month on record your pay per hour reached the minimum wage."))
        else:
            st.warning(_.ngettext("No: in {n} month your pay per hour was below the minimum wage.",
                                  "No: in {n} months your pay per hour was below the minimum wage.", len(below)))  # fmt: skip
        for row in tested.itertuples(index=False):
            month = _format.month(f"{row.month}-01", _.language)
            wage = _format.money(row.mw_per_hour, row.currency, per_hour=True)
            # Never rounded up onto the line it fell short of (¥1,162.6 is not ¥1,163).
            rate = math.floor(row.base_pay_per_hour * 100) / 100 if row.currency == "USD" else (
                math.floor(row.base_pay_per_hour) if row.below_mw else row.base_pay_per_hour)  # fmt: skip
            paid = _format.money(rate, row.currency, per_hour=True)
            st.markdown(
                ("❌ " + _("{month}: {paid}, below the minimum wage of {wage}.", month=month, paid=paid, wage=wage))
                if row.below_mw else
                ("✅ " + _("{month}: {paid}, at or above the minimum wage of {wage}.", month=month, paid=paid,
                                  wage=wage))
            )  # fmt: skip
        months = tested.assign(month=tested["month"].map(lambda m: f"{m}-01")).astype({"month": "datetime64[ns]"})
        fig = px.line(months, x="month", y="base_pay_per_hour", markers=True, labels=_tables.plot_labels())
        fig.data[0].name, fig.data[0].showlegend = _("Your pay per hour"), True
        fig.add_scatter(x=months["month"], y=months["mw_per_hour"], mode="lines", name=_("Minimum wage"),
                        line={"dash": "dash", "color": "red"})  # fmt: skip
        fig.update_yaxes(rangemode="tozero")
        _tables.chart(fig, title=_("Your pay per hour against the minimum wage"), x_title=_("Month"),
                      y_title=_("Pay per hour ({currency}/h)", currency=currency_word),
                      caption=_("The pay that counts for the minimum wage (hourly, salary and piece pay: no premiums, "
                                "bonuses or allowances) divided by the hours you logged, month by month; the dashed "
                                "line is the minimum wage in force at your workplace."),
                      key="my_rate", months=months["month"])  # fmt: skip

with tab_own:
    _own_log.artist_section(ident)

with tab_sign:
    _sign_off.artist_tab(ident)

with tab_credits:
    _tables.table(rec.credits, "my_credits", codes={"source": "credit_source", "role": None},
                  empty=_("No credits name you yet. If a production credited you under another name, send a "
                          "correction request."))  # fmt: skip
    st.subheader(_("Public credits that may be yours"))
    st.caption(_("Published credits (Media Arts Database, on-screen, official sites) that carry your name. Someone "
                 "else may have the same name, so they join your record only when a manager confirms them: claim "
                 "the ones that are yours, decline the others."))  # fmt: skip
    waiting = rec.suggestions
    _tables.table(waiting, "my_credit_suggestions", codes={"status": "credit_review_status", "source": "credit_source"},
                  empty=_("No public credit carries your name."))  # fmt: skip
    if not waiting.empty:
        labels = {int(r.credit_line_id): f"{r.production} · {r.role_as_credited} · {r.name_as_credited}"
                  for r in waiting.itertuples()}  # fmt: skip
        chosen = st.selectbox(_("Credit"), list(labels), format_func=labels.get, key="claim_line")
        c1, c2 = st.columns(2)
        if c1.button(_("This is me: claim it"), key="claim_credit") and _ui.try_write(
            claim_credit, ident, credit_line_id=chosen
        ):
            st.success(_("Claimed. A manager will confirm it."))
        if c2.button(_("Not me: decline it"), key="decline_credit") and _ui.try_write(
            decline_credit, ident, credit_line_id=chosen
        ):
            st.success(_("Declined. It is no longer suggested to you."))

with tab_findings:
    st.caption(_("Where your hours or pay cross a legal line or an advocacy threshold (overtime, minimum wage, payment "
                 "terms)."))  # fmt: skip
    with st.spinner(_("Checking the compliance rules…")):
        mine = _ui.query(my_findings, scope=scope)
    _tables.table(_tables.findings_shape(mine) if not mine.empty else mine, "my_findings",
                  empty=_("No findings concern you. If your hours or pay look wrong, send a correction request."))  # fmt: skip

with tab_prefs, st.form("name_pref"):
    st.caption(_("How you are named in end rolls and on the dashboard."))
    display = st.text_input(_("Display name"), value=p["display_name"], key="pref_display")
    pen = st.text_input(_("Pen name"), value=p["pen_name"] or "", key="pref_pen")
    vis = st.selectbox(_("Visibility"), VISIBILITY, index=VISIBILITY.index(p["visibility"]), key="pref_visibility",
                       format_func=lambda v: _labels.value_label("visibility", v, _))  # fmt: skip
    if st.form_submit_button(_("Save name preference")) and _ui.try_write(
        set_name_preference, ident, person_id=ident.person_id, display_name=display, pen_name=pen, visibility=vis
    ):
        st.success(_("Saved. End rolls built from now on use this name."))

with tab_requests:
    with st.form("correction", clear_on_submit=True):
        subject = st.text_input(_("What is wrong?"), key="corr_subject",
                                placeholder=_("e.g. missing credit on episode 5"))  # fmt: skip
        body = st.text_area(_("Details"), key="corr_body", placeholder=_("Which production, month or credit, and why"))
        if st.form_submit_button(_("Send correction request")) and _ui.try_write(
            request_correction, ident, subject=subject, body=body
        ):
            st.success(_("Sent. A manager will answer it here."))
            rec = _ui.query(my_record, scope=scope)
    _tables.table(rec.requests, "my_requests", codes={"status": "request_status"},
                  empty=_("You have not sent any correction requests."))  # fmt: skip

st.divider()
st.subheader(_("Export my record"))
export = {"profile": rec.profile, "monthly": rec.monthly, "credits": rec.credits}
c = st.columns(3)
c[0].download_button(_("Hours and pay (CSV)"), to_csv_bytes(rec.monthly), "my_record_hours_pay.csv", "text/csv",
                     key="exp_csv")  # fmt: skip
c[1].download_button(_("Whole record (JSON)"), to_json_bytes(export), "my_record.json", "application/json",
                     key="exp_json")  # fmt: skip


viewer_lang = _ui.language()  # read here: the download runs outside the page's script


def _pdf() -> bytes:
    with session_scope(_ui.engine()) as session:
        return export_my_record(session, scope=scope, fmt="pdf", lang=viewer_lang)


pdf_refusal = _ui.query(record_pdf_refusal, person_id=ident.person_id, lang=viewer_lang)
if pdf_refusal is None:
    c[2].download_button(_("Credit record (PDF)"), _pdf, "my_credit_record.pdf", "application/pdf", key="exp_pdf")
else:
    _ui.show_error(pdf_refusal)
