"""The whole studio's findings, kept between requests: computed once per change of the data, read by everyone.

A first visit of the Workload, Pay or Aggregates page needs the studio's findings (15 s to compute at 5 M work
logs); a filter selects from them (:class:`analytics.findings.Selection`). The result is stored as a Parquet file
(``data.snapshots``) with what it was computed from:

* the data version, which every committed write through Endroll's engines moves on (``data.engine.track_writes``);
* a digest of the engine's code (``analytics/``), of the schema revision (migrations run untracked) and of the
  reference tables seeded at start-up (rule parameters, minimum wages, roles), which change without going through
  an application write;
* the day it was computed on (unpaid commissions become late with the calendar).

Every later caller with the same day and versions reads the file instead of recomputing. Writes made outside Endroll
(a SQL console) do not move the version; any write through Endroll afterwards does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy.orm import Session

from analytics.errors import FindingsNotReady
from analytics.findings import STUDIO, Progress, Selection, evaluate
from analytics.findings.context import EVALUATED_COLUMNS, finding_order
from analytics.findings.memory import hand_back_memory
from analytics.queries.snapshot import reference_marks
from analytics.scope import Scope
from data.derived import newest_findings, newest_snapshot
from data.snapshots import Versions, latest_findings, stale_people, store_findings, versions

ANALYTICS = Path(__file__).resolve().parent.parent
PARQUET_ROWS = 100_000
# Row groups of 10,000 findings: a page's 2,000 shown findings lie in one or two of them (StudioFindings.rows), and
# at 5 M work logs the file's selecting columns read as fast as with 100,000 (0.2 s) for 4 % more bytes.
ROW_GROUP_ROWS = 10_000
# Fixed, so every slice is written alike whatever its values (a column of None has no type of its own).
SCHEMA = pa.schema(
    [
        ("rule_id", pa.string()),
        ("severity", pa.string()),
        ("person_id", pa.int64()),
        ("group", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("measured_value", pa.float64()),
        ("threshold", pa.float64()),
        ("unit", pa.string()),
        ("explanation", pa.string()),
        ("source", pa.string()),
        ("reference", pa.string()),
        ("message", pa.string()),
        ("params", pa.string()),
        ("production_id", pa.int64()),
        ("scope_date", pa.date32()),
    ]
)


@cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(ANALYTICS.rglob("*.py")):
        digest.update(path.relative_to(ANALYTICS).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def snapshot_key(session: Session) -> str:
    """What a stored snapshot must match besides the data version: the engine's code and the reference tables."""
    digest = hashlib.sha256(_code_digest().encode())
    for mark in reference_marks(session):
        digest.update(mark.encode())
    return digest.hexdigest()


# Set while a page's request runs with the background worker on (``app_pages._ui``): the stored findings are served
# as they are, stale or not, and nothing is computed on the request.
_SERVE_STORED: ContextVar[bool] = ContextVar("serve_stored_findings", default=False)


@contextmanager
def serving_stored() -> Iterator[None]:
    """Within it, :func:`studio_findings` serves the newest stored findings, current or not, and never computes
    them: a background worker (:mod:`analytics.derived`) keeps them up to date. Without any stored, it raises
    :class:`FindingsNotReady`."""
    token = _SERVE_STORED.set(True)
    try:
        yield
    finally:
        _SERVE_STORED.reset(token)


def is_serving_stored() -> bool:
    """True within :func:`serving_stored`: a background worker keeps derived data current, a request computes none
    of it for the next visitor."""
    return _SERVE_STORED.get()


# A request that computed the findings stores them for the next visitor if it can do so at once; behind a long import
# it serves its result without storing (the worker, or a later request, stores them).
REQUEST_STORE_WAIT_MS = 1000


