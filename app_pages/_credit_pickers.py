"""Choosers of the Credits page that stay small at any size of studio: a person is found by any spelling and a line by
its number, role or name, and at most :data:`LIMIT` options are drawn, with how many more were found said in words.
A choice list of every person (thousands) or every credit line (tens of thousands) took seconds to build and draw
on each run of the page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from analytics.credits.find import lines_matching
from analytics.people import find_in_index, spelling_index
from analytics.scope import Scope
from app_pages import _ui

LIMIT = 200  # options drawn in one chooser


def _more(found: int, shown: int, *, people: bool) -> None:
    if found <= shown:
        return
    _ = _ui.translator()
    if people:
        st.caption(_("{shown} of {found} people shown: type more of the name to narrow the list.", shown=f"{shown:,}",
                     found=f"{found:,}"))  # fmt: skip
    else:
        st.caption(_("{shown} of {found} lines shown: type more of the number, role or name to narrow the list.",
                     shown=f"{shown:,}", found=f"{found:,}"))  # fmt: skip


def people_options(key: str, everyone: Sequence[int], *, keep: Iterable[int | None] = ()) -> list[int]:
    """The person ids a chooser offers: a search field (key ``key``) that finds people by any spelling (kanji, kana,
    romaji, pen name or alias; :func:`analytics.people.find_in_index`); blank, ``everyone`` in its order. At most
    :data:`LIMIT` of them, after ``keep`` (the ones already chosen or named by a finding), which are always offered
    when they are among ``everyone``."""
    _ = _ui.translator()
    text = st.text_input(_("Find a person"), key=key,
                         placeholder=_("Any spelling: kanji, kana, romaji, pen name or alias"))  # fmt: skip
    allowed = set(everyone)
    if text.strip():
        # Everyone's spellings indexed once (cached), then searched: computing them for each text took seconds.
        index = _ui.query(spelling_index, scope=Scope(viewer=_ui.identity()).for_role())
        found = [p for p in find_in_index(index, text) if p in allowed]
        if not found:
            st.caption(_("Nobody is known by that spelling."))
    else:
        found = list(everyone)
    kept = [p for p in dict.fromkeys(int(k) for k in keep if k is not None) if p in allowed]
    shown = kept + [p for p in found[:LIMIT] if p not in kept]
    _more(len(found), LIMIT, people=True)
    return shown


def line_rows(key: str, lines: pd.DataFrame, columns: Sequence[str], *, keep: pd.Series | None = None) -> pd.DataFrame:
    """The rows of ``lines`` (a ``credit_line_id`` and text ``columns``: role, name …) a line chooser offers: a search
    field (key ``key``) that keeps the lines whose number is the text typed or whose ``columns`` contain it (case and
    spaces ignored); blank, all of them in their order. At most :data:`LIMIT`, after the rows ``keep`` marks (the
    one chosen now), always offered."""
    _ = _ui.translator()
    text = st.text_input(_("Find a line"), key=key, placeholder=_("Its number, role or name"))
    found = lines_matching(lines, text, columns)
    if text.strip() and found.empty:
        st.caption(_("No line has that number, role or name."))
    shown = found.head(LIMIT) if keep is None else pd.concat([lines[keep.to_numpy(dtype=bool)], found.head(LIMIT)])
    _more(len(found), LIMIT, people=False)
    return shown[~shown.index.duplicated()]
