"""Names to review, for managers: every name an import could not match to exactly one of the studio's people (a
timesheet's unknown or ambiguous name, a public credit's unconfirmed name match), settled as one of our people (found
by any spelling), a new person, or not ours. Every decision goes through services.name_review (role check, audit)."""

from __future__ import annotations

import streamlit as st

from analytics.name_review import names_to_review
from analytics.people import find_people
from analytics.scope import Scope
from app_pages import _safe, _tables, _ui
from data.errors import EndrollError
from services.name_review import resolve_name

ident = _ui.require("manager")
_ = _ui.translator()
st.title(_("Names to review"))
st.caption(_("Names an import could not match to exactly one of our people. Say who each one is: one of our people, "
             "a new person, or not ours. Nothing is guessed."))  # fmt: skip
scope = Scope(viewer=ident).for_role()
for kind, text in st.session_state.pop("names_done", []):
    (st.success if kind == "success" else st.info)(text)

queue = _ui.query(names_to_review, scope=scope)
candidates = _tables.person_names({p for ids in queue["candidates"] for p in ids})
shown = queue.assign(candidates=[", ".join(candidates[p] for p in ids) for ids in queue["candidates"]])
shown = shown.rename(columns={"name": "name_as_written"})
if not _tables.table(shown, "names_to_review", hide=("item",), codes={"source": "name_source"},
                     empty=_("No names are waiting for review: every imported name matched one person.")):  # fmt: skip
    st.stop()

rows = {r["item"]: r for r in queue.to_dict("records")}
sources = {"timesheet": _("Timesheet import"), "public_credit": _("Public credits")}
item = st.selectbox(_("Name"), list(rows), key="names_item",
                    format_func=lambda i: f"{rows[i]['name']} · {sources[rows[i]['source']]} · {rows[i]['origin']}")  # fmt: skip
row = rows[item]
name = _safe.md(row["name"])
choices = {"person": _("One of our people"), "new_person": _("A new person"), "not_ours": _("Not ours")}
decision = st.radio(_("Who is {name}?", name=name), list(choices), format_func=choices.get, key="names_decision",
                    horizontal=True)  # fmt: skip

person_id, values, confirm = None, None, ""
if decision == "person":
    text = st.text_input(_("Find the person"), value=row["name"], key=f"names_find_{item}",
                         placeholder=_("Any spelling: kanji, kana, romaji, pen name or alias"))  # fmt: skip
    found = _ui.query(find_people, scope=scope, text=text) if text.strip() else []
    options = list(dict.fromkeys([*row["candidates"], *found]))
    if not options:
        st.info(_("Nobody is known by that spelling. Try another spelling, or add a new person."))
        st.stop()
    labels = _tables.person_names(options)
    person_id = st.selectbox(_("Person"), options, format_func=labels.get, key=f"names_person_{item}")
    confirm = _("{name} is {person}", name=name, person=_safe.md(_tables.person_name(person_id)))
elif decision == "new_person":
    cols = st.columns(2)
    values = {
        "display_name": cols[0].text_input(_("Credited as"), value=row["name"], key=f"names_new_display_{item}"),
        "family_name": cols[1].text_input(_("Family name"), key=f"names_new_family_{item}"),
        "given_name": cols[0].text_input(_("Given name"), key=f"names_new_given_{item}"),
        "email": cols[1].text_input(_("Email"), value=row["email"] or "", key=f"names_new_email_{item}"),
    }
    confirm = _("{name} is a new person, {person}", name=name, person=_safe.md(values["display_name"]))
else:
    confirm = _("{name} is not one of our people", name=name)

st.markdown(_("**To confirm:** {what}.", what=confirm))
if st.button(_("Confirm"), key="names_settle", type="primary"):
    try:
        done = _ui.write(resolve_name, ident, item=item, decision=decision, person_id=person_id, values=values)
    except EndrollError as exc:
        _ui.show_error(exc)
        st.stop()
    who = _safe.md(done.person_name)
    if done.person_id is None:
        said = [("success", _.ngettext("{name} is set aside as not ours ({n} row or credit line).",
                                       "{name} is set aside as not ours ({n} rows or credit lines).", done.rows,
                                       name=name, n=done.rows))]  # fmt: skip
    elif row["source"] == "public_credit":
        said = [("success", _.ngettext("{name} is now {person}: {n} public credit line confirmed.",
                                       "{name} is now {person}: {n} public credit lines confirmed.", done.rows,
                                       name=name, person=who, n=done.rows))]  # fmt: skip
    elif decision == "new_person":
        said = [("success", _("{person} is added as a new person; the next import of {name} goes to them.", name=name,
                              person=who))]  # fmt: skip
    else:
        said = [("success", _("{name} is now {person}; the next import of that name goes to them.", name=name,
                              person=who))]  # fmt: skip
    if done.files:
        files = ("、" if _ui.language() == "ja" else ", ").join(_safe.md(f) for f in done.files)
        said.append(("info", _.ngettext("Import {files} again on the Import page to bring in the {n} row it refused; "
                                        "the rows already imported stay as they are.",
                                        "Import {files} again on the Import page to bring in the {n} rows it refused; "
                                        "the rows already imported stay as they are.", done.rows, files=files,
                                        n=done.rows)))  # fmt: skip
    # Shown after the rerun, so the queue above no longer lists the name just settled.
    st.session_state["names_done"] = said
    st.rerun()
