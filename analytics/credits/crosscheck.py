"""Credits checked against the labor records: whoever worked is credited, and AI-made work names its people.

The work log and pay items say who did the work; the credits say who the audience will be told did it. Each gap is a
finding: a worker missing from the credits (ERROR, per role), a credited person with no record of work (WARN, only
when the production keeps labor records at all), and AI usage whose operator is not a named, credited person.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from analytics.credits.rules import PLACEHOLDER_RULE_IDS, Severity, name_hits
from analytics.credits.stored import find_production, stored_credits
from analytics.credits.validator import (
    Finding,
    StoredCredit,
    ToolDictionary,
    ValidationReport,
    validate_credits,
)
from data.schema import (
    Affiliation,
    AiUsage,
    CreditLine,
    Employment,
    Episode,
    PayItem,
    Person,
    PersonAlias,
    Production,
    Role,
    WorkLog,
    ai_usage_post_editor,
)

# Credits in these blocks are not staff credits: a voice actor or a thanked person need not log studio work.
_NON_STAFF_BLOCKS = frozenset({"cast", "special_thanks"})


def _worked(production_id: int, session: Session) -> set[tuple[int, int | None]]:
    work = select(WorkLog.person_id, WorkLog.role_id).where(WorkLog.production_id == production_id)
    pay = select(PayItem.person_id, PayItem.role_id).where(PayItem.production_id == production_id)
    return {(p, r) for p, r in session.execute(union(work, pay))}


def crosscheck(production_id: int, *, session: Session, credits: list[StoredCredit] | None = None) -> list[Finding]:
    """Findings from comparing the production's credits with its work log, pay items and AI-usage ledger."""
    production = session.get(Production, production_id)
    if production is None:
        raise LookupError(f"no production with id {production_id}")
    title = production.title
    credits = credits if credits is not None else stored_credits(production_id, session=session)
    findings: list[Finding] = []

    credited_roles: dict[int, set[int | None]] = defaultdict(set)  # person → role ids credited (linked aliases)
    for c in credits:
        if c.person_id is not None:
            credited_roles[c.person_id].add(_role_id(c, session))
    # Unlinked aliases count when their match key is one of the person's alias keys, with a hint to link them.
    unlinked_keys: dict[str, list[StoredCredit]] = defaultdict(list)
    alias_keys = dict(
        session.execute(
            select(PersonAlias.id, PersonAlias.match_key).where(
                PersonAlias.id.in_([c.person_alias_id for c in credits if c.person_alias_id and c.person_id is None])
            )
        ).all()
    )
    for c in credits:
        if c.person_alias_id in alias_keys:
            unlinked_keys[alias_keys[c.person_alias_id]].append(c)

    worked = _worked(production_id, session)
    worked_episodes = _worked_episodes(production_id, session)
    people = {p for p, _r in worked}
    person_rows = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(people)))} if people else {}
    role_rows = {r.id: r for r in session.scalars(select(Role))}
    keys_of: dict[int, set[str]] = defaultdict(set)
    if people:
        for pid, key in session.execute(
            select(PersonAlias.person_id, PersonAlias.match_key).where(PersonAlias.person_id.in_(people))
        ):
            keys_of[pid].add(key)
    covering_orgs = _uncredited_org_lines(production_id, session)
    org_members = _org_members(people, session)

    for person_id, role_id in sorted(worked, key=lambda pr: (pr[0], pr[1] or 0)):
        roles_credited = credited_roles.get(person_id, set())
        if role_id is None and roles_credited:
            continue
        if role_id is not None and role_id in roles_credited:
            findings.extend(
                _episode_gaps(person_id, role_id, credits, worked_episodes, person_rows, role_rows, title, session)
            )
            continue
        person = person_rows[person_id]
        role = role_rows.get(role_id) if role_id is not None else None
        role_label = role.ja if role else "(no role recorded)"
        matches = [c for key in keys_of.get(person_id, ()) for c in unlinked_keys.get(key, ())]
        matches = [c for c in matches if role_id is None or _role_id(c, session) == role_id]
        if matches:
            c = matches[0]
            findings.append(
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
            )
            continue
        cover = [
            line
            for line in covering_orgs.get(role_id, [])
            if line.org_alias is not None and line.org_alias.organization_id in org_members.get(person_id, set())
        ]
        if cover:
            line = cover[0]
            findings.append(
                Finding(
                    "uncredited_worker",
                    Severity.WARN,
                    f"{person.display_name} worked in {role_label} for {line.name_as_credited}, which is credited "
                    f"with individuals uncredited ({line.uncredited_reason or 'no reason recorded'})",
                    role=role_label,
                    name=person.display_name,
                    production=title,
                    credit_line_id=line.id,
                    person_id=person_id,
                )
            )
            continue
        elsewhere = sorted(role_rows[r].ja for r in roles_credited if r is not None and r in role_rows and r != role_id)
        also = f" (credited only as {', '.join(elsewhere)})" if elsewhere else ""
        findings.append(
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
        )

    if worked:
        for c in credits:
            if c.person_id is None or c.credit.block in _NON_STAFF_BLOCKS or c.person_id in people:
                continue
            role = role_rows.get(_role_id(c, session))
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

    findings.extend(_ai_usage_findings(production_id, title, credited_roles, session))
    return findings


