"""The AI use page's view: AI-assisted shares, cuts, adoption, the ledger with its named operators, and AI use that
names no human operator, all for the sidebar's :class:`~analytics.scope.Scope` (managers only)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.ai_share import adoption_effect, ai_share, cut_share, unattributed_ai_use
from analytics.people import display_name
from analytics.queries.ai import ledger_rows
from analytics.scope import Scope

LEDGER_ROWS = 2000
LEDGER_COLUMNS = ["created_at", "production", "episode", "cut", "stage", "tool", "person_id", "operator",
                  "post_editors", "digital_source_type", "asset_path"]  # fmt: skip


@dataclass(frozen=True)
class AiUseView:
    """The AI use page.

    ``by_month`` / ``by_department`` / ``by_production``: :func:`analytics.ai_share.ai_share` columns.
    ``cuts``: :func:`analytics.ai_share.cut_share` columns. ``adoption``: :func:`analytics.ai_share.adoption_effect`.
    ``ledger``: ``created_at``, ``production``, ``episode``, ``cut``, ``stage``, ``tool`` (service name and version),
    ``person_id`` and ``operator`` (the operator's id and native name with romaji), ``post_editors`` (count), ``digital_source_type``, ``asset_path`` —
    latest first, at most ``LEDGER_ROWS``. ``ledger_total``: all ledger rows in scope. ``unattributed``:
    :func:`analytics.ai_share.unattributed_ai_use`.
    """

    by_month: pd.DataFrame
    by_department: pd.DataFrame
    by_production: pd.DataFrame
    cuts: pd.DataFrame
    adoption: pd.DataFrame
    ledger: pd.DataFrame
    ledger_total: int
    unattributed: pd.DataFrame


def ai_ledger(session: Session, *, scope: Scope, limit: int = LEDGER_ROWS) -> tuple[pd.DataFrame, int]:
    """The AI-usage ledger in scope with tool and operator names, latest first (:func:`ledger_table`); and the
    number of records in scope."""
    rows, total = ledger_rows(session, scope=scope, limit=limit)
    return ledger_table(rows), total


def ledger_table(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (:func:`analytics.queries.ai.ledger_rows`) with the tool and the operator named. Columns as in
    :class:`AiUseView` ``ledger``."""
    names = ["family_name", "given_name", "display_name", "given_romaji", "family_romaji"]
    people = rows[names].astype(object).where(rows[names].notna(), None)
    out = rows.assign(
        tool=[f"{s} {v or ''}".strip() for s, v in zip(rows["service"], rows["version"], strict=True)],
        operator=[display_name(*p) for p in people.itertuples(index=False)],
        post_editors=rows["post_editors"].fillna(0).astype(int),
    )
    return out[LEDGER_COLUMNS]


def ai_use_view(session: Session, *, scope: Scope) -> AiUseView:
    """Everything the AI use page shows for ``scope``: the scope's rows by month, department and production, the
    cuts of its productions, adoption in its departments, its ledger records and its AI use without an operator."""
    ensure_role(scope.viewer, "manager")
    ledger, total = ai_ledger(session, scope=scope)
    return AiUseView(
        by_month=ai_share(session, scope=scope, by=("month",)),
        by_department=ai_share(session, scope=scope, by=("department",)),
        by_production=ai_share(session, scope=scope, by=("production",)),
        cuts=cut_share(session, scope=scope),
        adoption=adoption_effect(session, scope=scope),
        ledger=ledger,
        ledger_total=total,
        unattributed=unattributed_ai_use(session, scope=scope),
    )
