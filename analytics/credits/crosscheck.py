"""Credits checked against the labor records: whoever worked is credited, and AI-made work names its people.

The work log and pay items say who did the work; the credits say who the audience will be told did it. Each gap is a
finding: a worker missing from the credits (ERROR, per role), a credited person with no record of work (WARN, only
when the production keeps labor records at all), and AI usage whose operator is not a named, credited person.

The records are read once (:func:`labor_records`, through :mod:`analytics.queries.credits_checks`); the comparison
(:func:`compare`) works on them and on the credits, without a database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from analytics.credits.model import Finding, StoredCredit, ToolDictionary, ValidationReport
from analytics.credits.rules import PLACEHOLDER_RULE_IDS, Severity, name_hits
from analytics.credits.stored import stored_credits
from analytics.credits.validator import validate_credits
from analytics.queries import credits_checks as q
from analytics.queries.credits import PersonNames, find_production, person_names
from analytics.queries.credits_checks import RoleRow

# Credits in these blocks are not staff credits: a voice actor or a thanked person need not log studio work.
_NON_STAFF_BLOCKS = frozenset({"cast", "special_thanks"})


@dataclass
class LaborRecords:
    """What a production's labor records and AI-usage ledger say, as :func:`compare` needs it.

    ``worked``: (person, role id) pairs with work or pay; ``episodes``: (person, role id) → episode numbers worked;
    ``people``: names of everyone involved; ``roles``: the taxonomy by id; ``alias_keys``: match key per unlinked
    alias credited; ``keys_of``: each worker's alias keys; ``org_lines``: per role id, organization lines with
    individuals uncredited; ``members``: each worker's employers and affiliations; ``usages``: AI-usage records
    (id order); ``editors``: post-editors per record.
    """

    worked: set[tuple[int, int | None]]
    episodes: dict[tuple[int, int], set[int]]
    people: dict[int, PersonNames]
    roles: dict[int, RoleRow]
    alias_keys: dict[int, str] = field(default_factory=dict)
    keys_of: dict[int, set[str]] = field(default_factory=dict)
    org_lines: dict[int | None, list[Any]] = field(default_factory=dict)
    members: dict[int, set[int]] = field(default_factory=dict)
    usages: list[Any] = field(default_factory=list)
    editors: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_code = {r.code: r.id for r in self.roles.values()}

    def role_id(self, credit: StoredCredit) -> int | None:
        """The id of the taxonomy role a credit line names (None without one)."""
        code = credit.credit.role_code
        return self._by_code.get(code) if code else None


def labor_records(session: Session, production_id: int, credits: list[StoredCredit]) -> LaborRecords:
    """Read what :func:`compare` needs about the production."""
    worked = q.worked(session, production_id)
    workers = {p for p, _r in worked}
    usages = sorted(q.ai_usage_rows(session, production_id), key=lambda u: u["id"])
    editors = q.post_editors(session, [u["id"] for u in usages])
    involved = workers | {u["operator_id"] for u in usages} | {p for ps in editors.values() for p in ps}
    return LaborRecords(
        worked=worked,
        episodes=q.worked_episodes(session, production_id),
        people=person_names(session, involved),
        roles=q.roles(session),
        alias_keys=q.alias_keys(session, [c.person_alias_id for c in credits if c.person_alias_id and not c.person_id]),
        keys_of=q.keys_of(session, workers),
        org_lines=q.uncredited_org_lines(session, production_id),
        members=q.org_members(session, workers),
        usages=usages,
        editors=editors,
    )


def crosscheck(session: Session, *, production_id: int, credits: list[StoredCredit] | None = None) -> list[Finding]:
    """Findings from comparing the production's credits with its work log, pay items and AI-usage ledger."""
    production = find_production(session, production_id)
    credits = credits if credits is not None else stored_credits(session, production_id=production.id)
    return compare(production.title, credits, labor_records(session, production.id, credits))


