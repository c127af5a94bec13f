"""The studio's organizations and their aliases, its labor agreements, and the AI services it uses."""

from __future__ import annotations

import datetime as dt
import hashlib

from data.demo.spec import MAIN, ORGS, RINNE, SEIRAN, SERVICES
from data.demo.state import Studio
from data.names import org_key, person_key


def write_organizations(studio: Studio) -> None:
    """Organizations (with their aliases; the main alias of each is remembered for the credits), the Article 36
    agreements, and the AI services."""
    out, ids = studio.out, studio.ids
    for oid, name, kind, country, employees, aliases in ORGS:
        out.add(
            "organization",
            dict(id=ids("organization"), name=name, kind=kind, country=country, employee_count=employees),
        )
        for i, alias in enumerate([name, *aliases]):
            aid = ids("org_alias")
            if i == 0:
                studio.org_alias_ids[oid] = aid
            out.add("org_alias", dict(id=aid, organization_id=oid, text=alias, match_key=org_key(alias)))
    # Article 36 agreement in force all year; its special clause only from April 2025 (the crunch months).
    for has36, special, start, end, org in [
        (True, False, dt.date(2024, 4, 1), dt.date(2025, 3, 31), MAIN),
        (True, True, dt.date(2025, 4, 1), dt.date(2026, 3, 31), MAIN),
        (False, False, dt.date(2024, 4, 1), None, SEIRAN),
    ]:
        out.add(
            "labor_agreement",
            dict(
                id=ids("labor_agreement"),
                organization_id=org,
                has_36_agreement=has36,
                special_clause=special,
                variable_hours_1y=False,
                valid_from=start,
                valid_to=end,
            ),
        )
    for _sid, name, version, kind, model in SERVICES:
        weights = hashlib.sha256(f"{name}:{version}".encode()).hexdigest()
        out.add(
            "service",
            dict(
                id=ids("service"),
                name=name,
                match_key=person_key(name),
                vendor_id=RINNE,
                version=version,
                model_id=model,
                weights_sha256=weights,
                kind=kind,
            ),
        )
    out.flush()
