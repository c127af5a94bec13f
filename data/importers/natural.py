"""Writes matched on a natural key: tables without a source key of their own (employment contracts, labor
agreements, the leave ledger), few rows each, each row matched against the stored rows on the columns that identify
it. New rows are inserted, changed ones updated with an audit event, the same ones left alone; a row the database
refuses is rolled back alone and rejected."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.rows import Item

Audit = tuple[str, str, Any, dict[str, Any], dict[str, Any]]  # ImportContext.audit's arguments


def stored_by(session: Session, *, table: Any, key: tuple[str, ...]) -> dict[tuple[Any, ...], list[Any]]:
    """The rows of ``table`` by their natural key ``key`` (lists: the table does not enforce the key, so rows entered
    outside the importer can share one, which :func:`write_natural` reports)."""
    stored: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for row in session.execute(select(table)).mappings():
        stored[tuple(row[c] for c in key)].append(row)
    return stored


def parsed(ctx: ImportContext, items: Iterable[Item]) -> Iterator[tuple[Item, dict[str, Any]]]:
    """Each row, counted; the ones the parser turned into a RowError are rejected here, the others yielded with
    their values."""
    for item in items:
        ctx.row()
        if isinstance(item.value, RowError):
            ctx.reject(item.line, item.raw, item.value)
            continue
        yield item, item.value


def write_natural(
    session: Session,
    *,
    ctx: ImportContext,
    item: Item,
    table: Any,
    key: tuple[Any, ...],
    rec: dict[str, Any],
    natural: dict[str, Any],
    seen: dict[tuple[Any, ...], int],
    stored: dict[tuple[Any, ...], list[Any]],
    entity: str,
    what: str,
    also: Callable[[], Audit | None] | None = None,
    stamp: dict[str, Any] | None = None,
) -> str:
    """One row of a table without a source key, matched on its natural key ``key`` (the columns ``natural``) among
    the ``stored`` rows: inserted when new, its ``rec`` columns updated (with an audit event) when they differ, left
    alone when not. ``also`` is a further write of the same row (an organization's employee count), done in the same
    savepoint. ``stamp`` holds bookkeeping columns (the batch that wrote the row, a hash of its values) written with
    an insert or an update, never compared or audited: an unchanged row keeps its old ones. A row the database
    refuses is rolled back alone and rejected. ``what`` names the row in a duplicate's reason. Returns imported,
    updated, unchanged or rejected."""
    s = session
    t = table
    if key in seen:
        ctx.reject(item.line, item.raw, RowError("duplicate_row", f"same {what} as line {seen[key]}"))
        return "rejected"
    seen[key] = item.line
    olds = stored.get(key, [])
    if len(olds) > 1:
        ids = ", ".join(str(o["id"]) for o in olds)
        ctx.reject(
            item.line,
            item.raw,
            RowError(
                "ambiguous_row",
                f"{len(olds)} stored {entity.replace('_', ' ')}s (ids {ids}) have the same natural key as this row; "
                "delete the extra ones, then import again",
            ),
        )
        return "rejected"
    old = olds[0] if olds else None
    changed = {} if old is None else {c: old[c] for c in rec if old[c] != rec[c]}
    stamp = stamp or {}
    extra: Audit | None = None
    try:
        with s.begin_nested():
            if old is None:
                new_id = s.execute(insert(t).values(**natural, **rec, **stamp).returning(t.c.id)).scalar_one()
            elif changed:
                s.execute(update(t).where(t.c.id == old["id"]).values(**{c: rec[c] for c in changed}, **stamp))
            if also is not None:
                extra = also()
    except (IntegrityError, DataError) as exc:
        ctx.reject(item.line, item.raw, RowError("database_constraint", f"the database refused the row: {exc.orig}"))
        return "rejected"
    if extra is not None:
        ctx.audit(*extra)
    if old is None:
        stored[key] = [{**natural, **rec, "id": new_id}]
        ctx.summary.imported += 1
        return "imported"
    if changed:
        ctx.audit(f"import.update.{entity}", entity, old["id"], changed, {c: rec[c] for c in changed})
        stored[key] = [{**old, **rec}]
    if changed or extra is not None:
        ctx.summary.updated += 1
        return "updated"
    ctx.summary.unchanged += 1
    return "unchanged"
