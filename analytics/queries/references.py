"""Where a person is referred to: every column of every table that holds a person's id, read from the schema's
metadata (so a table added later is counted without anyone listing it), and how many rows of each refer to one
person. What a merge of two records moves (:func:`services.people.merge_people`) and what the People page shows
before it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Table, func, select
from sqlalchemy.orm import Session

from data.rollup.reads import ROLLUPS
from data.schema import Base, Person
from data.snapshots import CREDIT_CHECKS, FINDINGS_SNAPSHOT

# Rows recomputed from the others (the rollups, the findings' queue of people to evaluate again, the stored credit
# checks): a merge moves none of them; a rollup refresh of both records recomputes them, and the merge's writes make
# the credit checks stale.
DERIVED = ROLLUPS.stores | FINDINGS_SNAPSHOT.stores | CREDIT_CHECKS.stores


@dataclass(frozen=True)
class PersonColumn:
    """A column holding a person's id: its ``table``, ``column``, and whether the table is ``derived`` data."""

    table: Table
    column: Column
    derived: bool

    @property
    def name(self) -> str:
        """``table`` when the table has one such column, else ``table.column`` (pen-name requests have two)."""
        others = [c for c in person_columns() if c.table is self.table]
        return self.table.name if len(others) == 1 else f"{self.table.name}.{self.column.name}"


def _refers_to_person(column: Column) -> bool:
    if any(fk.column.table is Person.__table__ for fk in column.foreign_keys):
        return True
    # A column named for a person but kept without a foreign key (the findings' queue of stale people).
    return column.name == "person_id" and column.table is not Person.__table__


def person_columns() -> tuple[PersonColumn, ...]:
    """Every column of the schema that holds a person's id (a foreign key to ``person.id``, or a ``person_id``
    column without one), in table order."""
    return tuple(
        PersonColumn(table, column, table.name in DERIVED)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if _refers_to_person(column)
    )


def reference_counts(session: Session, *, person_id: int) -> dict[str, int]:
    """How many rows of each table (:attr:`PersonColumn.name`) refer to ``person_id``, derived tables left out;
    tables with none are left out."""
    counts = {}
    for ref in person_columns():
        if ref.derived:
            continue
        n = session.scalar(select(func.count()).select_from(ref.table).where(ref.column == person_id)) or 0
        if n:
            counts[ref.name] = int(n)
    return counts
