"""Credit-roll text read into :class:`ParsedCredit` without rewriting a character of the evidence, and the credit
grammars every credit format shares (re-exported from :mod:`data.credits`).

Three layouts in credit-roll text: ``Role: Name, Name``, ``Role<TAB>Name • Name``, and a role heading followed by
one name per line; a line starting with ``[`` or ``【`` is read with the Media Arts Database's grammar
(:func:`data.credits.madb_strings.parse_madb_string`). Roles are mapped onto the taxonomy
(``data/seed/roles.csv``) by match key; the verbatim role string is kept. A combined role (``演出、絵コンテ``)
becomes one credit per role sharing a ``source_line_id``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from data.credit_records import ParsedCredit
from data.credits.madb_strings import parse_madb_string
from data.credits.organizations import looks_like_org
from data.credits.parts import (
    SPACE,
    Builder,
    classify_parenthetical,
    map_role,
    parse_scope,
    split_parenthetical,
    split_roles,
    strip_brackets,
)
from data.names import nfkc

__all__ = [
    "classify_parenthetical",
    "looks_like_org",
    "map_role",
    "parse_madb_string",
    "parse_roll_lines",
    "parse_scope",
    "split_parenthetical",
    "split_roles",
    "strip_brackets",
]

_BLOCK_HEADINGS = {
    "op": "OP",
    "opening": "OP",
    "オープニング": "OP",
    "ed": "ED",
    "ending": "ED",
    "エンディング": "ED",
}
_THANKS = {"special thanks", "スペシャルサンクス", "スペシャル・サンクス", "協力", "thanks"}


def parse_roll_lines(
    lines: Iterable[tuple[int, str]], *, production: str, source_ref: str | None, source: str = "imported_file"
) -> Iterator[ParsedCredit]:
    """Credit-roll text: ``Role: A, B`` / ``Role<TAB>A • B`` / heading + one name per line; blank lines end blocks."""
    heading: str | None = None
    heading_line = 0
    heading_used = False
    block = "main"
    line_order = 0
    position = 0

    def emit(n: int, role: str, names: list[str], new_line: bool) -> Iterator[ParsedCredit]:
        nonlocal line_order, position
        b = Builder(production, source, source_ref, n)
        b.line_order = line_order
        code = "cast" if block == "cast" else None
        position = b.credits(role, names, block=block, role_code=code, position=position, new_line=new_line)
        line_order = b.line_order
        yield from b.out

    for n, raw in lines:
        line = raw.strip(SPACE)
        if not line:
            if heading is not None and not heading_used:
                yield from emit(heading_line, heading, [""], True)
            heading, heading_used = None, False
            continue
        if line.startswith(("[", "【")) and not line.startswith("[ロゴ]"):
            for c in parse_madb_string(line, production=production, line=n, source_ref=source_ref, source=source):
                line_order += 1
                yield replace(c, line_order=line_order)
            heading = None
            continue
        if "\t" in line:
            role, _, rest = line.partition("\t")
            names = [x for x in (s.strip(SPACE) for s in re.split(r"[•\t,，、]|／| / ", rest)) if x]
            position = 0
            yield from emit(n, role.strip(SPACE), names or [""], True)
            heading = None
            continue
        m = re.match(r"^([^:：]{1,60}?)\s*[:：]\s*(.*)$", line)
        if m and not re.match(r"^\d{1,2}:\d{2}", line):
            position = 0
            names = [x for x in (s.strip(SPACE) for s in re.split(r"[•,，、]|／| / ", m.group(2))) if x]
            yield from emit(n, m.group(1).strip(SPACE), names or [""], True)
            heading = None
            continue
        key = nfkc(line).casefold()
        if heading is None:
            if key in _BLOCK_HEADINGS:
                block = _BLOCK_HEADINGS[key]
                continue
            if key in {"cast", "キャスト", "声の出演", "voice cast"}:
                block = "cast"
            elif key in _THANKS:
                block = "special_thanks"
            elif block in ("cast", "special_thanks"):
                block = "main"
            heading, heading_line, heading_used, position = line, n, False, 0
            continue
        yield from emit(n, heading, [line], not heading_used)
        heading_used = True
    if heading is not None and not heading_used:
        yield from emit(heading_line, heading, [""], True)
