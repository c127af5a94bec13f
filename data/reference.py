"""Reference data every database needs: the role taxonomy, minimum-wage tables and rule parameters.

It lives in tables, seeded from the files in ``data/seed``, so next year's minimum wage is a data change (an
import — the canonical CSV or MHLW's nationwide table —, a row on the Admin page, or a line of
``data/seed/minimum_wages.csv``) and not a code change. Seeding is idempotent and runs after every migration.

Minimum wages (``minimum_wages.csv``, the columns of the canonical import) are one row per place and revision: the
revision year, the effective date (blank while unknown: the FY2026 table gives it for 9 prefectures only), the rate,
its source and when that was checked. Parameters that change by date (the Californian exempt salary floor by year)
are rows of ``dated_parameters.csv``, each with its source and check date.

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
import hashlib
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


def _seed_date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def minimum_wage_rows() -> list[dict[str, Any]]:
    """Every seeded minimum wage (``data/seed/minimum_wages.csv``, in the columns of the canonical import): one row
    per place and revision, ``effective_from`` None where the date is not known."""
    with (SEED / "minimum_wages.csv").open(encoding="utf-8", newline="") as fh:
        return [
            dict(
                jurisdiction=rec["jurisdiction"],
                region=rec["region"],
                revision_year=int(rec["revision_year"]),
                effective_from=_seed_date(rec["effective_from"]),
                rate_per_hour=Decimal(rec["rate_per_hour"]),
                currency=rec["currency"],
                source=rec["source"],
                checked_on=_seed_date(rec["checked_on"]),
            )
            for rec in csv.DictReader(fh)
        ]


def ensure_minimum_wages(session: Session) -> None:
    """Insert the seeded minimum wages a database lacks (by place and revision). A stored row is the studio's once
    it exists (an import or the Admin page may have corrected it), so seeding changes it only to fill in an
    effective date it does not know and the seed does."""
    stored = {(r.jurisdiction, r.region, r.revision_year): r for r in session.scalars(select(MinimumWage))}
    for row in minimum_wage_rows():
        have = stored.get((row["jurisdiction"], row["region"], row["revision_year"]))
        if have is None:
            session.add(MinimumWage(**row))
        elif have.effective_from is None and row["effective_from"] is not None:
            have.effective_from = row["effective_from"]
            have.source, have.checked_on = row["source"], row["checked_on"]


def table_key(key: str) -> bool:
    """True for the keys of ``jurisdictions.json`` that describe the minimum-wage table rather than being rule
    parameters (the rates live in the minimum_wage table, with effective dates)."""
    return key == "minimum_wage" or key.startswith("minimum_wage.")


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
DATED_HELP = "seeded from data/seed/dated_parameters.csv"


def rule_parameter_rows() -> list[dict[str, Any]]:
    """Every seeded rule parameter row: jurisdiction, key, value (``{"value": …}``), effective_from, help, statute."""
    cited = statutes()
    rows = []
    for jurisdiction in ("JP", "US-CA"):
        for key, value in seed_values(jurisdiction).items():
            if table_key(key):
                continue
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


def dated_parameter_rows() -> list[dict[str, Any]]:
    """The seeded parameters that change by date (``data/seed/dated_parameters.csv``: the exempt salary floor by
    year), as rule_parameter rows with the source each value was read from and when it was checked."""
    cited = statutes()
    with (SEED / "dated_parameters.csv").open(encoding="utf-8", newline="") as fh:
        return [
            dict(
                jurisdiction=rec["jurisdiction"],
                key=rec["key"],
                value={"value": json.loads(rec["value"])},
                effective_from=dt.date.fromisoformat(rec["effective_from"]),
                help=DATED_HELP,
                statute=statute_of(rec["jurisdiction"], rec["key"], cited),
                source=rec["source"] or None,
                checked_on=_seed_date(rec["checked_on"]),
            )
            for rec in csv.DictReader(fh)
        ]


def ensure_rule_parameters(session: Session) -> None:
    """Insert the seeded rule parameters a database lacks and bring the stored ones to the seed's value, help,
    statute, source and check date (an UPDATE only where one differs). A dated row the studio has edited (its help
    no longer the seed's) is its own."""
    stored = {(r.jurisdiction, r.key, r.effective_from): r for r in session.scalars(select(RuleParameter))}
    for row in [*rule_parameter_rows(), *dated_parameter_rows()]:
        have = stored.get((row["jurisdiction"], row["key"], row["effective_from"]))
        if have is None:
            session.add(RuleParameter(**row))
            continue
        if row["help"] == DATED_HELP and have.help != DATED_HELP:
            continue
        for field in ("value", "help", "statute", "source", "checked_on"):
            if getattr(have, field) != row.get(field):
                setattr(have, field, row.get(field))


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


Timelines = dict[str, tuple[tuple[dt.date, Any], ...]]


def rule_timelines(session: Session, jurisdiction: str) -> Timelines:
    """Every rule parameter of ``jurisdiction`` with all its values by date: ``{key: ((effective_from, value), …)}``
    in date order. The typed groups of parameters that change by date (the exempt salary floor by year) are built
    from it."""
    rows = session.execute(
        select(RuleParameter.key, RuleParameter.effective_from, RuleParameter.value)
        .where(RuleParameter.jurisdiction == jurisdiction)
        .order_by(RuleParameter.key, RuleParameter.effective_from)
    )
    out: dict[str, list[tuple[dt.date, Any]]] = {}
    for key, since, value in rows:
        out.setdefault(key, []).append((since, value["value"]))
    return {k: tuple(v) for k, v in out.items()}


def seed_timelines(jurisdiction: str) -> Timelines:
    """:func:`rule_timelines` as the seed files give them (no database: for the pure rule tests)."""
    rows = [r for r in [*rule_parameter_rows(), *dated_parameter_rows()] if r["jurisdiction"] == jurisdiction]
    out: dict[str, list[tuple[dt.date, Any]]] = {}
    for r in sorted(rows, key=lambda r: (r["key"], r["effective_from"])):
        out.setdefault(r["key"], []).append((r["effective_from"], r["value"]["value"]))
    return {k: tuple(v) for k, v in out.items()}


def reference_version(session: Session) -> str:
    """The version of the reference data every rule reads: ``<latest date> #<digest>``, the latest date any rate or
    parameter takes effect or was checked, and a digest of every minimum-wage and rule-parameter row (any change to
    either gives another). Each finding names it, so a finding can be traced to the table it was judged on; a
    database seeded and never edited has :func:`seed_reference_version`'s."""
    m, r = MinimumWage, RuleParameter
    rates = session.execute(
        select(m.jurisdiction, m.region, m.revision_year, m.effective_from, m.rate_per_hour, m.checked_on)
    )
    params = session.execute(select(r.jurisdiction, r.key, r.effective_from, r.value, r.checked_on))
    return _version([tuple(row) for row in rates], [tuple(row) for row in params])


def seed_reference_version() -> str:
    """:func:`reference_version` of a database holding exactly the seeded rows."""
    rates = [
        (w["jurisdiction"], w["region"], w["revision_year"], w["effective_from"], w["rate_per_hour"], w["checked_on"])
        for w in minimum_wage_rows()
    ]
    params = [
        (p["jurisdiction"], p["key"], p["effective_from"], p["value"], p.get("checked_on"))
        for p in [*rule_parameter_rows(), *dated_parameter_rows()]
    ]
    return _version(rates, params)


def _version(rates: list[tuple[Any, ...]], params: list[tuple[Any, ...]]) -> str:
    # Sorted here, not in SQL: the databases' collations order text differently, and the digest must not.
    digest = hashlib.sha256()
    latest: dt.date | None = None
    for rows in (rates, params):
        for row in sorted(json.dumps([_plain(v) for v in row], sort_keys=True, ensure_ascii=False) for row in rows):
            digest.update(row.encode())
        for row in rows:
            for value in row:
                if isinstance(value, dt.date) and (latest is None or value > latest):
                    latest = value
    return f"{latest or '-'} #{digest.hexdigest()[:10]}"


def _plain(value: Any) -> Any:
    # Decimal(1226) and Decimal("1226.00") are one rate: both backends must give the same digest.
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


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
