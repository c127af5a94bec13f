"""Every page of every role reads in the reader's language and writes its tables for people (issue 18).

AppTest over the small studio (tests/app_fixtures.py), on SQLite and PostgreSQL:

* in Japanese, no text, heading, label, option, metric, chart title or axis, table header or coded value is an English
  message of the catalog that has a Japanese translation, and no English sentence of the interface leaks;
* in both languages, no table shows a raw time of day (``00:00:00``), a float without a format of its decimals, a
  date without a date format, or an internal code (``employee_regular``, ``ot_plus_holiday_hours``, ``and_others``).

What stays as the engines wrote it (the findings' explanations and the credit validator's messages, which another
part of issue 18 turns into catalog templates; stored records such as the audit log's values) is named in
``AS_WRITTEN`` and is not read by these checks.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from app_pages import _labels
from data import i18n
from data.accounts import create_account
from data.reference import load_roles
from data.schema import Account
from tests.app_fixtures import CHEAP, sign_in

PAGES = {
    "manager": ["overview", "workload", "pay", "ai_use", "credits", "import_data", "generation", "advocate", "admin",
                "person", "people", "productions", "name_review"],
    "advocate": ["advocate"],
    "artist": ["my_record"],
}  # fmt: skip
# Columns whose cells are written by an engine or stored as they were, not by the pages.
AS_WRITTEN = {"explanation", "message", "old_values", "new_values", "reason", "raw", "help", "value"}
# Table columns that hold names of things, not codes: the setting's name is how it is typed in the environment.
NAMES = {"key", "env", "asset_path", "filename", "username", "actor", "tool", "oidc_email"}
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
# Three English words in a row: a sentence of the interface, not a name or a code.
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,]+[A-Za-z][a-z]+){2,}\b")
# What may stand in Japanese text in Latin letters: code, commands, paths and URLs, and names.
VERBATIM = re.compile(
    r"`[^`]*`|https?://\S+|\S*/\S*|\b[\w.-]+\.(?:csv|md|py|json|pem|png|xlsx)\b|\([^()]*\)$|"
    r"Flow Production Tracking|Toggl Track|Media Arts Database|"
    r"US-CA [^:]*?(?= \d{4})"
)  # product names, and Californian places as the minimum-wage table names them


def english_messages() -> dict[str, str]:
    """English msgid → Japanese, for the messages whose Japanese differs."""
    catalog = i18n._catalog("ja")
    out = {}
    for key, text in catalog.items():
        msgid = key[1] if isinstance(key, tuple) else key
        japanese = text[0] if isinstance(text, tuple) else text
        if japanese != msgid and len(msgid) > 1:
            out[msgid] = japanese
    return out


def codes() -> set[str]:
    """Every internal code a table could leak: the vocabularies' keys and the role taxonomy's codes."""
    found = {code for vocabulary in _labels.VOCABULARIES.values() for code in vocabulary if SNAKE.match(str(code))}
    return found | {row["code"] for row in load_roles() if "_" in row["code"]} | set(_labels.HEADERS)


def visit(role: str, locale: str, studio: dict[str, int]) -> Iterator[tuple[str, AppTest]]:
    """Each page of ``role`` run by AppTest in a browser of ``locale``."""
    at = sign_in(role, locale=locale)
    for page in PAGES[role]:
        if page == "person":
            at.session_state["person_id"] = studio["artist"]
        if page == "people":  # a person chosen: their contracts, the merge and their hours and pay are drawn too
            at.session_state["people_person"] = studio["artist"]
            at.session_state["merge_other"] = studio["pen"]
        if page == "productions":  # a production and an episode chosen: its episodes, cuts and roles are drawn too
            at.session_state["prod_pick"] = studio["tv"]
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (role, page, at.exception)
        yield page, at


def _spec_texts(spec: dict[str, Any]) -> list[str]:
    layout = spec.get("layout", {})
    texts = [layout.get("title", {}).get("text", "")]
    for axis in ("xaxis", "yaxis"):
        texts.append(layout.get(axis, {}).get("title", {}).get("text", ""))
    texts += [a.get("text", "") for a in layout.get("annotations", [])]
    texts += [t.get("name", "") for t in spec.get("data", []) if isinstance(t.get("name"), str)]
    return [t for t in texts if t]


def texts(at: AppTest) -> list[str]:
    """Every text the run drew outside tables: headings, text, alerts, metrics, widget labels and options, tabs,
    expanders, chart titles, axes, legends and annotations."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error"):
        out += [str(e.value) for e in getattr(at, kind)]
    for metric in at.metric:
        out += [metric.label, str(metric.value)]
    for kind in ("button", "checkbox", "text_input", "text_area", "number_input", "date_input", "toggle"):
        out += [e.label for e in getattr(at, kind)]
    for kind in ("selectbox", "multiselect", "radio"):
        for e in getattr(at, kind):
            out += [e.label, *[str(o) for o in e.options]]
    out += [t.label for t in at.tabs] + [e.label for e in at.expander]
    for chart in at.get("plotly_chart"):
        out += _spec_texts(json.loads(chart.proto.spec))
    return [t for t in out if t]


