"""The monthly sign-off on the pages: the artist's "Sign-off" tab of My record (confirm or dispute a month that ended,
read the managers' answers), the manager's tab on the Person page (approve, answer each disputed day, reopen), the
managers' answers to a shared own log (a hook in the Person page's shared view), and the Overview's list of months
nobody has finished signing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.own_log import Reconciliation
from analytics.scope import Scope
from analytics.sign_off import (
    SignOffMonth,
    own_log_answers,
    person_sign_offs,
    sign_off_month,
    signable_months,
    waiting_sign_offs,
)
from app_pages import _format, _safe, _tables, _ui
from data.errors import EndrollError
from data.identity import Identity
from services.own_log_answers import answer_difference
from services.sign_off import answer_day, approve_month, confirm_month, dispute_month, reopen_month

CODES = {"status": "sign_off_status", "answer": "sign_off_answer", "waiting_for": "sign_off_waiting"}


FLASH = "sign_off_done"


def _done(where: str, message: str) -> None:
    """After a write: the page drawn again from the new state, ``message`` shown on it in the section ``where``."""
    st.session_state[f"{FLASH}_{where}"] = message
    st.rerun()


def _flash(where: str) -> None:
    if (message := st.session_state.pop(f"{FLASH}_{where}", None)) is not None:
        st.success(message)


def _totals(view: SignOffMonth) -> None:
    _ = _ui.translator()
    c = st.columns(3)
    c[0].metric(_("Studio's hours"), _format.hours(view.studio_hours))
    c[1].metric(_("Studio's pay"), _format.money(view.studio_pay, view.currency))
    c[2].metric(_("Days worked"), _format.number(len(view.studio_days)))


def _status(view: SignOffMonth, *, artist: bool) -> None:
    """The sign-off's state in one sentence, for the artist or for the manager."""
    _ = _ui.translator()
    month = _format.month(view.month, _.language)
    row = view.sign_off
    if row is None:
        st.info(_("You have not signed {month} yet.", month=month) if artist else
                _("The artist has not signed {month} yet.", month=month))  # fmt: skip
        return
    since = _format.date(pd.Timestamp(row["status_since"]).date())
    sentences = {
        "confirmed": (_("You confirmed {month} on {since}; a manager approves it next.", month=month, since=since),
                      _("The artist confirmed {month} on {since}: approve it to sign it off.", month=month,
                        since=since)),
        "disputed": (_("You disputed {month} on {since}; a manager answers each day.", month=month, since=since),
                     _("The artist disputed {month} on {since}: answer each day below.", month=month, since=since)),
        "answered": (_("A manager answered every day you disputed in {month} ({since}). Read the answers, then "
                       "confirm the month or dispute it again.", month=month, since=since),
                     _("Every disputed day of {month} is answered ({since}); the artist confirms the month or "
                       "disputes it again.", month=month, since=since)),
        "approved": (_("{month} is signed off: approved by {manager} on {since}, and locked.", month=month,
                       manager=_safe.md(row["approved_by"]), since=since),
                     _("{month} is signed off: approved by {manager} on {since}, and locked.", month=month,
                       manager=_safe.md(row["approved_by"]), since=since)),
        "reopened": (_("A manager reopened {month} on {since}; sign it again once it is corrected.", month=month,
                       since=since),
                     _("{month} was reopened on {since}; the artist signs it again.", month=month, since=since)),
    }  # fmt: skip
    text = sentences[row["status"]][0 if artist else 1]
    (st.success if row["status"] == "approved" else st.info)(text)
    if view.changed and row["status"] != "approved":
        st.warning(_("The studio's record of this month changed after it was signed ({hours} and {pay} then).",
                     hours=_format.hours(float(row["studio_seconds"]) / 3600),
                     pay=_format.money(float(row["studio_pay"]), row["currency"])))  # fmt: skip


def _days(view: SignOffMonth, name: str) -> None:
    _ = _ui.translator()
    if view.days.empty:
        return
    st.markdown("**" + _("Disputed days") + "**")
    _tables.table(view.days, name, codes=CODES, empty="", hide=("answered_at",), downloadable=False)


