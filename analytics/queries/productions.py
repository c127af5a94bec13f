"""Productions and departments by name: what a command line's ``--production`` and ``--department`` mean, and
the sidebar's choices."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from analytics.errors import AnalyticsError, ProductionNotFound
from data.i18n import N_
from data.schema import Production, Role


def production_ids(session: Session, refs: Iterable[str | int]) -> tuple[int, ...]:
    """The ids of the productions given by id, title, romaji or English title (what a Scope holds).

    ProductionNotFound names the first reference that matches nothing and some titles that exist.
    """
    ids = []
    for ref in refs:
        pid = production_id(session, ref)
        if pid is not None:
            ids.append(pid)
    return tuple(ids)


def production_id(session: Session, production: str | int | None) -> int | None:
    """The id of one production given by id, title, romaji or English title; None passes through."""
    if production is None or isinstance(production, int):
        return production
    text = str(production).strip()
    if text.isdigit():
        return int(text)
    row = session.execute(
        select(Production.id).where(
            (Production.title == text) | (Production.title_romaji == text) | (Production.title_en == text)
        )
    ).first()
    if row is None:
        known = session.scalars(select(Production.title).order_by(Production.title).limit(20)).all()
        raise ProductionNotFound(
            N_("no production titled {title!r}"),
            fix={
                "cli": N_("pass one of the titles (or its id); known titles include: {known}"),
                "page": N_("choose one of the productions in the sidebar"),
            },
            title=text,
            known=", ".join(known) or "(none)",
        )
    return row[0]


def departments(session: Session, names: Iterable[str]) -> tuple[str, ...]:
    """``names`` checked against the departments of the role taxonomy; AnalyticsError names one that is unknown."""
    known = set(session.scalars(select(Role.department).distinct()))
    for name in names:
        if name not in known:
            raise AnalyticsError(
                N_("no department {name!r}"),
                fix={"cli": N_("choose from {known}"), "page": N_("choose a department in the sidebar")},
                name=name,
                known=", ".join(sorted(known)),
            )
    return tuple(names)


def filter_options(session: Session) -> pd.DataFrame:
    """Choices for the dashboard's sidebar. Columns: ``kind`` (production/department), ``value`` (the production id
    as text, or the department), ``label`` (native title with romaji beside it; the department in words),
    ``title`` (a production's native title alone; the department's code)."""
    productions = session.execute(
        select(literal("production"), Production.id, Production.title, Production.title_romaji).order_by(Production.id)
    ).all()
    # From the taxonomy, not from work_log: a DISTINCT over millions of rows is not worth a filter list.
    departments = session.execute(select(Role.department).distinct().order_by(Role.department)).scalars()
    rows = [
        ("production", str(pid), f"{title} ({romaji})" if romaji and romaji != title else title, title)
        for _, pid, title, romaji in productions
    ]
    rows += [("department", d, d.replace("_", " "), d) for d in departments]
    return pd.DataFrame(rows, columns=["kind", "value", "label", "title"])