def tables(at: AppTest) -> Iterator[tuple[pd.DataFrame, dict[str, Any]]]:
    """Each table as shown (its visible columns) with its column config."""
    for element in at.dataframe:
        config = json.loads(element.proto.columns or "{}")
        order = list(element.proto.column_order) or list(element.value.columns)
        yield element.value[order], config


def sentences_in(text: str) -> list[str]:
    """English runs of words left in ``text`` once code, paths and URLs are taken out."""
    return ENGLISH_RUN.findall(VERBATIM.sub(" ", text))


@pytest.fixture(autouse=True)
def small_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Groups of two may be shown, so the small studio's aggregates draw tables and charts too."""
    monkeypatch.setenv("ENDROLL_K_ANONYMITY", "2")


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_reads_in_japanese(studio: dict[str, int], role: str) -> None:
    english = english_messages()
    untranslated, leaked = [], []
    for page, at in visit(role, "ja-JP", studio):
        for text in texts(at):
            if text.strip() in english:
                untranslated.append((page, text))
            leaked += [(page, run, text[:120]) for run in sentences_in(text)]
        for table, config in tables(at):
            for column in table.columns:
                label = config.get(column, {}).get("label", column)
                if label in english or sentences_in(label):
                    untranslated.append((page, f"header {label!r}"))
                if column in AS_WRITTEN or table[column].dtype.kind in "fiubM":
                    continue
                cells = {str(v) for v in table[column].dropna().unique()}
                untranslated += [(page, f"{column}: {v!r}") for v in sorted(cells & set(english))]
    assert untranslated == [], untranslated[:40]
    assert leaked == [], leaked[:40]


def _format_of(config: dict[str, Any], column: str) -> tuple[str | None, str | None]:
    type_config = config.get(column, {}).get("type_config", {})
    return type_config.get("type"), type_config.get("format")


def _decimals(fmt: str) -> int | None:
    """The decimals a number format writes (None: a preset or a format without a precision)."""
    found = re.search(r"%[,]?(?:\.(\d+))?([df])", fmt)
    if not found:
        return None
    return 0 if found.group(2) == "d" else int(found.group(1) or 6)


@pytest.mark.parametrize("locale", ["ja-JP", "en-US"])
# The test studio's three people are under k in every group of the advocate's release: the advocate's tables are
# read on the demo studio (below).
@pytest.mark.parametrize("role", ["manager", "artist"])
def test_every_table_is_written_for_people(studio: dict[str, int], role: str, locale: str) -> None:
    drawn, problems = _table_problems(visit(role, locale, studio))
    assert drawn, "the pages drew tables"
    assert problems == [], problems[:40]


