"""The whole studio's findings are stored once per change of the data and read back unchanged, on both backends."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event, select

from analytics.findings import evaluate, findings
from analytics.findings import snapshot as snap
from data.engine import write_effects
from data.importers import import_file
from data.rollup import ROLLUPS, refresh
from data.schema import Base, Episode, FindingSnapshot, Person, RuleParameter
from data.snapshots import FINDINGS_SNAPSHOT, Versions, versions
from tests.analytics.builders import Studio

D = dt.date
ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "data" / "importers" / "templates"


def snap_versions(session) -> Versions:
    row = session.execute(select(FindingSnapshot.data_version, FindingSnapshot.global_version)).one()
    return Versions(*row)


def _counting(monkeypatch) -> list[dict]:
    calls: list[dict] = []

    def counted(**kwargs):
        calls.append({k: v for k, v in kwargs.items() if k != "session" and v is not None})
        return evaluate(**kwargs)

    monkeypatch.setattr(snap, "evaluate", counted)
    return calls


def test_snapshot_serves_the_same_findings_until_the_data_changes(session, monkeypatch) -> None:
    calls = _counting(monkeypatch)
    st = Studio(session)
    st.agreement()
    a = st.person("A")
    st.days(a, D(2025, 10, 6), 5, 12)  # 20 h over 8 h a day
    st.commit()
    first = snap.studio_findings(session=session)
    session.commit()
    assert len(calls) == 1 and not first.empty
    again = snap.studio_findings(session=session)
    session.commit()
    assert len(calls) == 1  # read back, not computed
    pd.testing.assert_frame_equal(again, first)
    pd.testing.assert_frame_equal(again, findings(session=session))

    b = st.person("B")  # a new person and contract, no work yet: their findings are none, nothing is evaluated
    session.commit()
    assert versions(session) != snap_versions(session)
    pd.testing.assert_frame_equal(snap.studio_findings(session=session), first)
    session.commit()
    assert len(calls) == 1 and versions(session) == snap_versions(session)

    st.days(b, D(2025, 10, 1), 20, 4)  # 20 days in a row: JP-OW-05; the work log write names B only
    session.flush()
    refresh(session, person_ids=[b.id])  # what an import does for the people in its file
    session.commit()
    after = snap.studio_findings(session=session)
    session.commit()
    assert calls[-1] == {"people": [b.id]} and len(calls) == 2  # only B evaluated, merged into the stored findings
    assert b.id in set(after.loc[after["rule_id"] == "JP-OW-05", "person_id"])
    pd.testing.assert_frame_equal(after, findings(session=session))
    assert snap.studio_findings(session=session) is not None and len(calls) == 2  # current again: read back

    st.work(a, D(2025, 10, 20), 13)  # A changes too: only A is evaluated, and A's old findings are replaced
    session.flush()
    refresh(session, person_ids=[a.id])
    session.commit()
    again = snap.studio_findings(session=session)
    session.commit()
    assert calls[-1] == {"people": [a.id]}
    pd.testing.assert_frame_equal(again, findings(session=session))

    refresh(session, person_ids=None)  # a refresh of everyone names no one in particular: all computed again
    session.commit()
    snap.studio_findings(session=session)
    session.commit()
    assert calls[-1] == {}

    n = len(calls)
    episode = Episode(production_id=st.production("P").id, number=2, label="2")  # findings never read these
    session.add(episode)
    session.commit()
    assert versions(session) == snap_versions(session)
    snap.studio_findings(session=session)
    assert len(calls) == n
    session.delete(episode)  # a delete can take work logs with it (ON DELETE CASCADE): all computed again
    session.commit()
    snap.studio_findings(session=session)
    session.commit()
    assert calls[-1] == {} and len(calls) == n + 1
    st.agreement(special=True)  # an employer's agreement is about everyone it employs: all computed again
    session.commit()
    snap.studio_findings(session=session)
    session.commit()
    assert calls[-1] == {} and len(calls) == n + 2


def test_snapshot_is_taken_again_on_a_new_day_or_new_reference_data(session, monkeypatch) -> None:
    calls = _counting(monkeypatch)
    st = Studio(session)
    st.days(st.person("A", employment_type="freelancer"), D(2025, 10, 1), 3, 5)
    st.commit()
    snap.studio_findings(session=session, today=D(2026, 1, 5))
    session.commit()
    snap.studio_findings(session=session, today=D(2026, 1, 5))
    session.commit()
    assert len(calls) == 1
    snap.studio_findings(session=session, today=D(2026, 1, 6))  # unpaid commissions age with the calendar
    session.commit()
    assert len(calls) == 2
    key = snap.snapshot_key(session)
    session.add(RuleParameter(jurisdiction="JP", key="test.extra", value={"value": 1}, effective_from=D(2025, 1, 1)))
    session.flush()
    assert snap.snapshot_key(session) != key  # seeded reference rows change the key even without a version bump
    session.rollback()


def _tables_read(engine, action) -> set[str]:
    """Every table named in a statement ``action`` runs (reads and writes)."""
    names, seen = set(Base.metadata.tables), set()

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.update(set(re.findall(r"\w+", statement)) & names)

    event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_the_tables_whose_writes_are_ignored_are_never_read_by_the_findings(demo_session, demo_engine) -> None:
    read = _tables_read(demo_engine, lambda: evaluate(session=demo_session))
    assert {"work_log", "employment", "person", "pay_item"} & read or {"rollup_person_day"} <= read  # it did trace
    assert read <= FINDINGS_SNAPSHOT.reads, read - FINDINGS_SNAPSHOT.reads  # every table read is declared
    # A refresh resolves what the rollups hold; of the tables whose new or changed rows are ignored it reads only
    # production, for the rollup's main production of a person-month (ties broken by title), a label column the
    # findings do not read.
    person = demo_session.scalar(select(Person.id).order_by(Person.id).limit(1))
    refreshed = _tables_read(demo_engine, lambda: refresh(demo_session, person_ids=[person]))
    demo_session.rollback()
    ignored = refreshed - write_effects().depends - ROLLUPS.stores - FINDINGS_SNAPSHOT.stores
    assert ignored <= set(ROLLUPS.labels) == {"production"}
    loaded = subprocess.run(  # the analytics modules the findings engine loads, in a fresh interpreter
        [sys.executable, "-c", "import sys, analytics.findings; print(*[m.__file__ for n, m in sys.modules.items() "
         "if n.startswith('analytics')])"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout.split()  # fmt: skip
    labels = [column.split(".")[1] for column in ROLLUPS.labels.values()]
    assert labels == ["main_production_id"]
    assert len(loaded) > 5 and not [f for f in loaded if any(c in Path(f).read_text() for c in labels)]


def test_renaming_a_person_shows_at_once_without_evaluating_anything(session, monkeypatch) -> None:
    calls = _counting(monkeypatch)
    st = Studio(session)
    a = st.person("A", employment_type="freelancer")
    st.days(a, D(2025, 10, 1), 15, 4)  # JP-OW-05
    st.commit()
    assert set(snap.studio_findings(session=session)["person"]) == {"A"}
    session.commit()
    a.display_name = "Aiko"
    session.commit()
    renamed = snap.studio_findings(session=session)
    session.commit()
    assert len(calls) == 1 and set(renamed["person"]) == {"Aiko"}
    pd.testing.assert_frame_equal(renamed, findings(session=session))


def test_importing_credits_evaluates_nothing_again(session, monkeypatch) -> None:
    calls = _counting(monkeypatch)
    st = Studio(session)
    a = st.person("A", employment_type="freelancer")
    st.days(a, D(2025, 10, 1), 15, 4)
    st.commit()
    before = snap.studio_findings(session=session)
    session.commit()
    # Productions, organizations, aliases, credit lines, an import batch: nothing a finding is computed from.
    summary = import_file(session, path=TEMPLATES / "credits.csv")
    assert summary.imported > 0
    pd.testing.assert_frame_equal(snap.studio_findings(session=session), before)
    session.commit()
    assert len(calls) == 1


def test_a_leave_entry_can_change_anyones_findings_so_all_are_evaluated(session, monkeypatch) -> None:
    """JP-LEAVE-01 judges every ledger up to the studio's latest entry: B's new entry brings A's grant year in."""
    calls = _counting(monkeypatch)
    st = Studio(session)
    a = st.person("A", since=D(2021, 4, 1))
    b = st.person("B", since=D(2022, 6, 1))
    st.days(a, D(2022, 4, 4), 3, 8)
    st.leave(a, "grant", D(2021, 10, 1), 10)
    st.leave(a, "taken", D(2022, 9, 29), 1)
    st.commit()
    before = snap.studio_findings(session=session)
    assert "A" not in set(before.loc[before["rule_id"] == "JP-LEAVE-01", "person"])
    session.commit()
    st.leave(b, "taken", D(2022, 9, 30), 1)
    session.flush()
    refresh(session, person_ids=[b.id])
    session.commit()
    after = snap.studio_findings(session=session)
    session.commit()
    assert calls[-1] == {} and "A" in set(after.loc[after["rule_id"] == "JP-LEAVE-01", "person"])
    pd.testing.assert_frame_equal(after, findings(session=session))


