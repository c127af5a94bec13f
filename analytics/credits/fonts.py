"""The fonts of the PDF exports: which are installed, which characters they can show, and the embeddable files.

Credits name people and companies from Japan, China and Korea (``上海云帆动画有限公司``, ``김민수``), so the PDFs use
Debian's Noto Sans CJK (package ``fonts-noto-cjk``) first and IPA Gothic (``fonts-ipafont-gothic``) after it, for
the few Latin letters Noto CJK lacks (``Ł``, ``č``) and for machines without Noto. Both are found at run time: at
the paths Debian installs them to, else through fontconfig. Before a PDF is drawn, every character of every string
is checked against the fonts' character maps (fontTools); a character none of them has is refused by name
(:class:`analytics.errors.MissingGlyphs`), because fpdf2 would otherwise leave it out and only log it.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analytics.errors import FontNotFound, MissingGlyphs
from data.i18n import N_

FONT_PACKAGE = "fonts-noto-cjk"
FALLBACK_PACKAGE = "fonts-ipafont-gothic"
NOTO_FAMILY = "Noto Sans CJK JP"  # the Japanese face of the collection: Japanese glyph shapes for shared ideographs
NOTO_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf",
)
# Characters that lay text out rather than being drawn (line breaks, tabs).
LAYOUT_CHARACTERS = frozenset("\n\r\t")


@dataclass(frozen=True)
class Font:
    """One installed font face: a file, and the face's number when the file is a collection (.ttc)."""

    path: Path
    index: int = 0

    @property
    def name(self) -> str:
        return _family(str(self.path), self.index, _mtime(self.path))

    @property
    def is_cff(self) -> bool:
        """True for PostScript (CFF) outlines, which are converted to TrueType outlines before embedding."""
        return _is_cff(str(self.path), self.index, _mtime(self.path))

    def covers(self) -> frozenset[int]:
        """The code points the face has a glyph for."""
        return _cmap(str(self.path), self.index, _mtime(self.path))

    def describe(self) -> str:
        return f"{self.name} ({self.path})"


def _mtime(path: Path) -> float:
    # Part of the cache keys below, so a font upgraded while the app runs is read again.
    return path.stat().st_mtime


@functools.lru_cache(maxsize=16)
def _cmap(path: str, index: int, _mtime: float) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@functools.lru_cache(maxsize=16)
def _family(path: str, index: int, _mtime: float) -> str:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return font["name"].getBestFamilyName() or Path(path).stem


@functools.lru_cache(maxsize=16)
def _is_cff(path: str, index: int, _mtime: float) -> bool:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return "CFF " in font


def _collection_face(path: Path, family: str) -> Font | None:
    """The face of ``path`` whose family is ``family`` (a .ttc holds several), or None."""
    if path.suffix.lower() != ".ttc":
        font = Font(path)
        return font if font.name == family else None
    from fontTools.ttLib import TTCollection

    with TTCollection(str(path), lazy=True) as collection:
        count = len(collection.fonts)
    for index in range(count):
        font = Font(path, index)
        if font.name == family:
            return font
    return None


