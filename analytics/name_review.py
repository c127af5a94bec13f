"""Names to review: every name an import could not match to exactly one of the studio's people, in one queue for a
manager to settle (an existing person, a new person, or not ours).

Two sources feed it: a timesheet's unknown or ambiguous name (the import refused its rows and queued it,
:mod:`data.importers.matching`), and a public credit whose name matches one of the studio's people but was never
confirmed (:func:`analytics.credits.review.review_queue`: a name match alone links nobody).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.credits.review import review_queue
from analytics.queries.name_review import timesheet_names
from analytics.scope import Scope

COLUMNS = ["item", "source", "name", "email", "origin", "rows", "candidates"]


def timesheet_item(review_id: int) -> str:
    """The queue's key of a timesheet name (its oldest open review)."""
    return f"timesheet:{review_id}"


def credit_item(name: str) -> str:
    """The queue's key of a public credit's name as credited."""
    return f"credit:{name}"


def queue(timesheets: list[dict], credits: pd.DataFrame) -> pd.DataFrame:
    """One row per name to review, timesheet names first. Columns: :data:`COLUMNS`: ``item`` the key the resolution
    takes, ``source`` ``timesheet`` or ``public_credit``, ``name`` as written, ``email`` (timesheets), ``origin`` the file
    or the productions it was read in, ``rows`` the rows refused (timesheets) or the credit lines (credits),
    ``candidates`` the ids of the people it could be."""
    rows = [{"item": timesheet_item(t["review_id"]), "source": "timesheet", "name": t["name"], "email": t["email"],
             "origin": t["filename"] or "", "rows": t["rows"], "candidates": list(t["candidates"])}
            for t in timesheets]  # fmt: skip
    if not credits.empty:
        for name, part in credits.groupby("name_as_credited", sort=True):
            rows.append({"item": credit_item(str(name)), "source": "public_credit", "name": str(name), "email": None,
                         "origin": ", ".join(sorted({str(p) for p in part["production"]})),
                         "rows": int(part["credit_line_id"].nunique()),
                         "candidates": sorted({int(p) for p in part["person_id"]})})  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def names_to_review(session: Session, *, scope: Scope) -> pd.DataFrame:
    """The queue (:func:`queue`) of open timesheet names and unconfirmed public-credit names; managers only."""
    ensure_role(scope.viewer, "manager")
    return queue(timesheet_names(session), review_queue(session, scope=scope))