def studio_findings(
    session: Session,
    *,
    scope: Scope = STUDIO,
    today: dt.date | None = None,
    rules: Collection[str] | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """:func:`analytics.findings.findings` for ``scope`` (same columns, same rows), selected from the whole studio's
    findings; only those of the rule ids ``rules`` when given, and only ``columns`` of them (with ``person``, in the
    same order) when given: a caller that does not show the sentences does not read them. The studio's are read from
    the snapshot when nothing changed since it was taken; when only some people's work or pay changed, only they are
    evaluated again and merged in; otherwise everything is computed. The result is stored for the next caller (the
    one write an analytics function makes: a cache of its own result, in the caller's transaction). ``today``
    (default: the date now) is the day the snapshot must have been computed on. Within :func:`serving_stored`, the
    newest stored findings instead, as they are.
    """
    selection = Selection.of(session, scope)
    stored = studio_file(session, today=today)
    reads = selection.reads() + (["rule_id"] if rules is not None else [])
    # The selection reads its columns again from the rows kept (Selection.apply).
    wanted = EVALUATED_COLUMNS if columns is None else [c for c in EVALUATED_COLUMNS if c in {*columns, *reads}]
    if not reads:  # the whole studio
        return selection.apply(session, stored.columns(wanted))
    # The columns that select first, then the columns wanted of the findings kept (a person's page: a few dozen of
    # them; a month's overtime findings: rows of a few rules, which lie together in the file's order).
    _, kept = stored.selected(selection, rules=rules)
    found = selection.apply(session, stored.rows(kept, columns=wanted))
    return found if columns is None else found[[c for c in found.columns if c in {*columns, "person"}]]


def studio_columns(session: Session, *, columns: Sequence[str], today: dt.date | None = None) -> pd.DataFrame:
    """The whole studio's findings as :func:`studio_findings` returns them for the studio (every finding, in the same
    order), in ``columns`` only: those of :func:`analytics.findings.evaluate`, never ``person`` (names are not looked
    up). Stored findings are read a column at a time from the file, so a caller that counts findings does not
    decompress their sentences (at 5 M work logs: 713,574 findings, most of the file's size in text)."""
    return studio_file(session, today=today).columns(columns)


def studio_file(session: Session, *, today: dt.date | None = None) -> StudioFindings:
    """The whole studio's findings as :func:`studio_findings` finds them (current, computed and stored if they were
    not; within :func:`serving_stored`, the newest stored as they are), not yet read: a caller reads the columns it
    selects by, then whole rows of the few findings it shows."""
    if _SERVE_STORED.get():
        stored = newest_findings(session)
        if stored is None:
            raise FindingsNotReady()
        return StudioFindings(payload=stored[1], count=stored[0].findings)
    return _current(session, today=today, store_wait_ms=REQUEST_STORE_WAIT_MS)[0]


class StudioFindings:
    """The whole studio's findings, in :func:`analytics.findings.evaluate`'s order, as one stored file (read by
    columns, and by rows through the file's row groups) or as the frame just computed. Reading the whole file of a
    5 M-row studio decompresses about 590 MB of sentences; a page that shows 2,000 findings needs a few columns of
    all of them and every column of only those."""

    def __init__(self, *, payload: bytes | None = None, frame: pd.DataFrame | None = None, count: int = 0) -> None:
        self._payload, self._frame = payload, frame
        self.count = len(frame) if frame is not None else count

    def columns(self, names: Sequence[str]) -> pd.DataFrame:
        """Every finding, in ``names`` only (columns of :func:`analytics.findings.evaluate`)."""
        wanted = list(names)
        unknown = sorted(set(wanted) - set(EVALUATED_COLUMNS))
        if unknown:
            raise ValueError(f"not a column of the stored findings: {', '.join(unknown)}")
        if self._frame is not None:
            return self._frame if wanted == EVALUATED_COLUMNS else self._frame[wanted]
        return _frame(self._payload, None if wanted == EVALUATED_COLUMNS else wanted)

    def selected(
        self, selection: Selection, *, columns: Sequence[str] = (), rules: Collection[str] | None = None
    ) -> tuple[pd.DataFrame, np.ndarray]:
        """The findings ``selection`` keeps (only those of the rule ids ``rules``, when given): their ``columns``
        and their positions, read from the columns that select them."""
        reads = list(dict.fromkeys([*selection.reads(), *(["rule_id"] if rules is not None else []), *columns]))
        keys = self.columns(reads) if reads else pd.DataFrame(index=pd.RangeIndex(self.count))
        keep = selection.keeps(keys)
        if rules is not None:
            keep &= keys["rule_id"].isin(list(rules)).to_numpy()
        kept = np.flatnonzero(keep)
        return keys.iloc[kept][list(columns)].reset_index(drop=True), kept

    def rows(self, positions: np.ndarray, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The findings at ``positions`` (0-based, in the file's order), in that order, in ``columns`` (default:
        every column); only the row groups that hold them are read."""
        positions = np.asarray(positions, dtype=np.int64)
        wanted = EVALUATED_COLUMNS if columns is None else list(columns)
        if self._frame is not None:
            return self._frame.iloc[positions][wanted].reset_index(drop=True)
        file = pq.ParquetFile(io.BytesIO(self._payload))
        sizes = np.array([file.metadata.row_group(i).num_rows for i in range(file.metadata.num_row_groups)], np.int64)
        starts = np.cumsum(sizes) - sizes  # each group's first position in the file
        group_of = np.searchsorted(starts, positions, side="right") - 1
        groups = np.unique(group_of)
        read = None if columns is None else wanted
        table = file.read_row_groups(groups.tolist(), columns=read) if len(groups) else SCHEMA.empty_table()
        # The groups read stand end to end in the table: each one's first row there.
        first = np.zeros(len(sizes), np.int64)
        first[groups] = np.cumsum(sizes[groups]) - sizes[groups]
        local = positions - starts[group_of] + first[group_of]
        return _converted(table.take(pa.array(local, pa.int64())).to_pandas())[wanted]


def refresh_findings(session: Session, *, today: dt.date | None = None, progress: Progress | None = None) -> Refreshed:
    """Bring the stored findings up to date as :func:`studio_findings` would (the same computation, the same
    result), telling ``progress`` how far a full evaluation got; what it stored, at which versions."""
    found, at, stored = _current(session, today=today, progress=progress)
    return Refreshed(at=at, stored=stored, findings=found.count)


@dataclass(frozen=True)
class Refreshed:
    """``at``: the data versions the stored findings now stand for; ``stored``: False when the database was too
    busy to store them (the next run computes them again); ``findings``: how many."""

    at: Versions
    stored: bool
    findings: int


def is_current(session: Session, *, today: dt.date | None = None) -> bool:
    """True when the newest stored findings are those :func:`studio_findings` would compute now (same versions,
    code, reference data and day), read without loading them."""
    mark = newest_snapshot(session)
    return (
        mark is not None
        and Versions(mark.data_version, mark.global_version) == versions(session)
        and mark.computed_on == (today or dt.date.today())
        and mark.key == snapshot_key(session)
    )


def _current(
    session: Session, *, today: dt.date | None, progress: Progress | None = None, store_wait_ms: int | None = None
) -> tuple[StudioFindings, Versions, bool]:
    """The whole studio's findings now, the versions they stand for, and whether they are stored (computed and
    stored when the stored ones are not current)."""
    now, key, day = versions(session), snapshot_key(session), today or dt.date.today()
    stored = latest_findings(session, key=key, day=day)
    if stored is not None and stored.versions == now:
        return StudioFindings(payload=stored.payload, count=stored.findings), now, True
    used, people = stale_people(session)
    if stored is not None and stored.versions.global_ == now.global_ and people == set():
        # Writes about people that named no one (a contract of someone with no work yet): the findings still hold.
        kept = store_findings(session, stored.payload, findings=stored.findings, at=now, key=key, day=day, used=used,
                              wait_ms=store_wait_ms)  # fmt: skip
        return StudioFindings(payload=stored.payload, count=stored.findings), now, kept
    more = {} if progress is None else {"progress": progress}
    if stored is not None and stored.versions.global_ == now.global_ and people is not None:
        # By keyword, as callers of evaluate() have always passed the session (wrappers take **kwargs).
        found = _merge(_frame(stored.payload), evaluate(session=session, people=sorted(people), **more), people)
    else:
        found = evaluate(session=session, **more)
    kept = store_findings(session, _parquet(found), findings=len(found), at=now, key=key, day=day, used=used,
                          wait_ms=store_wait_ms)  # fmt: skip
    return StudioFindings(frame=found), now, kept


def _merge(stored: pd.DataFrame, fresh: pd.DataFrame, people: set[int]) -> pd.DataFrame:
    """``stored`` with the findings of ``people`` replaced by ``fresh``, in findings()'s order (rule, person, period
    start; a person's own findings keep the order they were evaluated in)."""
    kept = stored[~stored["person_id"].isin(people)]
    merged = pd.concat([kept, fresh], ignore_index=True) if len(fresh) else kept.reset_index(drop=True)
    order = finding_order(merged["rule_id"], merged["person_id"], merged["period_start"], len(merged))
    return merged.take(order).reset_index(drop=True)


def _parquet(found: pd.DataFrame) -> bytes:
    """``found`` as a zstd-compressed Parquet file (713,574 findings at 5 M work logs: 14.4 MB), converted a slice
    at a time: the whole frame at once as an Arrow table would add its own size again to the process."""
    buffer = io.BytesIO()
    with pq.ParquetWriter(buffer, SCHEMA, compression="zstd") as writer:
        for i in range(0, len(found), PARQUET_ROWS):
            part = found.iloc[i : i + PARQUET_ROWS]
            writer.write_table(pa.Table.from_pandas(part, schema=SCHEMA, preserve_index=False),
                               row_group_size=ROW_GROUP_ROWS)  # fmt: skip
    return buffer.getvalue()


def _frame(payload: bytes, columns: list[str] | None = None) -> pd.DataFrame:
    """The stored findings as :func:`analytics.findings.evaluate` returns them (only ``columns``, when given: the
    others are not decompressed)."""
    hand_back_memory()  # what earlier requests freed, before a few hundred MB are decompressed
    df = pd.read_parquet(io.BytesIO(payload), columns=columns)
    hand_back_memory()
    return _converted(df)[EVALUATED_COLUMNS if columns is None else columns]


def _converted(df: pd.DataFrame) -> pd.DataFrame:
    """Columns read from the file typed as :func:`analytics.findings.evaluate` types them."""
    if "production_id" in df.columns:
        df["production_id"] = df["production_id"].astype("Int64")
    for c in ("group", "scope_date"):
        if c in df.columns:
            df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df