def _fontconfig(*args: str) -> list[tuple[Path, int]]:
    """``(file, face index)`` pairs fontconfig prints for ``fc-list``/``fc-match`` ``args``; empty without it."""
    if not shutil.which(args[0]):
        return []
    try:
        out = subprocess.run(list(args), capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.stdout.splitlines():
        file, _sep, index = line.partition("\t")
        path = Path(file.strip())
        if path.suffix.lower() in {".ttf", ".otf", ".ttc"} and path.is_file():
            found.append((path, int(index) if index.strip().isdigit() else 0))
    return found


def find_noto_cjk() -> Font | None:
    """Noto Sans CJK JP (Debian's ``fonts-noto-cjk``): its known paths, then fontconfig; None when not installed."""
    for candidate in NOTO_CANDIDATES:
        path = Path(candidate)
        if path.is_file() and (face := _collection_face(path, NOTO_FAMILY)) is not None:
            return face
    for path, index in _fontconfig("fc-list", "-f", "%{file}\t%{index}\n", f"{NOTO_FAMILY}:style=Regular"):
        return Font(path, index)
    return None


def find_japanese_truetype() -> Font | None:
    """IPA Gothic (Debian's ``fonts-ipafont-gothic``) or another Japanese TrueType font fontconfig offers."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Font(Path(candidate))
    for path, index in _fontconfig("fc-match", "-f", "%{file}\t%{index}", ":lang=ja:fontformat=TrueType"):
        return Font(path, index)
    return None


def find_fonts() -> tuple[Font, ...]:
    """The fonts a PDF is drawn with, first choice first: Noto Sans CJK, then IPA Gothic (or what fontconfig offers
    for Japanese). FontNotFound, naming the package to install, when neither is installed."""
    fonts = tuple(f for f in (find_noto_cjk(), find_japanese_truetype()) if f is not None)
    if not fonts:
        raise FontNotFound(
            N_("no font for Japanese, Chinese and Korean text is installed (looked in {paths} and asked fontconfig)"),
            fix={
                "cli": N_(
                    "install Debian's {package} (apt-get install -y {package}; {fallback} covers Japanese only), "
                    "then export again"
                ),
                "page": N_("ask whoever runs Endroll to install Debian's {package} (or {fallback}), then try again"),
            },
            paths=", ".join((*NOTO_CANDIDATES, *FONT_CANDIDATES)),
            package=FONT_PACKAGE,
            fallback=FALLBACK_PACKAGE,
        )
    return fonts


def character_name(ch: str) -> str:
    """``动 (U+52A8 CJK UNIFIED IDEOGRAPH-52A8)``; a character without a printable form shows only its code."""
    code = f"U+{ord(ch):04X}"
    category = unicodedata.category(ch)
    name = unicodedata.name(ch, "")
    if category in {"Co", "Cn", "Cs", "Cc", "Cf"} or not name:
        kind = {"Co": "private use", "Cn": "unassigned", "Cs": "surrogate", "Cc": "control", "Cf": "format"}
        return f"{code} ({name or kind.get(category, 'no name')})"
    return f"{ch} ({code} {name})"


def check_glyphs(texts: Iterable[str], fonts: Sequence[Font]) -> None:
    """Nothing when some font of ``fonts`` has a glyph for every character of ``texts``; else MissingGlyphs naming
    the characters, the fonts and the strings that contain them."""
    missing: dict[str, None] = {}
    where: dict[str, None] = {}
    covered = [f.covers() for f in fonts]
    for text in texts:
        for ch in text:
            if ch in LAYOUT_CHARACTERS or any(ord(ch) in c for c in covered):
                continue
            missing.setdefault(ch)
            where.setdefault(text)
    if missing:
        raise MissingGlyphs(
            N_(
                "the PDF cannot show {chars}: no installed font has a glyph for them ({fonts}). They appear in: {texts}"
            ),
            fix={
                "cli": N_(
                    "install Debian's {package} (apt-get install -y {package}) if it is missing, or correct the "
                    "text that contains them; the text, CSV and JSON exports keep every character"
                ),
                "page": N_(
                    "ask whoever runs Endroll to install Debian's {package} if it is missing, or correct the name "
                    "or role that contains them; the text, CSV and JSON downloads keep every character"
                ),
            },
            chars=", ".join(character_name(ch) for ch in missing),
            fonts=", ".join(f.describe() for f in fonts),
            texts=" / ".join(f"「{t}」" for t in list(where)[:5]),
            package=FONT_PACKAGE,
            characters="".join(missing),
        )


def assign(chars: Iterable[str], fonts: Sequence[Font]) -> list[tuple[Font, frozenset[str]]]:
    """Which characters each font draws: a character goes to the first font that has it. The first font is always
    listed (it sets the text's look); a later one only when it draws something."""
    left = {ch for ch in chars if ch not in LAYOUT_CHARACTERS}
    out: list[tuple[Font, frozenset[str]]] = []
    for position, font in enumerate(fonts):
        mine = frozenset(ch for ch in left if ord(ch) in font.covers())
        left -= mine
        if mine or position == 0:
            out.append((font, mine))
    return out


def embeddable(font: Font, chars: frozenset[str], folder: Path) -> Path:
    """A TrueType file fpdf2 can embed for ``font``: the font itself when it has TrueType outlines; for PostScript
    (CFF) outlines, such as Noto CJK's, the glyphs of ``chars`` converted to TrueType outlines in ``folder``.

    fpdf2 embeds CFF collections with an encoding CMap that text extractors (pypdf) misread, so copied or searched
    text would come out garbled; TrueType outlines are embedded with Identity-H and extract exactly."""
    if not font.is_cff:
        return font.path
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []  # fpdf2 draws without shaping here; the layout tables would be dead weight
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    options.desubroutinize = True
    with TTFont(str(font.path), fontNumber=font.index, lazy=True) as ttfont:  # as fontTools' subsetter loads
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(ord(ch) for ch in chars) or [0x20])
        subsetter.subset(ttfont)
        _to_truetype_outlines(ttfont)
        target = folder / f"{font.path.stem}-{font.index}.ttf"
        ttfont.save(str(target))
    return target


def _to_truetype_outlines(font) -> None:  # a fontTools TTFont, changed in place
    """Replace the CFF outlines by quadratic TrueType ones (fontTools' cu2qu, at most 1 unit of error per 1000)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # TrueType contours run clockwise, PostScript ones counter-clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    metrics = font["hmtx"].metrics
    for name, glyph in glyphs.items():
        metrics[name] = (metrics[name][0], getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
        "maxSizeOfInstructions", "maxComponentElements",
    ):  # fmt: skip
        setattr(maxp, field, 0)
    font["post"].formatType = 3.0  # no glyph names: a CID-keyed font has none worth keeping
    font.sfntVersion = "\x00\x01\x00\x00"
