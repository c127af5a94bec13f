"""Fixing credits: the operations the dashboard's Credits page calls to resolve what the validator reports.

Managers only. Every operation takes the session and the acting identity, writes one AuditEvent with the old and new
values and the actor, flushes, and leaves the commit to the caller (``with session_scope(engine) as session: ...``),
so a page can group several fixes into one transaction. The verbatim credited text (``name_as_credited``,
``PersonAlias.text``) is evidence and is never rewritten: a fix links it to a person, or replaces a line whose old
values the audit keeps. The validator reads credit lines when it runs and no stored derived data does, so a fix
brings nothing else up to date (removing a line still moves the data version on, see :mod:`data.engine`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data import audit
from data.credit_checks import productions_of_people
from data.engine import about_productions
from data.i18n import N_
from data.identity import Identity
from data.names import person_key
from data.schema import AuditEvent, CreditLine, Person, PersonAlias
from services.access import require
from services.errors import ValidationError

_LINE_FIELDS = (
    "production_id",
    "episode_scope",
    "episode_from",
    "episode_to",
    "role_as_credited",
    "role_id",
    "name_as_credited",
    "person_alias_id",
    "org_alias_id",
    "via_org_id",
    "individuals_uncredited",
    "uncredited_reason",
    "block",
    "line_order",
    "position_in_line",
    "source",
    "source_ref",
    "source_line_id",
    "note",
)
# Texts that must never become a person's alias: linking one would make "human" a name of that person everywhere.
_PLACEHOLDER_KEYS = frozenset(
    person_key(t)
    for t in (
        "AI",
        "AI (+Human)",
        "AI(+Human)",
        "human",
        "humans",
        "人間",
        "staff",
        "スタッフ",
        "anonymous",
        "unknown",
        "不明",
        "匿名",
        "TBD",
        "TBA",
        "未定",
        "ほか",
        "他",
        "その他",
        "and others",
        "一同",
        "全員",
    )
)


class CreditFixError(ValidationError):
    """A fix cannot be applied as asked; the message says why and what to do instead."""


def _line_values(line: CreditLine) -> dict[str, Any]:
    return {f: getattr(line, f) for f in _LINE_FIELDS}


def _audit(
    session: Session,
    actor: Identity,
    action: str,
    entity_type: str,
    entity_id: Any,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> AuditEvent:
    return audit.record(
        session, actor=actor.username, action=action, entity_type=entity_type, entity_id=entity_id, old=old, new=new
    )


def _manager(actor: Identity | None) -> Identity:
    return require(actor, "manager", to=N_("fix credits"))


def _line(session: Session, credit_line_id: int) -> CreditLine:
    line = session.get(CreditLine, credit_line_id)
    if line is None:
        raise CreditFixError(
            N_("there is no credit line #{credit_line_id}"),
            fix={"page": N_("pick a line from 'Line'")},
            credit_line_id=credit_line_id,
        )
    return line


def _about(session: Session, line: CreditLine, people: Sequence[int] = ()) -> None:
    # The credit checks a fix changes, said before it writes anything: its line's production, and every production
    # of a person it may give a new alias (a person's aliases are their names in every check that reads them).
    about_productions(session, {line.production_id} | productions_of_people(session, people))


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise CreditFixError(
            N_("there is no person #{person_id}"),
            fix={"page": N_("pick the person from the list")},
            person_id=person_id,
        )
    return person


def credited_name(person: Person) -> str:
    """The name a person chose to be credited as: the pen name for pen_name_only, else the display name."""
    if person.visibility == "pen_name_only" and person.pen_name:
        return person.pen_name
    return person.display_name


def _alias_for_person(session: Session, person: Person, *, source: str = "credit_fix") -> PersonAlias:
    # The person's alias for their chosen credit name, created if they have none yet (inside an audited fix only).
    text = credited_name(person)
    alias = session.scalars(
        select(PersonAlias).where(PersonAlias.person_id == person.id, PersonAlias.text == text)
    ).first()
    if alias is None:
        kind = "pen_name" if text == person.pen_name else "real_name"
        alias = PersonAlias(
            person_id=person.id, text=text, kind=kind, match_key=person_key(text) or text, source=source
        )
        session.add(alias)
        session.flush()
    return alias


def link_alias(session: Session, actor: Identity | None, *, alias_id: int, person_id: int) -> PersonAlias:
    """Link an unlinked alias (a spelling read from credits) to the person it names; every line using it follows.

    Refused for placeholder texts such as "human" or 未定: they name nobody, so repoint the line instead
    (:func:`repoint_credit_line`). Returns the alias.
    """
    actor = _manager(actor)
    alias = session.get(PersonAlias, alias_id)
    if alias is None:
        raise CreditFixError(N_("there is no person alias #{alias_id}"), alias_id=alias_id)
    person = _person(session, person_id)
    if alias.person_id == person.id:
        return alias
    if alias.person_id is not None:
        raise CreditFixError(
            N_("alias #{alias_id} {text!r} already belongs to person #{owner}"),
            fix=N_("repoint the credit lines that use it to the right person instead"),
            alias_id=alias_id,
            text=alias.text,
            owner=alias.person_id,
        )
    if alias.match_key in _PLACEHOLDER_KEYS:
        raise CreditFixError(
            N_("{text!r} is a placeholder, not a name of {name}"),
            fix=N_("repoint each credit line to the person instead"),
            text=alias.text,
            name=person.display_name,
        )
    clash = session.scalars(
        select(PersonAlias).where(PersonAlias.person_id == person.id, PersonAlias.text == alias.text)
    ).first()
    if clash is not None:
        raise CreditFixError(
            N_("{name} already has the alias {text!r} (#{clash})"),
            fix=N_("repoint the lines that use #{alias_id} to #{clash} instead"),
            name=person.display_name,
            text=alias.text,
            clash=clash.id,
            alias_id=alias_id,
        )
    old = {"person_id": alias.person_id}
    alias.person_id = person.id
    _audit(
        session, actor, "credit.link_alias", "person_alias", alias.id, old, {"person_id": person.id, "text": alias.text}
    )
    session.flush()
    return alias


def repoint_credit_line(
    session: Session,
    actor: Identity | None,
    *,
    credit_line_id: int,
    person_id: int | None = None,
    person_alias_id: int | None = None,
) -> CreditLine:
    """Point a credit line at a person (through their chosen-name alias) or at a given alias of a person.

    The line keeps its verbatim ``name_as_credited`` as evidence ("AI (+Human)" stays on record); the roll prints
    the person's chosen name from then on. Returns the line.
    """
    actor = _manager(actor)
    if (person_id is None) == (person_alias_id is None):
        raise CreditFixError(
            N_("give exactly one of person_id or person_alias_id"), fix={"page": N_("pick a 'Person'")}
        )
    line = _line(session, credit_line_id)
    _about(session, line, [person_id] if person_id is not None else [])
    if person_alias_id is not None:
        alias = session.get(PersonAlias, person_alias_id)
        if alias is None:
            raise CreditFixError(N_("there is no person alias #{alias_id}"), alias_id=person_alias_id)
        if alias.person_id is None:
            raise CreditFixError(
                N_("alias #{alias_id} {text!r} is not linked to a person"),
                fix=N_("link it first, or give the person instead"),
                alias_id=person_alias_id,
                text=alias.text,
            )
    else:
        alias = _alias_for_person(session, _person(session, person_id))
    old = _line_values(line)
    line.person_alias_id = alias.id
    line.org_alias_id = None
    line.individuals_uncredited = False
    _audit(
        session,
        actor,
        "credit.repoint_line",
        "credit_line",
        line.id,
        old,
        _line_values(line) | {"person_id": alias.person_id},
    )
    session.flush()
    return line


def replace_and_others(
    session: Session, actor: Identity | None, *, credit_line_id: int, entries: Sequence[int | str]
) -> list[CreditLine]:
    """Replace an incomplete-list line (ほか, "and others", 貝澤幸男ほか) with the full list, in the given order.

    ``entries``: a person id (credited under their chosen name) or a name as credited (an unlinked alias, matched to
    an existing one by text). The new lines take the old line's place in its role line; the lines after it move down.
    The old line is deleted; its values stay in the audit event. Returns the new lines in credit order.
    """
    actor = _manager(actor)
    if not entries:
        raise CreditFixError(
            N_("the full list needs at least one name"),
            fix={
                "page": N_(
                    "choose the people in 'People, in credit order', or record why the list is incomplete instead"
                ),
                "cli": N_("give the names, or record why the list is incomplete instead"),
            },
        )
    line = _line(session, credit_line_id)
    _about(session, line, [e for e in entries if isinstance(e, int)])
    aliases: list[PersonAlias] = []
    for entry in entries:
        if isinstance(entry, int):
            aliases.append(_alias_for_person(session, _person(session, entry)))
            continue
        text = (entry or "").strip()
        if not text:
            raise CreditFixError(N_("a name in the list is blank"), fix=N_("remove it or write the name"))
        key = person_key(text)
        if key in _PLACEHOLDER_KEYS:
            raise CreditFixError(
                N_("{text!r} is a placeholder, not a name"), fix=N_("give the person's name"), text=text
            )
        alias = session.scalars(
            select(PersonAlias)
            .where(PersonAlias.text == text)
            .order_by(PersonAlias.person_id.is_(None), PersonAlias.id)
        ).first()
        if alias is None:
            alias = PersonAlias(person_id=None, text=text, kind="real_name", match_key=key, source="credit_fix")
            session.add(alias)
            session.flush()
        aliases.append(alias)

    old = _line_values(line)
    shift = len(aliases) - 1
    if shift:
        session.execute(
            update(CreditLine)
            .where(
                CreditLine.production_id == line.production_id,
                CreditLine.block == line.block,
                CreditLine.line_order == line.line_order,
                CreditLine.position_in_line > line.position_in_line,
            )
            .values(position_in_line=CreditLine.position_in_line + shift)
            .execution_options(synchronize_session=False)
        )
    new_lines = []
    for offset, alias in enumerate(aliases):
        new = CreditLine(
            production_id=line.production_id,
            episode_scope=line.episode_scope,
            episode_from=line.episode_from,
            episode_to=line.episode_to,
            role_as_credited=line.role_as_credited,
            role_id=line.role_id,
            role_person_only=line.role_person_only,
            name_as_credited=alias.text,
            person_alias_id=alias.id,
            via_org_id=line.via_org_id,
            block=line.block,
            line_order=line.line_order,
            position_in_line=line.position_in_line + offset,
            source="internal",
            source_ref=f"replaces credit line #{line.id}",
            source_line_id=line.source_line_id,
        )
        new_lines.append(new)
    session.delete(line)
    session.flush()
    session.add_all(new_lines)
    session.flush()
    _audit(
        session,
        actor,
        "credit.replace_and_others",
        "credit_line",
        line.id,
        old,
        {"replaced_by": [n.id for n in new_lines], "names": [n.name_as_credited for n in new_lines]},
    )
    session.flush()
    for other in session.identity_map.values():
        if isinstance(other, CreditLine):
            session.expire(other, ["position_in_line"])
    return new_lines


def record_incomplete_list_reason(
    session: Session, actor: Identity | None, *, credit_line_id: int, reason: str
) -> CreditLine:
    """Keep an incomplete list (ほか) and record why the full list cannot be given; the validator then reports INFO.
    Returns the line."""
    actor = _manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CreditFixError(
            N_("a reason is required (e.g. 'original list lost; archive request filed 2026-05-01')"),
            fix={"page": N_("fill in 'Reason'")},
        )
    line = _line(session, credit_line_id)
    _about(session, line)
    old = {"uncredited_reason": line.uncredited_reason}
    line.uncredited_reason = reason
    _audit(session, actor, "credit.record_reason", "credit_line", line.id, old, {"uncredited_reason": reason})
    session.flush()
    return line


def mark_individuals_uncredited(
    session: Session, actor: Identity | None, *, credit_line_id: int, reason: str
) -> CreditLine:
    """Record that a studio credited in a person-only role (gross subcontract) left its individuals uncredited.
    Returns the line."""
    actor = _manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CreditFixError(
            N_("a reason is required (e.g. 'gross subcontract; the studio did not supply names')"),
            fix={"page": N_("fill in 'Reason'")},
        )
    line = _line(session, credit_line_id)
    if line.org_alias_id is None:
        raise CreditFixError(
            N_(
                "credit line #{credit_line_id} credits a person, not a studio: 'individuals uncredited' applies to "
                "organization lines only"
            ),
            fix={"page": N_("link the line to the person who did the work instead")},
            credit_line_id=credit_line_id,
        )
    _about(session, line)
    old = {"individuals_uncredited": line.individuals_uncredited, "uncredited_reason": line.uncredited_reason}
    line.individuals_uncredited = True
    line.uncredited_reason = reason
    _audit(
        session,
        actor,
        "credit.individuals_uncredited",
        "credit_line",
        line.id,
        old,
        {"individuals_uncredited": True, "uncredited_reason": reason},
    )
    session.flush()
    return line
