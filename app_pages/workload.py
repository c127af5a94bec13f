"""Workload: person × week heatmap, hours by department, overtime and overwork findings."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.dashboard import findings_view, workload_view
from analytics.queries.productions import filter_options
from app_pages import _ui
from data.errors import EndrollError

ident = _ui.require("manager")
scope = _ui.sidebar_scope(_ui.query(filter_options), viewer=ident).for_role()
st.title("Workload")
try:
    with st.spinner("Reading the hours…"):
        view = _ui.query(workload_view, scope=scope)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

if view.weekly.empty:
    st.info("No hours are logged for these filters. Widen the dates or clear the filters, or import work logs.")
    st.stop()

heat = view.weekly.pivot_table(index="name", columns="week_start", values="hours", aggfunc="sum").fillna(0)
fig = px.imshow(heat, aspect="auto", color_continuous_scale="YlOrRd", labels={"color": "hours"})
fig.update_layout(height=max(360, 16 * len(heat)))
shown = f"the {len(heat)} people with most hours of {view.people_total}" if view.people_total > len(heat) else (
    f"all {len(heat)} people")  # fmt: skip
_ui.chart(fig, title="Hours per person and week", x_title="Week starting (Sunday)", y_title="Person",
          caption=f"Each cell is one person's logged hours in one week ({shown}); dark cells are long weeks.",
          key="workload_heatmap")  # fmt: skip

if not view.by_department.empty:
    fig = px.bar(view.by_department, x="month", y="hours", color="department")
    _ui.chart(fig, title="Hours per month by department", x_title="Month", y_title="Hours (h)",
              caption="Total logged hours each month, stacked by the department of the role worked.",
              key="workload_departments")  # fmt: skip

st.subheader("Overtime per person and month (Japan)")
st.caption("Hours beyond 8 a day and 40 a week, plus statutory-holiday hours; 45 h, 80 h and 100 h are the legal "
           "lines for overtime and overwork.")  # fmt: skip
if view.overtime_rows > len(view.overtime):
    st.caption(f"The {len(view.overtime):,} person-months with most overtime of {view.overtime_rows:,}.")
_ui.table(view.overtime, "overtime_by_person_month",
          empty="No overtime in these filters.")  # fmt: skip

st.subheader("Findings on working hours")
with st.spinner("Checking every compliance rule…"):
    found = _ui.query(findings_view, scope=scope)
_ui.findings_section(found, "hours", frame=found.hours, total=found.hours_total, name="hours_findings")
