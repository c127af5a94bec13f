"""Every rule parameter the findings apply, as the typed groups of :mod:`data.law` (one evaluation reads them once)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from data.law.agreement import AgreementLimits
from data.law.california import CaExemptSalary, CaPremiums
from data.law.discretionary import DiscretionaryWork
from data.law.freelance import EmployeeLikeHours, FreelanceAct
from data.law.guarantee import PieceRateGuarantee
from data.law.leave import AnnualLeave
from data.law.overwork import OverworkLines
from data.law.params import CaOvertime, JpHours
from data.law.wages import JpPremiums
from data.reference import seed_values


@dataclass(frozen=True)
class Parameters:
    """The Japanese (``JP``) and Californian (``US-CA``) rule parameters the rules read."""

    hours: JpHours
    agreement: AgreementLimits
    overwork: OverworkLines
    premiums: JpPremiums
    guarantee: PieceRateGuarantee
    discretionary: DiscretionaryWork
    leave: AnnualLeave
    freelance: FreelanceAct
    jp_employee_like: EmployeeLikeHours
    ca_overtime: CaOvertime
    ca_premiums: CaPremiums
    ca_exempt: CaExemptSalary
    ca_employee_like: EmployeeLikeHours

    @classmethod
    def from_values(cls, jp: Mapping[str, Any], ca: Mapping[str, Any]) -> Parameters:
        """From the flat ``{key: value}`` mappings of :func:`data.reference.rule_values` for JP and US-CA."""
        return cls(
            hours=JpHours.from_values(jp),
            agreement=AgreementLimits.from_values(jp),
            overwork=OverworkLines.from_values(jp),
            premiums=JpPremiums.from_values(jp),
            guarantee=PieceRateGuarantee.from_values(jp),
            discretionary=DiscretionaryWork.from_values(jp),
            leave=AnnualLeave.from_values(jp),
            freelance=FreelanceAct.from_values(jp),
            jp_employee_like=EmployeeLikeHours.from_values(jp, "freelance_act.classification_risk"),
            ca_overtime=CaOvertime.from_values(ca),
            ca_premiums=CaPremiums.from_values(ca),
            ca_exempt=CaExemptSalary.from_values(ca),
            ca_employee_like=EmployeeLikeHours.from_values(ca, "contractor_risk"),
        )

    @classmethod
    def seeded(cls) -> Parameters:
        """The parameters as ``data/seed/jurisdictions.json`` seeds them (no database: for tests and tools)."""
        return cls.from_values(seed_values("JP"), seed_values("US-CA"))