def compare(title: str, credits: list[StoredCredit], records: LaborRecords) -> list[Finding]:
    """The cross-check findings of a production titled ``title``: workers missing from its credits, credited people
    without work, AI use whose people are not credited."""
    findings: list[Finding] = []
    credited_roles: dict[int, set[int | None]] = defaultdict(set)  # person → role ids credited (linked aliases)
    # Each person's lines per role, in roll order, read once: looking them up per worker was quadratic.
    lines_of: dict[tuple[int, int | None], list[StoredCredit]] = defaultdict(list)
    for c in credits:
        if c.person_id is not None:
            credited_roles[c.person_id].add(records.role_id(c))
            lines_of[(c.person_id, records.role_id(c))].append(c)
    # Unlinked aliases count when their match key is one of the person's alias keys, with a hint to link them.
    unlinked_keys: dict[str, list[StoredCredit]] = defaultdict(list)
    for c in credits:
        if c.person_alias_id in records.alias_keys:
            unlinked_keys[records.alias_keys[c.person_alias_id]].append(c)
    workers = {p for p, _r in records.worked}
    for person_id, role_id in sorted(records.worked, key=lambda pr: (pr[0], pr[1] or 0)):
        findings.extend(_worker(person_id, role_id, title, lines_of, credited_roles, unlinked_keys, records))
    if records.worked:
        findings.extend(_credited_without_work(title, credits, workers, records))
    findings.extend(_ai_usage_findings(title, credited_roles, records))
    return findings


def _worker(
    person_id: int,
    role_id: int | None,
    title: str,
    lines_of: dict[tuple[int, int | None], list[StoredCredit]],
    credited_roles: dict[int, set[int | None]],
    unlinked_keys: dict[str, list[StoredCredit]],
    records: LaborRecords,
) -> list[Finding]:
    """What is missing from the credits for one person's work in one role (nothing when credited there)."""
    roles_credited = credited_roles.get(person_id, set())
    if role_id is None and roles_credited:
        return []
    if role_id is not None and role_id in roles_credited:
        return _episode_gaps(person_id, role_id, lines_of.get((person_id, role_id), []), title, records)
    person = records.people[person_id]
    role = records.roles.get(role_id) if role_id is not None else None
    role_label = role.ja if role else "(no role recorded)"
    matches = [c for key in records.keys_of.get(person_id, ()) for c in unlinked_keys.get(key, ())]
    matches = [c for c in matches if role_id is None or records.role_id(c) == role_id]
    if matches:
        c = matches[0]
        return [
            Finding(
                "uncredited_worker",
                Severity.INFO,
                f"{person.display_name} is credited as {c.credit.name_as_credited!r} in {role_label} under an "
                "unlinked alias: link the alias to the person",
                line=c.credit.line,
                role=c.credit.role_as_credited,
                name=c.credit.name_as_credited,
                production=title,
                credit_line_id=c.credit_line_id,
                person_id=person_id,
            )
        ]
    cover = [
        line
        for line in records.org_lines.get(role_id, [])
        if line["organization_id"] is not None and line["organization_id"] in records.members.get(person_id, set())
    ]
    if cover:
        line = cover[0]
        return [
            Finding(
                "uncredited_worker",
                Severity.WARN,
                f"{person.display_name} worked in {role_label} for {line['name_as_credited']}, which is credited "
                f"with individuals uncredited ({line['uncredited_reason'] or 'no reason recorded'})",
                role=role_label,
                name=person.display_name,
                production=title,
                credit_line_id=line["id"],
                person_id=person_id,
            )
        ]
    roles = records.roles
    elsewhere = sorted(roles[r].ja for r in roles_credited if r is not None and r in roles and r != role_id)
    also = f" (credited only as {', '.join(elsewhere)})" if elsewhere else ""
    return [
        Finding(
            "uncredited_worker",
            Severity.ERROR,
            f"{person.display_name} logged work or was paid in {role_label} on {title} but is not credited "
            f"there{also}: add a credit line",
            role=role_label,
            name=person.display_name,
            production=title,
            person_id=person_id,
        )
    ]


