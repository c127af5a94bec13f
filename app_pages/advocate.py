"""Advocate aggregates: the key facts in sentences, hours and pay distributions across departments, productions and
employment types, over time, and a glossary of every compliance rule. No names, no per-person pay, and no group
smaller than k people."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.advocate_view import advocate_view
from analytics.glossary import glossary
from analytics.queries.productions import filter_options
from app_pages import _format, _labels, _tables, _ui
from data.errors import EndrollError
from data.i18n import N_

ident = _ui.require("advocate", "manager")
_ = _ui.translator()
scope = _ui.sidebar_scope(_ui.query(filter_options), viewer=ident).for_role()
st.title(_("Aggregates"))
try:
    with st.spinner(_("Aggregating…")):
        view = _ui.query(advocate_view, scope=scope)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()
hidden = sum(view.suppressed.values())
st.caption(_("Anonymized: every group shown has at least {k} people", k=view.k)
           + (_("; {n} smaller groups are hidden.", n=hidden) if hidden else ".") + " " + _ui.period_caption(scope))  # fmt: skip

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

tab_hours, tab_pay, tab_time, tab_findings, tab_rules = st.tabs(
    [_("Hours"), _("Pay"), _("Over time"), _("Findings"), _("Rules glossary")]
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
            # Asymmetric bars: from the 10th percentile up to the 90th, around the median.
            fig = px.bar(rows, x="group", y="median_monthly_hours",
                         error_y=rows["p90_monthly_hours"] - rows["median_monthly_hours"],
                         error_y_minus=rows["median_monthly_hours"] - rows["p10_monthly_hours"],
                         hover_data=["people", "share_over_205_hours"], labels=_tables.plot_labels(group=_(title)))  # fmt: skip
            fig.add_hline(y=205, line_dash="dash", line_color="red", annotation_text=_("205 h (40 h × 4 + 45 h)"))
            _tables.chart(fig, title=_("Monthly hours by {group}", group=_(title)), x_title=_(title).capitalize(),
                          y_title=_("Hours per person-month (h)"),
                          caption=_("Median monthly hours per person in each {group}; the line through each bar runs "
                                    "from the 10th to the 90th percentile. The red line is the legal monthly maximum "
                                    "with overtime.", group=_(title)), key=key)  # fmt: skip
        codes = {"group": GROUPS.get(grouping) or None}
        _tables.table(table, name, codes=codes, headers={"group": _(title).capitalize()},
                      empty=_("No {group} group has {k} or more people in these filters.", group=_(title), k=view.k))  # fmt: skip
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
                         hover_data=["people", "share_below_mw"], labels=_tables.plot_labels(group=_(title)))  # fmt: skip
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
                      empty=_("No {group} group has {k} or more people in these filters.", group=_(title), k=view.k))  # fmt: skip
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
                  empty=_("No month has {k} or more people in these filters.", k=view.k))  # fmt: skip
with tab_findings:
    if view.findings is None:
        st.error(_("The compliance engine failed: {error}. The other tabs are unaffected.", error=view.findings_error))
    else:
        st.caption(_("How many people each rule found; the Rules glossary tab says what each rule measures."))
        _tables.table(view.findings, "findings_summary",
                      empty=_("No rule found {k} or more people in these filters.", k=view.k))  # fmt: skip
with tab_rules:
    rules = glossary()
    shown = rules.assign(**{c: rules[c].map(_) for c in ("rule_name", "measures", "statute")})
    for rule in shown.itertuples(index=False):
        severity = _labels.value_label("severity", rule.severity, _)
        st.markdown(f"**{rule.rule_id} · {rule.rule_name}** ({severity})  \n{rule.measures}  \n"
                    + _("Statute or criteria: {statute}", statute=rule.statute))  # fmt: skip
    _tables.downloads(shown, "rules_glossary", codes={"rule_id": None})
