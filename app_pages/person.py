"""Person: one person's hours, pay against the minimum wage, findings, credits, AI use and employment, for managers.

Reached by selecting a row about a person in any table, from a sentence of the Overview's "Needs attention", or by
searching for the name here.
"""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from analytics.person_view import person_view
from analytics.scope import Scope
from app_pages import _format, _freshness, _labels, _own_log, _sign_off, _tables, _ui
from data.errors import EndrollError

ident = _ui.require("manager")
_ = _ui.translator()
st.title(_("Person"))

people = _tables.people()
if people.empty:
    st.info(_("There are no people in the database yet. Import the studio's people on the Import page."))
    st.stop()

# Who: the link's ?person=, else the row selected on another page, else the last person opened.
wanted = st.query_params.get("person") or st.session_state.get(_tables.PERSON_KEY)
try:
    wanted = int(wanted) if wanted is not None else None
except ValueError:
    wanted = None
ids = people.index.tolist()
search = {pid: " · ".join(p for p in (_tables.person_name(pid, names=people), row.romaji, row.kana) if p)
          for pid, row in people.iterrows()}  # fmt: skip
chosen = st.selectbox(_("Find a person"), ids, index=ids.index(wanted) if wanted in ids else None,
                      format_func=search.get, placeholder=_("Type a name, in kanji, kana or romaji"),
                      key="person_search")  # fmt: skip
if chosen is None:
    st.info(_("Choose a person above, or select a row about a person in any table."))
    st.stop()
st.session_state[_tables.PERSON_KEY] = int(chosen)
if st.query_params.get("person") != str(chosen):
    st.query_params["person"] = str(chosen)

try:
    with st.spinner(_("Reading their records…")):
        view = _ui.query(person_view, scope=Scope(people=(int(chosen),), viewer=ident).for_role())
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

p = view.profile
st.subheader(_tables.person_name(chosen, names=people))
facts = [_("Romaji: {romaji}", romaji=p["romaji"]) if p["romaji"] else None,
         _("Kana: {kana}", kana=p["kana"]) if p["kana"] else None,
         _("Pen name: {pen}", pen=p["pen_name"]) if p["pen_name"] else None,
         _("Credited as: {visibility}", visibility=_labels.value_label("visibility", p["visibility"], _))]  # fmt: skip
st.caption(" · ".join(f for f in facts if f))

monthly = view.monthly
tabs = st.tabs([_("Hours"), _("Pay"), _("Findings"), _("Credits"), _("AI use"), _("Employment"), _("Own log (shared)"),
               _("Sign-off")])  # fmt: skip
with tabs[0]:
    if monthly.empty:
        st.info(_("No work is logged for this person."))
    else:
        c = st.columns(3)
        c[0].metric(_("Hours logged"), _format.hours(monthly["hours"].sum()))
        c[1].metric(
            _("Most overtime and holiday work in a month"), _format.hours(monthly["ot_plus_holiday_hours"].max())
        )
        c[2].metric(_("AI-assisted share of hours"),
                    _format.share(monthly["ai_hours"].sum() / monthly["hours"].sum() if monthly["hours"].sum() else 0))  # fmt: skip
        fig = go.Figure()
        fig.add_bar(x=monthly["month"], y=monthly["hours"], name=_("Hours"))
        fig.add_bar(x=monthly["month"], y=monthly["ot_plus_holiday_hours"], name=_("Overtime and holiday work"))
        fig.update_layout(barmode="overlay")
        _tables.chart(fig, title=_("Hours per month"), x_title=_("Month"), y_title=_("Hours (h)"),
                      caption=_("All hours logged each month, and the part that was overtime or statutory-holiday "
                                "work."), key="person_hours", months=monthly["month"])  # fmt: skip
        _tables.table(monthly[["month", "hours", "days_worked", "ot_plus_holiday_hours", "ai_hours"]], "person_hours",
                      empty="")  # fmt: skip
with tabs[1]:
    paid = monthly[monthly["currency"].notna()]
    if paid.empty:
        st.info(_("No pay is recorded for this person."))
    else:
        below = int(paid["below_mw"].sum())
        st.markdown(_.ngettext("**{n} month** was paid below the minimum wage.",
                               "**{n} months** were paid below the minimum wage.", below) if below else
                    _("Every month with pay reached the minimum wage."))  # fmt: skip
        currency = "USD" if (paid["currency"] == "USD").all() else "JPY"
        fig = px.line(paid, x="month", y="base_pay_per_hour", markers=True, labels=_tables.plot_labels())
        fig.data[0].name, fig.data[0].showlegend = _("Base pay per hour"), True
        fig.add_scatter(x=paid["month"], y=paid["mw_max_per_hour"], mode="lines", name=_("Minimum wage"),
                        line={"dash": "dash", "color": "red"})  # fmt: skip
        fig.update_yaxes(rangemode="tozero")
        _tables.chart(fig, title=_("Pay per hour against the minimum wage"), x_title=_("Month"),
                      y_title=_("Pay per hour ({currency}/h)",
                                currency=currency if _.language == "en" else _labels.value_label("unit", currency, _)),
                      caption=_("The pay that counts for the minimum wage (no premiums, bonuses or allowances) ÷ hours "
                                "logged, each month; the dashed line is the minimum wage in force."),
                      key="person_pay", months=paid["month"])  # fmt: skip
        _tables.table(paid[["month", "currency", "hours", "pay_amount", "pay_per_hour", "base_pay_per_hour",
                            "mw_max_per_hour", "below_mw"]], "person_pay", empty="")  # fmt: skip
with tabs[2]:
    waiting = _freshness.notice()  # with the background worker on: how current the stored findings shown are
    if view.findings_pending:
        if not waiting:  # computed since this page's result was cached: the next visit shows them
            st.info(_("The compliance findings are ready. Open the page again to see them."))
    else:
        _tables.table(_tables.findings_shape(view.findings), "person_findings",
                      empty=_("No findings concern this person."), hide=("person",))  # fmt: skip
with tabs[3]:
    _tables.table(view.credits, "person_credits", empty=_("No credits name this person."),
                  codes={"source": "credit_source", "role": None})  # fmt: skip
with tabs[4]:
    if view.ai_total > len(view.ai_use):
        st.caption(_("The latest {shown:,} of {total:,} records.", shown=len(view.ai_use), total=view.ai_total))
    _tables.table(view.ai_use, "person_ai_use", empty=_("This person operated no AI tool on record."))
with tabs[5]:
    _tables.table(view.employments, "person_employment", empty=_("No employment contract is recorded: they count as "
                                                                 "a freelancer."))  # fmt: skip
with tabs[6]:
    _own_log.manager_section(ident, int(chosen))
with tabs[7]:
    _sign_off.manager_tab(ident, int(chosen))
