"""Every rule parameter the findings apply, as the typed groups of :mod:`data.law` (one evaluation reads them once),
with the citations each finding names and the version of the reference data it was judged on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from data.law.agreement import AgreementLimits
from data.law.california import CaExemptSalary, CaPremiums
from data.law.days_off import DaysOff
from data.law.discretionary import DiscretionaryWork
from data.law.freelance import EmployeeLikeHours, FreelanceAct
from data.law.guarantee import PieceRateGuarantee
from data.law.leave import AnnualLeave
from data.law.minimum_wage import MinimumWageCycles
from data.law.overwork import OverworkLines
from data.law.params import CaOvertime, JpHours
from data.law.wages import JpPremiums, WageBases
from data.reference import Timelines, seed_reference_version, seed_timelines, seed_values, statute_of, statutes


@dataclass(frozen=True)
class Parameters:
    """The Japanese (``JP``) and Californian (``US-CA``) rule parameters the rules read; ``citations``: per
    jurisdiction, key prefix → the statute or indicator it comes from (``data/seed/statutes.json``);
    ``reference_version``: the version of the reference data (:func:`data.reference.reference_version`)."""

    hours: JpHours
    days_off: DaysOff
    agreement: AgreementLimits
    overwork: OverworkLines
    premiums: JpPremiums
    guarantee: PieceRateGuarantee
    discretionary: DiscretionaryWork
    leave: AnnualLeave
    freelance: FreelanceAct
    jp_employee_like: EmployeeLikeHours
    jp_wage_bases: WageBases
    jp_mw_cycles: MinimumWageCycles
    ca_overtime: CaOvertime
    ca_premiums: CaPremiums
    ca_exempt: CaExemptSalary
    ca_employee_like: EmployeeLikeHours
    ca_mw_cycles: MinimumWageCycles
    reference_version: str = "seed"
    citations: Mapping[str, Mapping[str, str]] = field(default_factory=statutes)
    # What cite() answered: rules cite per finding (the Freelance Act's, tens of thousands at a studio's scale), and
    # each answer is a search of the whole statute table.
    _cited: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_values(
        cls,
        jp: Mapping[str, Any],
        ca: Mapping[str, Any],
        *,
        ca_timelines: Timelines,
        reference_version: str,
    ) -> Parameters:
        """From the flat ``{key: value}`` mappings of :func:`data.reference.rule_values` for JP and US-CA, and the
        Californian parameters by date (:func:`data.reference.rule_timelines`)."""
        return cls(
            hours=JpHours.from_values(jp),
            days_off=DaysOff.from_values(jp),
            agreement=AgreementLimits.from_values(jp),
            overwork=OverworkLines.from_values(jp),
            premiums=JpPremiums.from_values(jp),
            guarantee=PieceRateGuarantee.from_values(jp),
            discretionary=DiscretionaryWork.from_values(jp),
            leave=AnnualLeave.from_values(jp),
            freelance=FreelanceAct.from_values(jp),
            jp_employee_like=EmployeeLikeHours.from_values(jp, "freelance_act.classification_risk"),
            jp_wage_bases=WageBases.from_values(jp),
            jp_mw_cycles=MinimumWageCycles.from_values(jp, "JP"),
            ca_overtime=CaOvertime.from_values(ca),
            ca_premiums=CaPremiums.from_values(ca),
            ca_exempt=CaExemptSalary.from_timelines(ca_timelines),
            ca_employee_like=EmployeeLikeHours.from_values(ca, "contractor_risk"),
            ca_mw_cycles=MinimumWageCycles.from_values(ca, "US-CA"),
            reference_version=reference_version,
        )

    @classmethod
    def seeded(cls) -> Parameters:
        """The parameters as ``data/seed`` seeds them (no database: for tests and tools), with the reference version
        a database seeded from them has."""
        return cls.from_values(
            seed_values("JP"),
            seed_values("US-CA"),
            ca_timelines=seed_timelines("US-CA"),
            reference_version=seed_reference_version(),
        )

    def cite(self, jurisdiction: str, key: str) -> str:
        """The statute or indicator a parameter (or a rule's key) comes from."""
        cited = self._cited.get((jurisdiction, key))
        if cited is None:
            cited = self._cited[jurisdiction, key] = statute_of(jurisdiction, key, dict(self.citations)) or key
        return cited
