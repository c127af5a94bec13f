"""Productions, episodes and cuts entered by hand: add or correct a production (its titles, kind, dates, AI policy and
the other names imports know it by), its episodes (label, number, title, delivery) and their cuts (number, length,
frames, sheets). Managers only.

No import kind reads productions as such (imports create them from the names rows give, see
:class:`data.importers.lookups.References`), so each value is read by the importers' own cell readers
(:mod:`data.importers.units`, :mod:`data.importers.cells`: the same messages for a bad date, number or period) and
held to the lengths and codes of the schema, and a production's other names are keyed as an import keys them
(:meth:`References.key`): a name that already means another production is refused, since imports could no longer tell
them apart. Nothing derived is computed from these rows (the rollups and findings read ids, not titles or frames), so
a write refreshes nothing; the data version still moves on (:mod:`data.engine`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.importers import units as u
from data.importers.cells import check_required, g, opt_date, period
from data.importers.errors import RowError
from data.importers.lookups import References
from data.importers.registry import Column
from data.importers.rows import SourceRow
from data.schema import AI_POLICIES, PRODUCTION_KINDS, Cut, Episode, Production, ProductionAlias
from services.access import require
from services.errors import ValidationError

PRODUCTION_COLUMNS = (
    Column("title", True, "text", "星の港", "The native title, unique."),
    Column("title_romaji", False, "text", "Hoshi no Minato", ""),
    Column("title_en", False, "text", "Harbor of Stars", ""),
    Column("kind", True, " / ".join(PRODUCTION_KINDS), "tv", ""),
    Column("start_date", False, "YYYY-MM-DD", "2025-01-01", ""),
    Column("end_date", False, "YYYY-MM-DD", "", ""),
    Column("ai_policy", False, " / ".join(AI_POLICIES), "none", "Default none."),
)
EPISODE_COLUMNS = (
    Column("label", True, "text", "1", "'1', 'OP', '前編', 'film': unique in the production."),
    Column("number", False, "whole number", "1", "The episode's number; default the label when it is one."),
    Column("title", False, "text", "", ""),
    Column("delivery_date", False, "YYYY-MM-DD", "", ""),
)
CUT_COLUMNS = (
    Column("cut_number", True, "text", "12", "Unique in the episode."),
    Column("seconds", False, "seconds", "3.5", "Length on screen."),
    Column("frames", False, "whole number", "84", ""),
    Column("sheets", False, "whole number", "24", "Drawings."),
)
# The schema's lengths (data.schema: production.title 300, episode.label 40, cut.cut_number 20 …).
LENGTHS = {"title": 300, "title_romaji": 300, "title_en": 300, "label": 40, "cut_number": 20, "alias": 300}


class ProductionRefused(ValidationError):
    """A production, episode or cut cannot be stored as given: the importers' message for the same value."""


def refused(exc: RowError) -> ProductionRefused:
    """The importer's refusal ``exc`` as the service's error (``column`` kept, so a form can point at the field)."""
    error = ProductionRefused(exc.reason, fix={"page": N_("correct that value and save again")})
    error.column = exc.column
    return error


def _row(values: Mapping[str, Any], columns: tuple[Column, ...]) -> SourceRow:
    cells = {c.name: "" if values.get(c.name) is None else str(values.get(c.name)) for c in columns}
    return SourceRow(line=1, cells=cells, raw="")


def _text(row: SourceRow, col: str) -> str | None:
    value = u.text(g(row, col))
    if value is not None and len(value) > LENGTHS[col]:
        raise RowError("out_of_range", f"{col} is longer than {LENGTHS[col]} characters", column=col, value=value)
    return value


def _code(row: SourceRow, col: str, codes: tuple[str, ...], default: str | None = None) -> str:
    value = (u.text(g(row, col)) or default or "").lower()
    if value not in codes:
        raise RowError("bad_value", f"{col} must be one of {', '.join(codes)}", column=col, value=g(row, col))
    return value


def _count(row: SourceRow, col: str) -> int | None:
    if u.blank(g(row, col)):
        return None
    value = u.integer(g(row, col), col)
    if value < 0:
        raise RowError("out_of_range", f"{col} must be at least 0", column=col, value=g(row, col))
    return value


def parse_production(values: Mapping[str, Any]) -> dict[str, Any]:
    """A production's values (``PRODUCTION_COLUMNS`` as text) → its columns; RowError as an importer words it."""
    row = _row(values, PRODUCTION_COLUMNS)
    check_required(row, PRODUCTION_COLUMNS)
    start = end = None
    if not u.blank(g(row, "start_date")):
        start, end = period(row, "start_date", "end_date")
    else:
        end = opt_date(row, "end_date")
    return {
        "title": _text(row, "title"),
        "title_romaji": _text(row, "title_romaji"),
        "title_en": _text(row, "title_en"),
        "kind": _code(row, "kind", PRODUCTION_KINDS),
        "start_date": start,
        "end_date": end,
        "ai_policy": _code(row, "ai_policy", AI_POLICIES, default="none"),
    }


