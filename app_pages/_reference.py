"""The Admin page's reference data: the minimum-wage table and the dated rule parameters with the source of every
row, how current the table is, the employers' weeks, and the forms that change them (services.reference)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from analytics.findings.text import render
from analytics.reference import reference_view, staleness_notes
from analytics.scope import Scope
from app_pages import _tables, _ui
from data.identity import Identity
from services.reference import delete_minimum_wage, save_minimum_wage, save_rule_parameter, set_employer_week

WEEKDAYS = ("", "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


def _do(ident: Identity, service: Callable[..., object], *, success: str, **kwargs: Any) -> None:
    if _ui.try_write(service, ident, **kwargs):
        st.success(success)
        st.rerun()


def _date(value: Any) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def reference_section(ident: Identity) -> None:
    """Draw the section (managers only: the Admin page requires the role)."""
    _ = _ui.translator()
    view = _ui.query(reference_view, scope=Scope(viewer=ident).for_role())
    st.caption(
        _(
            "Reference data version {version}. Findings name the version they were judged on. Import MHLW's "
            "nationwide table or the canonical minimum-wage CSV on the Import page; correct single rows here.",
            version=view.version,
        )
    )
    for message, params in staleness_notes(view.staleness):
        st.warning(render(message, params, _))

    st.subheader(_("Minimum wages"))
    wages = view.minimum_wages.assign(
        effective_from=view.minimum_wages["effective_from"].map(
            lambda d: _("announced, date not known") if pd.isna(d) else pd.Timestamp(d).date().isoformat()
        ),
        # A state's own rate is stored under the region "state": say so in words.
        region=view.minimum_wages["region"].map(lambda r: _("statewide") if r == "state" else r),
    )
    _tables.table(
        wages, "minimum_wages", empty=_("No minimum wages on record. Import MHLW's table on the Import page.")
    )
    with st.form("minimum_wage", clear_on_submit=True):
        st.markdown(_("**Add a rate, or correct one** (same place and revision year)"))
        c = st.columns(4)
        jurisdiction = c[0].selectbox(_("Jurisdiction"), ("JP", "US-CA"), key="mw_jurisdiction")
        region = c[1].text_input(_("Prefecture, state or city"), key="mw_region")
        year = c[2].number_input(_("Revision year (JP fiscal year)"), min_value=2000, max_value=2200,
                                 value=dt.date.today().year, step=1, key="mw_year")  # fmt: skip
        rate = c[3].text_input(_("Rate per hour"), key="mw_rate")
        c = st.columns(4)
        known = c[0].checkbox(_("Effective date known"), value=True, key="mw_known")
        since = c[1].date_input(_("Effective from"), key="mw_since")
        checked = c[2].date_input(_("Checked on"), value=dt.date.today(), key="mw_checked")
        source = c[3].text_input(_("Source"), key="mw_source")
        if st.form_submit_button(_("Save rate")):
            _do(ident, save_minimum_wage, jurisdiction=jurisdiction, region=region, revision_year=int(year),
                effective_from=since if known else None, rate_per_hour=rate, source=source, checked_on=checked,
                success=_("Saved the minimum wage of {region}.", region=region))  # fmt: skip
    if not view.minimum_wages.empty:
        with st.form("minimum_wage_delete"):
            labels = {
                int(r.id): f"{r.jurisdiction} {r.region} {r.revision_year}: {r.rate_per_hour:g} {r.currency}"
                for r in view.minimum_wages.itertuples()
            }
            wage = st.selectbox(_("Rate entered in error"), list(labels), format_func=labels.get, key="mw_delete")
            if st.form_submit_button(_("Delete rate")):
                _do(ident, delete_minimum_wage, wage_id=int(wage), success=_("Deleted the rate."))

    st.subheader(_("Dated rule parameters"))
    _tables.table(view.parameters, "dated_parameters", empty=_("No parameter has a value from a later date yet."))
    with st.form("rule_parameter", clear_on_submit=True):
        st.markdown(_("**A parameter's new value from a date** (the exempt salary floor of a new year, a new limit)"))
        c = st.columns(4)
        p_jurisdiction = c[0].selectbox(_("Jurisdiction"), ("US-CA", "JP"), key="rp_jurisdiction")
        key = c[1].text_input(_("Key"), value="exempt_salary_floor.annual", key="rp_key")
        p_since = c[2].date_input(_("Effective from"), key="rp_since")
        value = c[3].text_input(_("Value"), key="rp_value")
        c = st.columns(3)
        p_source = c[0].text_input(_("Source"), key="rp_source")
        p_checked = c[1].date_input(_("Checked on"), value=dt.date.today(), key="rp_checked")
        statute = c[2].text_input(_("Statute (blank: the parameter's citation)"), key="rp_statute")
        if st.form_submit_button(_("Save parameter")):
            _do(ident, save_rule_parameter, jurisdiction=p_jurisdiction, key=key, effective_from=p_since, value=value,
                source=p_source, checked_on=p_checked, statute=statute or None,
                success=_("Saved {key} from {since}.", key=key, since=p_since))  # fmt: skip

    st.subheader(_("Employers' weeks"))
    _tables.table(view.employers, "employer_weeks", empty=_("No employer has a contract on record."))
    if not view.employers.empty:
        with st.form("employer_week"):
            names = dict(zip(view.employers["id"].astype(int), view.employers["name"], strict=True))
            c = st.columns(4)
            org = c[0].selectbox(_("Employer"), list(names), format_func=names.get, key="ew_org")
            start = c[1].selectbox(_("First day of the week (blank: Sunday)"), WEEKDAYS, key="ew_start")
            variable = c[2].checkbox(_("Four days off in four weeks (LSA Art. 35(2))"), key="ew_variable")
            counted = c[3].date_input(_("Four-week periods counted from"), key="ew_from")
            if st.form_submit_button(_("Save week")):
                _do(ident, set_employer_week, organization_id=int(org), week_start=start or None,
                    days_off_4w_from=counted if variable else None,
                    success=_("Saved the week of {name}.", name=names[int(org)]))  # fmt: skip
