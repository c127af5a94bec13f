"""The advocates' release kept between requests: the latest ended quarter's tables at the current k, computed by the
background worker after each write the release reads (:data:`data.snapshots.RELEASE`) and read by the Aggregates
page instead of computed on its request (at 5 million work logs the release is 1.1–1.6 s of Python and SQL, the same
for every viewer).

A stored release is served only when it is what :func:`analytics.release.release` would return now: the same
release version, k, code and reference data, and day (which quarters have ended depends on the date). Otherwise
the release is computed on the request as before, and stored for the next visitor when no worker runs.

The file is a zip of one Parquet file per table (dtypes and float digits kept exactly; JSON would round them) and a
JSON file with the quarters and the hidden-cell counts.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pandas as pd
from sqlalchemy.orm import Session

from analytics.findings.snapshot import REQUEST_STORE_WAIT_MS, is_serving_stored, snapshot_key
from analytics.release import Release, release
from data.snapshots import StoredRelease, release_version, store_release, stored_release

_META = "release.json"


def pack(published: Release) -> bytes:
    """``published`` as one file (see the module's docstring)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:  # Parquet compresses its own
        meta = {
            "k": published.k,
            "quarter": None if published.quarter is None else published.quarter.isoformat(),
            "quarters": [q.isoformat() for q in published.quarters],
            "hidden": published.hidden,
            "tables": list(published.tables),
            # Parquet has no timestamps in seconds (pandas writes them in milliseconds): each column's dtype, to
            # give back.
            "dtypes": {
                name: {str(c): str(t) for c, t in table.dtypes.items()} for name, table in published.tables.items()
            },
        }
        archive.writestr(_META, json.dumps(meta))
        for name, table in published.tables.items():
            archive.writestr(f"{name}.parquet", table.to_parquet(index=False, compression="zstd"))
    return buffer.getvalue()


def unpack(payload: bytes) -> Release:
    """The :class:`~analytics.release.Release` :func:`pack` was given (tables with the same columns, dtypes, values
    and ``suppressed_groups``)."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        meta = json.loads(archive.read(_META))
        tables = {}
        for name in meta["tables"]:
            table = pd.read_parquet(io.BytesIO(archive.read(f"{name}.parquet")))  # attrs kept by pandas
            changed = {c: t for c, t in meta["dtypes"][name].items() if str(table[c].dtype) != t}
            tables[name] = table.astype(changed) if changed else table
    return Release(
        k=int(meta["k"]),
        quarter=None if meta["quarter"] is None else dt.date.fromisoformat(meta["quarter"]),
        quarters=tuple(dt.date.fromisoformat(q) for q in meta["quarters"]),
        tables=tables,
        hidden={name: int(n) for name, n in meta["hidden"].items()},
    )


def _matches(stored: StoredRelease | None, *, version: int, k: int, key: str, day: dt.date) -> bool:
    return stored is not None and (stored.version, stored.k, stored.key, stored.computed_on) == (version, k, key, day)


def is_current(session: Session, *, k: int, today: dt.date | None = None) -> bool:
    """True when the stored release is the one :func:`analytics.release.release` would compute now at ``k`` for
    the latest quarter (read without its file)."""
    mark = stored_release(session, with_payload=False)
    return _matches(mark, version=release_version(session), k=k, key=snapshot_key(session),
                    day=today or dt.date.today())  # fmt: skip


def refresh_release(session: Session, *, k: int, today: dt.date | None = None, wait_ms: int | None = None) -> bool:
    """Compute the latest quarter's release at ``k`` and store it at the release version read before computing (a
    write committed meanwhile moves the version on, and the release is computed again); True when stored."""
    version, key, day = release_version(session), snapshot_key(session), today or dt.date.today()
    published = release(session, k=k, today=day)
    return _store(session, published, version=version, key=key, day=day, wait_ms=wait_ms)


def _store(session: Session, published: Release, *, version: int, key: str, day: dt.date, wait_ms: int | None
           ) -> bool:  # fmt: skip
    return store_release(session, pack(published), version=version, k=published.k, quarter=published.quarter,
                         key=key, day=day, wait_ms=wait_ms)  # fmt: skip


def current_release(session: Session, *, k: int, quarter: dt.date | None = None, today: dt.date | None = None
                    ) -> Release:  # fmt: skip
    """:func:`analytics.release.release` for ``quarter`` at ``k`` (the same tables), read from the stored release
    when it is current and of that quarter; else computed, and stored for the next visitor when no background
    worker keeps it (best effort: never waiting long behind an import)."""
    day = today or dt.date.today()
    version, key = release_version(session), snapshot_key(session)
    stored = stored_release(session)
    if _matches(stored, version=version, k=k, key=key, day=day) and quarter in (None, stored.quarter):
        return unpack(stored.payload)
    published = release(session, k=k, quarter=quarter, today=day)
    latest = published.quarters[0] if published.quarters else None
    if published.quarter == latest and not is_serving_stored():
        _store(session, published, version=version, key=key, day=day, wait_ms=REQUEST_STORE_WAIT_MS)
    return published
