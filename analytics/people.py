"""How the manager views label people: native script with romaji beside it, employment type, main role.

One rule names a person everywhere (:func:`shown_name`): the name in native script, family name first and unspaced
as Japanese credits and payrolls write it (``太田智子``, never ``太田 智子``; a name in Latin script is written
given-first and spaced, ``Emily Tanaka``); the romaji beside it when the reader reads English; the pen name instead
when the person asked to be shown by it alone (visibility ``pen_name_only``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.queries import people as q
from analytics.queries import references as refs
from analytics.scope import Scope
from data.names import person_key

DIRECTORY_COLUMNS = ["person_id", "name", "employment_type", "main_role", "department"]
NAME_COLUMNS = ["person_id", "native", "romaji", "kana", "pen_name", "visibility"]


def directory(session: Session, *, people: list[int] | None = None) -> pd.DataFrame:
    """Who each of ``people`` (None: everyone) is, for labels: :func:`label` of
    :func:`analytics.queries.people.directory_rows`."""
    return label(*q.directory_rows(session, people=people))


def display_name(family: str | None, given: str | None, display: str, given_romaji: str | None,
                 family_romaji: str | None) -> str:  # fmt: skip
    """山田花子 (Hanako Yamada): the native name (a Latin name given-first, spaced), romaji beside it when it differs."""
    romaji = " ".join(p for p in (given_romaji, family_romaji) if p)
    native = f"{family or ''}{given or ''}" or display
    if native.isascii():
        native = " ".join(p for p in (given, family) if p) or display
    return f"{native} ({romaji})" if romaji and romaji != native else native


def native_name(family: str | None, given: str | None, display: str | None) -> str:
    """The name in native script: family name then given name, unspaced (山田花子); a Latin-script name given-first
    and spaced (Emily Tanaka); the display name when neither part is recorded."""
    family, given = (family or "").strip(), (given or "").strip()
    native = f"{family}{given}"
    if native and native.isascii():
        return " ".join(p for p in (given, family) if p)
    return native or (display or "").strip()


def shown_name(native: str, romaji: str | None, pen_name: str | None, visibility: str | None, *, language: str) -> str:
    """How a person is shown to a reader of ``language`` (``ja``/``en``): the pen name alone when their visibility is
    ``pen_name_only``, else the native name, with the romaji beside it for an English reader (``山田花子 (Hanako
    Yamada)``) when it differs."""
    if visibility == "pen_name_only" and pen_name:
        return pen_name
    if language == "en" and romaji and romaji != native:
        return f"{native} ({romaji})"
    return native


def name_table(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (:func:`analytics.queries.people.name_rows`) as ``NAME_COLUMNS``: ``native`` (:func:`native_name`),
    ``romaji`` (given name first), ``kana`` (family first, spaced), ``pen_name``, ``visibility``."""
    parts = rows.astype(object).where(rows.notna(), None)
    return pd.DataFrame(
        {
            "person_id": rows["person_id"].astype("int64"),
            "native": [native_name(f, g, d) for f, g, d in zip(parts["family_name"], parts["given_name"],
                                                                parts["display_name"], strict=True)],
            "romaji": [" ".join(p for p in (g, f) if p) for g, f in zip(parts["given_romaji"], parts["family_romaji"],
                                                                        strict=True)],
            "kana": [" ".join(p for p in (f, g) if p) for f, g in zip(parts["family_kana"], parts["given_kana"],
                                                                      strict=True)],
            "pen_name": parts["pen_name"],
            "visibility": parts["visibility"],
        },
        columns=NAME_COLUMNS,
    )  # fmt: skip


