"""Who operated the tool: always a named Person from the database, never "AI", "human" or nobody.

In 2023 a broadcast credited AI backgrounds to "AI (+Human)" and left the person unnamed. Every generated
image here names the person who ran the tool, so the name lookup refuses placeholders instead of guessing.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.i18n import N_
from data.names import is_placeholder_name, nfkc, person_key
from data.schema import Person, PersonAlias, Service
from generation.errors import OperatorError

_PLACEHOLDERS = (
    "human",
    "humans",
    "a human",
    "person",
    "someone",
    "somebody",
    "anonymous",
    "anon",
    "unknown",
    "nobody",
    "ai",
    "a.i.",
    "ai (+human)",
    "ai(+human)",
    "ai + human",
    "ai+human",
    "human + ai",
    "human (+ai)",
    "ai/human",
    "artificial intelligence",
    "machine",
    "computer",
    "bot",
    "model",
    "generator",
    "system",
    "auto",
    "automatic",
    "staff",
    "crew",
    "team",
    "studio",
    "artist",
    "operator",
    "user",
    "admin",
    "administrator",
    "root",
    "test",
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "tbd",
    "tba",
    "todo",
    "various",
    "others",
    "misc",
    "background",
    "人間",
    "人",
    "スタッフ",
    "不明",
    "未定",
    "匿名",
    "担当者",
    "オペレーター",
    "背景",
    "各位",
    "他",
    "ほか",
)
PLACEHOLDER_KEYS = frozenset(person_key(p) for p in _PLACEHOLDERS)
_NO_LETTERS = re.compile(r"^[\W_\d]*$")


def is_placeholder(name: str) -> bool:
    """True for names that stand for nobody in particular ("AI (+Human)", "staff", "", "???")."""
    key = person_key(name)
    return not key or key in PLACEHOLDER_KEYS or bool(_NO_LETTERS.match(key))


def resolve_operator(session: Session, operator: str | int | Person) -> Person:
    """The Person named by ``operator`` (id, display name, pen name or alias), or :class:`OperatorError` — also when
    the person found is stored under a placeholder name (``human``, "AI (+Human)": a record made before the names
    were checked, or chosen by id), which a signed manifest must never name."""
    person = _resolve_operator(session, operator)
    shown = person.pen_name if person.visibility == "pen_name_only" and person.pen_name else person.display_name
    if is_placeholder(shown) or is_placeholder_name(shown):
        raise OperatorError(
            "Person #{id} is recorded under {name!r}, a placeholder, not a person's name: a generated image must "
            "name the human who ran the tool",
            fix={
                "cli": "correct the person's name with a people file (`python -m data.importers people.csv`), then "
                "generate again",
                "page": "correct the person's name (My record, or a people file on the Import page), then generate "
                "again",
            },
            id=person.id,
            name=shown,
        )
    return person


def _resolve_operator(session: Session, operator: str | int | Person) -> Person:
    if isinstance(operator, Person):
        return operator
    if isinstance(operator, int) and not isinstance(operator, bool):
        person = session.get(Person, operator)
        if person is None:
            raise OperatorError(
                N_("No person with id {id}: the operator must be a person in the database"),
                fix={
                    "cli": N_("pass the name or id of an existing person"),
                    "page": N_("choose a person from the list"),
                },
                id=operator,
            )
        return person
    if not isinstance(operator, str):
        raise OperatorError(N_("operator must be a person's name or id, got {kind}"), kind=type(operator).__name__)
    name = nfkc(operator).strip()
    if is_placeholder(name):
        raise OperatorError(
            N_(
                "Operator {operator!r} is not a person's name. Generated images must name the human who ran the tool "
                '(not "AI", "human", "staff" or a blank)'
            ),
            fix={"cli": N_("pass the person's name, alias or id"), "page": N_("choose the person from the list")},
            operator=operator,
        )
    key = person_key(name)
    if session.scalar(select(Service.id).where(Service.match_key == key).limit(1)) is not None:
        raise OperatorError(
            N_("{operator!r} is an AI tool in the service list, not a person: name the human operator"),
            operator=operator,
        )
    people = list(session.scalars(select(Person).where((Person.display_name == name) | (Person.pen_name == name))))
    if not people:
        people = list(
            session.scalars(
                select(Person).join(PersonAlias, PersonAlias.person_id == Person.id).where(PersonAlias.match_key == key)
            ).unique()
        )
    if not people:
        # Display names are stored as the person chose to write them (山田 花子); match 山田花子 / 山田　花子 too.
        rows = session.execute(select(Person.id, Person.display_name, Person.pen_name)).all()
        ids = [r.id for r in rows if key in {person_key(r.display_name), person_key(r.pen_name or "")}]
        people = [session.get(Person, i) for i in ids]
    people = list({p.id: p for p in people}.values())
    if not people:
        raise OperatorError(
            N_("No person named {operator!r} in the database"),
            fix={
                "cli": N_(
                    "import them (or add this spelling to the right person's aliases) with a people file: "
                    "`python -m data.importers people.csv --format canonical_people`, then generate again"
                ),
                "page": N_(
                    "import them (or add this spelling to the right person's aliases) with a people file on the "
                    "Import page, then generate again"
                ),
            },
            operator=operator,
        )
    if len(people) > 1:
        ids = ", ".join(f"{p.id} ({p.display_name})" for p in people)
        raise OperatorError(
            N_("{operator!r} matches several people: {ids}"),
            fix={"cli": N_("pass the person id instead"), "page": N_("choose the person from the list")},
            operator=operator,
            ids=ids,
        )
    return people[0]


def public_person(person: Person) -> dict[str, Any]:
    """How ``person`` is named in what travels with an image (manifests, certificates, text chunks):
    ``{"person_id", "name"}``, the name being the pen name alone for a pen-name-only person."""
    name = person.pen_name if person.visibility == "pen_name_only" and person.pen_name else person.display_name
    return {"person_id": person.id, "name": name}
