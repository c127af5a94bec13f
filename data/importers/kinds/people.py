"""People (``canonical_people``): one row per person, matched by email, then by name; new people created, known
ones updated (audited) and their other credited spellings added as aliases."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.i18n import N_
from data.importers import units as u
from data.importers.cells import check_required, g
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.reading import mapped
from data.importers.registry import Column, Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.names import is_placeholder_name, person_key
from data.schema import VISIBILITY, Person, PersonAlias

COLUMNS = (
    Column("display_name", True, "text", "山田 花子", "The name the person chose to be credited as."),
    Column("email", False, "text", "hanako@example.jp", "Unique; the strongest key for matching work logs."),
    Column("family_name", False, "text", "山田", "Native script."),
    Column("given_name", False, "text", "花子", "Native script."),
    Column("family_kana", False, "text", "やまだ", ""),
    Column("given_kana", False, "text", "はなこ", ""),
    Column("family_romaji", False, "text", "Yamada", "With macrons where they apply (Ōno)."),
    Column("given_romaji", False, "text", "Hanako", ""),
    Column("pen_name", False, "text", "", ""),
    Column("aliases", False, "text, |-separated", "山田花子|Hanako Yamada", "Other credited spellings."),
    Column("visibility", False, "public / pen_name_only / private", "public", "Default public."),
    Column("country", False, "ISO 3166 alpha-2", "JP", ""),
)
PERSON_FIELDS = (
    "display_name",
    "email",
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "family_romaji",
    "given_romaji",
    "pen_name",
    "visibility",
    "country",
)


def parse(row: SourceRow) -> dict[str, Any]:
    """A canonical people row → the person's fields (PERSON_FIELDS) and ``aliases``."""
    check_required(row, COLUMNS)
    vis = u.text(g(row, "visibility")) or "public"
    if vis not in VISIBILITY:
        raise RowError("bad_value", f"visibility must be one of {VISIBILITY}", column="visibility", value=vis)
    email = u.text(g(row, "email"))
    if email and "@" not in email:
        raise RowError("bad_email", N_("email must contain @"), column="email", value=email)
    out: dict[str, Any] = {
        "display_name": g(row, "display_name").strip(),
        "email": email.lower() if email else None,
        "visibility": vis,
        "aliases": [a.strip() for a in g(row, "aliases").split("|") if a.strip()],
    }
    for col in (
        "family_name",
        "given_name",
        "family_kana",
        "given_kana",
        "family_romaji",
        "given_romaji",
        "pen_name",
        "country",
    ):
        out[col] = u.text(g(row, col))
    if out["country"] and len(out["country"]) != 2:
        raise RowError("bad_value", N_("country must be a 2-letter code"), column="country", value=out["country"])
    names = [(c, out[c]) for c in ("display_name", "family_name", "given_name", "pen_name") if out[c]]
    for column, name in [*names, *(("aliases", a) for a in out["aliases"])]:
        if is_placeholder_name(name):  # the credit validator's placeholders are nobody's name
            raise RowError("placeholder_name", f"{name!r} is a placeholder, not a person's name", column=column,
                           value=name)  # fmt: skip
    return out


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`."""
    return mapped(source.path, parse)


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Each person created, updated (an audit event of the changed fields) or left alone; each of their names not
    yet an alias added as one. A name that matches several people is queued for review and rejected."""
    s = session
    for item in items:
        ctx.row()
        v = item.value
        if isinstance(v, RowError):
            ctx.reject(item.line, item.raw, v)
            continue
        if not person_key(v["display_name"]):
            ctx.reject(
                item.line,
                item.raw,
                RowError("bad_name", N_("display_name has no letters"), column="display_name", value=v["display_name"]),
            )
            continue
        ids = ctx.matcher.candidates(v["display_name"], v["email"])
        if v["email"] and v["email"] in ctx.matcher.by_email:
            ids = [ctx.matcher.by_email[v["email"]]]
        if len(ids) > 1:
            ctx.matcher.review(v["display_name"], v["email"], ids, item.line, item.raw, "ambiguous_person", "")
            ctx.reject(
                item.line,
                item.raw,
                RowError(
                    "ambiguous_person",
                    f"{v['display_name']!r} matches {len(ids)} people; resolve it in the review queue",
                    column="display_name",
                    value=v["display_name"],
                ),
            )
            continue
        names = [v["display_name"], *v["aliases"]]
        if not ids:
            fields = {f: v[f] for f in PERSON_FIELDS}
            try:
                with s.begin_nested():
                    person = Person(**fields)
                    s.add(person)
                    s.flush()
            except IntegrityError as exc:
                ctx.reject(item.line, item.raw, RowError("database_constraint", f"the database refused it: {exc.orig}"))
                continue
            pid = person.id
            ctx.summary.imported += 1
            changed = True
        else:
            pid = ids[0]
            person = s.get(Person, pid)
            old = {f: getattr(person, f) for f in PERSON_FIELDS if v[f] is not None and getattr(person, f) != v[f]}
            if old:
                for f in old:
                    setattr(person, f, v[f])
                ctx.audit("import.update.person", "person", pid, old, {f: v[f] for f in old})
            changed = bool(old)
        have = set(s.scalars(select(PersonAlias.text).where(PersonAlias.person_id == pid)))
        for n in names:
            if n and n[:200] not in have and person_key(n):
                s.add(
                    PersonAlias(
                        person_id=pid,
                        text=n[:200],
                        kind="real_name" if n == names[0] else "pen_name",
                        match_key=person_key(n),
                        source=f"import:{ctx.batch.filename}"[:100],
                    )
                )
                have.add(n[:200])
                changed = True
        s.flush()
        if ids:
            if changed:
                ctx.summary.updated += 1
            else:
                ctx.summary.unchanged += 1
        ctx.matcher.add(pid, v["email"], names)
    ctx.flush_side_rows()


def _header(h: Header) -> bool:
    return "display_name" in h.keys


register(
    Format(
        name="canonical_people",
        label=N_("Endroll people (CSV/XLSX)"),
        entity="person",
        read=read,
        write=write,
        order=50,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        columns=COLUMNS,
        template="people",
    )
)
