"""Hostile names through every page under every role (AppTest, SQLite and PostgreSQL): names, pen names, titles,
credited names, an AI tool, an uploaded file's header and name, all written as Markdown images and links, HTML,
bare URLs, Streamlit directives, formulas, tabs — none becomes an image, a link or markup on any page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

# AppTest puts app_pages/ first on sys.path, where generation.py is the page: import the package under its name.
import generation.keys  # noqa: F401
from tests.app_fixtures import sign_in
from tests.hostile import EVIL, IMAGE, LINK, hostile_studio, markdown_problems, page_problems

PAGES = {
    "manager": (
        "overview",
        "workload",
        "pay",
        "ai_use",
        "credits",
        "import_data",
        "generation",
        "advocate",
        "admin",
        "people",
        "productions",
        "name_review",
    ),  # fmt: skip
    "advocate": ("advocate",),
    "artist": ("my_record",),
}


@pytest.fixture
def hostile(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, int]]:
    monkeypatch.setenv("ENDROLL_HOME", str(tmp_path / "home"))
    with Session(engine) as session:
        ids = hostile_studio(session, asset_dir=tmp_path / "home" / "assets")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ENDROLL_AUTH", "local")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield ids
    st.cache_data.clear()
    st.cache_resource.clear()


def test_the_checks_see_what_a_hostile_name_does_unescaped() -> None:
    """The page checks below are only worth something if they catch the raw names."""
    for raw in (IMAGE, LINK, f"**{IMAGE}**", f"<https://{EVIL}/x>", f"see https://{EVIL}/y", f"mail staff@{EVIL}"):
        assert markdown_problems(raw), raw
    assert markdown_problems(r"$\href{https://evil.example/k}{x}$") and markdown_problems(":red[x]")


@pytest.mark.parametrize("role", sorted(PAGES))
def test_no_page_renders_a_hostile_name_as_markup(hostile: dict[str, int], role: str) -> None:
    at = sign_in(role)
    problems = []
    seen = set()
    for page in PAGES[role]:
        if page == "people":  # a hostile person chosen, another hostile one to merge: both names in the sections
            at.session_state["people_person"] = hostile["artist"]
            at.session_state["merge_other"] = hostile["pen"]
        if page == "productions":  # the hostile title chosen: its heading and its sections
            at.session_state["prod_pick"] = hostile["tv"]
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        problems += page_problems(at, page)
        seen |= {str(e.value) for kind in ("markdown", "caption", "error") for e in at.get(kind)}
        if page == "import_data":
            header = f"date,{IMAGE},{LINK}\n1,2,3\n".encode()
            at.file_uploader(key="import_file").set_value((f"{LINK}.csv", header, "text/csv")).run()
            at.button(key="import_go").click().run()
            assert not at.exception, at.exception
            assert any("matches no known format" in e.value for e in at.error), [e.value for e in at.error]
            problems += page_problems(at, "import_data (a hostile header)")
            seen |= {str(e.value) for e in at.error}
    assert problems == []
    shown = "\n".join(seen)
    if role == "manager":
        # The names are on the pages, escaped: shown as typed, never as markup.
        # The operator by the naming rule: the native name (family, given), then the romaji.
        assert (
            r"operated by **\[Reset your password\]\(https\:\/\/evil\.example\/login\) "
            r"\!\[me\]\(https\:\/\/evil\.example\/pixel\.png\) \(Hanako \<img"
        ) in shown
        assert r"\[Reset your password\](https\://evil.example/login)" in shown  # the header, in the error
    if role == "artist":
        assert r"\!\[me\]\(https\:\/\/evil\.example\/pixel\.png\)" in shown