def artist_tab(ident: Identity) -> None:
    """My record's Sign-off tab: the months that ended, one signed at a time."""
    _ = _ui.translator()
    person_id = int(ident.person_id)  # type: ignore[arg-type]
    _flash("artist")
    st.caption(_("When a month has ended, confirm the studio's hours and pay for it, or dispute the days it has "
                 "wrong, with a note for each. Once a manager approves a confirmed month it is signed off and "
                 "locked: nobody changes its records unless a manager reopens it."))  # fmt: skip
    try:
        months = _ui.query(signable_months, scope=Scope(people=(person_id,), viewer=ident), today=_format.today())
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    if not months:
        st.info(_("No month with work or pay on record for you has ended yet."))
        return
    month = st.selectbox(_("Month"), months, key="so_month", format_func=lambda m: _format.month(m, _.language))
    try:
        view = _ui.query(sign_off_month, scope=Scope(people=(person_id,), start=month, viewer=ident))
        answers = _ui.query(own_log_answers, scope=Scope(people=(person_id,), start=view.month, end=view.month_end,
                                                         viewer=ident))  # fmt: skip
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    _totals(view)
    _status(view, artist=True)
    _days(view, "my_disputed_days")
    if view.status != "approved":
        if st.button(_("Confirm the studio's hours and pay for this month"), key="so_confirm") and _ui.try_write(
            confirm_month, ident, person_id=person_id, month=view.month, today=_format.today()
        ):
            _done("artist", _("Confirmed. A manager approves the month next."))
        _dispute_form(ident, person_id, view)
    st.markdown("**" + _("Managers' answers to your shared log") + "**")
    _tables.table(answers, "my_own_log_answers", downloadable=False, hide=("answered_at",),
                  empty=_("No manager has answered a day of your shared log in this month."))  # fmt: skip
    with st.expander(_("The studio's record of this month, day by day")):
        _tables.table(view.studio_days, "studio_days", empty=_("The studio recorded no work in this month."),
                      downloadable=False)  # fmt: skip


def _dispute_form(ident: Identity, person_id: int, view: SignOffMonth) -> None:
    _ = _ui.translator()
    st.markdown("**" + _("Dispute days of this month") + "**")
    every_day = [d.date() for d in pd.date_range(view.month, view.month_end, freq="D")]
    picked = st.multiselect(_("Days the studio's record has wrong"), every_day, key="so_days",
                            placeholder=_("Pick the days"), format_func=_format.date)  # fmt: skip
    notes = {day: st.text_input(_("What is wrong on {day}", day=_format.date(day)), key=f"so_note_{day.isoformat()}")
             for day in picked}  # fmt: skip
    if st.button(_("Send the dispute"), key="so_dispute", disabled=not picked) and _ui.try_write(
        dispute_month, ident, person_id=person_id, month=view.month, days=notes, today=_format.today()
    ):
        _done("artist", _("Sent. A manager answers each day you disputed."))


def manager_tab(ident: Identity, person_id: int) -> None:
    """The Person page's Sign-off tab: the months this artist signed; approve, answer or reopen the chosen one."""
    _ = _ui.translator()
    _flash("manager")
    try:
        found = _ui.query(person_sign_offs, scope=Scope(people=(person_id,), viewer=ident).for_role())
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    if found.empty:
        st.info(_("This person has not confirmed or disputed any month yet. Only they can, from My record."))
        return
    _tables.table(found, "person_sign_offs", codes=CODES, empty="", hide=("id",), downloadable=False)
    months = {int(r.id): pd.Timestamp(r.month).date() for r in found.itertuples(index=False)}
    chosen = st.selectbox(_("Month"), list(months), key="so_manager_month",
                          format_func=lambda i: _format.month(months[i], _.language))  # fmt: skip
    try:
        view = _ui.query(
            sign_off_month, scope=Scope(people=(person_id,), start=months[chosen], viewer=ident).for_role()
        )
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    _totals(view)
    _status(view, artist=False)
    _days(view, "person_disputed_days")
    status = view.status
    if (
        status == "confirmed"
        and st.button(_("Approve and lock the month"), key="so_approve")
        and _ui.try_write(approve_month, ident, sign_off_id=chosen)
    ):
        _done("manager", _("Approved. The month is signed off and locked for this person."))
    if status in ("disputed", "answered"):
        _answer_form(ident, chosen, view)
    if status == "approved":
        reason = st.text_input(_("Why reopen it"), key="so_reopen_reason")
        if st.button(_("Reopen the month"), key="so_reopen") and _ui.try_write(
            reopen_month, ident, sign_off_id=chosen, reason=reason
        ):
            _done(
                "manager",
                _("Reopened. The month's records can be corrected; the artist signs it again."),
                "so_reopen_reason",
            )


