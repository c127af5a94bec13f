"""PDF output that renders Japanese: fpdf2 with a CJK TrueType font from Debian's packages.

The font is found at run time among the paths Debian installs it to; without one, the error names the package.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

from analytics.errors import FontNotFound
from data.i18n import N_

FONT_PACKAGE = "fonts-ipafont-gothic"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf",
)


def find_cjk_font() -> Path:
    """The first Japanese TrueType font found: the known Debian paths, then whatever fontconfig offers for ja."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    if shutil.which("fc-match"):
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", ":lang=ja:fontformat=TrueType"], capture_output=True, text=True, timeout=10
        )
        path = Path(out.stdout.strip())
        if out.returncode == 0 and path.suffix.lower() in {".ttf", ".otf"} and path.is_file():
            return path
    raise FontNotFound(
        N_("no Japanese font found (looked in {paths})"),
        fix={
            "cli": N_("install Debian's {package} (apt-get install -y {package})"),
            "page": N_("ask whoever runs Endroll to install Debian's {package}"),
        },
        paths=", ".join(FONT_CANDIDATES),
        package=FONT_PACKAGE,
    )


class CreditPDF(FPDF):
    """A4 pages in the CJK font, with an optional DRAFT watermark drawn on every page."""

    def __init__(self, *, title: str, draft_reason: str | None = None) -> None:
        super().__init__(format="A4")
        self.doc_title = title
        self.draft_reason = draft_reason
        self.add_font("cjk", "", str(find_cjk_font()))
        self.set_font("cjk", size=10)
        self.set_title(title)
        self.set_auto_page_break(auto=True, margin=18)

    def header(self) -> None:
        if self.draft_reason:
            with self.local_context(text_color=(215, 215, 215)):
                self.set_font("cjk", size=96)
                width = self.get_string_width("DRAFT")
                with self.rotation(angle=45, x=self.w / 2, y=self.h / 2):
                    self.text(self.w / 2 - width / 2, self.h / 2 + 12, "DRAFT")
            with self.local_context(text_color=(190, 0, 0)):
                self.set_font("cjk", size=9)
                self.set_xy(self.l_margin, 6)
                self.cell(0, 5, f"DRAFT 下書き — 公開不可: {self.draft_reason}", align="C")
            self.set_font("cjk", size=10)
        self.set_y(14)

    def footer(self) -> None:
        self.set_y(-12)
        with self.local_context(text_color=(120, 120, 120)):
            self.set_font("cjk", size=8)
            self.cell(0, 5, f"{self.doc_title} — {self.page_no()}", align="C")
        self.set_font("cjk", size=10)

    def heading(self, text: str, size: int = 14) -> None:
        self.set_font("cjk", size=size)
        self.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font("cjk", size=10)
        self.ln(2)

    def line_text(self, text: str, *, size: int = 10, align: str = "L") -> None:
        self.set_font("cjk", size=size)
        self.multi_cell(0, size * 0.55, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        self.set_font("cjk", size=8)
        with self.local_context(fill_color=(235, 235, 235)):
            for header, width in zip(headers, widths, strict=True):
                self.cell(width, 6, header, border=1, fill=True)
            self.ln()
        for row in rows:
            if self.get_y() > self.h - 25:
                self.add_page()
            for value, width in zip(row, widths, strict=True):
                text = str(value)
                while text and self.get_string_width(text) > width - 1.5:
                    text = text[:-1]
                self.cell(width, 5.5, text, border=1)
            self.ln()
        self.set_font("cjk", size=10)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
