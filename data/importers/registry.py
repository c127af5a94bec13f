"""The format registry: every format a file can be imported in, each registered by its kind's module.

A kind module (``data/importers/kinds/<name>.py``) calls :func:`register` with a :class:`Format`: its name, what its
rows become, how a file's rows are read and parsed (``read``), how parsed rows are written (``write``), how its
header is recognised (``header``) and, for Endroll's own formats, its columns (template and documentation).
:func:`detect` finds the format of a file from its first line; the machinery (:mod:`data.importers.pipeline`)
calls ``prepare``, ``read`` and ``write`` and knows no format by name.

Detection looks at the first non-blank line only, so it costs nothing on large files. An explicit format name
(``--format``, the page's Format box) always wins.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from data import tabular
from data.i18n import N_
from data.importers.errors import ImportFailed, UnknownFormat
from data.importers.reading import first_line, hkey, is_json, is_xlsx, sniff_delimiter, sniff_encoding, xlsx_header_rows
from data.importers.rows import Item

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from data.importers.context import ImportContext

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Column:
    """One column of an Endroll canonical format, as its template and documentation show it."""

    name: str
    required: bool
    unit: str
    example: str
    help: str


@dataclass(frozen=True)
class Header:
    """A file's first line as detection reads it: the match keys (:func:`data.importers.reading.hkey`) of its cells
    as a set, the first cell's key, and the cells as written."""

    keys: frozenset[str]
    first: str
    cells: tuple[str, ...]

    @classmethod
    def of(cls, cells: Iterable[str]) -> Header:
        """The Header of a first line given as its cells."""
        cells = tuple(cells)
        return cls(frozenset(hkey(c) for c in cells), hkey(cells[0]) if cells else "", cells)


@dataclass
class Source:
    """What a format's reader gets: the file and the import's settings that parsing needs, no database.

    ``production`` is the title given for the whole file (``--production``), ``tz`` the workplace time zone for
    times written without one, ``prepared`` what the format's ``prepare`` read from the database (None without one),
    ``details`` the summary's counters, for what reading found (Clockify's date order)."""

    path: Path
    tz: ZoneInfo
    production: str | None = None
    prepared: Any = None
    details: dict[str, int] = field(default_factory=dict)


# The three parts of a format the machinery calls: reference data read once per import, the rows of a file (each an
# Item holding a parsed value or the RowError that rejects it), and the writer of those Items.
Prepare = Callable[["Session"], Any]
Read = Callable[[Source], Iterator[Item]]


