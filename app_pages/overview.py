"""Overview: who needs attention this month, headline figures, the records waiting for someone, the productions and
what the database holds (issues 2, 7 and 18)."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.overview import people_needing_attention, studio_overview
from analytics.queries.productions import filter_options
from app_pages import _format, _freshness, _safe, _sign_off, _tables, _ui
from data.errors import EndrollError
from data.i18n import N_

ident = _ui.require("manager")
_ = _ui.translator()
scope = _ui.sidebar_scope(_ui.query(filter_options), viewer=ident)
st.title(_("Overview"))
try:
    ov = _ui.query(studio_overview, scope=scope.for_role())
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

if ov.empty:
    st.info(_("The database holds no studio yet. Load the demo studio with `python -m data.demo`, or import people, "
              "work logs and pay on the Import page."))  # fmt: skip
    st.stop()

span = (_("Work logged {first} – {last}.", first=_format.date(ov.first_date), last=_format.date(ov.last_date))
        if ov.first_date else _("No work logged yet."))  # fmt: skip
st.caption(_("{span} Figures below follow the sidebar filters: {period}.", span=span,
             period=_ui.period_caption(scope)))  # fmt: skip

h = ov.headline
cols = st.columns(5)
cols[0].metric(_("Hours worked"), f"{h['hours']:,.0f} h")
cols[1].metric(_("People who logged work"), _format.number(h["people"]))
pay = h["pay_jpy"]
cols[2].metric(_("Pay (JPY)"), f"¥{pay / 1e6:,.1f}M" if pay >= 1e7 else _format.money(pay), help=_format.money(pay))
cols[3].metric(_("Pay per hour"), _format.money(h["pay_jpy_per_hour"], per_hour=True))
cols[4].metric(_("AI-assisted share of hours"), _format.share(h["ai_assisted_hours_share"]))

# ---------------------------------------------------------------------------------------------------------------
# Who needs attention: the people over a legal line or an overwork indicator, each in one sentence.

TOPICS = {
    "overtime": N_("Overtime and holiday work over the lines"),
    "average": N_("Overtime averaged over several months"),
    "minimum_wage": N_("Paid below the minimum wage"),
    "no_day_off": N_("No day off"),
    "freelance_terms": N_("Freelance commissions without written terms in time"),
}


def sentence(row: object, language: str, names: dict) -> str:
    """One person's finding of a topic as a plain sentence (``names``: :func:`app_pages._tables.person_names` of
    everyone listed, read once: a studio lists a thousand people, and a lookup per row took a third of a second)."""
    who = _safe.md(names[row.person_id])  # a link's label is Markdown: a name is text
    when = _format.span(row.period_start, row.period_end, language)
    line = f"{row.threshold:g}"
    if row.topic == "overtime":
        text = (_("{who}: {hours} of overtime and holiday work in {month}, at or over the {line} h line.")
                if row.rule_id == "JP-OW-03" else
                _("{who}: {hours} of overtime and holiday work in {month}, over the {line} h line."))  # fmt: skip
        return text.format(who=who, hours=_format.hours(row.measured_value), month=when, line=line)
    if row.topic == "average":
        return _(
            "{who}: overtime and holiday work averaged {hours} a month over {span}, at or over the {line} h line.",
            who=who,
            hours=_format.hours(row.measured_value),
            span=when,
            line=line,
        )
    if row.topic == "minimum_wage":
        currency = "USD" if str(row.unit).startswith("USD") else "JPY"
        paid = _format.money(row.measured_value, currency, per_hour=True)
        wage = _format.money(row.threshold, currency, per_hour=True)
        if row.rule_id == "JP-MW-02":
            return _(
                "{who}: a freelancer paid {paid} for the hours logged in {month}, under the minimum wage of {wage}.",
                who=who,
                paid=paid,
                month=when,
                wage=wage,
            )
        return _("{who}: paid {paid} in {month}, below the minimum wage of {wage}.", who=who, paid=paid, month=when,
                 wage=wage)  # fmt: skip
    if row.topic == "no_day_off":
        return _("{who}: {days} days in a row without a day off ({span}).", who=who,
                 days=_format.number(row.measured_value), span=when)  # fmt: skip
    return _.ngettext("{who}: {n} commission without written terms in time (Freelance Act).",
                      "{who}: {n} commissions without written terms in time (Freelance Act).",
                      int(row.findings), who=who)  # fmt: skip


attention = None
try:
    if not _freshness.notice():  # none computed yet: the notice's wait state stands in for this section
        with st.spinner(_("Checking every compliance rule…")):
            attention = _ui.query(people_needing_attention, scope=scope.for_role(), today=_format.today())
except EndrollError as exc:
    _ui.show_error(exc)
if attention is not None and attention.month is not None:
    month_text = _format.month(attention.month, _.language)
    st.subheader(_("Needs attention in {month}", month=month_text))
    if not attention.latest:
        st.caption(_("No work is logged in the month asked for yet; this is {month}, the latest month with work.",
                     month=month_text))  # fmt: skip
    people = attention.people
    if people.empty:
        st.success(_("Nobody in these filters crossed a legal line or an overwork indicator in {month}.",
                     month=month_text))  # fmt: skip
    directory = _tables.person_names(people["person_id"].unique())
    for topic, title in TOPICS.items():
        rows = people[people["topic"] == topic]
        if rows.empty:
            continue
        st.markdown(f"**{_(title)}** · " + _.ngettext("{n} person", "{n} people", len(rows)))
        _tables.person_links(rows, lambda row: sentence(row, _.language, directory),
                             rest=_("The findings tables on the Workload and Pay pages list them all."))  # fmt: skip
    st.caption(_("From the compliance findings (rules JP-OW, JP-MW, CA-MW, JP-FL-01): the lines are the rule "
                 "parameters in force. Open a person to see all of their findings."))  # fmt: skip

_sign_off.waiting_section(scope)

st.subheader(_("Records waiting for someone"))
if ov.attention.empty:
    st.success(_("Nothing is waiting: no open requests, placeholder credits or failed imports."))
else:
    for row in ov.attention.itertuples():
        icon = {"high": ":material/error:", "medium": ":material/warning:"}.get(row.severity, ":material/info:")
        st.markdown(f"{icon} " + _("**{count} {topic}.** {todo}", count=_format.number(row.count), topic=_(row.topic),
                                   todo=_(row.what_to_do)))  # fmt: skip

st.subheader(_("Productions"))
prods = ov.productions.assign(
    production=ov.productions["title"] if _.language == "ja" else [
        f"{t} ({r})" if r and r != t else t for t, r in zip(ov.productions["title"], ov.productions["title_romaji"],
                                                             strict=True)]
)  # fmt: skip
if prods["hours"].sum() > 0:
    chart_rows = _tables.labelled(prods, {"kind": "kind"})
    fig = px.bar(chart_rows, x="production", y="hours", color="kind", text_auto=",.0f", labels=_tables.plot_labels(),
                 category_orders={"production": chart_rows["production"].tolist()})  # fmt: skip
    _tables.chart(fig, title=_("Hours worked per production"), x_title=_("Production"), y_title=_("Hours (h)"),
                  caption=_("Total hours logged on each production within the filters, coloured by production kind."),
                  key="overview_hours")  # fmt: skip
_tables.table(
    prods[["production", *[c for c in prods.columns if c not in ("production", "production_id", "title_romaji")]]],
    "productions", empty=_("No productions match the filters. Clear the production filter, or import a production."),
    hide=("title",),
)  # fmt: skip

with st.expander(_("What the database holds")):
    _tables.table(ov.counts, "database_counts", empty=_("The database is empty."))