def _answer_form(ident: Identity, sign_off_id: int, view: SignOffMonth) -> None:
    _ = _ui.translator()
    st.markdown("**" + _("Answer a disputed day") + "**")
    days = [pd.Timestamp(d).date() for d in view.days["work_date"]]
    waiting = [d for d, a in zip(days, view.days["answer"], strict=True) if a is None or pd.isna(a)]
    day = st.selectbox(_("Disputed day"), days, index=days.index(waiting[0]) if waiting else 0, key="so_answer_day",
                       format_func=_format.date)  # fmt: skip
    answer = st.radio(_("Answer"), ["accept", "explain"], key="so_answer", horizontal=True,
                      format_func=lambda a: {"accept": _("Accept: the studio's record is to be corrected"),
                                             "explain": _("Explain: the record stands")}[a])  # fmt: skip
    note = st.text_area(_("Note to the artist"), key="so_answer_note")
    if st.button(_("Send the answer"), key="so_answer_send") and _ui.try_write(
        answer_day, ident, sign_off_id=sign_off_id, work_date=day, answer=answer, note=note
    ):
        _done("manager", _("Answered. The artist reads it on My record."))


def answer_differences(ident: Identity, person_id: int, found: Reconciliation) -> None:
    """Under the manager's view of a shared period: the answers given, and one more for a day that differs."""
    _ = _ui.translator()
    days = found.days
    differing = [pd.Timestamp(d).date() for d in days.loc[days["state"] != "matched", "work_date"]]
    st.subheader(_("Answers to the differences"))
    _flash("answers")
    try:
        answers = _ui.query(own_log_answers, scope=Scope(people=(person_id,), start=found.start, end=found.end,
                                                         viewer=ident).for_role())  # fmt: skip
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    _tables.table(answers, "own_log_answers", downloadable=False, hide=("answered_at",),
                  empty=_("No day of this period is answered yet."))  # fmt: skip
    if not differing:
        return
    day: dt.date = st.selectbox(_("Day that differs"), differing, key="own_answer_day", format_func=_format.date)
    note = st.text_area(_("Answer to the artist"), key="own_answer_note")
    if st.button(_("Send the answer"), key="own_answer_send") and _ui.try_write(
        answer_difference, ident, person_id=person_id, work_date=day, note=note
    ):
        _done("answers", _("Answered. The artist reads it on My record."))


def _waiting_sentence(row: object, language: str, names: pd.DataFrame) -> str:
    """One waiting month as a plain sentence (``names``: :func:`app_pages._tables.people`)."""
    _ = _ui.translator()
    who = _safe.md(_tables.person_name(row.person_id, language, names=names))
    month, since = _format.month(row.month, language), _format.date(row.since)
    if row.status == "disputed":
        return _.ngettext("{who}: {month} disputed on {since} ({n} day), waiting for your answers.",
                          "{who}: {month} disputed on {since} ({n} days), waiting for your answers.",
                          int(row.disputed_days), who=who, month=month, since=since)  # fmt: skip
    if row.status == "confirmed":
        return _("{who}: {month} confirmed on {since}, waiting for your approval.", who=who, month=month, since=since)
    if row.status == "answered":
        return _("{who}: {month} answered on {since}, waiting for the artist.", who=who, month=month, since=since)
    if row.status == "reopened":
        return _("{who}: {month} reopened on {since}, waiting for the artist to sign it again.", who=who,
                 month=month, since=since)  # fmt: skip
    return _("{who}: {month} not signed since {since}.", who=who, month=month, since=since)


def waiting_section(scope: Scope) -> None:
    """The Overview's list: months of artists with an account, ended and not signed off; those waiting for a
    manager (disputed first) before those waiting for the artist, each a sentence leading to the person's page."""
    _ = _ui.translator()
    st.subheader(_("Monthly sign-offs waiting"))
    try:
        found = _ui.query(waiting_sign_offs, scope=scope.for_role(), today=_format.today())
    except EndrollError as exc:
        _ui.show_error(exc)
        return
    if found.empty:
        st.success(_("Every month that ended in these filters is signed off by the artist and approved."))
        return
    directory = _tables.people()
    for waiting_for, title in (("manager", _("Waiting for a manager")), ("artist", _("Waiting for the artist"))):
        rows = found[found["waiting_for"] == waiting_for]
        if rows.empty:
            continue
        st.markdown(f"**{title}** · " + _.ngettext("{n} month", "{n} months", len(rows)))
        _tables.person_links(rows, lambda row: _waiting_sentence(row, _.language, directory),
                             rest=_("Open a person's page to see their months."))  # fmt: skip
    st.caption(_("Months of artists with an account that have ended, hold work or pay, and are not signed off. A "
                 "month is signed off when the artist confirmed it and a manager approved it."))  # fmt: skip
