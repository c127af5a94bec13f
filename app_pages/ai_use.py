"""AI use: AI-assisted share over time, by department and per cut; before/after adoption; the ledger with its named
operators; AI use that names no human operator."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.ai_view import ai_use_view
from analytics.queries.productions import filter_options
from app_pages import _format, _tables, _ui
from data.errors import EndrollError

ident = _ui.require("manager")
_ = _ui.translator()
scope = _ui.sidebar_scope(_ui.query(filter_options), viewer=ident).for_role()
st.title(_("AI use"))
st.caption(_ui.period_caption(scope))
try:
    with st.spinner(_("Reading the AI-usage ledger…")):
        view = _ui.query(ai_use_view, scope=scope)
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

if view.by_month.empty and view.ledger.empty:
    st.info(_("No AI use is recorded for these filters. Import the AI-usage ledger (canonical ai_usage CSV) on the "
              "Import page."))  # fmt: skip
    st.stop()

c = st.columns(4)
hours = view.by_month["hours"].sum() if not view.by_month.empty else 0
ai_hours = view.by_month["ai_hours"].sum() if not view.by_month.empty else 0
cuts, ai_cuts = (view.cuts["cuts"].sum(), view.cuts["ai_cuts"].sum()) if not view.cuts.empty else (0, 0)
c[0].metric(_("AI-assisted share of hours"), _format.share(ai_hours / hours) if hours else "–")
c[1].metric(_("Cuts with any AI assistance"), _format.share(ai_cuts / cuts) if cuts else "–")
c[2].metric(_("Ledger records"), _format.number(view.ledger_total))
c[3].metric(_("AI use without a named operator"), _format.number(len(view.unattributed)))
if hours and cuts:
    st.info(_("Why the two shares differ: the share of hours counts the time AI assisted (each work log's AI-assisted "
              "fraction), while a cut counts as AI-assisted when any work on it was, however little. An AI colouring "
              "pass over most cuts adds many AI-assisted cuts but few AI-assisted hours, so {hours} of hours can sit "
              "beside {cuts} of cuts.", hours=_format.share(ai_hours / hours), cuts=_format.share(ai_cuts / cuts)))  # fmt: skip

SHARES = {"ai_hours_share": _("Hours"), "ai_units_share": _("Units produced"), "ai_pay_share": _("Pay")}
if not view.by_month.empty:
    long = view.by_month.melt(id_vars="month", value_vars=list(SHARES), var_name="share", value_name="value")
    long["share"] = long["share"].map(SHARES)
    fig = px.line(long, x="month", y="value", color="share", markers=True, labels=_tables.plot_labels())
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    _tables.chart(fig, title=_("AI-assisted share over time"), x_title=_("Month"), y_title=_("Share (%)"),
                  caption=_("Share of hours, of units produced and of pay that was AI-assisted, month by month."),
                  key="ai_month", months=long["month"])  # fmt: skip
if not view.by_department.empty:
    by_department = _tables.labelled(view.by_department, {"department": "department"})
    fig = px.bar(by_department.sort_values("ai_hours_share", ascending=False), x="department", y="ai_hours_share",
                 labels=_tables.plot_labels())  # fmt: skip
    fig.update_yaxes(tickformat=".0%")
    _tables.chart(fig, title=_("AI-assisted share of hours by department"), x_title=_("Department"),
                  y_title=_("Share of hours (%)"), caption=_("How much of each department's logged time was AI-assisted."),
                  key="ai_department")  # fmt: skip
if not view.cuts.empty:
    where = [f"{p} · " + _("Episode {n}", n=e) for p, e in zip(view.cuts["production"], view.cuts["episode"],
                                                                strict=True)]  # fmt: skip
    cuts_chart = view.cuts.assign(where=where)
    fig = px.bar(cuts_chart, x="where", y="ai_cuts_share", labels=_tables.plot_labels())
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    _tables.chart(fig, title=_("Share of cuts with AI assistance per episode"), x_title=_("Production and episode"),
                  y_title=_("Share of cuts (%)"),
                  caption=_("Cuts with AI-assisted work or an AI-usage record, as a share of each episode's cut list."),
                  key="ai_cuts")  # fmt: skip
    _tables.table(view.cuts, "ai_cuts_per_episode", empty="")

st.subheader(_("Before and after adopting AI"))
st.caption(_("Per department, hours and pay per cut in the months before its first AI-assisted work and after it."))
_tables.table(view.adoption, "ai_adoption_effect", empty=_("No department has hours and cuts to compare."))

st.subheader(_("The AI-usage ledger"))
st.caption(_("Every AI-generated or AI-assisted asset with its tool and the named person who operated it (latest "
             "{shown:,} of {total:,}).", shown=len(view.ledger), total=view.ledger_total))  # fmt: skip
_tables.table(view.ledger, "ai_usage_ledger", empty=_("The ledger is empty for these filters."), person="operator")

st.subheader(_("AI use with no named operator"))
_tables.table(view.unattributed, "ai_use_without_operator", codes={"source": "unattributed_source"},
              empty=_("None: every recorded AI use names the person who operated the tool."))  # fmt: skip
