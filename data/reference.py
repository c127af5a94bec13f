"""Reference data every database needs: the role taxonomy, minimum-wage tables and rule parameters.

It lives in tables, seeded from the files in ``data/seed``, so next year's minimum wage is a data change
(edit the CSV or insert a row) and not a code change. Seeding is idempotent and runs after every migration.

Rule parameters are the legal constants of every rule (the 8-hour day, the 45-minute break, 22:00): one table,
``rule_parameter``, one row per jurisdiction, key and effective date. Their values come from
``data/seed/jurisdictions.json`` (nested objects flattened to dotted keys) and their ``statute`` (the citation, or
the source where a value is not statute) from ``data/seed/statutes.json``, kept apart so the values file stays the
shape the rules read: there a key takes the citation of the longest entry it starts with, so ``hours.breaks`` cites
LSA Art. 34 and every ``freelance_act.*`` key the Freelance Act unless a longer entry names its article. Seeding
brings the seeded rows (effective from :data:`RULES_EFFECTIVE`) to the seed files' values, help and statute on
every start; a different value from a later date is a row of its own, which :func:`rule_values` prefers.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.law.params import ParameterError
from data.names import nfkc, person_key
from data.schema import MinimumWage, Role, RoleVariant, RuleParameter

SEED = Path(__file__).resolve().parent / "seed"

# FY2024 prefectural minimum wages took effect between 2024-10-01 and 2024-11-01; the shared table gives only the
# FY2025 dates. The FY2024 rows therefore start on 2024-10-01, the earliest date, which errs towards the worker.
FY2024_EFFECTIVE = dt.date(2024, 10, 1)
TOKYO_FY2023 = (dt.date(2023, 10, 1), Decimal("1113"))
RULES_EFFECTIVE = dt.date(2019, 4, 1)


def role_key(text: str) -> str:
    """Match key for a role string: NFKC, spaces folded, casefolded."""
    return person_key(text)


def load_roles() -> list[dict[str, Any]]:
    with (SEED / "roles.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def ensure_roles(session: Session) -> None:
    existing = {r.code: r for r in session.scalars(select(Role))}
    known_variants = {v.match_key for v in session.scalars(select(RoleVariant))}
    for row in load_roles():
        role = existing.get(row["code"])
        if role is None:
            role = Role(code=row["code"])
            session.add(role)
        role.ja = row["ja"]
        role.romaji = row["romaji"]
        role.en = row["en"]
        role.department = row["department"]
        role.person_only = row["person_only"] == "1"
        role.org_allowed = row["org_allowed"] == "1"
        role.default_pay_basis = row["default_pay_basis"] or None
        role.sort_order = int(row["sort_order"])
        session.flush()
        for text in [row["ja"], row["en"], *filter(None, row["variants"].split("|"))]:
            key = role_key(text)
            if key not in known_variants:
                session.add(RoleVariant(role_id=role.id, text=nfkc(text), match_key=key))
                known_variants.add(key)


def minimum_wage_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    src = "shared facts: jp_min_wage_fy2024_fy2025.csv (MHLW)"
    with (SEED / "jp_min_wage_fy2024_fy2025.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            pref = rec["prefecture"]
            if not rec["fy2025_effective_date"]:
                continue  # the national weighted average is a statistic, not a wage in force anywhere
            rows.append(
                dict(
                    jurisdiction="JP",
                    region=pref,
                    effective_from=FY2024_EFFECTIVE,
                    rate_per_hour=Decimal(rec["fy2024_yen_per_hour"]),
                    currency="JPY",
                    source=src,
                )
            )
            rows.append(
                dict(
                    jurisdiction="JP",
                    region=pref,
                    effective_from=dt.date.fromisoformat(rec["fy2025_effective_date"]),
                    rate_per_hour=Decimal(rec["fy2025_yen_per_hour"]),
                    currency="JPY",
                    source=src,
                )
            )
    rows.append(
        dict(
            jurisdiction="JP",
            region="Tokyo",
            effective_from=TOKYO_FY2023[0],
            rate_per_hour=TOKYO_FY2023[1],
            currency="JPY",
            source="jurisdictions.json JP.minimum_wage.tokyo",
        )
    )
    ca = json.loads((SEED / "jurisdictions.json").read_text(encoding="utf-8"))["US-CA"]["minimum_wage"]
    for rec in ca["state"]:
        rows.append(
            dict(
                jurisdiction="US-CA",
                region="state",
                effective_from=dt.date.fromisoformat(rec["from"]),
                rate_per_hour=Decimal(str(rec["rate"])),
                currency="USD",
                source="jurisdictions.json",
            )
        )
    for rec in ca["local"]:
        region = rec["jurisdiction"].replace(" (city)", "")
        rows.append(
            dict(
                jurisdiction="US-CA",
                region=region,
                effective_from=dt.date.fromisoformat(rec["from"]),
                rate_per_hour=Decimal(str(rec["rate"])),
                currency="USD",
                source="jurisdictions.json",
            )
        )
    return rows


def ensure_minimum_wages(session: Session) -> None:
    have = set(session.execute(select(MinimumWage.jurisdiction, MinimumWage.region, MinimumWage.effective_from)))
    for row in minimum_wage_rows():
        if (row["jurisdiction"], row["region"], row["effective_from"]) not in have:
            session.add(MinimumWage(**row))


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and not any(k.startswith("_") for k in value) and value:
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else k, v, out)
    else:
        out[prefix] = value


def seed_values(jurisdiction: str) -> dict[str, Any]:
    """The seeded rule parameters of ``jurisdiction`` as a flat ``{key: value}`` mapping, read from the seed file (for
    code that runs without a database, such as the pure rule tests; everything else reads the table)."""
    data = json.loads((SEED / "jurisdictions.json").read_text(encoding="utf-8"))
    flat: dict[str, Any] = {}
    _flatten("", data[jurisdiction], flat)
    return flat


def statutes() -> dict[str, dict[str, str]]:
    """``data/seed/statutes.json``: per jurisdiction, key or key prefix → citation."""
    data = json.loads((SEED / "statutes.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def statute_of(jurisdiction: str, key: str, table: dict[str, dict[str, str]] | None = None) -> str | None:
    """The citation of a rule parameter: the entry of ``statutes.json`` that is the longest start of ``key``."""
    cited = (table or statutes()).get(jurisdiction, {})
    best = max((prefix for prefix in cited if key.startswith(prefix)), key=len, default=None)
    return None if best is None else cited[best]


SEEDED_HELP = "seeded from data/seed/jurisdictions.json"


def rule_parameter_rows() -> list[dict[str, Any]]:
    """Every seeded rule parameter row: jurisdiction, key, value (``{"value": …}``), effective_from, help, statute."""
    cited = statutes()
    rows = []
    for jurisdiction in ("JP", "US-CA"):
        for key, value in seed_values(jurisdiction).items():
            if key.startswith("minimum_wage"):
                continue  # lives in the minimum_wage table, with effective dates
            rows.append(
                dict(
                    jurisdiction=jurisdiction,
                    key=key,
                    value={"value": value},
                    effective_from=RULES_EFFECTIVE,
                    help=SEEDED_HELP,
                    statute=statute_of(jurisdiction, key, cited),
                )
            )
    return rows


def ensure_rule_parameters(session: Session) -> None:
    """Insert the seeded rule parameters a database lacks and bring the stored ones to the seed's value, help and
    statute (an UPDATE only where one differs)."""
    stored = {(r.jurisdiction, r.key, r.effective_from): r for r in session.scalars(select(RuleParameter))}
    for row in rule_parameter_rows():
        have = stored.get((row["jurisdiction"], row["key"], row["effective_from"]))
        if have is None:
            session.add(RuleParameter(**row))
            continue
        for field in ("value", "help", "statute"):
            if getattr(have, field) != row[field]:
                setattr(have, field, row[field])


def ensure_reference_data(session: Session) -> None:
    ensure_roles(session)
    ensure_minimum_wages(session)
    ensure_rule_parameters(session)
    session.flush()


def rule_values(session: Session, jurisdiction: str, on: dt.date | None = None) -> dict[str, Any]:
    """Every rule parameter of ``jurisdiction`` in force on ``on`` (default: today), as ``{key: value}``: what the
    typed groups of :mod:`data.law.params` are built from."""
    on = on or dt.date.today()
    rows = session.execute(
        select(RuleParameter.key, RuleParameter.value)
        .where(RuleParameter.jurisdiction == jurisdiction, RuleParameter.effective_from <= on)
        .order_by(RuleParameter.key, RuleParameter.effective_from)
    )
    # Later rows of a key overwrite earlier ones: the latest revision in force wins.
    return {key: value["value"] for key, value in rows}


def rule_parameter(session: Session, jurisdiction: str, key: str, on: dt.date | None = None) -> Any:
    """The value of a rule parameter in force on ``on`` (default: today)."""
    on = on or dt.date.today()
    row = session.scalars(
        select(RuleParameter)
        .where(RuleParameter.jurisdiction == jurisdiction, RuleParameter.key == key, RuleParameter.effective_from <= on)
        .order_by(RuleParameter.effective_from.desc())
        .limit(1)
    ).first()
    if row is None:
        raise ParameterError(
            "no rule parameter {jurisdiction}:{key} in force on {on}",
            fix="add it to data/seed/jurisdictions.json (or a rule_parameter row) and restart",
            jurisdiction=jurisdiction,
            key=key,
            on=on,
        )
    return row.value["value"]