@pytest.mark.parametrize("locale", ["ja-JP", "en-US"])
def test_the_advocates_tables_are_written_for_people(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    with Session(demo_engine) as s:
        if s.scalar(select(Account.id).where(Account.username == "union")) is None:
            create_account(s, "union", "union-rep-pass", "advocate", hasher=CHEAP)
            s.commit()
    monkeypatch.setenv("DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ENDROLL_AUTH", "local")
    monkeypatch.delenv("ENDROLL_K_ANONYMITY", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = sign_in("union", "union-rep-pass", locale=locale)
    assert not at.exception, at.exception
    drawn, problems = _table_problems([("advocate", at)])
    st.cache_data.clear()
    st.cache_resource.clear()
    assert drawn, "the page drew tables"
    assert problems == [], problems[:40]


def _table_problems(runs: Iterable[tuple[str, AppTest]]) -> tuple[int, list[tuple[str, str, str]]]:
    """How many tables the runs drew, and every column not written for people: (page, column, what is wrong)."""
    internal = codes()
    problems = []
    drawn = 0
    for page, at in runs:
        for table, config in tables(at):
            drawn += 1
            for column in table.columns:
                label = config.get(column, {}).get("label")
                kind, fmt = _format_of(config, column)
                series = table[column]
                if not label or label == column and "_" in column:
                    problems.append((page, column, "no header in words"))
                if series.dtype.kind == "M":
                    if kind not in ("date", "datetime") or not fmt:
                        problems.append((page, column, f"a date column drawn as {kind} {fmt}"))
                elif series.dtype.kind == "f" or series.dtype.kind in "iu":
                    decimals = _decimals(fmt or "")
                    if kind != "number" or decimals is None:
                        problems.append((page, column, f"a number without a format of its decimals: {fmt!r}"))
                    elif series.dtype.kind == "f" and re.search(r"%,?d", fmt or "") and not series.dropna().eq(
                            series.dropna().round()).all():  # fmt: skip
                        # %d cuts the fraction off (1.9 → 1); a rounding format (¥%,.0f) is how yen are written.
                        problems.append((page, column, "fractions cut off by an integer format"))
                elif column not in AS_WRITTEN:
                    cells = [str(v) for v in series.dropna().unique()]
                    problems += [(page, column, f"a raw time: {v!r}") for v in cells if "00:00:00" in v]
                    if column not in NAMES:
                        problems += [(page, column, f"an internal code: {v!r}") for v in cells
                                     if v in internal or SNAKE.match(v)]  # fmt: skip
    return drawn, problems


HOVER_NAME = re.compile(r"(?:^|<br>)([a-z][a-z0-9]*(?:_[a-z0-9]+)+)=")


@pytest.mark.parametrize("role", ["manager", "artist"])
def test_charts_name_their_values_and_months_carry_no_time(studio: dict[str, int], role: str) -> None:
    """With one month in the sidebar (the case that printed ``00:00:00 Oct 1, 2025``), every chart whose axis holds
    dates writes them as dates or months, and no hover box names a column by its code."""
    at = sign_in(role, locale="ja-JP")
    problems = []
    for page in PAGES[role]:
        at.switch_page(f"app_pages/{page}.py").run()
        if role == "manager" and page == "overview":
            at.sidebar.date_input(key="flt_start").set_value(dt.date(2025, 1, 1)).run()
            at.sidebar.date_input(key="flt_end").set_value(dt.date(2025, 1, 31)).run()
        for chart in at.get("plotly_chart"):
            spec = json.loads(chart.proto.spec)
            title = spec.get("layout", {}).get("title", {}).get("text", "")
            for trace in spec.get("data", []):
                problems += [(page, title, name) for name in HOVER_NAME.findall(trace.get("hovertemplate", ""))]
                x = trace.get("x")
                if isinstance(x, list) and x and isinstance(x[0], str) and re.match(r"\d{4}-\d\d-\d\d", x[0]):
                    fmt = spec["layout"].get("xaxis", {}).get("tickformat", "")
                    if not fmt or "%H" in fmt:
                        problems.append((page, title, f"dates on the x axis without a date format: {fmt!r}"))
    assert at.get("plotly_chart") or role == "manager"
    assert problems == [], problems
