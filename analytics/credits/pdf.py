"""PDF documents for people (the end roll, an artist's credit record), drawn with fpdf2 in CJK fonts.

A document is described first, as a :class:`Document` of lines and tables, so every string is known before anything
is drawn: the fonts (:mod:`analytics.credits.fonts`) are checked against all of them, a character no font has is
refused by name, and the embedded fonts are cut to the characters used. The text stays extractable (copy, search).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from analytics.credits.fonts import Font, assign, check_glyphs, embeddable, find_fonts
from analytics.errors import AnalyticsError

PAGE_DIGITS = "0123456789"


@dataclass(frozen=True)
class Line:
    """A paragraph, wrapped to the page width."""

    text: str
    size: float = 10
    align: str = "C"
    space_before: float = 0
    space_after: float = 0


@dataclass(frozen=True)
class Table:
    """A table with a header row repeated on each page; long cells wrap rather than being cut."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    size: float = 8


@dataclass(frozen=True)
class Document:
    """What a PDF says: its title (document properties and the footer of each page), its lines and tables, and for a
    draft the red header line and the diagonal watermark word drawn on every page; ``attachments``: files embedded
    in the PDF (name, bytes), as a report carries the data it prints."""

    title: str
    blocks: tuple[Line | Table, ...] = field(default_factory=tuple)
    draft: str | None = None
    watermark: str | None = None
    attachments: tuple[tuple[str, bytes], ...] = ()

    def texts(self) -> list[str]:
        """Every string the document draws (the footer with every digit a page number may use)."""
        out = [self.title, f"{self.title} — {PAGE_DIGITS}"]
        out += [t for t in (self.draft, self.watermark) if t]
        for block in self.blocks:
            if isinstance(block, Line):
                out.append(block.text)
            else:
                out += list(block.headers)
                out += [cell for row in block.rows for cell in row]
        return out


def find_cjk_font() -> Path:
    """The file of the first font PDFs are drawn with (Noto Sans CJK, else IPA Gothic); FontNotFound without one."""
    return find_fonts()[0].path


def check(document: Document) -> tuple[Font, ...]:
    """The fonts ``document`` would be drawn with. FontNotFound without a CJK font; MissingGlyphs naming every
    character that no installed font can show."""
    fonts = find_fonts()
    check_glyphs(document.texts(), fonts)
    return fonts


def refusal(document: Document) -> AnalyticsError | None:
    """Why ``document`` cannot be drawn (no font, or characters no font has), or None; for pages that ask before
    offering a download."""
    try:
        check(document)
    except AnalyticsError as error:
        return error
    return None


def can_draw(characters: str) -> bool:
    """True when an installed font has a glyph for every one of ``characters`` (False without a CJK font)."""
    try:
        check_glyphs([characters], find_fonts())
    except AnalyticsError:
        return False
    return True


def render(document: Document) -> bytes:
    """The PDF of ``document`` (A4), its fonts embedded. Refuses as :func:`check` does before drawing anything."""
    fonts = check(document)
    chars = {ch for text in document.texts() for ch in text}
    with tempfile.TemporaryDirectory(prefix="endroll-fonts-") as folder:
        files = [embeddable(font, mine, Path(folder)) for font, mine in assign(chars, fonts)]
        pdf = _CreditPDF(document, files)
        pdf.add_page()
        for block in document.blocks:
            if isinstance(block, Line):
                pdf.paragraph(block)
            else:
                pdf.grid(block)
        for name, data in document.attachments:
            pdf.embed_file(bytes=data, basename=name)
        # fpdf2 reads the converted font files while writing the PDF: output before the folder goes.
        return bytes(pdf.output())


class _CreditPDF(FPDF):
    """A4 pages in the first font with the others as per-glyph fallbacks; a draft's watermark on every page."""

    def __init__(self, document: Document, files: Sequence[Path]) -> None:
        super().__init__(format="A4")
        self.document = document
        names = []
        for number, path in enumerate(files):
            self.add_font(f"cjk{number}", "", str(path))
            names.append(f"cjk{number}")
        self.family_name = names[0]
        if len(names) > 1:
            self.set_fallback_fonts(names[1:], exact_match=False)
        self.set_font(self.family_name, size=10)
        self.set_title(document.title)
        self.set_auto_page_break(auto=True, margin=18)

    def header(self) -> None:
        doc = self.document
        if doc.draft:
            if doc.watermark:
                with self.local_context(text_color=(215, 215, 215)):
                    self.set_font(self.family_name, size=96)
                    width = self.get_string_width(doc.watermark)
                    with self.rotation(angle=45, x=self.w / 2, y=self.h / 2):
                        self.text(self.w / 2 - width / 2, self.h / 2 + 12, doc.watermark)
            with self.local_context(text_color=(190, 0, 0)):
                self.set_font(self.family_name, size=9)
                self.set_xy(self.l_margin, 6)
                self.cell(0, 5, doc.draft, align="C")
            self.set_font(self.family_name, size=10)
        self.set_y(14)

    def footer(self) -> None:
        self.set_y(-12)
        with self.local_context(text_color=(120, 120, 120)):
            self.set_font(self.family_name, size=8)
            self.cell(0, 5, f"{self.document.title} — {self.page_no()}", align="C")
        self.set_font(self.family_name, size=10)

    def paragraph(self, line: Line) -> None:
        if line.space_before:
            self.ln(line.space_before)
        self.set_font(self.family_name, size=line.size)
        self.multi_cell(0, line.size * 0.55, line.text, align=line.align, new_x="LMARGIN", new_y="NEXT")
        if line.space_after:
            self.ln(line.space_after)

    def grid(self, table: Table) -> None:
        self.set_font(self.family_name, size=table.size)
        style = FontFace(emphasis="NONE", fill_color=(235, 235, 235))
        with self.table(
            col_widths=table.widths,
            width=sum(table.widths),
            line_height=table.size * 0.6,
            text_align="LEFT",
            headings_style=style,
        ) as grid:
            header = grid.row()
            for text in table.headers:
                header.cell(text)
            for values in table.rows:
                row = grid.row()
                for text in values:
                    row.cell(text)
        self.set_font(self.family_name, size=10)
