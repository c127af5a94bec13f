"""Discretionary work (裁量労働制, LSA Art. 38-3 professional type, Art. 38-4 planning type): the contract's deemed
hours count instead of the hours worked, for the roles the ordinance lists and with the employee's written consent.

The professional type covers producers and directors in broadcast and film production and new design work; the
roles Endroll treats as covered are a rule parameter (``discretionary_work.covered_roles``, role codes). Consent is
required for the planning type always and for the professional type from a date (``discretionary_work.
consent_required_from``). Night and holiday premiums stay due on the hours actually worked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from data.law.params import value

PROFESSIONAL, PLANNING = "professional", "planning"
ARTICLES = {PROFESSIONAL: "Art. 38-3", PLANNING: "Art. 38-4"}


@dataclass(frozen=True)
class DiscretionaryWork:
    """``covered_roles``: role codes the professional type may cover; ``consent_required_from``: from this date the
    professional type needs the employee's consent too."""

    covered_roles: frozenset[str]
    consent_required_from: dt.date

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> DiscretionaryWork:
        return cls(
            covered_roles=frozenset(str(r) for r in value(values, "discretionary_work.covered_roles")),
            consent_required_from=dt.date.fromisoformat(str(value(values, "discretionary_work.consent_required_from"))),
        )

    def needs_consent(self, kind: npt.ArrayLike, month: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """True where a month (its first day) worked under ``kind`` of discretionary work needs written consent."""
        first = np.asarray(month, dtype="datetime64[D]")
        return (np.asarray(kind, dtype=object) == PLANNING) | (first >= np.datetime64(self.consent_required_from))

    def article(self, kind: str) -> str:
        """The article a kind of discretionary work stands on, with the date its consent was required from where that
        came later than the article."""
        if kind == PROFESSIONAL:
            return f"{ARTICLES[PROFESSIONAL]}, from {self.consent_required_from}"
        return ARTICLES.get(kind, ARTICLES[PROFESSIONAL])
