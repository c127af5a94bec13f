"""The rollups' declaration (data.rollup.reads.ROLLUPS) is true: a refresh of one person and of everyone reads only
the tables it names, on the demo studio."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from data.rollup import ROLLUPS, refresh
from data.schema import Base, Person
from data.snapshots import FINDINGS_SNAPSHOT


def _tables_named(engine: Engine, action: Callable[[], object]) -> set[str]:
    names, seen = set(Base.metadata.tables), set()

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.update(set(re.findall(r"\w+", statement)) & names)

    event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_a_refresh_reads_what_the_rollups_declare(demo_session: Session, demo_engine: Engine) -> None:
    declared = ROLLUPS.reads | ROLLUPS.stores | set(ROLLUPS.labels) | {"finding_stale_person"}
    assert "finding_stale_person" in FINDINGS_SNAPSHOT.stores  # where a refresh names the people it recomputed
    person = demo_session.scalar(select(Person.id).order_by(Person.id).limit(1))
    for people in ([person], None):
        named = _tables_named(demo_engine, lambda people=people: refresh(demo_session, person_ids=people))
        demo_session.rollback()
        assert {"work_log", "pay_item", "rollup_person_day"} <= named  # it did trace
        assert named <= declared, named - declared
    assert ROLLUPS.per_person <= ROLLUPS.reads and ROLLUPS.names_people
