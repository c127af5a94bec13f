"""Advocate aggregates: hours and pay distributions across departments, productions and employment types, over time.
No names, no per-person pay, and no group smaller than k people."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.advocate_view import advocate_view
from analytics.queries.productions import filter_options
from app_pages import _ui
from data.errors import EndrollError

ident = _ui.require("advocate", "manager")
scope = _ui.sidebar_scope(_ui.query(filter_options), viewer=ident).for_role()
st.title("Aggregates")
try:
    with st.spinner("Aggregating…"):
        view = _ui.query(advocate_view, scope=scope)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()
hidden = sum(view.suppressed.values())
st.caption(f"Anonymized: every group shown has at least {view.k} people"
           + (f"; {hidden} smaller groups are hidden." if hidden else "."))  # fmt: skip

tab_hours, tab_pay, tab_time, tab_findings = st.tabs(["Hours", "Pay", "Over time", "Findings"])
with tab_hours:
    for name, title, key in (("hours_by_department", "department", "adv_h_dept"),
                             ("hours_by_production", "production", "adv_h_prod"),
                             ("hours_by_employment", "employment type", "adv_h_emp")):  # fmt: skip
        table = getattr(view, name)
        if not table.empty:
            fig = px.bar(table, x="group", y="median_monthly_hours", error_y=table["p90_monthly_hours"]
                         - table["median_monthly_hours"], hover_data=["people", "share_over_205_hours"])  # fmt: skip
            fig.add_hline(y=205, line_dash="dash", line_color="red", annotation_text="205 h (40 h × 4 + 45 h)")
            _ui.chart(fig, title=f"Monthly hours by {title}", x_title=title.capitalize(),
                      y_title="Hours per person-month (h)",
                      caption=f"Median monthly hours per person in each {title}, with the bar reaching up to the "
                              "90th percentile; the red line is the legal monthly maximum with overtime.", key=key)  # fmt: skip
        _ui.table(table, name, empty=f"No {title} group has {view.k} or more people in these filters.")
with tab_pay:
    for name, title, key in (("pay_by_employment", "employment type", "adv_p_emp"),
                             ("pay_by_role", "role", "adv_p_role")):  # fmt: skip
        table = getattr(view, name)
        jpy = table[table["currency"] == "JPY"] if not table.empty else table
        if not jpy.empty:
            fig = px.bar(jpy, x="group", y="median_pay_per_hour", hover_data=["people", "share_below_mw"])
            _ui.chart(fig, title=f"Median effective hourly pay by {title}", x_title=title.capitalize(),
                      y_title="Pay per hour (JPY/h)",
                      caption=f"Median of all pay ÷ logged hours per person-month in each {title}.", key=key)  # fmt: skip
        _ui.table(table, name, empty=f"No {title} group has {view.k} or more people in these filters.")
with tab_time:
    if not view.monthly.empty:
        fig = px.line(view.monthly, x="month", y="median_monthly_hours", markers=True)
        _ui.chart(fig, title="Median monthly hours over time", x_title="Month", y_title="Hours per person (h)",
                  caption="Median hours per person for each month, across everyone who worked that month.",
                  key="adv_trend")  # fmt: skip
    if not view.ai_by_month.empty:
        fig = px.line(view.ai_by_month, x="month", y="ai_hours_share", markers=True)
        fig.update_yaxes(tickformat=".0%")
        _ui.chart(fig, title="AI-assisted share of hours over time", x_title="Month",
                  y_title="Share of hours (%)", caption="Share of logged hours that were AI-assisted, per month.",
                  key="adv_ai")  # fmt: skip
    _ui.table(view.monthly, "monthly_hours_trend", empty=f"No month has {view.k} or more people in these filters.")
with tab_findings:
    if view.findings is None:
        st.error(f"The compliance engine failed: {view.findings_error}. The other tabs are unaffected.")
    else:
        _ui.table(view.findings, "findings_summary",
                  empty=f"No rule found {view.k} or more people in these filters.")  # fmt: skip
