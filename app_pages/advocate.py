"""Advocate aggregates: hours and pay distributions across departments, productions, employment types and roles, per
calendar quarter, and over time. No names, no per-person pay, no group smaller than k people, and nothing two views
could be subtracted to reveal (fixed quarters and groupings: see analytics/release.py)."""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import streamlit as st

from analytics.advocate_view import advocate_view
from analytics.scope import Scope
from app_pages import _safe, _ui
from data import settings
from data.errors import EndrollError

_ = _ui.translator()
ident = _ui.require("advocate", "manager")
st.title(_("Aggregates"))
st.sidebar.caption(_("The sidebar's filters do not narrow these aggregates: each covers a whole calendar quarter, so "
                     "that two views can never be subtracted to reveal one person."))  # fmt: skip


MONTHS = {1: _("January–March"), 4: _("April–June"), 7: _("July–September"), 10: _("October–December")}


def _quarter_label(start: dt.date) -> str:
    return _("{year} Q{n} ({months})", year=start.year, n=(start.month - 1) // 3 + 1, months=MONTHS[start.month])


# Filters would let two views differ by one person, so the view is asked with the viewer only (one cached result).
scope = Scope(viewer=ident).for_role()
try:
    with st.spinner(_("Aggregating…")):
        view = _ui.query(advocate_view, scope=scope)
        if view.quarters:
            quarter = st.selectbox(_("Quarter"), view.quarters, format_func=_quarter_label, key="adv_quarter",
                                   help=_("Only calendar quarters that have ended are published."))  # fmt: skip
            if quarter != view.quarter:
                view = _ui.query(advocate_view, scope=scope, quarter=quarter)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

hidden = sum(view.suppressed.values())
if hidden:
    st.caption(_("Anonymized: every group shown has at least {k} people; {n} smaller groups are hidden.", k=view.k,
                 n=hidden))  # fmt: skip
else:
    st.caption(_("Anonymized: every group shown has at least {k} people.", k=view.k))
if view.quarter is None:
    st.info(_("No calendar quarter with logged work has ended yet. Aggregates appear once one has."))

with st.expander(_("How these figures protect each person")):
    st.markdown(_(
        "Each table covers one whole calendar quarter that has ended, grouped by department, production, employment "
        "type or role; the over-time charts cover whole months. You choose the quarter, never where a period or a "
        "group begins, so no two views differ by one person. A group of fewer than {k} people is hidden, and when "
        "a table hides a group it hides enough others that the hidden ones hold at least {k} people together, so "
        "no group can be worked out by subtracting the shown ones from a total. Only medians, percentiles, shares "
        "and head counts are published — no sums, averages or person-month counts, which could be added and "
        "subtracted. The same holds for the downloads.", k=view.k))  # fmt: skip
    st.markdown(_("**k = {k}**, never below {floor}: {reason}", k=view.k, floor=view.k_floor,
                  reason=_(view.k_floor_reason)))  # fmt: skip
    changes = view.k_changes
    if changes is not None and not changes.empty:
        shown = changes.rename(columns={"at": _("changed at (UTC)"), "actor": _("changed by"),
                                        "old": _("from"), "new": _("to")})  # fmt: skip
        st.dataframe(shown, hide_index=True, width="stretch")
        st.caption(_("Every change of k, as recorded in the audit log. No value means the default ({k}) was in force.",
                     k=settings.setting("k_anonymity").default))  # fmt: skip
    else:
        st.caption(_("k has never been changed on the Admin page."))

tab_hours, tab_pay, tab_time, tab_findings = st.tabs([_("Hours"), _("Pay"), _("Over time"), _("Findings")])
with tab_hours:
    for name, title, key in (("hours_by_department", _("department"), "adv_h_dept"),
                             ("hours_by_production", _("production"), "adv_h_prod"),
                             ("hours_by_employment", _("employment type"), "adv_h_emp")):  # fmt: skip
        table = getattr(view, name)
        if not table.empty:
            hover = [c for c in ("people", "share_over_205_hours") if c in table.columns]
            fig = px.bar(table, x="group", y="median_monthly_hours", error_y=table["p90_monthly_hours"]
                         - table["median_monthly_hours"], hover_data=hover)  # fmt: skip
            fig.add_hline(y=205, line_dash="dash", line_color="red", annotation_text=_("205 h (40 h × 4 + 45 h)"))
            _ui.chart(fig, title=_("Monthly hours by {what}", what=title), x_title=title,
                      y_title=_("Hours per person-month (h)"),
                      caption=_("Median monthly hours per person in each {what}, with the bar reaching up to the "
                                "90th percentile; the red line is the legal monthly maximum with overtime.",
                                what=title), key=key)  # fmt: skip
        _ui.table(table, name, empty=_("No {what} group has {k} or more people in this quarter.", what=title,
                                       k=view.k))  # fmt: skip
with tab_pay:
    for name, title, key in (("pay_by_employment", _("employment type"), "adv_p_emp"),
                             ("pay_by_role", _("role"), "adv_p_role")):  # fmt: skip
        table = getattr(view, name)
        jpy = table[table["currency"] == "JPY"] if not table.empty else table
        if not jpy.empty:
            hover = [c for c in ("people", "share_below_mw") if c in jpy.columns]
            fig = px.bar(jpy, x="group", y="median_pay_per_hour", hover_data=hover)
            _ui.chart(fig, title=_("Median effective hourly pay by {what}", what=title), x_title=title,
                      y_title=_("Pay per hour (JPY/h)"),
                      caption=_("Median of all pay ÷ logged hours per person-month in each {what}.", what=title),
                      key=key)  # fmt: skip
        _ui.table(table, name, empty=_("No {what} group has {k} or more people in this quarter.", what=title,
                                       k=view.k))  # fmt: skip
    st.caption(_("The share under the minimum wage is given by employment type only: two tables that split the same "
                 "person-months differently would let a hidden group's count be worked out."))  # fmt: skip
with tab_time:
    if not view.monthly.empty:
        fig = px.line(view.monthly, x="month", y="median_monthly_hours", markers=True)
        _ui.chart(fig, title=_("Median monthly hours over time"), x_title=_("Month"), y_title=_("Hours per person (h)"),
                  caption=_("Median hours per person for each month, across everyone who worked that month."),
                  key="adv_trend")  # fmt: skip
    if not view.ai_by_month.empty:
        fig = px.line(view.ai_by_month, x="month", y="ai_hours_share", markers=True)
        fig.update_yaxes(tickformat=".0%")
        _ui.chart(fig, title=_("AI-assisted share of hours over time"), x_title=_("Month"),
                  y_title=_("Share of hours (%)"), caption=_("Share of logged hours that were AI-assisted, per month."),
                  key="adv_ai")  # fmt: skip
    _ui.table(view.monthly, "monthly_hours_trend", empty=_("No month has {k} or more people.", k=view.k))
with tab_findings:
    if view.findings is None:
        st.error(_("The compliance engine failed: {error}. The other tabs are unaffected.",
                   error=_safe.md(view.findings_error)))  # fmt: skip
    else:
        st.caption(_("How many people each compliance rule found; a finding counts in the quarter its period ends in."))
        _ui.table(view.findings, "findings_summary",
                  empty=_("No rule found {k} or more people in this quarter.", k=view.k))  # fmt: skip
