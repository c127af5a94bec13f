"""Overview: what the database holds, headline figures, and what needs attention (issues 2 and 7)."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.overview import studio_overview
from analytics.queries.productions import filter_options
from app_pages import _ui
from data.errors import EndrollError

ident = _ui.require("manager")
scope = _ui.sidebar_scope(_ui.query(filter_options), viewer=ident)
st.title("Overview")
try:
    ov = _ui.query(studio_overview, scope=scope.for_role())
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

if ov.empty:
    st.info(
        "The database holds no studio yet. Load the demo studio with `python -m data.demo`, "
        "or import people, work logs and pay on the Import page."
    )
    st.stop()

span = f"{ov.first_date} – {ov.last_date}" if ov.first_date else "no work logged yet"
st.caption(f"Work logged {span}. Figures below follow the sidebar filters.")

h = ov.headline
cols = st.columns(5)
cols[0].metric("Hours worked", f"{h['hours']:,.0f} h")
cols[1].metric("People who logged work", f"{h['people']:,}")
pay = h["pay_jpy"]
cols[2].metric("Pay (JPY)", f"¥{pay / 1e6:,.1f}M" if pay >= 1e7 else f"¥{pay:,.0f}", help=f"¥{pay:,.0f}")
cols[3].metric("Pay per hour", f"¥{h['pay_jpy_per_hour']:,.0f}/h")
cols[4].metric("AI-assisted share of hours", f"{h['ai_assisted_hours_share']:.1%}")

st.subheader("Needs attention")
if ov.attention.empty:
    st.success("Nothing needs attention: no open requests, placeholder credits or failed imports.")
else:
    for row in ov.attention.itertuples():
        icon = {"high": ":material/error:", "medium": ":material/warning:"}.get(row.severity, ":material/info:")
        st.markdown(f"{icon} **{row.count:,} {row.topic}.** {row.what_to_do}")

st.subheader("Productions")
prods = ov.productions.assign(
    production=[_ui.name_with_romaji(t, r) for t, r in zip(ov.productions["title"], ov.productions["title_romaji"],
                                                          strict=True)]
)  # fmt: skip
if prods["hours"].sum() > 0:
    fig = px.bar(prods, x="production", y="hours", color="kind", text_auto=".0f")
    _ui.chart(
        fig,
        title="Hours worked per production",
        x_title="Production",
        y_title="Hours (h)",
        caption="Total hours logged on each production within the filters, coloured by production kind.",
        key="overview_hours",
    )
_ui.table(
    prods[["production", *[c for c in prods.columns if c not in ("production", "production_id", "title_romaji")]]],
    "productions",
    empty="No productions match the filters. Clear the production filter, or import a production.",
)

with st.expander("What the database holds"):
    _ui.table(ov.counts, "database_counts", empty="The database is empty.")
