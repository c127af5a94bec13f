"""Every hour accounted for (issue 14): for every timesheet format, hours stored + hours in rejected rows = the file's
durations summed with plain pandas, to the second, on exports shaped like the real ones; re-importing adds nothing,
and an export overlapping an earlier one by weeks adds exactly its new entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from data.importers import import_file
from data.schema import AiUsage, Production, WorkLog
from tests.data.importers import exports
from tests.data.importers.helpers import FIX, balanced
from tests.data.importers.sums import every_hour_accounted

FIRST = dt.date(2025, 4, 1)  # four weeks of April: the Kitsu grid's month


def _writer(name: str) -> tuple[str, Callable[[Path, list[exports.Entry]], Path], str, bool]:
    """(format, writer, the encoding pandas reads it with, whole minutes only) of a case."""
    return {
        "toggl": ("toggl", exports.toggl, "utf-8-sig", False),
        "toggl_utf8_lf": ("toggl", lambda p, e: exports.toggl(p, e, encoding="utf-8", newline="\n"), "utf-8", False),
        "clockify": ("clockify", exports.clockify, "utf-8", False),
        "clockify_no_durations": ("clockify", lambda p, e: exports.clockify(p, e, durations=False), "utf-8", False),
        "kimai_ja_cp932": ("kimai", exports.kimai, "cp932", False),
        "kimai_en": ("kimai", lambda p, e: exports.kimai(p, e, encoding="utf-8", japanese=False), "utf-8", False),
        "kitsu_time_spent": ("kitsu_time_spent", exports.kitsu_time_spent, "utf-8", False),
        "kitsu_timesheet": ("kitsu_timesheet", lambda p, e: exports.kitsu_grid(p, e, first=FIRST), "utf-8", False),
        "ftrack_utf16": ("ftrack", exports.ftrack, "utf-16", False),
        "shotgrid": ("shotgrid", exports.shotgrid, "utf-8", False),
        "canonical_cp932": ("canonical_work_logs", exports.canonical, "cp932", False),
    }[name]


CASES = [
    "toggl",
    "toggl_utf8_lf",
    "clockify",
    "clockify_no_durations",
    "kimai_ja_cp932",
    "kimai_en",
    "kitsu_time_spent",
    "kitsu_timesheet",
    "ftrack_utf16",
    "shotgrid",
    "canonical_cp932",
]


@pytest.fixture
def studio(session: Session) -> Session:
    session.add_all([Production(title="星の庭", kind="tv"), Production(title="Sky Runner", kind="tv")])
    session.commit()
    assert import_file(session, path=FIX / "people.csv").imported == 3
    return session


def _stored(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(WorkLog)) + session.scalar(
        select(func.count()).select_from(AiUsage)
    )


@pytest.mark.parametrize("case", CASES)
def test_every_hour_of_an_export_is_stored_or_in_a_rejected_row(studio: Session, tmp_path: Path, case: str) -> None:
    fmt, write, encoding, _ = _writer(case)
    entries = exports.scenario(FIRST, 28)
    path = write(tmp_path / f"{case}_2025-04.csv", entries)
    first = import_file(studio, path=path)
    assert first.format == fmt
    balanced(first)
    sums = every_hour_accounted(studio, first, path, encoding=encoding)
    assert sums["stored"] > 0 and first.imported > 0, sums
    # Entries that share a start time are distinct entries, all of them imported (with an overlap warning).
    if fmt in {"toggl", "clockify", "canonical_work_logs"}:
        assert first.warnings_by_reason.get("overlapping_entry", 0) > 0
        assert "duplicate_row" not in first.rejected_by_reason
    # Re-importing the same file adds nothing.
    before = _stored(studio)
    again = import_file(studio, path=path)
    balanced(again)
    assert (again.imported, again.updated, _stored(studio)) == (0, 0, before)
    assert again.unchanged == first.imported + first.updated


@pytest.mark.parametrize("case", CASES)
def test_an_export_overlapping_an_earlier_one_adds_exactly_its_new_entries(
    studio: Session, tmp_path: Path, case: str
) -> None:
    """Weeks 1–3, then weeks 2–4: the second file adds exactly the entries the whole four weeks hold beyond the
    first three (the entries of weeks 2 and 3 it carries again are unchanged)."""
    fmt, write, _, _ = _writer(case)
    entries = exports.scenario(FIRST, 28)
    cut_a, cut_b = FIRST + dt.timedelta(days=21), FIRST + dt.timedelta(days=7)
    whole = import_file(studio, path=write(tmp_path / "all_2025-04.csv", entries))
    everything = _stored(studio)
    studio.execute(delete(WorkLog))
    studio.execute(delete(AiUsage))
    studio.commit()
    a = import_file(studio, path=write(tmp_path / "a_2025-04.csv", [e for e in entries if e.day < cut_a]))
    after_a = _stored(studio)
    b = import_file(studio, path=write(tmp_path / "b_2025-04.csv", [e for e in entries if e.day >= cut_b]))
    balanced(b)
    assert _stored(studio) == everything == whole.imported, (fmt, everything, whole.summary if False else None)
    assert b.imported == everything - after_a == everything - a.imported
    assert b.updated == 0


def test_a_200000_row_toggl_export_with_shared_start_times_keeps_every_hour(studio: Session, tmp_path: Path) -> None:
    """Issue 14's done-when: 200,000 rows, 30 % of them starting at the same second as another entry of the day."""
    path = exports.big_toggl(tmp_path / "toggl_200k.csv", 200_000)
    head = pd.read_csv(path, encoding="utf-8-sig", dtype=str, usecols=["Email", "Start date", "Start time"])
    assert 0.29 < head.duplicated().mean() < 0.31  # the share of entries starting at another's second
    s = import_file(studio, path=path, create_people=True)
    balanced(s)
    sums = every_hour_accounted(studio, s, path, encoding="utf-8-sig")
    assert (s.rows_total, s.imported, s.rejected) == (200_000, 200_000, 0), s.rejected_by_reason
    assert sums["stored"] == sums["file"] and s.warnings_by_reason["overlapping_entry"] > 30_000
