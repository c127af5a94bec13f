"""A person found through the spelling index (built once, searched many times; :func:`matching` is one search of it)
is the person a row-by-row test of every spelling finds, in the same order: kanji, kana, romaji in either order, pen names and alias keys (pure: no database)."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.people import find_in_index, matching, spelling_keys, spelling_pairs
from data.names import person_key

SPELLINGS = pd.DataFrame(
    [
        {"person_id": 3, "family_name": "小林", "given_name": "陽菜", "display_name": "小林陽菜", "family_romaji": "Kobayashi",
         "given_romaji": "Hina", "family_romaji_ascii": "Kobayashi", "given_romaji_ascii": "Hina",
         "family_kana": "こばやし", "given_kana": "ひな", "pen_name": None, "email": None, "alias_keys": ["こばやしひな"]},
        {"person_id": 1, "family_name": "髙橋", "given_name": "一郎", "display_name": "髙橋一郎", "family_romaji": "Takahashi",
         "given_romaji": "Ichirō", "family_romaji_ascii": "Takahashi", "given_romaji_ascii": "Ichiro",
         "family_kana": "たかはし", "given_kana": "いちろう", "pen_name": "いっちー", "email": "ichiro@example.jp",
         "alias_keys": None},
        {"person_id": 2, "family_name": "小林", "given_name": None, "display_name": "小林", "family_romaji": None,
         "given_romaji": None, "family_romaji_ascii": None, "given_romaji_ascii": None, "family_kana": None,
         "given_kana": None, "pen_name": None, "email": None, "alias_keys": ["kobayashi studio"]},
    ]
)  # fmt: skip


@pytest.mark.parametrize(
    "text", ["小林", "小林 陽菜", "kobayashi", "Hina Kobayashi", "こばやし", "takahashi ichiro", "Ichirō", "いっちー",
             "高橋", "nobody", "", "  ", "KOBAYASHI STUDIO"],
)  # fmt: skip
def test_the_index_finds_whom_each_row_tested_alone_finds(text: str) -> None:
    assert find_in_index(spelling_pairs(SPELLINGS), text) == _row_by_row(SPELLINGS, text)
    assert matching(SPELLINGS, text) == _row_by_row(SPELLINGS, text)


def _row_by_row(spellings: pd.DataFrame, text: str) -> list[int]:
    # The search as it was written before the index, one person's keys at a time: exact first, then the rest.
    key = person_key(text or "")
    if not key:
        return []
    exact, partial = [], []
    for row in spellings.to_dict("records"):
        keys = spelling_keys(row)
        if key in keys:
            exact.append(int(row["person_id"]))
        elif any(key in k for k in keys):
            partial.append(int(row["person_id"]))
    return exact + partial


def test_exact_matches_come_first_then_the_rest_in_the_spellings_order() -> None:
    index = spelling_pairs(SPELLINGS)
    assert find_in_index(index, "studio") == [2]  # an alias key
    assert find_in_index(index, "kobayashi") == [3, 2]  # a part of each: as the spellings list them
    assert find_in_index(index, "hina") == [3]
    assert find_in_index(spelling_pairs(SPELLINGS.iloc[:0]), "小林") == []
