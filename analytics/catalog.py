"""The Productions page's views: productions, their episodes and cuts, and the roles worked on them (managers only).
SQL in :mod:`analytics.queries.catalog`."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.queries import catalog as q
from analytics.scope import Scope


def productions(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Every production (:func:`analytics.queries.catalog.production_rows`)."""
    ensure_role(scope.viewer, "manager")
    return q.production_rows(session)


def episodes(session: Session, *, scope: Scope, production_id: int) -> pd.DataFrame:
    """One production's episodes (:func:`analytics.queries.catalog.episode_rows`)."""
    ensure_role(scope.viewer, "manager")
    return q.episode_rows(session, production_id)


def cuts(session: Session, *, scope: Scope, episode_id: int) -> pd.DataFrame:
    """One episode's cuts (:func:`analytics.queries.catalog.cut_rows`)."""
    ensure_role(scope.viewer, "manager")
    return q.cut_rows(session, episode_id)


def roles_worked(session: Session, *, scope: Scope, production_id: int) -> pd.DataFrame:
    """The roles and departments worked on one production (:func:`analytics.queries.catalog.role_rows`)."""
    ensure_role(scope.viewer, "manager")
    return q.role_rows(session, production_id)
