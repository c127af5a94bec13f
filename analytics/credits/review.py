"""The review of public credits, as the pages show it: the suggestions and claims waiting for a manager, an artist's
own suggestions, and the person-or-organization call on each line of a production with its evidence.

Codes stored with a line (``entity_basis``) are shown as words: :data:`BASIS_LABELS` marks them for the catalogs.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_can_view_person, ensure_role
from analytics.queries.credit_review import SUGGESTION_COLUMNS, entity_call_rows, suggestion_rows
from analytics.scope import Scope
from data.i18n import N_

BASIS_LABELS = {
    "override": N_("a manager's call"),
    "column": N_("the file says so"),
    "marker": N_("shown as a logo ([ロゴ])"),
    "legal_form": N_("a legal form in the name"),
    "person_record": N_("one of the studio's people has this name"),
    "lexicon": N_("a known organization (lexicon)"),
    "org_word": N_("an organization word in the name"),
    "known_org": N_("an organization of this database"),
    "import": N_("an organization elsewhere in the same import"),
    "default": N_("no organization evidence"),
}
STATUS_LABELS = {"suggested": N_("suggested"), "claimed": N_("claimed by the artist")}
ENTITY_COLUMNS = ["credit_line_id", "role_as_credited", "name_as_credited", "organization", "entity_basis",
                  "entity_reason", "source"]  # fmt: skip


def review_queue(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Public credits that may name the studio's people, waiting for a manager (managers only), in the scope's
    productions (all when it names none) and for its people (everyone when it names none). Columns:
    :data:`analytics.queries.credit_review.SUGGESTION_COLUMNS` (``status``: suggested or claimed)."""
    ensure_role(scope.viewer, "manager")
    rows = suggestion_rows(
        session,
        person_ids=list(scope.people) if scope.people else None,
        production_ids=list(scope.productions) if scope.productions else None,
    )
    return pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS))


def my_suggestions(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Public credits that may be the scope's one person's (the artist themself, or a manager looking): name
    matches and their own claims, not yet confirmed or rejected. Columns as :func:`review_queue`."""
    person_id = scope.person
    ensure_can_view_person(scope.viewer, person_id)
    return pd.DataFrame(suggestion_rows(session, person_ids=[person_id]), columns=list(SUGGESTION_COLUMNS))


def entity_calls(session: Session, *, scope: Scope) -> pd.DataFrame:
    """The scope's one production's credit lines with the person-or-organization call on each and its evidence
    (managers only). Columns: :data:`ENTITY_COLUMNS` (``organization`` bool; ``entity_basis`` a code of
    :data:`BASIS_LABELS`, ``entity_reason`` the evidence as found)."""
    ensure_role(scope.viewer, "manager")
    return entity_call_rows(session, production_id=scope.production)[ENTITY_COLUMNS]
