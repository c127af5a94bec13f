"""Content digest: how tests (and anyone) check that a seed gives the same rows, on either backend."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from data.demo.writer import DEMO_TABLES
from data.schema import Base

# salted hashes and sign-in state are not content
_DIGEST_SKIP = {"account": {"password_hash", "last_login_at", "locked_until"}}


def _norm(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def content_digest(engine: Engine, *, tables: Iterable[str] = DEMO_TABLES) -> dict[str, str]:
    """``{table: SHA-256}`` over every row of each table (ordered by primary key) in a backend-neutral text form;
    the accounts' salted password hashes and sign-in state are left out."""
    out = {}
    with engine.connect() as conn:
        for name in tables:
            table = Base.metadata.tables[name]
            cols = [c for c in table.columns if c.name not in _DIGEST_SKIP.get(name, set())]
            h = hashlib.sha256()
            result = conn.execute(select(*cols).order_by(*table.primary_key.columns))
            for row in result:
                h.update("\x1f".join(_norm(v) for v in row).encode())
                h.update(b"\x1e")
            out[name] = h.hexdigest()
    return out
