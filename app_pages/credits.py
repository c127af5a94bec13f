"""Credits: validator findings per production, fixes (link a placeholder to a person, complete ほか lists, record
uncredited individuals) and the end roll as text, CSV, JSON or PDF."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from analytics.credits.endroll import build_end_roll, export_roll, roll_pdf_refusal
from analytics.dashboard import credits_view
from analytics.queries.productions import filter_options
from analytics.scope import Scope
from app_pages import _ui
from data.engine import session_scope
from data.errors import EndrollError
from services.credit_fixes import (
    mark_individuals_uncredited,
    record_incomplete_list_reason,
    replace_and_others,
    repoint_credit_line,
)

ident = _ui.require("manager")
options = _ui.query(filter_options)
productions = options[options["kind"] == "production"]
st.title("Credits")
if productions.empty:
    st.info("No productions yet. Import credits (MADB JSON-LD, credit-roll text or the canonical CSV) on Import.")
    st.stop()
labels = dict(zip(productions["value"].astype(int), productions["label"], strict=True))
pid = st.selectbox("Production", list(labels), format_func=labels.get, key="credits_production")
try:
    with st.spinner("Validating the credits and cross-checking labor records…"):
        view = _ui.query(credits_view, scope=Scope(productions=(pid,), viewer=ident).for_role())
except EndrollError as exc:
    _ui.show_error(exc)
    st.stop()

f = view.findings
errors = int((f["severity"] == "ERROR").sum()) if not f.empty else 0
c = st.columns(3)
c[0].metric("Credit lines checked", f"{view.credits_checked:,}")
c[1].metric("Errors", f"{errors:,}")
c[2].metric("Warnings", f"{int((f['severity'] == 'WARN').sum()) if not f.empty else 0:,}")
if errors:
    st.warning("This roll has errors: it exports only as a watermarked DRAFT until they are fixed.")
_ui.table(view.counts, "credit_findings_by_rule", empty="No findings: every credit names a person.")
_ui.table(f, "credit_findings", empty="")


def _fix(fix: Callable[..., object], **kwargs: Any) -> None:
    if _ui.try_write(fix, ident, **kwargs):
        st.success("Fixed. The audit log keeps the old values.")
        st.rerun()


fixable = f[f["credit_line_id"].notna()] if not f.empty else f
if not fixable.empty:
    st.subheader("Fix a credit line")
    ids = fixable.drop_duplicates("credit_line_id")
    line_labels = {int(r.credit_line_id): f"#{int(r.credit_line_id)} {r.role}: {r.name} — {r.rule}"
                   for r in ids.itertuples()}  # fmt: skip
    line_id = st.selectbox("Line", list(line_labels), format_func=line_labels.get, key="fix_line")
    people = dict(zip(view.people["person_id"], view.people["name"], strict=True))
    how = st.radio("Fix", ["Link to the person who did the work", "Replace ほか / and others with the full list",
                           "Record why the list is incomplete", "Record that the studio's individuals go uncredited"],
                   key="fix_how")  # fmt: skip
    with st.form("fix"):
        if how.startswith("Link"):
            person = st.selectbox("Person", list(people), format_func=people.get, key="fix_person")
        elif how.startswith("Replace"):
            chosen = st.multiselect("People, in credit order", list(people), format_func=people.get, key="fix_list")
        else:
            reason = st.text_input("Reason", key="fix_reason")
        if st.form_submit_button("Apply fix"):
            if how.startswith("Link"):
                _fix(repoint_credit_line, credit_line_id=line_id, person_id=int(person))
            elif how.startswith("Replace"):
                _fix(replace_and_others, credit_line_id=line_id, entries=[int(p) for p in chosen])
            elif how.startswith("Record why"):
                _fix(record_incomplete_list_reason, credit_line_id=line_id, reason=reason)
            else:
                _fix(mark_individuals_uncredited, credit_line_id=line_id, reason=reason)

st.subheader("End roll")


def _roll_bytes(fmt: str, lang: str) -> bytes:
    with session_scope(_ui.engine()) as session:
        return export_roll(build_end_roll(session, production=pid), fmt, lang)


viewer_lang = _ui.language()  # the PDF in the viewer's language; asked before the button (a refusal names why)
pdf_refusal = _ui.query(roll_pdf_refusal, production=pid, lang=viewer_lang)
cols = st.columns(5)
for col, (label, fmt, lang, mime, ext) in zip(cols, [
    ("Text (日本語)", "text", "ja", "text/plain", "txt"), ("Text (English)", "text", "en", "text/plain", "txt"),
    ("CSV", "csv", "ja", "text/csv", "csv"), ("JSON", "json", "ja", "application/json", "json"),
    ("PDF", "pdf", viewer_lang, "application/pdf", "pdf")], strict=True):  # fmt: skip
    if fmt == "pdf" and pdf_refusal is not None:
        continue
    col.download_button(label, data=partial(_roll_bytes, fmt, lang), file_name=f"end_roll_{pid}_{lang}.{ext}",
                        mime=mime, key=f"roll_{fmt}_{lang}")  # fmt: skip
if pdf_refusal is not None:
    _ui.show_error(pdf_refusal)
