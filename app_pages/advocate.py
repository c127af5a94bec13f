"""Advocate aggregates for one ended calendar quarter: the key facts in sentences, hours and pay distributions across
departments, productions, employment types and roles, over time, and a glossary of every compliance rule. No names,
no per-person pay, no group smaller than k people, and nothing two views could be subtracted to reveal (fixed
quarters and groupings: see analytics/release.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.express as px
import streamlit as st

from analytics.advocate_view import advocate_view
from analytics.glossary import glossary
from analytics.own_log import MATCH_TOLERANCE_SECONDS
from analytics.scope import Scope
from app_pages import _format, _freshness, _labels, _safe, _tables, _ui
from data import settings
from data.errors import EndrollError
from data.i18n import N_

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

GROUPS = {"department": "department", "employment type": "employment_type", "role": "role_en", "production": None}


def group_name(value: object, grouping: str) -> object:
    vocabulary = GROUPS.get(grouping)
    return _labels.value_label(vocabulary or "placeholder", value, _)


# ---------------------------------------------------------------------------------------------------------------
# What the tables say, in sentences


def fact(row: object) -> str | None:
    share = _format.share(row.share)
    if row.kind == "below_mw_role":
        return _("{share} of {role} person-months were paid below the minimum wage.", share=share,
                 role=_labels.role_name(row.group, _.language))  # fmt: skip
    if row.kind == "below_mw_employment":
        return _("{group}: {share} of person-months were paid below the minimum wage.", share=share,
                 group=_labels.value_label("employment_type", row.group, _))  # fmt: skip
    if row.kind == "over_205_department":
        return _("In {department}, {share} of person-months were over 205 h (the statutory 160 h month plus the 45 h "
                 "overtime line).", department=_labels.value_label("department", row.group, _), share=share)  # fmt: skip
    if row.kind == "rule_people":
        entry = _labels.marked("rule_id", row.rule_id)
        return _.ngettext("{n} person was found by {rule} ({name}).", "{n} people were found by {rule} ({name}).",
                          int(row.people), rule=row.rule_id, name=_(entry) if entry else "")  # fmt: skip
    return None


facts = [f for f in (fact(r) for r in view.facts.itertuples(index=False)) if f] if view.facts is not None else []
if facts:
    st.subheader(_("Key facts"))
    st.markdown("\n".join(f"- {f}" for f in facts))
if view.minimum_wage:
    wage_text = _format.money(view.minimum_wage, per_hour=True)
    st.caption(_("Minimum wage in force, typical for these person-months: {wage}.", wage=wage_text))

tab_hours, tab_pay, tab_time, tab_findings, tab_own, tab_rules = st.tabs(
    [_("Hours"), _("Pay"), _("Over time"), _("Findings"), _("Artists' own logs"), _("Rules glossary")]
)
HOURS_TABLES = (("hours_by_department", N_("department"), "department", "adv_h_dept"),
                ("hours_by_production", N_("production"), "production", "adv_h_prod"),
                ("hours_by_employment", N_("employment type"), "employment type", "adv_h_emp"))  # fmt: skip
with tab_hours:
    for name, title, grouping, key in HOURS_TABLES:
        table = getattr(view, name)
        if not table.empty:
            rows = table.assign(group=[group_name(g, grouping) for g in table["group"]])
            rows = rows.sort_values("median_monthly_hours", ascending=False)
            # The bar's line reaches the 90th percentile: the release publishes no lower tail.
            fig = px.bar(rows, x="group", y="median_monthly_hours",
                         error_y=rows["p90_monthly_hours"] - rows["median_monthly_hours"],
                         error_y_minus=[0.0] * len(rows),  # one-sided: a line below would read as a 10th percentile
                         hover_data=[c for c in ("people", "share_over_205_hours") if c in rows.columns],
                         labels=_tables.plot_labels(group=_(title)))  # fmt: skip
            fig.add_hline(y=205, line_dash="dash", line_color="red", annotation_text=_("205 h (40 h × 4 + 45 h)"))
            _tables.chart(fig, title=_("Monthly hours by {group}", group=_(title)), x_title=_(title).capitalize(),
                          y_title=_("Hours per person-month (h)"),
                          caption=_("Median monthly hours per person in each {group}; the line above each bar reaches "
                                    "the 90th percentile. The red line is the legal monthly maximum with overtime.", group=_(title)), key=key)  # fmt: skip
        codes = {"group": GROUPS.get(grouping) or None}
        _tables.table(table, name, codes=codes, headers={"group": _(title).capitalize()},
                      empty=_("No {group} group has {k} or more people in this quarter.", group=_(title), k=view.k))  # fmt: skip
PAY_TABLES = (("pay_by_employment", N_("employment type"), "employment type", "adv_p_emp"),
              ("pay_by_role", N_("role"), "role", "adv_p_role"))  # fmt: skip
with tab_pay:
    for name, title, grouping, key in PAY_TABLES:
        table = getattr(view, name)
        jpy = table[table["currency"] == "JPY"] if not table.empty else table
        if not jpy.empty:
            rows = jpy.assign(group=[group_name(g, grouping) for g in jpy["group"]])
            rows = rows.sort_values("median_pay_per_hour")
            fig = px.bar(rows, x="group", y="median_pay_per_hour",
                         error_y=rows["p75_pay_per_hour"] - rows["median_pay_per_hour"],
                         error_y_minus=rows["median_pay_per_hour"] - rows["p25_pay_per_hour"],
                         hover_data=[c for c in ("people", "share_below_mw") if c in rows.columns],
                         labels=_tables.plot_labels(group=_(title)))  # fmt: skip
            fig.update_yaxes(rangemode="tozero", tickprefix="¥", tickformat=",")
            if view.minimum_wage:
                fig.add_hline(y=view.minimum_wage, line_dash="dash", line_color="red",
                              annotation_text=_("minimum wage {wage}", wage=wage_text))  # fmt: skip
            _tables.chart(fig, title=_("Median effective hourly pay by {group}", group=_(title)),
                          x_title=_(title).capitalize(), y_title=_("Pay per hour (JPY/h)"),
                          caption=_("Median of all pay ÷ logged hours per person-month in each {group}; the line "
                                    "through each bar runs from the 25th to the 75th percentile. The red line is the "
                                    "typical minimum wage in force.", group=_(title)), key=key)  # fmt: skip
        _tables.table(table, name, codes={"group": GROUPS.get(grouping)}, headers={"group": _(title).capitalize()},
                      empty=_("No {group} group has {k} or more people in this quarter.", group=_(title), k=view.k))  # fmt: skip
    st.caption(_("The share under the minimum wage is given by employment type only: two tables that split the same "
                 "person-months differently would let a hidden group's count be worked out."))  # fmt: skip
with tab_time:
    if not view.monthly.empty:
        fig = px.line(view.monthly, x="month", y="median_monthly_hours", markers=True, labels=_tables.plot_labels())
        fig.update_yaxes(rangemode="tozero")
        _tables.chart(fig, title=_("Median monthly hours over time"), x_title=_("Month"),
                      y_title=_("Hours per person (h)"),
                      caption=_("Median hours per person for each month, across everyone who worked that month."),
                      key="adv_trend", months=view.monthly["month"])  # fmt: skip
    if not view.ai_by_month.empty:
        fig = px.line(view.ai_by_month, x="month", y="ai_hours_share", markers=True, labels=_tables.plot_labels())
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
        _tables.chart(fig, title=_("AI-assisted share of hours over time"), x_title=_("Month"),
                      y_title=_("Share of hours (%)"),
                      caption=_("Share of logged hours that were AI-assisted, per month. A cut counts as AI-assisted "
                                "when any work on it was, so the share of cuts (AI use page) is much higher than this "
                                "share of hours."), key="adv_ai", months=view.ai_by_month["month"])  # fmt: skip
    _tables.table(view.monthly, "monthly_hours_trend",
                  empty=_("No month has {k} or more people.", k=view.k))  # fmt: skip
with tab_findings:
    waiting = _freshness.notice()
    if view.findings_pending:
        if not waiting:  # computed since this page's result was cached: the next visit shows them
            st.info(_("The compliance findings are ready. Open the page again to see them."))
    elif view.findings is None:
        st.error(_("The compliance engine failed: {error}. The other tabs are unaffected.",
                   error=_safe.md(view.findings_error)))  # fmt: skip
    else:
        st.caption(_("How many people each rule found; a finding counts in the quarter its period ends in. The Rules "
                     "glossary tab says what each rule measures."))  # fmt: skip
        _tables.table(view.findings, "findings_summary",
                      empty=_("No rule found {k} or more people in this quarter.", k=view.k))  # fmt: skip
with tab_own:
    st.caption(_("Of the hours artists logged themselves, the share the studio's records do not show (days it shows "
                 "less by more than {minutes} minutes, or not at all), by employment type and role. Only the months "
                 "artists chose to count here, and only groups of {k} or more people; no one's own log is shown.",
                 minutes=MATCH_TOLERANCE_SECONDS // 60, k=view.k))  # fmt: skip
    gap = view.own_log_gap if view.own_log_gap is not None else pd.DataFrame()
    _tables.table(gap, "own_log_gap", codes={"employment_type": "employment_type", "role": GROUPS["role"]},
                  empty=_("No group of {k} or more artists counted their own log in this quarter.", k=view.k))  # fmt: skip
with tab_rules:
    rules = glossary()
    shown = rules.assign(**{c: rules[c].map(_) for c in ("rule_name", "measures", "statute")})
    for rule in shown.itertuples(index=False):
        severity = _labels.value_label("severity", rule.severity, _)
        st.markdown(f"**{rule.rule_id} · {rule.rule_name}** ({severity})  \n{rule.measures}  \n"
                    + _("Statute or criteria: {statute}", statute=rule.statute))  # fmt: skip
    _tables.downloads(shown, "rules_glossary", codes={"rule_id": None})
