"""The artist's own log and the monthly sign-off in a real browser (issue 20): the demo studio's artist (森 健太, a
freelance key animator) uploads the Toggl detailed export he kept for the first week of October 2025, sees it beside
the studio's record, shares the month, disputes two days of it on the Sign-off tab; the manager opens his Person page,
sees the shared month and answers each disputed day; the artist reads the answers. In Japanese and in English, each
on a server of its own (a fresh copy of the demo studio), with screenshots under tests/out/screenshots/<language>/.
Skipped, as the browser suite is, without the chromium binary."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app_pages import _format
from tests.test_browser import (
    PAGE_TIMEOUT_MS,
    SHOTS,
    _free_port,
    _start_streamlit,
    _stop,
    _title,
    errors_on,
    full_shot,
    wait_for_run,
)

pytestmark = pytest.mark.browser

EXPORT = Path(__file__).resolve().parent / "fixtures" / "own_log" / "toggl_detailed_mori_2025-10.csv"
LANGUAGES = {"ja": "ja-JP", "en": "en-US"}
DISPUTED = {"2025-10-02": "8 h: C-114 layout and key, 10:00–19:00", "2025-10-07": "10 h: C-117 and C-118"}


@pytest.fixture
def demo_server(templates, tmp_path: Path) -> Iterator[tuple[str, int]]:
    """A server on a fresh copy of the demo studio; (its url, the artist account's person id)."""
    db = tmp_path / "endroll.sqlite3"
    shutil.copyfile(templates.sqlite("demo"), db)
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        person_id = conn.execute(text("SELECT person_id FROM account WHERE username = 'artist'")).scalar_one()
    engine.dispose()
    proc, url, log = _start_streamlit(tmp_path, db, _free_port(), {}, [])
    yield url, int(person_id)
    _stop(proc, log)


def _sign_in(page, url: str, role: str, language: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_for_run(page)
    page.get_by_role("textbox", name=_title("Username", language), exact=True).fill(role)
    page.get_by_role("textbox", name=_title("Password", language), exact=True).fill(f"{role}-demo")
    page.get_by_role("button", name=_title("Sign in", language), exact=True).click()
    page.get_by_role("button", name=_title("Sign out", language)).wait_for(timeout=60_000)
    wait_for_run(page)


def _sign_out(page, language: str) -> None:
    page.get_by_role("button", name=_title("Sign out", language)).click()
    page.get_by_role("button", name=_title("Sign in", language), exact=True).wait_for(timeout=60_000)


def _ok(page, where: str) -> None:
    assert errors_on(page) == [], (where, errors_on(page))


def _tab(page, label: str, language: str) -> None:
    page.get_by_role("tab", name=_title(label, language), exact=True).click()
    page.wait_for_timeout(500)


def _button(page, label: str, language: str) -> None:
    page.get_by_role("button", name=_title(label, language), exact=True).click()
    wait_for_run(page)


def _main(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _see(page, text_: str) -> None:
    """Wait until the page shows ``text_`` (a write draws the page again from the new state after a moment)."""
    page.locator('[data-testid="stMain"]').get_by_text(text_, exact=False).first.wait_for(timeout=PAGE_TIMEOUT_MS)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_an_artist_uploads_shares_and_disputes_and_the_manager_answers(
    demo_server: tuple[str, int], browser, language: str
) -> None:
    url, person_id = demo_server
    folder = SHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    tr = _title
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale=LANGUAGES[language])
    page = context.new_page()
    try:
        # The artist: his Toggl export into his own log, October beside the studio's record, shared.
        _sign_in(page, url, "artist", language)
        page.get_by_role("heading", name=tr("My record", language), exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        _tab(page, "My own log", language)
        page.locator('[data-testid="stExpander"] summary', has_text=tr("Upload a timesheet you kept", language)).click()
        page.locator('.st-key-own_upload [data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(EXPORT))
        wait_for_run(page)
        _button(page, "Add its rows to my log", language)
        _ok(page, "upload")
        _see(page, "7 rows read" if language == "en" else "7 行を読み込み")
        # The date field is segmented (year / month / day, as the format YYYY/MM/DD orders them): typed one by one.
        segments = page.get_by_label(tr("Month (any day in it)", language), exact=True).locator('[role="spinbutton"]')
        for i, value in enumerate(("2025", "10", "15")):
            segments.nth(i).click()
            page.keyboard.type(value)
        page.keyboard.press("Enter")
        # The value is committed when the field loses focus.
        page.get_by_role("heading", name=tr("My log beside the studio's", language)).click()
        wait_for_run(page)
        # 5 + 8 + 4.5 + 6.08 + 5 + 10 h in his log (the studio's October is the whole month).
        page.locator('[data-testid="stMetricValue"]', has_text="38.6 h").first.wait_for(timeout=60_000)
        _ok(page, "reconciliation")
        assert _format.month("2025-10-01", language) in _main(page)
        _button(page, "Share this month with the managers", language)
        _ok(page, "share")
        _see(page, tr("Shared. Managers can now see this month of your log beside the studio's.", language))
        full_shot(page, folder / "own_log-artist-reconciled.png")

        # The Sign-off tab: October (the latest month that ended) disputed on two days, a note each.
        _tab(page, "Sign-off", language)
        days = page.get_by_label(tr("Days the studio's record has wrong", language), exact=True)
        for day, note in DISPUTED.items():
            days.click()
            days.fill(day)
            days.press("Enter")
            page.keyboard.press("Escape")
            wait_for_run(page)
            field = page.get_by_label(tr("What is wrong on {day}", language).format(day=day), exact=True)
            field.fill(note)
            field.press("Enter")
            wait_for_run(page)
        _button(page, "Send the dispute", language)
        _ok(page, "dispute")
        _see(page, tr("Sent. A manager answers each day you disputed.", language))
        full_shot(page, folder / "own_log-artist-disputed.png")
        _sign_out(page, language)

        # The manager: his Person page, the shared October with a difference answered, each disputed day answered.
        _sign_in(page, url, "manager", language)
        page.goto(f"{url}/person?person={person_id}", wait_until="domcontentloaded")
        wait_for_run(page)
        page.get_by_role("heading", name=tr("Person", language), exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        wait_for_run(page)
        _tab(page, "Own log (shared)", language)
        _ok(page, "shared view")
        assert "38.6 h" in _main(page)
        note = page.get_by_label(tr("Answer to the artist", language), exact=True)
        note.fill("10/2 のスタジオの記録は 4.9 時間です。C-114 のレイアウト分が抜けていないか確認します。")
        note.press("Control+Enter")
        wait_for_run(page)
        page.get_by_role("button", name=tr("Send the answer", language), exact=True).click()
        wait_for_run(page)
        _ok(page, "difference answered")
        full_shot(page, folder / "own_log-manager-shared.png")

        _tab(page, "Sign-off", language)
        _see(page, tr("The artist disputed {month} on {since}: answer each day below.", language).split("{")[0])
        for day, answer, text_ in (
            ("2025-10-02", "Accept: the studio's record is to be corrected", "作業記録を8時間に訂正します。"),
            ("2025-10-07", "Explain: the record stands", "10/7 の 4 時間はスタジオ外の作業で、発注の範囲外です。"),
        ):
            wait_for_run(page)
            page.get_by_label(tr("Disputed day", language), exact=True).click()
            page.keyboard.type(day)  # the list filtered to that day; Enter chooses it
            page.keyboard.press("Enter")
            wait_for_run(page)
            page.locator('[data-testid="stRadio"] label', has_text=tr(answer, language)).click()
            wait_for_run(page)
            box = page.get_by_label(tr("Note to the artist", language), exact=True)
            box.fill(text_)
            box.press("Control+Enter")
            wait_for_run(page)
            page.get_by_role("button", name=tr("Send the answer", language), exact=True).click()
            wait_for_run(page)
            _ok(page, f"answer {answer}")
        _see(page, tr("Answered. The artist reads it on My record.", language))
        _see(page, tr("Every disputed day of {month} is answered ({since}); the artist confirms the month or disputes it "
                  "again.", language).split("{")[0])  # fmt: skip
        full_shot(page, folder / "own_log-manager-answered.png")
        _sign_out(page, language)

        # The artist reads the answers.
        _sign_in(page, url, "artist", language)
        _tab(page, "Sign-off", language)
        _ok(page, "answers read")
        _see(page, tr("A manager answered every day you disputed in {month} ({since}). Read the answers, then confirm "
                  "the month or dispute it again.", language).split("{")[0])  # fmt: skip
        full_shot(page, folder / "own_log-artist-answers.png")
    finally:
        context.close()
