"""Pay: effective hourly pay against the minimum wage, by role and employment type; piece-rate explorer."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from analytics.dashboard import BIN_JPY, findings_view, pay_view
from analytics.findings.text import render
from analytics.queries.productions import filter_options
from analytics.reference import minimum_wage_staleness, staleness_notes
from app_pages import _ui
from data.errors import EndrollError

ident = _ui.require("manager")
scope = _ui.sidebar_scope(_ui.query(filter_options), viewer=ident).for_role()
st.title("Pay")
_ = _ui.translator()
# Which minimum wages judged this work while they may be out of date: said before any number that rests on them.
for message, params in staleness_notes(_ui.query(minimum_wage_staleness, scope=scope)):
    st.warning(render(message, params, _))
try:
    with st.spinner("Computing effective hourly pay…"):
        view = _ui.query(pay_view, scope=scope)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

summary = view.summary
if not summary["person_months"]:
    st.info("No pay with logged hours for these filters. Widen the dates or clear the filters, or import pay items.")
    st.stop()

mw = summary["typical_mw_per_hour"]
known_mw = mw == mw  # NaN when no employment (workplace) is recorded for anyone in view
c = st.columns(3)
c[0].metric("Median effective hourly pay", f"¥{summary['median_pay_per_hour']:,.0f}/h")
c[1].metric("Person-months below the minimum wage", f"{summary['below_mw']:,} of {summary['person_months']:,}")
c[2].metric("Minimum wage in force (typical)", f"¥{mw:,.0f}/h" if known_mw else "unknown")
if not known_mw:
    st.warning("No workplace is recorded for these people, so the minimum wage is unknown. Import employments.")

fig = px.bar(view.bins, x="pay_per_hour_bin", y="person_months", color="employment_type", barmode="overlay",
             opacity=0.7)  # fmt: skip
fig.update_traces(width=BIN_JPY, offset=0)
if known_mw:
    fig.add_vline(x=mw, line_dash="dash", line_color="red", annotation_text=f"minimum wage ¥{mw:,.0f}/h")
    fig.update_xaxes(range=[0, 4 * mw])  # a few fixed fees reach ¥10,000+/h; the story is near the line
_ui.chart(fig, title="Effective hourly pay per person-month", x_title="Pay per hour (JPY/h)",
          y_title="Person-months (count)",
          caption=f"All pay in a month divided by the hours logged that month, in ¥{BIN_JPY} bins by employment type; "
                  "the red line is the typical minimum wage in force (axis cut at 4× it).", key="pay_hist")  # fmt: skip

fig = go.Figure()
for emp, part in view.by_role.groupby("employment_type"):
    fig.add_trace(go.Box(name=emp, x=part["main_role"], q1=part["q1"], median=part["median"], q3=part["q3"],
                         lowerfence=part["p10"], upperfence=part["p90"]))  # fmt: skip
fig.update_layout(boxmode="group")
if known_mw:
    fig.add_hline(y=mw, line_dash="dash", line_color="red")
_ui.chart(fig, title="Effective hourly pay by role and employment type", x_title="Main role",
          y_title="Pay per hour (JPY/h)",
          caption="Quartiles of monthly effective hourly pay for each role (whiskers: 10th and 90th percentiles); "
                  "boxes under the red line are below the minimum wage.", key="pay_by_role")  # fmt: skip

st.subheader("Piece-rate explorer")
rates = view.piece_rates
if rates.empty:
    st.info("No piece-rate pay with units in these filters. Piece rates need pay items with units (cuts, sheets).")
else:
    role = st.selectbox("Role", sorted(rates["role"].unique()), key="piece_role")
    chosen = rates[rates["role"] == role]
    for row in chosen.itertuples():
        if row.units_per_hour == row.units_per_hour and row.units_per_hour:
            st.markdown(f"**{row.basis.replace('_', ' ')}**: ¥{row.rate_per_unit:,.0f} per unit × "
                        f"{row.units_per_hour:.2f} units per hour ≈ **¥{row.implied_pay_per_hour:,.0f}/h** "
                        + (f" (minimum wage ¥{mw:,.0f}/h)" if known_mw else ""))  # fmt: skip
    _ui.table(rates, "piece_rates", empty="")

st.subheader("Person-months")
if summary["person_months"] > len(view.monthly):
    st.caption(f"The {len(view.monthly):,} lowest of {summary['person_months']:,} person-months, those below the "
               "minimum wage first. Narrow the filters to see others.")  # fmt: skip
_ui.table(view.monthly, "effective_hourly_pay", empty="")
st.subheader("Findings on pay")
with st.spinner("Checking every compliance rule…"):
    found = _ui.query(findings_view, scope=scope)
_ui.findings_section(found, "pay", frame=found.pay, total=found.pay_total, name="pay_findings")
