"""Bounded work on a workbook before openpyxl opens it: an XLSX is a ZIP of XML parts, and a 390 KB file can hold a
400 MB shared string that openpyxl would read whole (36 s and 1.9 GB measured) before any check of ours ran.

:func:`check` streams the parts through expat and stops at the first text longer than Excel itself allows in a cell
(32,767 characters), so a hostile part costs the few kilobytes read before its first oversized text. The parts'
declared sizes are checked first: the shared strings (which openpyxl keeps in memory) and the whole workbook have
caps, so a compressed bomb is refused before anything is inflated.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from data.importers.errors import ImportFailed

MAX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell
MAX_SHARED_STRINGS_BYTES = 256 << 20  # openpyxl holds every shared string in memory
MAX_WORKBOOK_BYTES = 1 << 30  # all parts, inflated
_READ = 1 << 16
_TEXT_ELEMENTS = frozenset({"t", "v", "f"})  # shared and inline string text, cell values, formulas
XLSX_FIX = {
    "cli": "open it in a spreadsheet program, save it again (or as CSV) and import that file",
    "page": "open it in a spreadsheet program, save it again (or as CSV) and upload that file",
}


class _TooLong(Exception):
    """Raised inside the expat handlers to stop reading a part."""


def _scan(archive: zipfile.ZipFile, name: str) -> None:
    depth_in_text = 0
    length = 0
    parser = expat.ParserCreate()

    def start(tag: str, _attrs: object) -> None:
        nonlocal depth_in_text, length
        if tag.rpartition(":")[2] in _TEXT_ELEMENTS:
            depth_in_text += 1
            length = 0

    def end(tag: str) -> None:
        nonlocal depth_in_text
        if tag.rpartition(":")[2] in _TEXT_ELEMENTS:
            depth_in_text -= 1

    def text(data: str) -> None:
        nonlocal length
        if depth_in_text:
            length += len(data)
            if length > MAX_CELL_CHARS:
                raise _TooLong

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with archive.open(name) as part:
        while chunk := part.read(_READ):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def check(path: Path) -> None:
    """Refuse (:class:`ImportFailed`) a workbook whose parts are larger than the caps, or which holds a text longer
    than a cell can hold; return when openpyxl can read it in bounded time and memory."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            shared = sum(i.file_size for i in infos if i.filename.endswith("sharedStrings.xml"))
            if shared > MAX_SHARED_STRINGS_BYTES or total > MAX_WORKBOOK_BYTES:
                raise ImportFailed(
                    "{file}: the workbook inflates to {total:,} bytes ({shared:,} of shared strings), more than "
                    "Endroll reads ({cap:,})",
                    fix=XLSX_FIX,
                    file=path.name,
                    total=total,
                    shared=shared,
                    cap=MAX_WORKBOOK_BYTES,
                )
            for info in infos:
                name = info.filename
                if name.endswith("sharedStrings.xml") or (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    try:
                        _scan(archive, name)
                    except _TooLong:
                        raise ImportFailed(
                            "{file}: {part} holds a text longer than a cell can ({cap:,} characters)",
                            fix=XLSX_FIX,
                            file=path.name,
                            part=name,
                            cap=MAX_CELL_CHARS,
                        ) from None
    except (zipfile.BadZipFile, expat.ExpatError, zlib.error, NotImplementedError, OSError, EOFError) as exc:
        raise ImportFailed("{file}: not a readable XLSX workbook ({error})", file=path.name, error=str(exc)) from exc
