"""Matching the names and emails in a file to people: by email, then by normalized name; never a guess.

An unknown or ambiguous name goes to the review queue (PersonMatchReview) once per import, and every row that
names it is rejected with ``unknown_person`` / ``ambiguous_person`` so the counts add up. With
``create_people=True`` an unknown name becomes a new Person with that name as an alias.

A name of only spaces and middle dots (``・``) has an empty match key: it cannot tell anyone apart, so it never
matches by name (two such names would otherwise be one person), and a row with only such a name is rejected as
``unreadable_name``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.importers.errors import RowError
from data.names import is_placeholder_name, person_key
from data.schema import Person, PersonAlias, PersonMatchReview


@dataclass
class Match:
    person_id: int | None
    code: str | None = None  # unknown_person, ambiguous_person, person_conflict, unreadable_name
    reason: str | None = None


class PersonMatcher:
    def __init__(self, session: Session, *, batch_id: int | None, create_people: bool, source: str) -> None:
        self.session = session
        self.batch_id = batch_id
        self.create_people = create_people
        self.source = source
        self.by_email: dict[str, int] = {}
        self.email_of: dict[int, str | None] = {}
        self.by_key: dict[str, set[int]] = defaultdict(set)
        self.cache: dict[tuple[str | None, str | None], Match] = {}
        self.seen: dict[tuple[str | None, str | None], Match] = {}  # by the cells as written: skips person_key
        self.decided: dict[tuple[str, str | None], int] = {}  # (name key, email) → the person a manager chose
        self.reviews = 0
        # Moves on whenever a person becomes matchable during the import (:meth:`add`): a match remembered by a
        # caller holds only while it is unchanged (a new person can make a known name ambiguous).
        self.generation = 0
        self.created = 0
        self.created_ids: list[int] = []
        self._load()

    def _load(self) -> None:
        for pid, email, display, pen in self.session.execute(
            select(Person.id, Person.email, Person.display_name, Person.pen_name)
        ):
            self.email_of[pid] = email.lower() if email else None
            if email:
                self.by_email[email.lower()] = pid
            for text in (display, pen):
                if text and person_key(text):
                    self.by_key[person_key(text)].add(pid)
        for pid, key in self.session.execute(
            select(PersonAlias.person_id, PersonAlias.match_key).where(PersonAlias.person_id.is_not(None))
        ):
            self.by_key[key].add(pid)
        # A name a manager settled on the names-to-review page goes to the person chosen, even where the name is
        # several people's (services.name_review): the decision was made for exactly that name and email.
        for name, email, pid in self.session.execute(
            select(PersonMatchReview.name, PersonMatchReview.email, PersonMatchReview.resolved_person_id).where(
                PersonMatchReview.status == "resolved", PersonMatchReview.resolved_person_id.is_not(None)
            )
        ):
            if person_key(name):
                self.decided[(person_key(name), email.lower() if email else None)] = pid

    def add(self, pid: int, email: str | None, names: list[str]) -> None:
        """Make a person created or updated during this import matchable by later rows."""
        self.email_of[pid] = email
        if email:
            self.by_email[email] = pid
        for n in names:
            if n and person_key(n):
                self.by_key[person_key(n)].add(pid)
        self.cache.clear()
        self.seen.clear()
        self.generation += 1

    def candidates(self, name: str | None, email: str | None) -> list[int]:
        """The ids of every person the email or the name matches, sorted."""
        ids: set[int] = set()
        if email and email in self.by_email:
            ids.add(self.by_email[email])
        if name:
            ids |= self.by_key.get(person_key(name), set())
        return sorted(ids)

    def match(self, name: str | None, email: str | None, *, line: int, raw: str) -> int:
        """The person id, or RowError after queueing the name for review (once per import)."""
        email = email.lower() if email else None
        written = (name, email)
        m = self.seen.get(written)
        if m is None:
            key = (person_key(name) if name else None, email)
            m = self.cache.get(key)
            if m is None:
                m = self.cache[key] = self._decide(name, email, line=line, raw=raw)
            self.seen[written] = m
        if m.person_id is None:
            raise RowError(
                m.code or "unknown_person",
                m.reason or "unknown person",
                column="email" if email and not name else "person",
                value=name or email,
            )
        return m.person_id

    def _decide(self, name: str | None, email: str | None, *, line: int, raw: str) -> Match:
        if email and email in self.by_email:
            return Match(self.by_email[email])
        key = person_key(name) if name else ""
        if name and not key and not email:
            return Match(
                None,
                "unreadable_name",
                "the name is only spaces and middle dots (・), which tell no one apart: give the person's email, or "
                "their name",
            )
        if key and (key, email) in self.decided:
            return Match(self.decided[(key, email)])
        ids = sorted(self.by_key.get(key, set())) if key else []
        if len(ids) == 1:
            other = self.email_of.get(ids[0])
            if email and other and other != email:
                return self.review(
                    name,
                    email,
                    ids,
                    line,
                    raw,
                    "person_conflict",
                    f"{name!r} matches person {ids[0]} whose email is not {email}",
                )
            return Match(ids[0])
        if len(ids) > 1:
            return self.review(
                name,
                email,
                ids,
                line,
                raw,
                "ambiguous_person",
                f"{name!r} matches {len(ids)} people ({', '.join(map(str, ids))}); link it on review",
            )
        if self.create_people and (name or email):
            display = name or (email or "").split("@")[0]
            if is_placeholder_name(display):  # never a person called "AI (+Human)" or 未定
                return Match(None, "placeholder_name", f"{display!r} is a placeholder, not a person's name")
            return Match(self._create(name, email))
        return self.review(
            name,
            email,
            [],
            line,
            raw,
            "unknown_person",
            f"no person with email {email!r} or name {name!r}; import people first, resolve the review queue, or "
            "let the import create unknown people (--create-people on the command line, 'Create people who are not "
            "known yet' on the Import page)",
        )

    def review(
        self, name: str | None, email: str | None, ids: list[int], line: int, raw: str, code: str, reason: str
    ) -> Match:
        """Queue ``name`` (with the ``ids`` it could be) for a person to review; the no-match that rejects its row."""
        self.session.add(
            PersonMatchReview(
                batch_id=self.batch_id,
                line=line,
                name=(name or email or "")[:200],
                email=email,
                candidate_ids={"ids": ids},
                raw=raw[:10000],
                status="open",
            )
        )
        self.reviews += 1
        return Match(None, code, reason)

    def _create(self, name: str | None, email: str | None) -> int:
        display = name or (email or "").split("@")[0]
        person = Person(display_name=display, email=email)
        self.session.add(person)
        self.session.flush()
        if name and person_key(name):
            self.session.add(
                PersonAlias(
                    person_id=person.id,
                    text=name[:200],
                    kind="real_name",
                    match_key=person_key(name),
                    source=self.source[:100],
                )
            )
        self.created += 1
        self.created_ids.append(person.id)
        self.add(person.id, email, [display])
        return person.id
