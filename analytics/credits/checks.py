"""The credit checks stored per production (issue 22): the validation and labor cross-check of
:func:`analytics.credits.crosscheck.check_production`, computed by the background worker after writes
(:func:`refresh_credit_checks`, one step per production) and read by the Credits page (:func:`stored_report`) so a
visit never waits for the cross-check of a large production.

A production's stored check stands for the credits version it read (``data.credit_checks``): any committed write to
a table the checks read (:data:`data.snapshots.CREDIT_CHECKS`) moves that version on, and the worker then checks
again every production whose stored check is older (or was computed by other code: ``key``). The write tracking
cannot tell which production a write was about, so a write is about all of them — unless the writer said which
productions it changed (``data.engine.about_productions``: the Credits page's fixes), whose commit moves only those
productions' own versions on (``credit_check_due``), and the worker checks only them again. A fix made on the
Credits page rechecks its own production at once (:func:`refresh_production`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from analytics.credits.crosscheck import check_production
from analytics.credits.endroll import build_end_roll, roll_characters
from analytics.credits.model import Finding, ValidationReport
from data.credit_checks import (
    FINDING_COLUMNS,
    CheckMark,
    check_mark,
    check_marks,
    credits_version,
    due_state,
    due_version,
    due_versions,
    production_ids,
    store_check,
    stored_check,
)
from data.credit_rules import Severity
from data.derived import CREDITS, mark_fresh, stale_since

ROOT = Path(__file__).resolve().parent.parent.parent
# The code a check's result depends on: the validator, the cross-check and their reads, the credit grammar and rules.
_CODE = ("analytics/credits", "analytics/queries/credits.py", "analytics/queries/credits_checks.py",
         "data/credit_rules.py", "data/credit_records.py", "data/credits", "data/names.py")  # fmt: skip

Progress = Callable[[int, int], None]  # (steps done, steps in all)


@cache
def checks_key() -> str:
    """The digest of the code a stored check was computed with (a check stored by other code is not current)."""
    digest = hashlib.sha256()
    for name in _CODE:
        path = ROOT / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(ROOT).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def is_current_mark(mark: CheckMark | None, *, version: int, due: int = 0) -> bool:
    """True when a stored check (its ``mark``) is the one a computation at credits version ``version`` and its
    production's own version ``due`` would give."""
    return (mark is not None and mark.credits_version == version and mark.production_version == due
            and mark.key == checks_key())  # fmt: skip


def refresh_production(session: Session, *, production_id: int) -> bool:
    """Check one production now and store the result at the credits version read first (a write committed
    meanwhile leaves it stale, to be checked again), with the characters its end roll draws (the page's PDF check
    reads them instead of building the roll); False when it could not be stored (checked at once elsewhere, or the
    database too busy)."""
    version, due = credits_version(session), due_version(session, production_id=production_id)
    report = check_production(session, production=production_id)
    rows = [{c: d[c] for c in FINDING_COLUMNS} for d in (f.as_dict() for f in report.findings)]
    roll = build_end_roll(session, production=production_id, findings=report.findings)
    return store_check(session, production_id=production_id, version=version, key=checks_key(),
                       credits_checked=report.credits_checked, findings=rows,
                       roll_characters=roll_characters(roll), production_version=due)  # fmt: skip


@dataclass(frozen=True)
class Refreshed:
    """``checked``: the productions checked this run; ``at``: the credits version they were all current at (None
    when a write came in during the run, so some are stale again)."""

    checked: int
    at: int | None


def stale_productions(session: Session) -> list[int]:
    """The productions whose stored check is not current, never-checked ones first, then by id."""
    version, marks, dues = credits_version(session), check_marks(session), due_versions(session)
    stale = [p for p in production_ids(session)
             if not is_current_mark(marks.get(p), version=version, due=dues.get(p, 0))]  # fmt: skip
    return sorted(stale, key=lambda p: (p in marks, p))


def refresh_credit_checks(
    begin: Callable[[], Session], *, progress: Progress | None = None, pause: Callable[[], bool] | None = None
) -> Refreshed:
    """Check every production whose stored check is not current, one transaction per production (``begin()``: a
    context manager yielding a session that commits on exit), telling ``progress`` after each; then clear the
    credits' stale marker when nothing was written meanwhile. ``pause()`` true between two productions ends the run
    early (more urgent work came in: the findings); the checks stored so far stand and the next run goes on."""
    with begin() as session:
        todo = stale_productions(session)
    if progress is not None:
        progress(0, len(todo))
    for step, production_id in enumerate(todo, start=1):
        if step > 1 and pause is not None and pause():
            return Refreshed(step - 1, None)
        with begin() as session:
            refresh_production(session, production_id=production_id)
        if progress is not None:
            progress(step, len(todo))
    with begin() as session:
        if stale_productions(session):
            return Refreshed(len(todo), None)
        version = credits_version(session)
        mark_fresh(session, version=version, kind=CREDITS)
        return Refreshed(len(todo), version)


def all_current(session: Session) -> bool:
    """True when every production's stored check is current (nothing for the worker to do)."""
    return not stale_productions(session)


def stored_report(session: Session, *, production_id: int) -> tuple[CheckMark, ValidationReport] | None:
    """A production's stored check as the validator's report (the same findings, in the same order, as
    :func:`check_production` gave when it was computed) and its mark; None when it was never computed."""
    found = stored_check(session, production_id=production_id)
    if found is None:
        return None
    mark, rows = found
    findings = [Finding(**{**r, "severity": Severity(r["severity"])}) for r in rows]
    return mark, ValidationReport(findings=findings, credits_checked=mark.credits_checked)


@dataclass(frozen=True)
class CheckState:
    """How current one production's stored check is: ``current``; ``updated_at`` (naive UTC; None: never
    computed); ``stale_since``: the first write since the checks were last all current (naive UTC)."""

    current: bool
    updated_at: dt.datetime | None
    stale_since: dt.datetime | None


def check_state(session: Session, *, production_id: int) -> CheckState:
    """How current a production's stored check is (cheap: never reads its findings)."""
    mark = check_mark(session, production_id=production_id)
    due, since = due_state(session, production_id=production_id)
    return CheckState(
        current=is_current_mark(mark, version=credits_version(session), due=due),
        updated_at=None if mark is None else mark.computed_at,
        # The studio-wide marker, else this production's own (a write that named it, once the others were current).
        stale_since=stale_since(session, CREDITS) or since,
    )
