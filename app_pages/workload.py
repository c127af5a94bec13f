"""Workload: person × week heatmap, hours by department, overtime against the overwork lines (employees and
freelancers apart), and the findings on working hours."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.dashboard import findings_view, workload_view
from analytics.queries.productions import filter_options
from app_pages import _format, _tables, _ui
from data.errors import EndrollError

ident = _ui.require("manager")
_ = _ui.translator()
scope = _ui.sidebar_scope(_ui.query(filter_options), viewer=ident).for_role()
st.title(_("Workload"))
st.caption(_ui.period_caption(scope))
try:
    with st.spinner(_("Reading the hours…")):
        view = _ui.query(workload_view, scope=scope)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

if view.weekly.empty:
    st.info(_("No hours are logged for these filters. Widen the dates or clear the filters, or import work logs."))
    st.stop()

# Every row labelled, the longest hours on top.
weekly = _tables.name_people(view.weekly, "name")
heat = weekly.pivot_table(index="person_id", columns="week_start", values="hours", aggfunc="sum").fillna(0)
heat = heat.loc[heat.sum(axis=1).sort_values(ascending=False).index]
names = weekly.drop_duplicates("person_id").set_index("person_id")["name"].reindex(heat.index)
twins = names.duplicated(keep=False)  # two people shown alike keep apart by their number
heat.index = [f"{n} (#{pid})" if twin else n for pid, n, twin in zip(heat.index, names, twins, strict=True)]
fig = px.imshow(heat, aspect="auto", color_continuous_scale="YlOrRd", labels=_tables.plot_labels())
fig.update_layout(height=max(360, 18 * len(heat) + 120))
fig.update_yaxes(tickmode="array", tickvals=list(range(len(heat))), ticktext=list(heat.index), automargin=True)
fig.update_xaxes(tickformat="%Y-%m-%d", hoverformat="%Y-%m-%d")
shown = (_("the {n} people with most hours of {total}", n=len(heat), total=view.people_total)
         if view.people_total > len(heat) else _("all {n} people", n=len(heat)))  # fmt: skip
_tables.chart(fig, title=_("Hours per person and week"), x_title=_("Week starting (Sunday)"), y_title=_("Person"),
              caption=_("Each cell is one person's logged hours in one week ({shown}), most hours at the top; dark "
                        "cells are long weeks.", shown=shown), key="workload_heatmap")  # fmt: skip

if not view.by_department.empty:
    by_department = _tables.labelled(view.by_department, {"department": "department"})
    fig = px.bar(by_department, x="month", y="hours", color="department", labels=_tables.plot_labels(),
                 color_discrete_sequence=px.colors.qualitative.Dark24)  # one colour per department  # fmt: skip
    _tables.chart(fig, title=_("Hours per month by department"), x_title=_("Month"), y_title=_("Hours (h)"),
                  caption=_("Total logged hours each month, stacked by the department of the role worked."),
                  key="workload_departments", months=by_department["month"])  # fmt: skip

lines = view.lines
st.subheader(_("Overtime per person and month (Japan)"))
st.caption(_("Overtime is the hours beyond {day:g} h a day and {week:g} h a week, plus statutory-holiday work. The lines: "
             "over {caution:g} h a month is where health risk starts to rise (and the Article 36 limit without a special "
             "clause); {average:g} h is the karoshi line for a 2–6-month average; {month:g} h in one month is the legal "
             "ceiling and the single-month karoshi line.", **lines))  # fmt: skip
over = view.overtime
employees, freelancers = over[over["is_employee"]], over[~over["is_employee"]]
if view.overtime_rows > len(over):
    st.caption(_("The {shown:,} person-months with most overtime of {total:,}.", shown=len(over),
                 total=view.overtime_rows))  # fmt: skip
if not employees.empty:
    top = _tables.name_people(employees.head(30), "name").assign(label=lambda f: f["name"] + " · " + [
        _format.month(m, _.language) for m in f["month"]])  # fmt: skip
    fig = px.bar(top, x="label", y="ot_plus_holiday_hours", labels=_tables.plot_labels())
    for key, dash in (("caution", "dot"), ("average", "dash"), ("month", "solid")):
        fig.add_hline(y=lines[key], line_dash=dash, line_color="red", annotation_text=_("{h:g} h", h=lines[key]),
                      annotation_position="top left", annotation_bgcolor="white")  # fmt: skip
    _tables.chart(fig, title=_("Employees' overtime and holiday work, highest months"), x_title=_("Person and month"),
                  y_title=_("Overtime and holiday work (h)"),
                  caption=_("The {n} employee person-months with most overtime and statutory-holiday work, against the "
                            "{caution:g}, {average:g} and {month:g} h lines.", n=len(top), **lines),
                  key="workload_overtime")  # fmt: skip


def line_text(h: float) -> str:
    """The line a month reached, in words."""
    if h != h:
        return ""
    if h >= lines["month"]:
        return _("≥ {h:g} h (single-month line)", h=h)
    if h >= lines["average"]:
        return _("≥ {h:g} h (average line)", h=h)
    return _("over {h:g} h", h=h)


def in_words(frame: object) -> object:
    return frame.assign(over_line=frame["over_line"].map(line_text))


st.markdown("**" + _("Employees") + "** · " + _("the Article 36 limits apply"))
kept = employees.drop(columns="is_employee")
_tables.table(in_words(kept), "overtime_employees", person="name", download=kept,
              empty=_("No employee worked overtime in these filters."))  # fmt: skip
st.markdown("**" + _("Freelancers") + "** · " + _("the legal limits on working hours do not apply to them"))
st.caption(_("A freelancer (業務委託) has no statutory working hours, overtime or Article 36 agreement: these are the "
             "same hours counted as if they did, because the overwork lines describe a health risk whatever the "
             "contract. Many such months may also mean the person works like an employee (rule JP-FL-05)."))  # fmt: skip
kept = freelancers.drop(columns="is_employee")
_tables.table(in_words(kept), "overtime_freelancers", person="name", download=kept, hide=("employment_type",),
              empty=_("No freelancer worked beyond {day:g} h a day or {week:g} h a week in these filters.", **lines))  # fmt: skip

st.subheader(_("Findings on working hours"))
with st.spinner(_("Checking every compliance rule…")):
    found = _ui.query(findings_view, scope=scope)
_tables.findings_section(found, "hours", frame=found.hours, total=found.hours_total, name="hours_findings",
                         scope=scope)  # fmt: skip
