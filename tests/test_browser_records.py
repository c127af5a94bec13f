"""The hand-entry forms of issue 19 in a real browser (Playwright driving Debian's chromium, as tests/test_browser.py):
the Productions page with a production and an episode chosen and a production added, and the People page with a
person chosen (their contracts, the merge of another record). Screenshots of each form in
tests/out/screenshots/ja/. Its own server and database: the production added changes no other test's pages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.test_browser import (
    PAGE_TIMEOUT_MS,
    SHOTS,
    _free_port,
    _start_streamlit,
    _stop,
    errors_on,
    full_shot,
    wait_for_run,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def records_server(templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("records-home")
    db = home / "endroll.sqlite3"
    shutil.copyfile(templates.sqlite("demo"), db)
    proc, url, log = _start_streamlit(home, db, _free_port(), {}, [])
    yield url
    _stop(proc, log)


def _choose(page, key: str, text: str | None = None) -> None:
    """Choose in the select box of widget ``key``: the option ``text`` (typed), else the first one offered."""
    box = page.locator(f".st-key-{key} input")
    box.click()
    if text is not None:
        box.fill(text)
    else:
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_for_run(page)


def test_the_hand_entry_forms_in_a_browser(records_server: str, browser) -> None:
    folder = SHOTS / "ja"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(records_server, wait_until="domcontentloaded")
        wait_for_run(page)
        page.get_by_role("textbox", name="ユーザー名", exact=True).fill("manager")
        page.get_by_role("textbox", name="パスワード", exact=True).fill("manager-demo")
        page.get_by_role("button", name="サインイン", exact=True).click()
        page.get_by_role("button", name="サインアウト").wait_for(timeout=60_000)
        wait_for_run(page)
        nav = page.get_by_test_id("stSidebarNav")

        nav.get_by_role("link", name="作品", exact=True).click()
        wait_for_run(page)
        page.get_by_role("heading", name="作品", exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        _choose(page, "prod_pick", "星灯りのアトリエ")
        page.get_by_role("heading", name="星灯りのアトリエ").first.wait_for(timeout=PAGE_TIMEOUT_MS)
        episode_pick = page.locator("[class*='st-key-ep_pick_'] input")
        episode_pick.click()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        wait_for_run(page)
        page.get_by_role("heading", name="話のカット").first.wait_for(timeout=PAGE_TIMEOUT_MS)
        assert errors_on(page) == []
        full_shot(page, folder / "manager-productions-episode.png")

        _choose(page, "prod_pick", "新しい作品")
        page.locator(".st-key-prod_0_title input").fill("月の庭")
        page.get_by_role("button", name="作品を追加", exact=True).click()
        wait_for_run(page)
        page.get_by_text("「月の庭」を保存しました。").wait_for(timeout=PAGE_TIMEOUT_MS)
        assert errors_on(page) == []
        full_shot(page, folder / "manager-productions-added.png")

        nav.get_by_role("link", name="人と記録", exact=True).click()
        wait_for_run(page)
        _choose(page, "people_person")
        page.get_by_role("heading", name="雇用契約").first.wait_for(timeout=PAGE_TIMEOUT_MS)
        _choose(page, "merge_other")
        page.get_by_text("の記録を残します").first.wait_for(timeout=PAGE_TIMEOUT_MS)
        assert errors_on(page) == []
        full_shot(page, folder / "manager-people-contracts-and-merge.png")
    finally:
        context.close()
