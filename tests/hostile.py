"""Hostile names: what a person can type as a name, a title or a file header, put into a studio, and the checks that
none of it becomes markup on a page or a formula in a download (tests/app_pages/test_hostile_names.py,
tests/test_hostile_exports.py)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.schema import AiUsage, CreditLine, Person, Production, Service
from tests.app_fixtures import build_small_studio

EVIL = "evil.example"
IMAGE = f"![me](https://{EVIL}/pixel.png)"
LINK = f"[Reset your password](https://{EVIL}/login)"
HTML = f'<img src="https://{EVIL}/x.png"> <a href="https://{EVIL}/a">a</a>'
BARE = f"https://{EVIL}/bare www.{EVIL} staff@{EVIL}"
FORMULA = f'=HYPERLINK("https://{EVIL}/f","click")'
DIRECTIVES = r":red[alarm] $\href{https://evil.example/k}{x}$ <https://evil.example/auto>"
PLACEHOLDER = "AI (+Human)"
TAB_CR = "\t=1+2\tcol\rCR"
NAMES = (IMAGE, LINK, HTML, BARE, FORMULA, DIRECTIVES, PLACEHOLDER, TAB_CR, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1;2)")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def hostile_studio(session: Session, asset_dir: Path | None = None) -> dict[str, int]:
    """The small studio of tests/app_fixtures.py with every person's names, every production's title and every
    credited name replaced by hostile text; with ``asset_dir``, one AI-ledger image whose operator, post-editor and
    tool are hostile too (the Generation page's gallery)."""
    ids = build_small_studio(session)
    a, b, c = (session.get(Person, ids[k]) for k in ("artist", "artist2", "pen"))
    a.family_name, a.given_name, a.display_name = IMAGE, LINK, IMAGE
    a.family_romaji = a.family_romaji_ascii = HTML
    b.display_name, b.family_name, b.given_name = FORMULA, BARE, DIRECTIVES
    c.display_name, c.pen_name, c.family_name = HTML, PLACEHOLDER, TAB_CR
    tv, film = session.get(Production, ids["tv"]), session.get(Production, ids["film"])
    tv.title, tv.title_romaji = LINK, IMAGE
    film.title = FORMULA + " " + TAB_CR
    credited = (PLACEHOLDER, FORMULA, "未定 " + IMAGE, TAB_CR)  # the first and third are findings of the validator
    for line, name in zip(session.scalars(select(CreditLine).order_by(CreditLine.id)), credited, strict=False):
        line.name_as_credited = name
    if asset_dir is not None:
        asset_dir.mkdir(parents=True, exist_ok=True)
        png = asset_dir / "hostile.png"
        Image.new("RGB", (4, 4), "white").save(png)
        tool = Service(name=BARE, match_key="hostile tool", kind="generative_image", version=IMAGE)
        session.add(tool)
        session.flush()
        usage = AiUsage(asset_path=str(png), service_id=tool.id, operator_id=a.id, prompt=LINK,
                        params={"device": HTML}, production_id=tv.id)  # fmt: skip
        usage.post_editors.append(b)
        session.add(usage)
    session.commit()
    return ids


# ---------------------------------------------------------------------------------------------------------------
# Pages

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_BARE_LINK = re.compile(rf"https?://\S*{re.escape(EVIL)}|www\.{re.escape(EVIL)}|[\w.+-]@{re.escape(EVIL)}", re.I)
MARKDOWN_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success",
                     "exception", "toast")  # fmt: skip
LABELLED = ("button", "selectbox", "multiselect", "text_input", "text_area", "number_input", "checkbox", "radio",
            "date_input", "metric", "tabs", "expander")  # fmt: skip


def markdown_problems(source: str) -> list[str]:
    """What in ``source`` (Markdown as a page handed it to Streamlit) would fetch or link to the hostile site:
    images, links, autolinks, raw HTML, GitHub's bare-URL and e-mail links, Streamlit's directives and KaTeX links."""
    problems = []
    for token in _tokens(_PARSER.parse(source)):
        if token.type in ("image", "link_open", "html_inline", "html_block"):
            problems.append(f"{token.type}: {token.content or token.attrs}")
    if _BARE_LINK.search(source):
        problems.append(f"bare link: {_BARE_LINK.search(source).group(0)}")
    if re.search(r"(?<!\\):red\[", source) or re.search(r"(?<!\\)\$\\href", source):
        problems.append("directive or formula")
    return problems


def _tokens(tokens: Iterable[Any]) -> Iterator[Any]:
    for token in tokens:
        yield token
        if token.children:
            yield from _tokens(token.children)


def page_problems(at: Any, page: str) -> list[str]:
    """Every Markdown-rendered text of an AppTest run that lets hostile text act, and every Plotly chart whose
    labels would render a link or an image."""
    out = []
    for kind in MARKDOWN_ELEMENTS:
        for element in at.get(kind):
            value = getattr(element, "value", None) or getattr(element, "message", None) or ""
            out += [f"{page} {kind}: {p} in {value!r}" for p in markdown_problems(str(value))]
    for kind in LABELLED:
        for element in at.get(kind):
            label = getattr(element, "label", "") or ""
            out += [f"{page} {kind} label: {p} in {label!r}" for p in markdown_problems(str(label))]
    for link in at.get("page_link"):  # a link's label is Markdown too (the overview's sentences about people)
        out += [f"{page} page_link label: {p} in {link.proto.label!r}" for p in markdown_problems(link.proto.label)]
    for chart in at.get("plotly_chart"):
        spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
        if re.search(r"<(a|img)\b", spec, re.I):
            out.append(f"{page} chart: an <a> or <img> in the figure")
    return out


# ---------------------------------------------------------------------------------------------------------------
# Downloads


def csv_problems(data: bytes | str, *, what: str) -> list[str]:
    """Cells of a CSV download a spreadsheet would run as a formula."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    problems = []
    for r, row in enumerate(csv.reader(io.StringIO(text, newline=""))):
        for c, cell in enumerate(row):
            if cell.startswith(FORMULA_START):
                problems.append(f"{what} row {r} column {c}: {cell!r}")
    return problems


def tsv_problems(text: str, *, columns: int, what: str) -> list[str]:
    """Lines of a TSV that do not have ``columns`` columns, and cells that would run as a formula."""
    problems = []
    for n, line in enumerate(text.split("\n")):
        if not line or "\t" not in line:
            continue  # a summary line, not a row
        cells = line.split("\t")
        if len(cells) != columns:
            problems.append(f"{what} line {n}: {len(cells)} columns, not {columns}: {line!r}")
        problems += [f"{what} line {n}: {cell!r}" for cell in cells if cell.startswith(FORMULA_START)]
    return problems