def parse_episode(values: Mapping[str, Any]) -> dict[str, Any]:
    """An episode's values (``EPISODE_COLUMNS`` as text) → its columns (the number defaults to the label when the
    label is a number, as an import creates it)."""
    row = _row(values, EPISODE_COLUMNS)
    check_required(row, EPISODE_COLUMNS)
    label = _text(row, "label")
    number = _count(row, "number")
    if number is None and label.isdigit():
        number = int(label)
    return {"label": label, "number": number, "title": _text(row, "title"),
            "delivery_date": opt_date(row, "delivery_date")}  # fmt: skip


def parse_cut(values: Mapping[str, Any]) -> dict[str, Any]:
    """A cut's values (``CUT_COLUMNS`` as text) → its columns."""
    row = _row(values, CUT_COLUMNS)
    check_required(row, CUT_COLUMNS)
    seconds = None
    if not u.blank(g(row, "seconds")):
        seconds = u.finite_number(g(row, "seconds"), "seconds")
        if seconds < 0:
            raise RowError("out_of_range", "seconds must be at least 0", column="seconds", value=g(row, "seconds"))
    return {"cut_number": _text(row, "cut_number"), "seconds": seconds, "frames": _count(row, "frames"),
            "sheets": _count(row, "sheets")}  # fmt: skip


