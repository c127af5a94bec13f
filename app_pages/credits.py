"""Credits: validator findings per production, fixes (link a placeholder to a person, complete ほか lists, record
uncredited individuals) and the end roll as text, CSV, JSON or PDF.

With the background worker on (the ``derived_worker`` setting), the findings are the production's stored credit
check (``analytics.credits.checks``), with the freshness notice while the worker checks again, and a wait state with
progress for a production never checked; a write made on this page rechecks this one production at once, so the
rerun shows its effect. With it off, they are computed on the request.

Choosers offer at most a few hundred people or lines, found by typing (``app_pages._credit_pickers``): a studio has
thousands of people and a production tens of thousands of credit lines."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from analytics.credits.checks import refresh_production
from analytics.credits.endroll import build_end_roll, export_roll, roll_pdf_refusal
from analytics.credits.review import BASIS_LABELS, STATUS_LABELS, entity_calls, review_queue
from analytics.dashboard import credits_view, stored_credits_view
from analytics.queries.productions import filter_options
from analytics.scope import Scope
from app_pages import _credit_pickers, _freshness, _labels, _safe, _tables, _ui
from data import settings
from data.derived import CREDITS
from data.engine import session_scope
from data.errors import EndrollError
from data.i18n import N_
from services.credit_fixes import (
    mark_individuals_uncredited,
    record_incomplete_list_reason,
    replace_and_others,
    repoint_credit_line,
)
from services.credit_lines import add_credit_line
from services.credit_review import call_entity, confirm_credit, reject_credit

ident = _ui.require("manager")
_ = _ui.translator()
options = _ui.query(filter_options)
productions = options[options["kind"] == "production"]
st.title(_("Credits"))
if productions.empty:
    st.info(_("No productions yet. Import credits (MADB JSON-LD, credit-roll text or the canonical CSV) on the Import "
              "page."))  # fmt: skip
    st.stop()
labels = dict(zip(productions["value"].astype(int), productions["label"], strict=True))
pid = st.selectbox(_("Production"), list(labels), format_func=labels.get, key="credits_production")
stored = settings.get("derived_worker")
try:
    if not stored:
        with st.spinner(_("Validating the credits and cross-checking labor records…")):
            view = _ui.query(credits_view, scope=Scope(productions=(pid,), viewer=ident).for_role())
    elif _freshness.notice(CREDITS, production_id=pid):
        st.stop()  # never checked: the wait state, with the worker's progress, stands in for the page
    else:
        view = _ui.query(stored_credits_view, scope=Scope(productions=(pid,), viewer=ident).for_role())
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()
if view is None:  # deleted or not yet stored between the notice and the read: the next visit shows it
    st.info(_("The credit checks of this production are being computed for the first time. Its findings and fixes "
              "appear here when they are ready."))  # fmt: skip
    st.stop()

f = view.findings
errors = int((f["severity"] == "ERROR").sum()) if not f.empty else 0
CODES = {"severity": "credit_severity", "rule": "credit_rule", "role": None, "what_to_do": "credit_fix"}
# The validator writes its messages in English (issue 18 turns them into catalog templates later); a Japanese reader
# gets what to do about each rule instead.
HIDE = ("message",) if _.language != "en" else ()
c = st.columns(3)
c[0].metric(_("Credit lines checked"), f"{view.credits_checked:,}")
c[1].metric(_("Errors"), f"{errors:,}")
c[2].metric(_("Warnings"), f"{int((f['severity'] == 'WARN').sum()) if not f.empty else 0:,}")
if errors:
    st.warning(_("This roll has errors: it exports only as a watermarked DRAFT until they are fixed."))
_tables.table(view.counts, "credit_findings_by_rule", empty=_("No findings: every credit names a person."),
              codes=CODES)  # fmt: skip
_tables.table(f.assign(what_to_do=f["rule"]) if not f.empty else f, "credit_findings", empty="", codes=CODES,
              hide=HIDE, headers={"name": _("Name as credited")})  # fmt: skip


def _recheck() -> None:
    # The write just committed made this production's stored check stale (a fix or an added line: also those of the
    # productions of a person it linked; a call on a name or a review: every production's). This production's is
    # checked again now, in this request, so the rerun shows the fix; the worker, woken by the write, checks the
    # others it made stale, if any.
    if stored:
        with st.spinner(_("Checking the credits of this production again…")), session_scope(_ui.engine()) as session:
            refresh_production(session, production_id=pid)
        _ui.clear_cache()


def _written(fix: Callable[..., object], *args: Any, **kwargs: Any) -> bool:
    if not _ui.try_write(fix, *args, **kwargs):
        return False
    _recheck()
    return True


def _fix(fix: Callable[..., object], done: str, **kwargs: Any) -> None:
    # Said after the rerun that shows the fixed roll, by name, not by a row number.
    if _written(fix, ident, **kwargs):
        st.session_state["fix_done"] = done + " " + _("The audit log keeps the old values.")
        st.rerun()


fixable = f[f["credit_line_id"].notna()] if not f.empty else f
# Everyone who can be credited, in name order; a chooser offers a few of them at a time (found by any spelling).
everyone = [int(p) for p in view.people["person_id"]]
if not fixable.empty:
    st.subheader(_("Fix a credit line"))
    if done := st.session_state.pop("fix_done", None):
        st.success(done)
    # Errors first: the lines that keep the roll a draft.
    ids = fixable.sort_values("severity", key=lambda s: s != "ERROR", kind="stable").drop_duplicates("credit_line_id")
    ids = _credit_pickers.line_rows("fix_line_find", ids, ["role", "name"],
                                    keep=ids["credit_line_id"] == st.session_state.get("fix_line"))  # fmt: skip
    line_labels = {int(r.credit_line_id): f"#{int(r.credit_line_id)} {r.role}: {r.name} — "
                   f"{_labels.value_label('credit_rule', r.rule, _)}" for r in ids.itertuples()}  # fmt: skip
    line_id = st.selectbox(_.pgettext("credit", "Line"), list(line_labels), format_func=line_labels.get, key="fix_line")
    # The options are the English messages; the reader sees them translated.
    fixes = [N_("Link to the person who did the work"), N_("Replace ほか / and others with the full list"),
             N_("Record why the list is incomplete"), N_("Record that the studio's individuals go uncredited")]  # fmt: skip
    how = st.radio(_("Fix"), fixes, format_func=_, key="fix_how") if line_id is not None else None
    if how is not None and how.startswith("Link"):
        # Nobody is chosen for the manager unless the finding names the person (an alias not yet linked).
        named = fixable.loc[fixable["credit_line_id"] == line_id, "person_id"].dropna()
        named_id = int(named.iloc[0]) if len(named) else None
        choices = _credit_pickers.people_options(
            "fix_person_find", everyone, keep=[named_id, st.session_state.get(f"fix_person_{line_id}")]
        )
        people = _tables.person_names(choices)
    elif how is not None and how.startswith("Replace"):
        choices = _credit_pickers.people_options("fix_list_find", everyone, keep=st.session_state.get("fix_list", []))
        people = _tables.person_names(choices)
    if how is not None:
        with st.form("fix"):
            if how.startswith("Link"):
                person = st.selectbox(_("Person"), choices, format_func=people.get, key=f"fix_person_{line_id}",
                                      index=choices.index(named_id) if named_id in choices else None,
                                      placeholder=_("Choose the person who did the work"))  # fmt: skip
            elif how.startswith("Replace"):
                chosen = st.multiselect(_("People, in credit order"), choices, format_func=people.get,
                                        key="fix_list")  # fmt: skip
            else:
                reason = st.text_input(_("Reason"), key="fix_reason")
            if st.form_submit_button(_("Apply fix")):
                line = _safe.md(line_labels[line_id])
                if how.startswith("Link") and person is None:
                    st.warning(_("Choose the person who did the work first."))
                elif how.startswith("Link"):
                    _fix(repoint_credit_line, _("{line} now credits {name}.", line=line,
                                                name=_safe.md(people[person])),
                         credit_line_id=line_id, person_id=int(person))  # fmt: skip
                elif how.startswith("Replace"):
                    names = ", ".join(_safe.md(people[p]) for p in chosen)
                    _fix(replace_and_others, _("{line} now names {names}.", line=line, names=names),
                         credit_line_id=line_id, entries=[int(p) for p in chosen])  # fmt: skip
                elif how.startswith("Record why"):
                    _fix(record_incomplete_list_reason, _("The reason is recorded for {line}.", line=line),
                         credit_line_id=line_id, reason=reason)  # fmt: skip
                else:
                    _fix(mark_individuals_uncredited,
                         _("{line} is recorded as crediting the studio's individuals uncredited.", line=line),
                         credit_line_id=line_id, reason=reason)  # fmt: skip

# A line the validator says is missing ("logged work or was paid … but is not credited"): added here, the person and
# role filled in from the finding, and applied only after the manager has seen whom it credits.
missing = (f[(f["rule"] == "uncredited_worker") & f["credit_line_id"].isna() & f["person_id"].notna()]
           if not f.empty else f)  # fmt: skip
st.subheader(_("Add a credit line"))
if not everyone:
    st.info(_("No one has logged work or been paid on this production yet: add people and their hours on the People "
              "and records page first."))  # fmt: skip
else:
    allowed = set(everyone)
    waiting = [(i, r) for i, r in enumerate(missing.itertuples()) if int(r.person_id) in allowed]
    picked = st.session_state.get(f"add_line_from_{pid}")
    starts = {-1: _("Someone who worked on it (choose below)")}
    starts |= {i: _("{name} — {role} (not credited)", name=r.name, role=r.role)
               for i, r in waiting if i == picked or i < _credit_pickers.LIMIT}  # fmt: skip
    start = st.selectbox(_("Start from"), list(starts), format_func=starts.get, key=f"add_line_from_{pid}",
                         index=1 if len(starts) > 1 else 0)  # fmt: skip
    if len(waiting) > len(starts) - 1:
        st.caption(_("{shown} of {found} people not credited shown: add these first, or choose someone below.",
                     shown=f"{len(starts) - 1:,}", found=f"{len(waiting):,}"))  # fmt: skip
    chosen = missing.iloc[start] if start >= 0 else None
    role_default = "" if chosen is None or chosen["role"].startswith("(") else chosen["role"]
    finding_person = int(chosen["person_id"]) if chosen is not None else None
    person_key = f"add_line_person_{pid}_{start}"
    names = _credit_pickers.people_options(f"add_line_find_{pid}", everyone,
                                           keep=[finding_person, st.session_state.get(person_key)])  # fmt: skip
    people = _tables.person_names(names)
    with st.form(f"add_line_{pid}_{start}"):
        person = st.selectbox(_("Person"), names, format_func=people.get, key=person_key,
                              index=names.index(finding_person) if finding_person in names else 0 if names else None)  # fmt: skip
        c = st.columns(3)
        role = c[0].text_input(_("Role"), value=role_default, key=f"add_line_role_{pid}_{start}",
                               help=_("Any spelling of the role: 動画, Douga, In-Between Animation"))  # fmt: skip
        scope_text = c[1].text_input(
            _("Episodes (blank: the whole production)"), key=f"add_line_episodes_{pid}_{start}"
        )
        credited = c[2].text_input(_("Name as it is to be printed (blank: the person's chosen name)"),
                                   key=f"add_line_name_{pid}_{start}")  # fmt: skip
        if st.form_submit_button(_("Review the line")):
            if person is None:
                st.warning(_("Choose the person who did the work first."))
            else:
                st.session_state["add_line_pending"] = {"production_id": pid, "person_id": int(person), "role": role,
                                                        "episode_scope": scope_text or None,
                                                        "name_as_credited": credited or None}  # fmt: skip
    pending = st.session_state.get("add_line_pending")
    if pending and pending["production_id"] == pid:
        who = _tables.person_names([pending["person_id"]])[pending["person_id"]]
        shown_as = pending["name_as_credited"] or who
        st.info(_("Credit **{person}** as **{role}** on {production}{episodes}, printed as “{shown}”?",
                  person=_safe.md(who), role=_safe.md(pending["role"]), production=_safe.md(labels[pid]),
                  episodes=_(", episodes {episodes}", episodes=_safe.md(pending["episode_scope"]))
                  if pending["episode_scope"] else "", shown=_safe.md(shown_as)))  # fmt: skip
        c = st.columns(2)
        if c[0].button(_("Confirm: add the line"), key="add_line_confirm", type="primary") and _written(
            add_credit_line, ident, **pending
        ):
            st.session_state.pop("add_line_pending", None)
            # The choices are numbered by position: with this finding gone, a kept number would name the wrong one.
            st.session_state.pop(f"add_line_from_{pid}", None)
            st.session_state["add_line_done"] = _("{person} is now credited as {role}.", person=_safe.md(who),
                                                  role=_safe.md(pending["role"]))  # fmt: skip
            st.rerun()
        if c[1].button(_("Cancel"), key="add_line_cancel"):
            st.session_state.pop("add_line_pending", None)
            st.rerun()
if done := st.session_state.pop("add_line_done", None):
    st.success(done)

st.subheader(_("Public credits that may name your people"))
st.caption(_("A published credit (Media Arts Database, on-screen, official site) is never linked to one of your "
             "people by the name alone: someone else may have the same name. Confirm the ones that are theirs (the "
             "artist may have claimed them on My record), reject the others."))  # fmt: skip
queue = _ui.query(review_queue, scope=Scope(productions=(pid,), viewer=ident).for_role())
_tables.table(queue, "credit_review_queue", codes={"status": "credit_review_status", "source": "credit_source"},
              empty=_("Nothing to review: no public credit here carries a name of your people."))  # fmt: skip
if not queue.empty:
    current = st.session_state.get("review_pair")
    kept = ((queue["credit_line_id"] == current[0]) & (queue["person_id"] == current[1]) if current is not None
            else None)  # fmt: skip
    rows = _credit_pickers.line_rows("review_find", queue, ["role_as_credited", "name_as_credited", "person"],
                                     keep=kept)  # fmt: skip
    pairs = {(int(r.credit_line_id), int(r.person_id)): f"#{int(r.credit_line_id)} {r.role_as_credited}: "
             f"{r.name_as_credited} → {r.person} ({_(STATUS_LABELS[r.status])})" for r in rows.itertuples()}  # fmt: skip
    pair = st.selectbox(_("Credit and person"), list(pairs), format_func=pairs.get, key="review_pair")
    c1, c2 = st.columns(2)
    if c1.button(_("Confirm: it is theirs"), key="review_confirm", disabled=pair is None) and _written(
        confirm_credit, ident, credit_line_id=pair[0], person_id=pair[1]
    ):
        st.rerun()
    if c2.button(_("Reject: someone else of the same name"), key="review_reject", disabled=pair is None) and _written(
        reject_credit, ident, credit_line_id=pair[0], person_id=pair[1]
    ):
        st.rerun()

st.subheader(_("Person or organization"))
st.caption(_("How each credited name was read, and why. Overrule a call when it is wrong: every line with that name "
             "follows, and later imports keep your call."))  # fmt: skip
calls = _ui.query(entity_calls, scope=Scope(productions=(pid,), viewer=ident).for_role())
if not calls.empty:
    shown = calls.assign(evidence=[f"{_(BASIS_LABELS.get(b, b or ''))}: {r}" if r else _(BASIS_LABELS.get(b, b or ''))
                                   for b, r in zip(calls["entity_basis"], calls["entity_reason"], strict=True)])  # fmt: skip
    _tables.table(shown.drop(columns=["entity_basis", "entity_reason"]), "credit_entity_calls", empty="",
                  codes={"source": "credit_source"}, headers={"evidence": _("Why")})  # fmt: skip
    called = {True: _("organization"), False: _("person")}
    rows = _credit_pickers.line_rows("entity_find", calls, ["role_as_credited", "name_as_credited"],
                                     keep=calls["credit_line_id"] == st.session_state.get("entity_line"))  # fmt: skip
    names = {int(r.credit_line_id): f"#{int(r.credit_line_id)} {r.role_as_credited}: {r.name_as_credited} "
             f"({called[bool(r.organization)]})" for r in rows.itertuples()}  # fmt: skip
    with st.form("entity_call"):
        line = st.selectbox(_.pgettext("credit", "Line"), list(names), format_func=names.get, key="entity_line")
        kind = st.radio(_("The name is"), [False, True], format_func=called.get, key="entity_kind",
                        horizontal=True)  # fmt: skip
        why = st.text_input(_("Reason"), key="entity_reason")
        if (st.form_submit_button(_("Record the call")) and line is not None
                and _written(call_entity, ident, credit_line_id=line, organization=kind, reason=why)):  # fmt: skip
            st.rerun()

st.subheader(_("End roll"))


def _roll_bytes(fmt: str, lang: str) -> bytes:
    with session_scope(_ui.engine()) as session:
        return export_roll(build_end_roll(session, production=pid), fmt, lang)


viewer_lang = _ui.language()  # the PDF in the viewer's language; asked before the button (a refusal names why)
pdf_refusal = _ui.query(roll_pdf_refusal, production=pid, lang=viewer_lang, stored=stored)
cols = st.columns(5)
for col, (label, fmt, lang, mime, ext) in zip(cols, [
    (_("Text (日本語)"), "text", "ja", "text/plain", "txt"), (_("Text (English)"), "text", "en", "text/plain", "txt"),
    ("CSV", "csv", "ja", "text/csv", "csv"), ("JSON", "json", "ja", "application/json", "json"),
    ("PDF", "pdf", viewer_lang, "application/pdf", "pdf")], strict=True):  # fmt: skip
    if fmt == "pdf" and pdf_refusal is not None:
        continue
    col.download_button(label, data=partial(_roll_bytes, fmt, lang), file_name=f"end_roll_{pid}_{lang}.{ext}",
                        mime=mime, key=f"roll_{fmt}_{lang}")  # fmt: skip
if pdf_refusal is not None:
    _ui.show_error(pdf_refusal)
