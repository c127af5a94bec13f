"""Merging two records of one person on the People page: choose the other record, see both names and what would move,
confirm, and read the result by name. The write goes through services.people.merge_people (role check, every
reference moved, rollups recomputed, audit)."""

from __future__ import annotations

import streamlit as st

from analytics.people import merge_preview
from analytics.scope import Scope
from app_pages import _safe, _tables, _ui
from data.errors import EndrollError
from data.identity import Identity
from services.people import merge_people


def section(ident: Identity, scope: Scope, *, person_id: int, people: list[int]) -> None:
    """The merge of another of ``people`` into ``person_id`` (the record the page shows, which is kept)."""
    _ = _ui.translator()
    st.subheader(_("Merge another record of this person"))
    if done := st.session_state.pop("merge_done", None):
        st.success(done)
    others = [p for p in people if p != person_id]
    labels = _tables.person_names(others)
    other = st.selectbox(_("The other record (it is merged into this one and removed)"), others, index=None,
                         format_func=labels.get, placeholder=_("Choose the other record"),
                         key="merge_other")  # fmt: skip
    if other is None:
        return
    kept, merged = _safe.md(_tables.person_name(person_id)), _safe.md(labels[other])
    st.info(_("{kept} is kept. Everything recorded under {merged} moves to {kept}, and {merged}'s names stay as "
              "other spellings of {kept}.", kept=kept, merged=merged))  # fmt: skip
    preview = _ui.query(merge_preview, scope=scope, keep_id=person_id, merge_id=int(other))
    _tables.table(preview, "merge_preview", empty=_("Neither record has anything recorded yet."),
                  codes={"item": "person_table"}, downloadable=False)  # fmt: skip
    sure = st.checkbox(_("Both are the same person"), key="merge_sure")
    if st.button(_("Merge {merged} into {kept}", merged=merged, kept=kept), disabled=not sure, key="merge_go"):
        try:
            result = _ui.write(merge_people, ident, keep_id=person_id, merge_id=int(other))
        except EndrollError as exc:
            _ui.show_error(exc)
            return
        moved = sum(result.moved.values())
        # Drawn again from the top, so the lists no longer offer the record merged away.
        st.session_state["merge_done"] = _.ngettext("Merged {merged} into {kept}: {n} record moved.",
                                                    "Merged {merged} into {kept}: {n} records moved.", moved,
                                                    merged=merged, kept=kept, n=moved)  # fmt: skip
        del st.session_state["merge_other"]
        st.rerun()
