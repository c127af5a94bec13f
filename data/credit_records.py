"""The neutral shape of one credit as read from any source, before or without the database.

Importers produce these from files (MADB JSON-LD, credit-roll text, canonical CSV/XLSX); the credit validator
checks them, whether they come from a file (``python -m analytics.credits check FILE``) or from stored
credit lines. Verbatim fields are evidence and are never rewritten.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields


@dataclass(frozen=True)
class ParsedCredit:
    line: int  # 1-based line (text files) or record number (JSON, sheets) in the source
    production: str  # production title as the source gives it
    role_as_credited: str  # verbatim
    name_as_credited: str  # verbatim entity text, without the parenthetical
    role_code: str | None = None  # canonical role (data/seed/roles.csv code) when the role string maps
    # "credit", "note" (e.g. [異体字備考], *以下、資料より) or "defect": a source artifact (a separator such as ◆◆◆◆,
    # a fragment cut by the source's length limit), reported as a defect of the record and never stored as a name
    kind: str = "credit"
    block: str = "main"  # main / OP / ED / cast / special_thanks / other
    line_order: int = 0  # order of the role line in the roll
    position_in_line: int = 0  # order of the name within its role line: never re-sorted
    episode_scope: str | None = None  # verbatim, e.g. "3～13話"
    episode_from: int | None = None
    episode_to: int | None = None
    parenthetical: str | None = None  # verbatim （…） after the name
    parenthetical_kind: str | None = None  # "affiliation", "alias", "equivalence", "unknown"
    is_organization: bool | None = None  # True when the entity is known to be an organization
    is_logo: bool = False  # shown as a logo ([ロゴ])
    source: str = "imported_file"  # a CREDIT_SOURCES value
    source_ref: str | None = None  # file name, MADB id, ...
    source_line_id: str | None = None  # shared by lines split from one entry (演出、絵コンテ)
    note: str | None = None
    # Why the entity is (or is not) an organization: a basis of data.credits.organizations.BASES and its evidence.
    entity_basis: str | None = None
    entity_reason: str | None = None


def with_changes(credit: ParsedCredit, **changes: object) -> ParsedCredit:
    """A copy of ``credit`` with ``changes``: :func:`dataclasses.replace` without re-running ``__init__`` (a frozen
    dataclass of this size made ``replace`` most of the time a large file's parse took)."""
    out = object.__new__(ParsedCredit)
    out.__dict__.update(credit.__dict__)
    out.__dict__.update(changes)
    return out


def new_credit(*parts: dict[str, object], **fields: object) -> ParsedCredit:
    """A ParsedCredit from the field dicts ``parts`` and ``fields`` (the others at their defaults), built without
    ``__init__``: a parser that makes one per credited name spends most of its time there otherwise."""
    out = object.__new__(ParsedCredit)
    values = out.__dict__
    values.update(_DEFAULTS)
    for part in parts:
        values.update(part)
    values.update(fields)
    return out


_DEFAULTS: dict[str, object] = {f.name: f.default for f in fields(ParsedCredit) if f.default is not MISSING}