def _parsed(parse: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return parse(values)
    except RowError as exc:
        raise refused(exc) from None


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def _manager(actor: Identity | None) -> Identity:
    return require(actor, "manager", to=N_("enter or correct productions"))


_MISSING = {
    "production": N_("there is no production #{entity_id}"),
    "episode": N_("there is no episode #{entity_id}"),
    "cut": N_("there is no cut #{entity_id}"),
}


def _get(session: Session, table: type, entity_id: int, what: str) -> Any:
    row = session.get(table, entity_id)
    if row is None:
        raise NotFound(_MISSING[what], fix={"page": N_("pick it from the list")}, entity_id=entity_id)
    return row


def _changed(row: Any, new: Mapping[str, Any]) -> dict[str, Any]:
    """Set ``new`` on ``row``; the old values of what changed."""
    old = {k: getattr(row, k) for k, v in new.items() if getattr(row, k) != v}
    for k in old:
        setattr(row, k, new[k])
    return old


# ---------------------------------------------------------------------------------------------------------------
# Productions


def _title_free(session: Session, title: str, production_id: int | None) -> None:
    other = session.scalar(
        select(Production.id).where(Production.title == title, Production.id != (production_id or 0))
    )
    if other is not None:
        raise ProductionRefused(N_("a production titled {title} already exists"),
                                fix={"page": N_("open that production instead, or give another title")},
                                title=title)  # fmt: skip


def _add_aliases(session: Session, production: Production, aliases: list[str]) -> list[str]:
    """Each of ``aliases`` (other names imports meet the production by) kept under its import match key; a name
    already meaning another production is refused, one already meaning this one is skipped."""
    added = []
    for text in (a.strip() for a in aliases):
        if not text:
            continue
        if len(text) > LENGTHS["alias"]:
            raise refused(RowError("out_of_range", f"alias is longer than {LENGTHS['alias']} characters",
                                   column="alias", value=text))  # fmt: skip
        key = References.key(text)
        if not key:
            raise refused(RowError("bad_name", "alias has no letters", column="alias", value=text))
        owners = {pid for (pid,) in session.execute(select(ProductionAlias.production_id)
                                                   .where(ProductionAlias.match_key == key[:300]))}  # fmt: skip
        owners |= {pid for pid, title in session.execute(select(Production.id, Production.title))
                   if References.key(title) == key}  # fmt: skip
        if owners - {production.id}:
            other = session.get(Production, min(owners - {production.id}))
            raise ProductionRefused(N_("{alias} already names another production: {title}"),
                                    fix={"page": N_("give a name no other production goes by")}, alias=text,
                                    title=other.title)  # fmt: skip
        if production.id in owners:
            continue
        session.add(ProductionAlias(production_id=production.id, text=text, match_key=key[:300]))
        session.flush()
        added.append(text)
    return added


def add_production(session: Session, actor: Identity | None, *, values: Mapping[str, Any]) -> Production:
    """A new production from ``values`` (``PRODUCTION_COLUMNS`` as text; ``aliases``: a list of other names imports
    know it by). Returns the flushed production."""
    actor = _manager(actor)
    new = _parsed(parse_production, values)
    _title_free(session, new["title"], None)
    production = Production(**new)
    session.add(production)
    session.flush()
    aliases = _add_aliases(session, production, list(values.get("aliases") or ()))
    audit.record(session, actor=actor.username, action="production.add", entity_type="production",
                 entity_id=production.id, new={**_jsonable(new), "aliases": aliases})  # fmt: skip
    return production


def edit_production(
    session: Session, actor: Identity | None, *, production_id: int, values: Mapping[str, Any]
) -> Production:
    """Correct ``production_id`` to ``values`` (as :func:`add_production`; a field left out keeps its value; aliases
    given are added). Returns the production."""
    actor = _manager(actor)
    production = _get(session, Production, production_id, "production")
    current = {c.name: getattr(production, c.name) for c in PRODUCTION_COLUMNS}
    new = _parsed(parse_production, {**current, **{k: v for k, v in values.items() if k != "aliases"}})
    _title_free(session, new["title"], production.id)
    old = _changed(production, new)
    session.flush()
    aliases = _add_aliases(session, production, list(values.get("aliases") or ()))
    if old or aliases:
        audit.record(session, actor=actor.username, action="production.edit", entity_type="production",
                     entity_id=production.id, old=_jsonable(old),
                     new={**_jsonable({k: new[k] for k in old}), **({"aliases_added": aliases} if aliases else {})})  # fmt: skip
    return production


# ---------------------------------------------------------------------------------------------------------------
# Episodes and cuts


def _episode_free(session: Session, production_id: int, label: str, episode_id: int | None) -> None:
    other = session.scalar(select(Episode.id).where(Episode.production_id == production_id, Episode.label == label,
                                                    Episode.id != (episode_id or 0)))  # fmt: skip
    if other is not None:
        raise ProductionRefused(N_("the production already has an episode {label}"),
                                fix={"page": N_("open that episode instead, or give another label")}, label=label)  # fmt: skip


def add_episode(session: Session, actor: Identity | None, *, production_id: int, values: Mapping[str, Any]) -> Episode:
    """A new episode of ``production_id`` from ``values`` (``EPISODE_COLUMNS`` as text). Returns the flushed episode."""
    actor = _manager(actor)
    production = _get(session, Production, production_id, "production")
    new = _parsed(parse_episode, values)
    _episode_free(session, production.id, new["label"], None)
    episode = Episode(production_id=production.id, **new)
    session.add(episode)
    session.flush()
    audit.record(session, actor=actor.username, action="episode.add", entity_type="episode", entity_id=episode.id,
                 new={"production_id": production.id, **_jsonable(new)})  # fmt: skip
    return episode


def edit_episode(session: Session, actor: Identity | None, *, episode_id: int, values: Mapping[str, Any]) -> Episode:
    """Correct ``episode_id`` to ``values`` (as :func:`add_episode`; a field left out keeps its value). Returns the
    episode."""
    actor = _manager(actor)
    episode = _get(session, Episode, episode_id, "episode")
    current = {c.name: getattr(episode, c.name) for c in EPISODE_COLUMNS}
    new = _parsed(parse_episode, {**current, **values})
    _episode_free(session, episode.production_id, new["label"], episode.id)
    old = _changed(episode, new)
    session.flush()
    if old:
        audit.record(session, actor=actor.username, action="episode.edit", entity_type="episode", entity_id=episode.id,
                     old=_jsonable(old), new=_jsonable({k: new[k] for k in old}))  # fmt: skip
    return episode


def _cut_free(session: Session, episode_id: int, number: str, cut_id: int | None) -> None:
    other = session.scalar(select(Cut.id).where(Cut.episode_id == episode_id, Cut.cut_number == number,
                                                Cut.id != (cut_id or 0)))  # fmt: skip
    if other is not None:
        raise ProductionRefused(N_("the episode already has a cut {number}"),
                                fix={"page": N_("open that cut instead, or give another number")}, number=number)  # fmt: skip


def add_cut(session: Session, actor: Identity | None, *, episode_id: int, values: Mapping[str, Any]) -> Cut:
    """A new cut of ``episode_id`` from ``values`` (``CUT_COLUMNS`` as text). Returns the flushed cut."""
    actor = _manager(actor)
    episode = _get(session, Episode, episode_id, "episode")
    new = _parsed(parse_cut, values)
    _cut_free(session, episode.id, new["cut_number"], None)
    cut = Cut(episode_id=episode.id, **new)
    session.add(cut)
    session.flush()
    audit.record(session, actor=actor.username, action="cut.add", entity_type="cut", entity_id=cut.id,
                 new={"episode_id": episode.id, **new})  # fmt: skip
    return cut


def edit_cut(session: Session, actor: Identity | None, *, cut_id: int, values: Mapping[str, Any]) -> Cut:
    """Correct ``cut_id`` to ``values`` (as :func:`add_cut`; a field left out keeps its value). Returns the cut."""
    actor = _manager(actor)
    cut = _get(session, Cut, cut_id, "cut")
    current = {c.name: getattr(cut, c.name) for c in CUT_COLUMNS}
    new = _parsed(parse_cut, {**current, **values})
    _cut_free(session, cut.episode_id, new["cut_number"], cut.id)
    old = _changed(cut, new)
    session.flush()
    if old:
        audit.record(session, actor=actor.username, action="cut.edit", entity_type="cut", entity_id=cut.id, old=old,
                     new={k: new[k] for k in old})  # fmt: skip
    return cut
