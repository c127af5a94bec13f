"""AI use: AI-assisted share over time, by department and per cut; before/after adoption; the ledger with its named
operators; AI use that names no human operator."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.ai_view import ai_use_view
from analytics.queries.productions import filter_options
from app_pages import _ui
from data.errors import EndrollError

ident = _ui.require("manager")
scope = _ui.sidebar_scope(_ui.query(filter_options), viewer=ident).for_role()
st.title("AI use")
try:
    with st.spinner("Reading the AI-usage ledger…"):
        view = _ui.query(ai_use_view, scope=scope)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

if view.by_month.empty and view.ledger.empty:
    st.info("No AI use is recorded for these filters. Import the AI-usage ledger (canonical ai_usage CSV) on Import.")
    st.stop()

c = st.columns(3)
hours = view.by_month["hours"].sum() if not view.by_month.empty else 0
ai_hours = view.by_month["ai_hours"].sum() if not view.by_month.empty else 0
c[0].metric("AI-assisted share of hours", f"{ai_hours / hours:.1%}" if hours else "–")
c[1].metric("Ledger records", f"{view.ledger_total:,}")
c[2].metric("AI use without a named operator", f"{len(view.unattributed):,}")

if not view.by_month.empty:
    fig = px.line(view.by_month, x="month", y=["ai_hours_share", "ai_units_share", "ai_pay_share"], markers=True)
    fig.update_yaxes(tickformat=".0%")
    _ui.chart(fig, title="AI-assisted share over time", x_title="Month", y_title="Share (%)",
              caption="Share of hours, of units produced and of pay that was AI-assisted, month by month.",
              key="ai_month")  # fmt: skip
if not view.by_department.empty:
    fig = px.bar(view.by_department, x="department", y="ai_hours_share", hover_data=["hours", "ai_hours", "people"])
    fig.update_yaxes(tickformat=".0%")
    _ui.chart(fig, title="AI-assisted share of hours by department", x_title="Department",
              y_title="Share of hours (%)", caption="How much of each department's logged time was AI-assisted.",
              key="ai_department")  # fmt: skip
if not view.cuts.empty:
    cuts = view.cuts.assign(where=view.cuts["production"].astype(str) + " #" + view.cuts["episode"].astype(str))
    fig = px.bar(cuts, x="where", y="ai_cuts_share", hover_data=["cuts", "ai_cuts", "ai_usage_records"])
    fig.update_yaxes(tickformat=".0%")
    _ui.chart(fig, title="Share of cuts with AI assistance per episode", x_title="Production and episode",
              y_title="Share of cuts (%)",
              caption="Cuts with AI-assisted work or an AI-usage record, as a share of each episode's cut list.",
              key="ai_cuts")  # fmt: skip
    _ui.table(view.cuts, "ai_cuts_per_episode", empty="")

st.subheader("Before and after adopting AI")
_ui.table(view.adoption, "ai_adoption_effect", empty="No department has hours and cuts to compare.")

st.subheader("The AI-usage ledger")
st.caption(f"Every AI-generated or AI-assisted asset with its tool and the named person who operated it"
           f" (latest {len(view.ledger):,} of {view.ledger_total:,}).")  # fmt: skip
_ui.table(view.ledger, "ai_usage_ledger", empty="The ledger is empty for these filters.")

st.subheader("AI use with no named operator")
_ui.table(view.unattributed, "ai_use_without_operator",
          empty="None: every recorded AI use names the person who operated the tool.")  # fmt: skip
