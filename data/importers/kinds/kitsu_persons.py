"""Kitsu's persons export (``kitsu_persons``): ``First Name;Last Name;Email;Phone;Role;Departments;Studio;Country;
Contract Type;Position;Seniority;Daily Salary;Active`` into people and their employment.

* **People** are matched by email, then by name, exactly as work logs match them, and created when new (the persons
  export is a studio's people list). Kitsu's full name is first name then last name, which is how its time exports
  name a person: both ``First Last`` and ``Last First`` become aliases, so a Japanese name entered either way
  matches. ``Country`` (ISO alpha-2) is the person's country.
* **Employment** needs an employer: the ``Studio`` column (an organization, created if new). ``Contract Type`` maps
  onto Endroll's employment types (open-ended → employee_regular; fixed-term, short-term, apprentice, internship →
  employee_contract; freelance → freelancer); ``Position``, ``Seniority`` and ``Daily Salary`` (日給, ``daily_wage``)
  are kept as written. The export says nothing of when a contract began, nor where (the prefecture the minimum wage
  depends on): a person's open contract with that employer is updated in place (an audit event of what changed);
  a new one starts on the export's date (``YYYY-MM-DD`` in the file name, else the day of the import), which the row's
  warning says. Endroll applies the labor law of JP and US-CA only: a contract of another country is not recorded
  (a warning), nor one without a Studio or a Contract Type.
* **Bots**: Kitsu's persons export leaves AI agents out; an export that does list them with a bot column (``Is Bot``,
  ``Bot``) records each as a service, so its time in the time exports is AI usage (:class:`data.importers.kinds.kitsu.Bots`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from data.i18n import N_
from data.importers import units as u
from data.importers.cells import g
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.lookups import Employers
from data.importers.natural import parsed
from data.importers.reading import mapped
from data.importers.registry import Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.names import person_key
from data.schema import DEPARTMENTS, Employment, Person, PersonAlias, Service

CONTRACT_TYPES = {
    "open-ended": "employee_regular",
    "fixed-term": "employee_contract",
    "short-term": "employee_contract",
    "apprentice": "employee_contract",
    "internship": "employee_contract",
    "freelance": "freelancer",
}
COUNTRY_JURISDICTION = {"JP": "JP"}  # the US states differ: a Kitsu country of US names no jurisdiction
DAILY_WAGE_MAX = Decimal(10_000_000)
TERMS = ("employment_type", "position", "seniority", "daily_wage", "department")


def as_of(source: Source) -> dt.date:
    """The day the export describes: the ``YYYY-MM-DD`` in its file name, else today."""
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", source.path.name)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    return dt.date.today()


def parse(row: SourceRow) -> dict[str, Any]:
    """A persons row → the person's names, email and country, the bot flag, and the contract terms it carries."""
    first, last = g(row, "first name").strip(), g(row, "last name").strip()
    full = " ".join(p for p in (first, last) if p)
    email = u.text(g(row, "email"))
    if not full and not email:
        raise RowError("missing_person", "First Name, Last Name or Email is required", column="First Name", value="")
    if email and "@" not in email:
        raise RowError("bad_email", "Email must contain @", column="Email", value=email)
    country = u.text(g(row, "country"))
    if country and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise RowError("bad_value", "Country must be a 2-letter code (JP, FR …)", column="Country", value=country)
    contract = u.text(g(row, "contract type"))
    etype = None
    if contract:
        etype = CONTRACT_TYPES.get(contract.casefold())
        if etype is None:
            raise RowError("bad_value", f"Contract Type must be one of {', '.join(CONTRACT_TYPES)}",
                           column="Contract Type", value=contract)  # fmt: skip
    wage = None
    if not u.blank(g(row, "daily salary")):
        wage = u.decimal(g(row, "daily salary"), "Daily Salary")
        if not 0 <= wage < DAILY_WAGE_MAX:
            raise RowError("out_of_range", "Daily Salary must be at least 0", column="Daily Salary",
                           value=g(row, "daily salary"))  # fmt: skip
    department = None
    for name in re.split(r"[,;]", g(row, "departments")):
        if name.strip().casefold() in DEPARTMENTS:
            department = name.strip().casefold()
            break
    bot = g(row, "is bot") or g(row, "bot")
    return {
        "display_name": full or (email or "").split("@")[0],
        "names": [n for n in (full, " ".join(p for p in (last, first) if p)) if n],
        "email": email.lower() if email else None,
        "country": country.upper() if country else None,
        "studio": u.text(g(row, "studio")),
        "employment_type": etype,
        "position": (u.text(g(row, "position")) or None) and g(row, "position").strip()[:30].casefold(),
        "seniority": (u.text(g(row, "seniority")) or None) and g(row, "seniority").strip()[:30].casefold(),
        "daily_wage": wage,
        "department": department,
        "bot": u.boolean(bot, "Is Bot") if bot.strip() else False,
    }


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`, each carrying the export's date for new contracts."""
    day = as_of(source)
    for item in mapped(source.path, parse):
        if isinstance(item.value, dict):
            item.value["as_of"] = day
        yield item


class _Writer:
    def __init__(self, session: Session, ctx: ImportContext) -> None:
        self.s, self.ctx = session, ctx
        self.employers = Employers(session, summary=ctx.summary)
        self.pending: list[tuple[str, str, str]] = []  # a row's warnings, recorded once the row is written

    def person(self, item: Item, v: dict[str, Any]) -> tuple[int, str | None]:
        """(person id, "created", "updated" or None): matched or created; the country and the aliases kept."""
        ids = self.ctx.matcher.candidates(v["display_name"], v["email"])
        if v["email"] and v["email"] in self.ctx.matcher.by_email:
            ids = [self.ctx.matcher.by_email[v["email"]]]
        if len(ids) > 1:
            self.ctx.matcher.review(v["display_name"], v["email"], ids, item.line, item.raw, "ambiguous_person", "")
            raise RowError("ambiguous_person", f"{v['display_name']!r} matches {len(ids)} people; resolve it in the "
                           "review queue", column="First Name", value=v["display_name"])  # fmt: skip
        s = self.s
        outcome = None
        if ids:
            pid = ids[0]
            person = s.get(Person, pid)
            if v["country"] and person.country != v["country"]:
                self.ctx.audit("import.update.person", "person", pid, {"country": person.country},
                               {"country": v["country"]})  # fmt: skip
                person.country = v["country"]
                outcome = "updated"
        else:
            person = Person(display_name=v["display_name"][:200], email=v["email"], country=v["country"])
            s.add(person)
            s.flush()
            pid = person.id
            outcome = "created"
        have = set(s.scalars(select(PersonAlias.match_key).where(PersonAlias.person_id == pid)))
        for n in v["names"]:
            if person_key(n) and person_key(n) not in have:
                s.add(PersonAlias(person_id=pid, text=n[:200], kind="real_name", match_key=person_key(n),
                                  source=f"import:{self.ctx.batch.filename}"[:100]))  # fmt: skip
                have.add(person_key(n))
                outcome = outcome or "updated"
        s.flush()
        return pid, outcome

    def employment(self, item: Item, v: dict[str, Any], pid: int) -> str | None:
        """The person's contract with the Studio: "inserted", "updated", None (unchanged or not recorded)."""
        why = None
        if not v["studio"]:
            why = "no Studio"
        elif not v["employment_type"]:
            why = "no Contract Type"
        elif COUNTRY_JURISDICTION.get(v["country"] or "") is None:
            why = f"Country {v['country'] or '(blank)'} is not a jurisdiction Endroll applies (JP, US-CA)"
        if why:
            self.pending.append(("employment_not_recorded", f"the person was imported; their employment was not "
                                 f"recorded: {why}", "Contract Type"))  # fmt: skip
            return None
        employer = self.employers.id(v["studio"], "Studio")
        t = Employment.__table__
        terms = {c: v[c] for c in TERMS}
        current = self.s.execute(
            select(t).where(t.c.person_id == pid, t.c.employer_id == employer, t.c.end_date.is_(None))
            .order_by(t.c.start_date.desc(), t.c.id.desc()).limit(1)
        ).mappings().first()  # fmt: skip
        if current is None:
            self.s.execute(insert(t).values(person_id=pid, employer_id=employer, jurisdiction="JP",
                                            start_date=v["as_of"], **terms))  # fmt: skip
            self.pending.append(("contract_start_assumed", f"the export gives no contract start: the contract is "
                                 f"recorded from {v['as_of']}, the export's date, and without a prefecture (add them "
                                 "with an employment contracts file)", "Contract Type"))  # fmt: skip
            return "inserted"
        changed = {c: current[c] for c in TERMS if v[c] is not None and current[c] != v[c]}
        if not changed:
            return None
        self.s.execute(update(t).where(t.c.id == current["id"]).values(**{c: v[c] for c in changed}))
        self.ctx.audit("import.update.employment", "employment", current["id"], changed, {c: v[c] for c in changed})
        return "updated"

    def bot(self, v: dict[str, Any]) -> bool:
        """Record a bot account as a service; True when it is new."""
        key = person_key(v["display_name"])
        if self.s.scalar(select(Service.id).where(Service.match_key == key).limit(1)) is not None:
            return False
        self.s.execute(insert(Service).values(name=v["display_name"][:200], match_key=key[:200], kind="other"))
        self.ctx.summary.count("services_created")
        return True


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Each person (or bot) imported, updated or unchanged, with their contract (see the module docstring). A row
    is written whole or not at all (a savepoint), its audit events and warnings with it."""
    w = _Writer(session, ctx)
    for item, v in parsed(ctx, items):
        if v["bot"]:
            if w.bot(v):
                ctx.summary.imported += 1
            else:
                ctx.summary.unchanged += 1
            continue
        audits = len(ctx.audits)
        w.pending = []
        try:
            with session.begin_nested():
                pid, person = w.person(item, v)
                contract = w.employment(item, v, pid)
        except RowError as exc:
            del ctx.audits[audits:]
            ctx.reject(item.line, item.raw, exc)
            continue
        ctx.matcher.add(pid, v["email"], v["names"])
        for code, reason, column in w.pending:
            ctx.warn(item.line, item.raw, code, reason, column=column)
        if person == "created":
            ctx.summary.count("people_created")
            ctx.summary.imported += 1
        elif person or contract:
            ctx.summary.updated += 1
        else:
            ctx.summary.unchanged += 1
        if contract is not None:
            ctx.touched_people.add(pid)
    ctx.flush_side_rows()


def _header(h: Header) -> bool:
    return {"first name", "last name", "contract type", "daily salary"} <= h.keys


register(
    Format(
        name="kitsu_persons",
        label=N_("Kitsu persons export (;, people and their contracts)"),
        entity="person",
        read=read,
        write=write,
        order=105,
        header=_header,
    )
)
