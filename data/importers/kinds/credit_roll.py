"""Credit-roll text (``credit_text``): ``Role: Name, Name``, ``Role<TAB>Name • Name``, or a role heading followed
by one name per line (:func:`data.importers.credit_text.parse_roll_lines`). The text names no production, so the
import needs one given for the whole file. Written by the credit writer (:mod:`data.importers.kinds.credits`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from data.i18n import N_
from data.importers.credit_calls import prepare
from data.importers.credit_text import parse_roll_lines
from data.importers.kinds import credits
from data.importers.kinds.credits import decided
from data.importers.reading import text_lines
from data.importers.registry import Format, Header, Source, register
from data.importers.rows import Item

TEXT_SUFFIXES = {".txt", ".text", ".md"}
TABLE_MIN_COLUMNS = 3  # a first line with fewer cells is read as a line of the roll, not a header


def read(source: Source) -> Iterator[Item]:
    """One Item per credit (one name under one role) or note; without a production given, the file's name is the
    production (reading alone, :func:`data.importers.parse_credits`)."""
    title = source.production or source.path.stem
    credits = parse_roll_lines(text_lines(source.path), production=title, source_ref=source.path.name)
    items = (Item(pc.line, f"{pc.role_as_credited}: {pc.name_as_credited}", pc) for pc in credits)
    yield from decided(items, source.prepared)


def _unclaimed(path: Path, header: Header) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES or len(header.cells) < TABLE_MIN_COLUMNS


register(
    Format(
        name="credit_text",
        label=N_("Credit-roll text"),
        entity=credits.ENTITY,
        read=read,
        write=credits.write,
        order=210,
        files=frozenset({"text"}),
        unclaimed=_unclaimed,
        needs_production=True,
        prepare=prepare,
    )
)