class Write(Protocol):
    def __call__(self, session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None: ...


@dataclass(frozen=True)
class Format:
    """One import format.

    ``entity`` is what a row becomes (the table, in the docs' words: ``work_log``, ``credit`` …). ``files`` are the
    file types it reads: ``csv``, ``xlsx``, ``json``, ``text``. ``header`` says whether a first line is this format's;
    ``order`` orders both the header tests (the first that matches wins) and the listings. ``unclaimed`` takes a text
    file whose header no format claimed (credit-roll text). ``columns`` (Endroll's canonical formats) give the
    template ``templates/<template>.csv`` / ``.xlsx`` and the table in ``docs/import-formats.md``.
    ``needs_production``: the file cannot name its production, so the import needs one given for the whole file."""

    name: str
    label: str
    entity: str
    read: Read
    write: Write
    order: int
    files: frozenset[str] = frozenset({"csv"})
    header: Callable[[Header], bool] | None = None
    unclaimed: Callable[[Path, Header], bool] | None = None
    prepare: Prepare | None = None
    columns: tuple[Column, ...] = ()
    template: str | None = None
    needs_production: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        """The names of the columns a row must fill."""
        return tuple(c.name for c in self.columns if c.required)


_FORMATS: dict[str, Format] = {}
# The formats by name, in their order; filled as the kind modules register (data.importers imports them all).
FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt`` to the registry (a kind module calls this once per format it defines) and return it."""
    if fmt.name in _FORMATS:
        raise ValueError(f"import format {fmt.name!r} is registered twice")
    _FORMATS[fmt.name] = fmt
    FORMATS.clear()
    FORMATS.update(sorted(_FORMATS.items(), key=lambda kv: (kv[1].order, kv[0])))
    return fmt


def get(name: str) -> Format:
    """The format called ``name``, or :class:`ImportFailed` listing the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ImportFailed(
            N_("unknown format {name!r}; known: {known}"),
            fix={"cli": N_("pass one of them to --format"), "page": N_("choose one of them in Format")},
            name=name,
            known=", ".join(FORMATS),
        ) from None


def detect_header(headers: list[str]) -> str | None:
    """The name of the first format (in order) whose header test accepts ``headers``, or None."""
    header = Header.of(headers)
    for fmt in FORMATS.values():
        if fmt.header is not None and fmt.header(header):
            return fmt.name
    return None


def detect(path: Path) -> str:
    """The format name of ``path`` (see :data:`FORMATS`), or :class:`UnknownFormat` with what was expected."""
    if is_json(path):
        for fmt in FORMATS.values():
            if "json" in fmt.files:
                return fmt.name
    if is_xlsx(path):
        headers = next(xlsx_header_rows(path), None) or []
        name = detect_header(headers)
        if name is None or "xlsx" not in FORMATS[name].files:
            raise UnknownFormat(
                N_("{file}: the first sheet's header {header!r} is not an Endroll canonical sheet"),
                fix=N_("use a template from data/importers/templates/"),
                file=path.name,
                header=headers,
            )
        return name
    line = first_line(path, sniff_encoding(path))
    if not line:
        raise UnknownFormat(N_("{file}: the file is empty"), file=path.name)
    header = Header.of(next(csv.reader([line], delimiter=sniff_delimiter(line))))
    name = detect_header(list(header.cells))
    if name:
        return name
    for fmt in FORMATS.values():
        if fmt.unclaimed is not None and fmt.unclaimed(path, header):
            return fmt.name
    raise UnknownFormat(
        N_("{file}: line 1 header {header!r} matches no known format (known: {known})"),
        fix={
            "cli": N_("pass --format NAME if the header was renamed"),
            "page": N_("choose the format in Format if the header was renamed"),
        },
        file=path.name,
        header=line[:200],
        known=", ".join(FORMATS),
    )


def templated() -> list[Format]:
    """The formats with a template (Endroll's canonical formats), in order."""
    return [f for f in FORMATS.values() if f.columns]


def write_templates(folder: Path) -> list[Path]:
    """One CSV and one XLSX per canonical format in ``folder``: the header and one example row. Returns the paths."""
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in templated():
        path = folder / f"{fmt.template}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = tabular.Writer(fh)
            w.writerow([c.name for c in fmt.columns])
            w.writerow([c.example for c in fmt.columns])
        written.append(path)
        wb = Workbook()
        ws = wb.active
        ws.title = fmt.template
        ws.append([c.name for c in fmt.columns])
        ws.append([c.example for c in fmt.columns])
        xpath = folder / f"{fmt.template}.xlsx"
        wb.save(xpath)
        written.append(xpath)
    return written


def markdown(name: str) -> str:
    """The column table of a canonical format, as ``docs/import-formats.md`` shows it (Markdown)."""
    lines = ["| column | required | unit / format | example | meaning |", "|---|---|---|---|---|"]
    for c in FORMATS[name].columns:
        lines.append(f"| `{c.name}` | {'yes' if c.required else ''} | {c.unit} | {c.example} | {c.help} |")
    return "\n".join(lines)


def formats_markdown() -> str:
    """The table of every format (name, what its rows become, what it is), as ``docs/import-formats.md`` and the
    README list them (Markdown)."""
    lines = ["| name | rows become | what |", "|---|---|---|"]
    lines += [f"| `{f.name}` | {f.entity} | {f.label} |" for f in FORMATS.values()]
    return "\n".join(lines)
