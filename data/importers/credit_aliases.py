"""The aliases credit lines point at, found or created a chunk at a time: organization aliases (and their
organizations) by match key, the unlinked aliases of public names by their text, and for a studio's own credits the
alias of the one person a name's key belongs to. Also the two bulk writes the credit writer uses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data.credits.organizations import entity_key
from data.engine import raw_write
from data.importers.context import ImportContext
from data.names import person_key as _person_key
from data.schema import OrgAlias, Organization, PersonAlias, text_hash

IN_LIST = 500  # keys per IN (...) list
person_key = lru_cache(maxsize=200_000)(_person_key)  # a name repeats across a file's credits


def chunks(values: Sequence[Any], size: int = IN_LIST) -> Iterator[Sequence[Any]]:
    """``values`` in slices of ``size``: the keys of one ``IN (...)`` list each."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


class Aliases:
    """The aliases of one import, cached by key once found or created."""

    def __init__(self, session: Session, *, ctx: ImportContext) -> None:
        self.s = session
        self.ctx = ctx
        self.org_aliases: dict[str, tuple[int, int]] = {}  # match key → (alias id, organization id)
        self.orgs_by_hash: dict[str, int] = {}
        self.public_aliases: dict[str, int] = {}  # text → unlinked alias id
        self.person_rows: dict[str, list[tuple[int, int | None, str]]] = {}
        # A table empty when the import began holds only what this import made, and that is cached: no need to ask.
        self.no_people = session.scalar(select(PersonAlias.id).limit(1)) is None
        self.no_orgs = session.scalar(select(OrgAlias.id).limit(1)) is None
        self.no_organizations = session.scalar(select(Organization.id).limit(1)) is None

    def insert_ids(self, table: Any, rows: list[dict[str, Any]]) -> list[int] | None:
        """Insert ``rows`` and return their ids in order where the database returns them cheaply (PostgreSQL: a
        RETURNING executemany, many rows per statement); None on SQLite, whose RETURNING goes row by row: the
        caller then reads the ids back by key, which costs nothing in process."""
        conn = self.s.connection()
        if conn.dialect.name == "sqlite":
            self.insert(table, rows)
            return None
        return list(conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())

    def insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        """``rows`` (dicts with the same keys) into ``table`` in one executemany. On SQLite, of plain SQL: building
        parameters through the SQL compiler row by row was a third of a large import's write time there. On a server,
        through SQLAlchemy, which sends many rows per statement (one round trip per row would cost more)."""
        conn = self.s.connection()
        if conn.dialect.name != "sqlite":
            conn.execute(insert(table), rows)
            return
        names = list(rows[0])
        marks = ", ".join("?" for _ in names)
        # Positional parameters: SQLite binds them a quarter faster than named ones, more than the tuples cost.
        values = [tuple(row[n] for n in names) for row in rows]
        # Named, so the engine counts the rows for what they are (data.engine.raw_write), not as a studio-wide write.
        conn.exec_driver_sql(
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})",
            values,
            execution_options=raw_write(table),
        )

    def ensure_orgs(self, texts: Iterable[str]) -> None:
        """Every organization text has an alias (and its organization), found by match key or created."""
        by_key: dict[str, str] = {}
        for t in texts:
            by_key.setdefault(entity_key(t), t)
        keys = [k for k in by_key if k not in self.org_aliases]
        for part in chunks([] if self.no_orgs else keys):
            for aid, oid, key in self.s.execute(
                select(OrgAlias.id, OrgAlias.organization_id, OrgAlias.match_key)
                .where(OrgAlias.match_key.in_(part))
                .order_by(OrgAlias.id)
            ):
                self.org_aliases.setdefault(key, (aid, oid))
        missing = [k for k in keys if k not in self.org_aliases]
        if not missing:
            return
        names = {k: by_key[k].replace("[ロゴ]", "").strip() or by_key[k] for k in missing}
        hashes = {k: text_hash(n) for k, n in names.items()}
        wanted = [] if self.no_organizations else [h for h in set(hashes.values()) if h not in self.orgs_by_hash]
        for part in chunks(wanted):
            for oid, h in self.s.execute(
                select(Organization.id, Organization.name_hash).where(Organization.name_hash.in_(part))
            ):
                self.orgs_by_hash[h] = oid
        to_create = {hashes[k]: names[k] for k in missing if hashes[k] not in self.orgs_by_hash}
        if to_create:
            values = [{"name": n, "name_hash": h, "kind": "other"} for h, n in to_create.items()]
            self.s.execute(insert(Organization.__table__), values)
            for part in chunks(list(to_create)):
                for oid, h in self.s.execute(
                    select(Organization.id, Organization.name_hash).where(Organization.name_hash.in_(part))
                ):
                    self.orgs_by_hash[h] = oid
            self.ctx.summary.count("organizations_created", len(values))
        values = [{"organization_id": self.orgs_by_hash[hashes[k]], "text": by_key[k], "text_hash": text_hash(by_key[k]),
                   "match_key": k} for k in missing]  # fmt: skip
        self.s.execute(insert(OrgAlias.__table__), values)
        for part in chunks(missing):
            for aid, oid, key in self.s.execute(
                select(OrgAlias.id, OrgAlias.organization_id, OrgAlias.match_key)
                .where(OrgAlias.match_key.in_(part))
                .order_by(OrgAlias.id)
            ):
                self.org_aliases.setdefault(key, (aid, oid))

    # people

    def ensure_public(self, names: list[str]) -> None:
        """Every public name has an unlinked alias of its own text (found or created): never a person's alias."""
        texts = sorted({n[:200] for n in names} - set(self.public_aliases))
        if not self.no_people:
            self._find_public(texts)
        missing = [t for t in texts if t not in self.public_aliases]
        if not missing:
            return
        source = f"import:{self.ctx.batch.filename}"[:100]
        values = [{"person_id": None, "text": t, "kind": "real_name", "match_key": person_key(t), "public": True,
                   "source": source} for t in missing]  # fmt: skip
        ids = self.insert_ids(PersonAlias.__table__, values)
        if ids is None:
            self._find_public(missing)
        else:
            self.public_aliases.update(zip(missing, ids, strict=True))
        self.ctx.summary.count("person_aliases_unlinked", len(missing))

    def _find_public(self, texts: list[str]) -> None:
        # By match key, which is indexed (an IN list on the unindexed text made PostgreSQL scan the table per query).
        wanted = set(texts)
        for part in chunks(sorted({person_key(t) for t in texts})):
            for aid, text_ in self.s.execute(
                select(PersonAlias.id, PersonAlias.text)
                .where(PersonAlias.person_id.is_(None), PersonAlias.match_key.in_(part))
                .order_by(PersonAlias.id)
            ):
                if text_ in wanted:
                    self.public_aliases.setdefault(text_, aid)

    def load_person_keys(self, names: list[str]) -> None:
        keys = sorted({person_key(n) for n in names} - set(self.person_rows))
        for k in keys:
            self.person_rows[k] = []
        for part in chunks(keys):
            for aid, pid, text_, key in self.s.execute(
                select(PersonAlias.id, PersonAlias.person_id, PersonAlias.text, PersonAlias.match_key)
                .where(PersonAlias.match_key.in_(part))
                .order_by(PersonAlias.id)
            ):
                self.person_rows[key].append((aid, pid, text_))

    def link_people(self, lines: list[tuple[dict[str, Any], str]]) -> None:
        """A studio's own credit: the alias of the one person whose key the name matches, else an unlinked alias
        (a human links it); created when the exact text is new."""
        wanted: dict[tuple[int | None, str], list[dict[str, Any]]] = {}
        for line, name in lines:
            if line["org_alias_id"] is not None or line["person_alias_id"] is not None:
                continue
            key = person_key(name)
            rows = self.person_rows[key]
            people = {pid for _, pid, _ in rows if pid is not None}
            owner = next(iter(people)) if len(people) == 1 else None
            found = next((aid for aid, pid, t in rows if pid == owner and t == name[:200]), None)
            if found is not None:
                line["person_alias_id"] = found
            else:
                wanted.setdefault((owner, name[:200]), []).append(line)
        if not wanted:
            return
        source = f"import:{self.ctx.batch.filename}"[:100]
        order = list(wanted)
        values = [{"person_id": owner, "text": t, "kind": "real_name" if owner is None else "variant_spelling",
                   "match_key": person_key(t), "public": True, "source": source} for owner, t in order]  # fmt: skip
        ids = self.insert_ids(PersonAlias.__table__, values)
        made: dict[tuple[int | None, str], int] = dict(zip(order, ids, strict=True)) if ids is not None else {}
        for part in chunks(sorted({person_key(t) for _, t in order}) if ids is None else []):
            for aid, pid, t in self.s.execute(
                select(PersonAlias.id, PersonAlias.person_id, PersonAlias.text)
                .where(PersonAlias.match_key.in_(part))
                .order_by(PersonAlias.id)
            ):
                made.setdefault((pid, t), aid)
        for owner, t in order:
            aid = made[(owner, t)]
            self.person_rows[person_key(t)].append((aid, owner, t))
            for line in wanted[(owner, t)]:
                line["person_alias_id"] = aid
            self.ctx.summary.count("person_aliases_linked" if owner else "person_aliases_unlinked")
