"""Pay: effective hourly pay against the minimum wage, by role and employment type; piece-rate explorer."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from analytics.dashboard import BIN_JPY, findings_view, pay_view
from analytics.findings.text import render
from analytics.queries.productions import filter_options
from analytics.reference import minimum_wage_staleness, staleness_notes
from app_pages import _format, _labels, _tables, _ui
from data.errors import EndrollError

ident = _ui.require("manager")
_ = _ui.translator()
scope = _ui.sidebar_scope(_ui.query(filter_options), viewer=ident).for_role()
st.title(_("Pay"))
st.caption(_ui.period_caption(scope))
# Which minimum wages judged this work while they may be out of date: said before any number that rests on them.
for message, params in staleness_notes(_ui.query(minimum_wage_staleness, scope=scope)):
    st.warning(render(message, params, _))
try:
    with st.spinner(_("Computing effective hourly pay…")):
        view = _ui.query(pay_view, scope=scope)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

summary = view.summary
if not summary["person_months"]:
    st.info(_("No pay with logged hours for these filters. Widen the dates or clear the filters, or import pay "
              "items."))  # fmt: skip
    st.stop()

mw = summary["typical_mw_per_hour"]
known_mw = mw == mw  # NaN when no employment (workplace) is recorded for anyone in view
c = st.columns(3)
c[0].metric(_("Median effective hourly pay"), _format.money(summary["median_pay_per_hour"], per_hour=True))
c[1].metric(_("Person-months below the minimum wage"),
            _("{below:,} of {total:,}", below=summary["below_mw"], total=summary["person_months"]))  # fmt: skip
c[2].metric(_("Minimum wage in force (typical)"), _format.money(mw, per_hour=True) if known_mw else _("unknown"))
if not known_mw:
    st.warning(_("No workplace is recorded for these people, so the minimum wage is unknown. Import employments."))

bins = _tables.labelled(view.bins, {"employment_type": "employment_type"})
fig = px.bar(bins, x="pay_per_hour_bin", y="person_months", color="employment_type", barmode="overlay",
             opacity=0.7, labels=_tables.plot_labels(), **_tables.employment_colors())  # fmt: skip
fig.update_traces(width=BIN_JPY, offset=0)
if known_mw:
    fig.add_vline(x=mw, line_dash="dash", line_color="red",
                  annotation_text=_("minimum wage {wage}", wage=_format.money(mw, per_hour=True)))  # fmt: skip
    fig.update_xaxes(range=[0, 4 * mw])  # a few fixed fees reach ¥10,000+/h; the story is near the line
fig.update_xaxes(tickprefix="¥", tickformat=",")
_tables.chart(fig, title=_("Effective hourly pay per person-month"), x_title=_("Pay per hour (JPY/h)"),
              y_title=_("Person-months (count)"),
              caption=_("All pay in a month divided by the hours logged that month, in ¥{bin} bins by employment type; "
                        "the red line is the typical minimum wage in force (axis cut at 4× it).", bin=BIN_JPY),
              key="pay_hist")  # fmt: skip

by_role = _tables.labelled(view.by_role, {"employment_type": "employment_type", "main_role": "role_en"})
fig = go.Figure()
colors = _tables.employment_colors()
for emp in colors["category_orders"]["employment_type"]:
    part = by_role[by_role["employment_type"] == emp]
    if part.empty:
        continue
    fig.add_trace(go.Box(name=emp, x=part["main_role"], q1=part["q1"], median=part["median"], q3=part["q3"],
                         lowerfence=part["p10"], upperfence=part["p90"],
                         marker_color=colors["color_discrete_map"][emp]))  # fmt: skip
fig.update_layout(boxmode="group")
fig.update_yaxes(rangemode="tozero", tickprefix="¥", tickformat=",")
if known_mw:
    fig.add_hline(y=mw, line_dash="dash", line_color="red",
                  annotation_text=_("minimum wage {wage}", wage=_format.money(mw, per_hour=True)))  # fmt: skip
_tables.chart(fig, title=_("Effective hourly pay by role and employment type"), x_title=_("Main role"),
              y_title=_("Pay per hour (JPY/h)"),
              caption=_("Quartiles of monthly effective hourly pay for each role (whiskers: 10th and 90th percentiles); "
                        "boxes under the red line are below the minimum wage."), key="pay_by_role")  # fmt: skip

st.subheader(_("Piece-rate explorer"))
rates = view.piece_rates
if rates.empty:
    st.info(_("No piece-rate pay with units in these filters. Piece rates need pay items with units (cuts, sheets)."))
else:
    role = st.selectbox(_("Role"), sorted(rates["role"].unique()), key="piece_role",
                        format_func=lambda r: _labels.role_name(r, _.language))  # fmt: skip
    chosen = rates[rates["role"] == role]
    for row in chosen.itertuples():
        if row.units_per_hour == row.units_per_hour and row.units_per_hour:
            text = _("**{basis}**: {rate} per unit × {units:.2f} units per hour ≈ **{pay}**",
                     basis=_labels.value_label("basis", row.basis, _), rate=_format.money(row.rate_per_unit),
                     units=row.units_per_hour, pay=_format.money(row.implied_pay_per_hour, per_hour=True))  # fmt: skip
            if known_mw:
                text += " " + _("(minimum wage {wage})", wage=_format.money(mw, per_hour=True))
            st.markdown(text)
    _tables.table(rates, "piece_rates", empty="")

st.subheader(_("Person-months"))
if summary["person_months"] > len(view.monthly):
    st.caption(_("The {shown:,} lowest of {total:,} person-months, those below the minimum wage first. Narrow the "
                 "filters to see others.", shown=len(view.monthly), total=summary["person_months"]))  # fmt: skip
_tables.table(view.monthly, "effective_hourly_pay", empty="", person="name")
st.subheader(_("Findings on pay"))
with st.spinner(_("Checking every compliance rule…")):
    found = _ui.query(findings_view, scope=scope)
_tables.findings_section(found, "pay", frame=found.pay, total=found.pay_total, name="pay_findings", scope=scope)