def test_a_few_columns_of_the_studios_findings_are_the_same_rows_as_all_of_them(session, monkeypatch) -> None:
    # studio_columns reads only some columns of the stored file; whether it computes, reads back, merges one
    # person's new findings or serves the stored file as it is, it gives the columns of studio_findings' rows.
    calls = _counting(monkeypatch)
    st = Studio(session)
    st.agreement()
    a, b = st.person("A"), st.person("B")
    st.days(a, D(2025, 10, 6), 5, 12)
    st.days(b, D(2025, 10, 1), 20, 4)
    st.commit()
    wanted = ["rule_id", "person_id", "group", "period_end", "measured_value"]

    def same() -> None:
        narrow = snap.studio_columns(session, columns=wanted)
        session.commit()
        whole = snap.studio_findings(session=session)
        session.commit()
        assert list(narrow.columns) == wanted and len(narrow) > 2
        pd.testing.assert_frame_equal(narrow, whole[wanted])

    same()  # computed by the narrow call, read back by the whole one
    assert len(calls) == 1
    same()  # both read back
    st.work(a, D(2025, 10, 20), 13)  # A's findings evaluated again and merged in
    session.flush()
    refresh(session, person_ids=[a.id])
    session.commit()
    same()
    assert calls[-1] == {"people": [a.id]} and len(calls) == 2
    with snap.serving_stored():
        same()
    assert len(calls) == 2
    with pytest.raises(ValueError, match="person"):
        snap.studio_columns(session, columns=["rule_id", "person"])
