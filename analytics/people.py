"""How the manager views label people: native script with romaji beside it, employment type, main role."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from analytics.queries import people as q

DIRECTORY_COLUMNS = ["person_id", "name", "employment_type", "main_role", "department"]


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


def label(names: pd.DataFrame, employment: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    """One row per person of ``names``. Columns: ``person_id``, ``name`` (:func:`display_name`), ``employment_type``
    (latest employment; ``freelancer`` when none is recorded), ``main_role`` (English name of the role with most
    seconds; ``unassigned`` when none), ``department`` (of that role)."""
    directory = pd.DataFrame(
        {
            "person_id": names["person_id"],
            "name": [
                display_name(*row)
                for row in names[["family_name", "given_name", "display_name", "given_romaji", "family_romaji"]]
                .astype(object)
                .where(names.notna(), None)
                .itertuples(index=False)
            ],
        }
    )
    employment = employment.drop_duplicates("person_id")
    main = roles.sort_values(["person_id", "seconds"], ascending=[True, False]).drop_duplicates("person_id")
    out = directory.merge(employment, on="person_id", how="left").merge(
        main.drop(columns="seconds"), on="person_id", how="left"
    )
    out["employment_type"] = out["employment_type"].fillna("freelancer")
    out["main_role"] = out["main_role"].fillna("unassigned")
    out["department"] = out["department"].fillna("unassigned")
    return out[DIRECTORY_COLUMNS]