def _worked_episodes(production_id: int, session: Session) -> dict[tuple[int, int], set[int]]:
    """(person, role) → the episode numbers they logged work on."""
    out: dict[tuple[int, int], set[int]] = defaultdict(set)
    rows = session.execute(
        select(WorkLog.person_id, WorkLog.role_id, Episode.number)
        .join(Episode, Episode.id == WorkLog.episode_id)
        .where(WorkLog.production_id == production_id, WorkLog.role_id.is_not(None), Episode.number.is_not(None))
        .distinct()
    )
    for person_id, role_id, number in rows:
        out[(person_id, role_id)].add(number)
    return out


def _episode_gaps(
    person_id: int,
    role_id: int,
    credits: list[StoredCredit],
    worked_episodes: dict[tuple[int, int], set[int]],
    person_rows: dict[int, Person],
    role_rows: dict[int, Role],
    title: str,
    session: Session,
) -> list[Finding]:
    """Episodes a person worked on in a role, where their credits in that role are per episode and skip it."""
    lines = [c for c in credits if c.person_id == person_id and _role_id(c, session) == role_id]
    if not lines or any(c.credit.episode_from is None for c in lines):
        return []  # credited for the whole production
    covered: set[int] = set()
    for c in lines:
        covered.update(range(c.credit.episode_from, (c.credit.episode_to or c.credit.episode_from) + 1))
    missing = sorted(worked_episodes.get((person_id, role_id), set()) - covered)
    if not missing:
        return []
    person, role = person_rows[person_id], role_rows[role_id]
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


def _role_id(c: StoredCredit, session: Session) -> int | None:
    return _role_ids(session).get(c.credit.role_code) if c.credit.role_code else None


def _role_ids(session: Session) -> dict[str, int]:
    cache = session.info.setdefault("endroll_role_ids", {})
    if not cache:
        cache.update({code: rid for rid, code in session.execute(select(Role.id, Role.code))})
    return cache


def _uncredited_org_lines(production_id: int, session: Session) -> dict[int | None, list[CreditLine]]:
    out: dict[int | None, list[CreditLine]] = defaultdict(list)
    for line in session.scalars(
        select(CreditLine).where(
            CreditLine.production_id == production_id,
            CreditLine.org_alias_id.is_not(None),
            CreditLine.individuals_uncredited.is_(True),
        )
    ):
        out[line.role_id].append(line)
    return out


def _org_members(people: set[int], session: Session) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    if not people:
        return out
    for pid, org in session.execute(
        select(Employment.person_id, Employment.employer_id).where(Employment.person_id.in_(people))
    ):
        out[pid].add(org)
    for pid, org in session.execute(
        select(Affiliation.person_id, Affiliation.organization_id).where(Affiliation.person_id.in_(people))
    ):
        out[pid].add(org)
    return out


def _ai_usage_findings(
    production_id: int, title: str, credited_roles: dict[int, set[int | None]], session: Session
) -> list[Finding]:
    usages = session.scalars(select(AiUsage).where(AiUsage.production_id == production_id).order_by(AiUsage.id)).all()
    if not usages:
        return []
    findings: list[Finding] = []
    editors: dict[int, set[int]] = defaultdict(set)
    for usage_id, person_id in session.execute(
        select(ai_usage_post_editor.c.ai_usage_id, ai_usage_post_editor.c.person_id).where(
            ai_usage_post_editor.c.ai_usage_id.in_([u.id for u in usages])
        )
    ):
        editors[usage_id].add(person_id)
    people = {
        p.id: p
        for p in session.scalars(
            select(Person).where(
                Person.id.in_({u.operator_id for u in usages} | {p for s in editors.values() for p in s})
            )
        )
    }
    roles = {r.id: r for r in session.scalars(select(Role))}

    placeholder_operators: dict[int, list[int]] = defaultdict(list)
    by_role: dict[int, list[AiUsage]] = defaultdict(list)
    for usage in usages:
        operator = people[usage.operator_id]
        if any(h.rule in PLACEHOLDER_RULE_IDS or h.rule == "empty_name" for h in name_hits(operator.display_name)):
            placeholder_operators[operator.id].append(usage.id)
        if usage.role_id is not None:
            by_role[usage.role_id].append(usage)
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
        involved = {u.operator_id for u in role_usages} | {p for u in role_usages for p in editors.get(u.id, ())}
        if any(role_id in credited_roles.get(p, ()) for p in involved):
            continue
        role = roles.get(role_id)
        services = sorted({u.service.name for u in role_usages})
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


def check_production(ref: str | int, *, session: Session) -> ValidationReport:
    """Validate a stored production's credits (rules, plus the database's AI tools) and cross-check its labor records.

    ``ref`` is a production id, title or external reference; :class:`ProductionNotFound` names what was tried.
    """
    production = find_production(ref, session=session)
    credits = stored_credits(production.id, session=session)
    report = validate_credits(credits, tools=ToolDictionary.from_session(session))
    report.findings.extend(crosscheck(production.id, session=session, credits=credits))
    return report