def _credited_without_work(
    title: str, credits: list[StoredCredit], workers: set[int], records: LaborRecords
) -> list[Finding]:
    findings = []
    for c in credits:
        if c.person_id is None or c.credit.block in _NON_STAFF_BLOCKS or c.person_id in workers:
            continue
        role = records.roles.get(records.role_id(c))
        if role is not None and not role.person_only:
            continue  # 原作, 企画, 音楽: rights holders and outside contributors log no studio work
        findings.append(
            Finding(
                "credited_without_work",
                Severity.WARN,
                f"{c.credit.name_as_credited!r} is credited in {c.credit.role_as_credited} but has no work or pay "
                f"record on {title}: check the credit, or import their records",
                line=c.credit.line,
                role=c.credit.role_as_credited,
                name=c.credit.name_as_credited,
                production=title,
                credit_line_id=c.credit_line_id,
                person_id=c.person_id,
            )
        )
    return findings


def _episode_gaps(
    person_id: int, role_id: int, lines: list[StoredCredit], title: str, records: LaborRecords
) -> list[Finding]:
    """Episodes a person worked on in a role, where their credits in that role (``lines``) are per episode and skip
    it."""
    if not lines or any(c.credit.episode_from is None for c in lines):
        return []  # credited for the whole production
    covered: set[int] = set()
    for c in lines:
        covered.update(range(c.credit.episode_from, (c.credit.episode_to or c.credit.episode_from) + 1))
    missing = sorted(records.episodes.get((person_id, role_id), set()) - covered)
    if not missing:
        return []
    person, role = records.people[person_id], records.roles[role_id]
    episodes = ", ".join(str(n) for n in missing)
    return [
        Finding(
            "uncredited_worker",
            Severity.ERROR,
            f"{person.display_name} worked on episode(s) {episodes} in {role.ja} but is credited there only for "
            f"other episodes: add them to the roll of episode(s) {episodes}",
            role=role.ja,
            name=person.display_name,
            production=title,
            person_id=person_id,
        )
    ]


def _ai_usage_findings(title: str, credited_roles: dict[int, set[int | None]], records: LaborRecords) -> list[Finding]:
    if not records.usages:
        return []
    findings: list[Finding] = []
    people, editors = records.people, records.editors
    placeholder_operators: dict[int, list[int]] = defaultdict(list)
    by_role: dict[int, list[Any]] = defaultdict(list)
    for usage in records.usages:
        operator = people[usage["operator_id"]]
        if any(h.rule in PLACEHOLDER_RULE_IDS or h.rule == "empty_name" for h in name_hits(operator.display_name)):
            placeholder_operators[operator.id].append(usage["id"])
        if usage["role_id"] is not None:
            by_role[usage["role_id"]].append(usage)
    for operator_id, usage_ids in placeholder_operators.items():
        name = people[operator_id].display_name
        findings.append(
            Finding(
                "ai_operator_missing",
                Severity.ERROR,
                f"{len(usage_ids)} AI-usage record(s) (first #{usage_ids[0]}) name the operator {name!r}, which is "
                "not a person's name: record the named person who operated the tool",
                name=name,
                production=title,
                person_id=operator_id,
            )
        )
    for role_id, role_usages in sorted(by_role.items()):
        involved = {u["operator_id"] for u in role_usages} | {p for u in role_usages for p in editors.get(u["id"], ())}
        if any(role_id in credited_roles.get(p, ()) for p in involved):
            continue
        role = records.roles.get(role_id)
        services = sorted({u["service"] for u in role_usages})
        names = ", ".join(sorted(people[p].display_name for p in involved))
        findings.append(
            Finding(
                "ai_operator_missing",
                Severity.ERROR,
                f"{len(role_usages)} asset(s) of {role.ja if role else role_id} were made with {', '.join(services)}, "
                f"but none of the people who operated or edited them ({names}) is credited in that role: credit them",
                role=role.ja if role else "",
                production=title,
            )
        )
    return findings


def check_production(session: Session, *, production: str | int) -> ValidationReport:
    """Validate a stored production's credits (rules, plus the database's AI tools) and cross-check its labor records.

    ``production`` is an id, title or external reference; ProductionNotFound names what was tried.
    """
    found = find_production(session, production)
    credits = stored_credits(session, production_id=found.id)
    report = validate_credits(credits, tools=ToolDictionary.from_session(session))
    report.findings.extend(crosscheck(session, production_id=found.id, credits=credits))
    return report