def name_order(session: Session) -> pd.DataFrame:
    """Everyone by name: ``person_id``, ``name`` (:func:`display_name`, as :func:`directory` names them), sorted by
    name (ties in id order). Reads the names only, not the employment and roles :func:`directory` adds."""
    rows = q.name_rows(session)
    parts = rows[["family_name", "given_name", "display_name", "given_romaji", "family_romaji"]]
    parts = parts.astype(object).where(parts.notna(), None)
    out = pd.DataFrame({"person_id": rows["person_id"].astype("int64"),
                        "name": [display_name(*row) for row in parts.itertuples(index=False)]})  # fmt: skip
    return out.sort_values("name", kind="stable", ignore_index=True)


def names(session: Session, *, people: list[int] | None = None) -> pd.DataFrame:
    """The names of ``people`` (None: everyone) for :func:`shown_name`: :func:`name_table` of
    :func:`analytics.queries.people.name_rows`."""
    return name_table(q.name_rows(session, people=people))


def label(names: pd.DataFrame, employment: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    """One row per person of ``names``. Columns: ``person_id``, ``name`` (:func:`display_name`), ``employment_type``
    (latest employment; ``freelancer`` when none is recorded), ``main_role`` (English name of the role with most
    seconds; ``unassigned`` when none), ``department`` (of that role)."""
    directory = pd.DataFrame(
        {
            # Typed for no one too: an empty directory then merges into a page's frames as a full one does.
            "person_id": names["person_id"].astype("int64"),
            "name": pd.Series(
                [
                    display_name(*row)
                    for row in names[["family_name", "given_name", "display_name", "given_romaji", "family_romaji"]]
                    .astype(object)
                    .where(names.notna(), None)
                    .itertuples(index=False)
                ],
                index=names.index,
                dtype="str",
            ),
        }
    )
    employment = employment.drop_duplicates("person_id")
    main = roles.sort_values(["person_id", "seconds"], ascending=[True, False]).drop_duplicates("person_id")
    out = directory.merge(employment, on="person_id", how="left").merge(
        main.drop(columns="seconds"), on="person_id", how="left"
    )
    # As text whatever was found: a few people's rows may hold no contract or role at all (an empty frame's object
    # columns), and their directory must merge into a page's frames as everyone's does.
    out["employment_type"] = out["employment_type"].fillna("freelancer").astype("str")
    out["main_role"] = out["main_role"].fillna("unassigned").astype("str")
    out["department"] = out["department"].fillna("unassigned").astype("str")
    return out[DIRECTORY_COLUMNS]


def name_directory(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Everyone's names (:func:`names`), for labelling people on the manager pages and finding a person by name
    (managers only)."""
    ensure_role(scope.viewer, "manager")
    return names(session)


def spelling_keys(row: Any) -> set[str]:
    """The match keys (:func:`data.names.person_key`) of every spelling of one person's row of
    :func:`analytics.queries.people.spelling_rows`: each name field, family+given and given+family in every script,
    the pen name, the email and the alias keys."""
    get = {k: (v if isinstance(v, str) else "") for k, v in row.items() if k != "alias_keys"}
    texts = [get.get(k, "") for k in ("display_name", "pen_name", "email", "family_name", "given_name")]
    for family, given in (("family_name", "given_name"), ("family_kana", "given_kana"),
                          ("family_romaji", "given_romaji"), ("family_romaji_ascii", "given_romaji_ascii")):  # fmt: skip
        texts += [get.get(family, "") + get.get(given, ""), get.get(given, "") + get.get(family, "")]
    keys = {person_key(t) for t in texts if t}
    aliases = row.get("alias_keys")
    keys.update(a for a in (aliases if isinstance(aliases, list) else []) if a)
    return keys - {""}


def matching(spellings: pd.DataFrame, text: str) -> list[int]:
    """The ids of the people of ``spellings`` (:func:`analytics.queries.people.spelling_rows`) whose spellings
    contain ``text`` once both are match keys (so 森 裕 finds 森裕, もり finds もり ゆう, mori finds Mori Yū):
    exact matches first, then the rest, each in id order. Blank text matches nobody. One search; many searches of
    the same people build :func:`spelling_pairs` once and use :func:`find_in_index`."""
    return find_in_index(spelling_pairs(spellings), text)


def spelling_pairs(spellings: pd.DataFrame) -> pd.DataFrame:
    """Every match key of every person of ``spellings`` (:func:`analytics.queries.people.spelling_rows`), one row
    per person and key: ``person_id``, ``key`` (:func:`spelling_keys`), in person order."""
    pairs = [(int(row["person_id"]), key) for row in spellings.to_dict("records") for key in sorted(spelling_keys(row))]
    return pd.DataFrame(pairs, columns=["person_id", "key"]).astype({"person_id": "int64", "key": object})


def spelling_index(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Everyone's match keys (:func:`spelling_pairs`) for :func:`find_in_index` (managers only): built once and
    searched many times, where :func:`find_people` computes every key again for each text (seconds for a studio
    of thousands)."""
    ensure_role(scope.viewer, "manager")
    return spelling_pairs(q.spelling_rows(session))


def find_in_index(index: pd.DataFrame, text: str) -> list[int]:
    """The people of ``index`` (:func:`spelling_pairs`, :func:`spelling_index`) with a key containing ``text``'s match
    key: exact matches first, then the rest, each in the index's person order (id order as read); blank text matches
    nobody."""
    key = person_key(text or "")
    if not key:
        return []
    keys = index["key"].astype(str)
    exact = list(dict.fromkeys(int(p) for p in index.loc[keys == key, "person_id"]))
    found = dict.fromkeys(int(p) for p in index.loc[keys.str.contains(key, regex=False), "person_id"])
    return exact + [p for p in found if p not in set(exact)]


def find_people(session: Session, *, scope: Scope, text: str) -> list[int]:
    """The people whose any spelling matches ``text`` (:func:`matching`); managers only."""
    ensure_role(scope.viewer, "manager")
    return matching(q.spelling_rows(session), text)


def person_fields(session: Session, *, scope: Scope, person_id: int) -> dict[str, Any]:
    """What the People page's form shows of one person (:func:`analytics.queries.people.person_fields`); managers
    only."""
    ensure_role(scope.viewer, "manager")
    return q.person_fields(session, person_id)


def person_entries(session: Session, *, scope: Scope, person_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One person's work-log entries and pay items (:func:`analytics.queries.people.entry_rows`); managers only."""
    ensure_role(scope.viewer, "manager")
    return q.entry_rows(session, person_id)


MERGE_COLUMNS = ["item", "on_kept_record", "moving"]


def merge_preview(session: Session, *, scope: Scope, keep_id: int, merge_id: int) -> pd.DataFrame:
    """What a merge of ``merge_id`` into ``keep_id`` moves, per table that refers to people
    (:func:`analytics.queries.references.reference_counts`; rollups left out, they are recomputed). Columns: ``item``
    (the table's name), ``on_kept_record`` and ``moving`` (rows of each record); tables neither has are left out.
    Managers only."""
    ensure_role(scope.viewer, "manager")
    kept = refs.reference_counts(session, person_id=keep_id)
    moving = refs.reference_counts(session, person_id=merge_id)
    items = [ref.name for ref in refs.person_columns() if ref.name in kept or ref.name in moving]
    return pd.DataFrame(
        {"item": items, "on_kept_record": [kept.get(i, 0) for i in items], "moving": [moving.get(i, 0) for i in items]},
        columns=MERGE_COLUMNS,
    )


def contracts(session: Session, *, scope: Scope, person_id: int) -> pd.DataFrame:
    """One person's employment contracts (:func:`analytics.queries.people.contract_rows`); managers only."""
    ensure_role(scope.viewer, "manager")
    return q.contract_rows(session, person_id)


def contract_form(session: Session, *, scope: Scope, contract_id: int) -> dict[str, str]:
    """The cells of one contract as the employment import writes them (what the People page's form shows); managers
    only."""
    ensure_role(scope.viewer, "manager")
    return q.contract_cells(session, contract_id)
