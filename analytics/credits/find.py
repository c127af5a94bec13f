"""Finding credit lines by what a person types: a line's number, or any part of its role or name."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def squeezed(values: pd.Series) -> pd.Series:
    """``values`` as text with case and spaces ignored, as a person types a name: 山田花子 finds 山田 花子, douga finds
    Douga."""
    return values.astype("string").fillna("").str.replace(r"[\s\u3000]+", "", regex=True).str.casefold()


def lines_matching(lines: pd.DataFrame, text: str, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of ``lines`` (a ``credit_line_id`` and the text ``columns``) whose number is ``text`` (a leading #
    allowed) or whose ``columns`` contain it, case and spaces ignored, in their order; blank ``text``: all of them."""
    wanted = "".join(text.split()).casefold()
    if not wanted:
        return lines
    hit = (lines["credit_line_id"].astype("Int64").astype("string") == wanted.lstrip("#")).fillna(False)
    for column in columns:
        hit |= squeezed(lines[column]).str.contains(wanted, regex=False).fillna(False)
    return lines[hit.to_numpy(dtype=bool)]
