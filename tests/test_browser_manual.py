"""Records entered by hand, in a real browser (issue 19): a manager adds a person on the People and records page, logs
a day for them, sees the Workload page count them, then on the Credits page adds the credit line one "uncredited
worker" finding asks for and sees that finding gone. In Japanese and in English, each on a server of its own (a copy
of the demo studio), with a screenshot of every form under ``tests/out/screenshots/<language>/manual-*.png``.

Headless Debian chromium through Playwright, as tests/test_browser.py (whose server and sign-in helpers it reuses);
skipped, with the reason, when the ``chromium`` binary is absent.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest

from data import i18n
from tests.test_browser import (
    LANGUAGES,
    PAGE_TIMEOUT_MS,
    SHOTS,
    _free_port,
    _start_streamlit,
    _stop,
    _title,
    errors_on,
    full_shot,
    wait_for_charts,
    wait_for_run,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_server(templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a copy of the demo studio of its own: this test writes, and the other browser tests read."""
    home = tmp_path_factory.mktemp("manual-home")
    db = home / "endroll.sqlite3"
    shutil.copyfile(templates.sqlite("demo"), db)
    _queue_a_name(db, home)
    proc, url, log = _start_streamlit(home, db, _free_port(), {}, [])
    yield url
    _stop(proc, log)


def _queue_a_name(db, home) -> None:
    """A timesheet naming someone nobody knows, imported: its name waits on the Names to review page."""
    from sqlalchemy.orm import Session

    from data.engine import make_engine
    from data.importers import import_file

    path = home / "timesheet.csv"
    path.write_text(
        "person,work_date,minutes,production\nTaro Suzuki,2025-03-03,60,星灯りのアトリエ\n", encoding="utf-8"
    )
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        assert import_file(session, path=path).rejected_by_reason == {"unknown_person": 1}
        session.commit()
    engine.dispose()


def _t(language: str, text: str, **params: object) -> str:
    return i18n.translator(language)(text, **params)


def _people_total(page, language: str) -> int:
    """How many people the Workload heatmap's caption says have hours in the period."""
    text = page.locator('[data-testid="stMain"]').inner_text()
    for template, group in (("the {n} people with most hours of {total}", "total"), ("all {n} people", "n")):
        pattern = (
            re.escape(_title(template, language))
            .replace(r"\{n\}", r"(?P<n>[\d,]+)")
            .replace(r"\{total\}", r"(?P<total>[\d,]+)")
        )
        if m := re.search(pattern, text):
            return int(m.group(group).replace(",", ""))
    raise AssertionError(f"no people count in the Workload caption: {text[:2000]}")


def _go(page, nav, title: str, language: str) -> None:
    nav.get_by_role("link", name=_title(title, language), exact=True).click()
    wait_for_run(page)
    page.get_by_role("heading", name=_title(title, language), exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)


def _selectbox(page, label: str):
    return page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first


def _shown(box) -> str:
    """The option a selectbox shows: its text, or its search field's value where it draws it there."""
    inputs = box.locator("input")
    values = [inputs.nth(i).input_value() for i in range(inputs.count())]
    lines = [v for v in values if v.strip()] or box.inner_text().strip().splitlines()[1:]
    return lines[-1].strip() if lines else ""


def _metric(page, label: str) -> int:
    metric = page.get_by_test_id("stMetric").filter(has_text=label).first
    return int(metric.get_by_test_id("stMetricValue").inner_text().strip().replace(",", ""))


def _options(page, box, typed: str = "") -> list[str]:
    box.click()
    if typed:
        page.keyboard.type(typed)
    page.get_by_role("option").first.wait_for(timeout=30_000)
    texts = [t.strip() for t in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    return texts


def _pick(page, box, option: str) -> None:
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_run(page)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_person_added_and_their_day_logged_show_on_workload_and_a_missing_credit_line_is_added(
    fresh_server: str,
    browser,
    language: str,
) -> None:
    def t(text: str, **params: object) -> str:
        return _t(language, text, **params)

    folder = SHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale=LANGUAGES[language])
    page = context.new_page()
    try:
        page.goto(fresh_server, wait_until="domcontentloaded")
        wait_for_run(page)
        page.get_by_role("textbox", name=t("Username"), exact=True).fill("manager")
        page.get_by_role("textbox", name=t("Password"), exact=True).fill("manager-demo")
        page.get_by_role("button", name=t("Sign in"), exact=True).click()
        page.get_by_role("button", name=t("Sign out")).wait_for(timeout=60_000)
        wait_for_run(page)
        nav = page.get_by_test_id("stSidebarNav")

        _go(page, nav, "Workload", language)
        wait_for_charts(page, expected=True)
        before = _people_total(page, language)

        # A new in-betweener, added on the People and records page.
        _go(page, nav, "People and records", language)
        page.get_by_role("textbox", name=t("Family name"), exact=True).fill("森")
        page.get_by_role("textbox", name=t("Given name"), exact=True).fill("裕")
        page.get_by_role("textbox", name=t("Credited as"), exact=True).fill("森裕")
        full_shot(page, folder / "manual-add_person.png")
        page.get_by_role("button", name=t("Add person"), exact=True).click()
        wait_for_run(page)
        page.get_by_text(t("Added {name}.", name="森裕")).wait_for(timeout=60_000)
        assert errors_on(page) == []

        # Found by the spaced spelling, then a day logged for them.
        find = page.get_by_role("textbox", name=t("Find a person"), exact=True)
        find.fill("森 裕")
        find.press("Enter")
        wait_for_run(page)
        page.get_by_role("heading", name="森裕", exact=True).wait_for(timeout=60_000)
        hours = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=t("Log the hours")))
        hours.get_by_role("textbox", name=t("Start (HH:MM)"), exact=True).fill("10:00")
        hours.get_by_role("textbox", name=t("End (HH:MM)"), exact=True).fill("19:00")
        hours.get_by_role("textbox", name=t("Break (minutes)"), exact=True).fill("60")
        full_shot(page, folder / "manual-log_hours.png")
        hours.get_by_role("button", name=t("Log the hours")).click()
        wait_for_run(page)
        done = page.get_by_test_id("stAlertContentSuccess").filter(has_text="8.0")
        done.first.wait_for(timeout=60_000)
        assert errors_on(page) == [], errors_on(page)
        full_shot(page, folder / "manual-logged.png")  # the correction form and the month's table below it

        _go(page, nav, "Workload", language)
        wait_for_charts(page, expected=True)
        assert _people_total(page, language) == before + 1  # the new person's day counts
        full_shot(page, folder / "manual-workload.png")

        # The credit line an "uncredited worker" finding asks for.
        _go(page, nav, "Credits", language)
        start = _selectbox(page, t("Start from"))
        start.wait_for(timeout=PAGE_TIMEOUT_MS)
        marker = t("{name} — {role} (not credited)", name="", role="").strip(" —")
        production = _selectbox(page, t("Production"))
        for option in _options(page, production):
            if marker in _shown(start):
                break
            _pick(page, production, option)
            start = _selectbox(page, t("Start from"))
            start.wait_for(timeout=PAGE_TIMEOUT_MS)
        finding = _shown(start)
        assert marker in finding, finding
        errors = _metric(page, t("Errors"))
        person = finding.split(" — ")[0]
        page.get_by_role("button", name=t("Review the line"), exact=True).click()
        wait_for_run(page)
        page.get_by_role("button", name=t("Confirm: add the line"), exact=True).wait_for(timeout=60_000)
        full_shot(page, folder / "manual-credit_line.png")
        page.get_by_role("button", name=t("Confirm: add the line"), exact=True).click()
        wait_for_run(page)
        success = page.get_by_test_id("stAlertContentSuccess").first
        success.wait_for(timeout=PAGE_TIMEOUT_MS)
        # Reported by name: the finding spells it as credited (小林 陽菜), the page as the person's name (小林陽菜).
        assert person.replace(" ", "") in success.inner_text().replace(" ", ""), success.inner_text()
        assert errors_on(page) == [], errors_on(page)
        full_shot(page, folder / "manual-credited.png")
        assert _metric(page, t("Errors")) == errors - 1  # that finding is gone…
        start = _selectbox(page, t("Start from"))
        left = _options(page, start, typed=person)
        assert finding not in left, left  # …and no longer offered

        # The name the timesheet import could not match, settled as a new person after a confirmation naming them.
        _go(page, nav, "Names to review", language)
        page.get_by_role("radio", name=t("A new person"), exact=True).click(force=True)
        wait_for_run(page)
        page.get_by_role("button", name=t("Confirm"), exact=True).wait_for(timeout=60_000)
        assert errors_on(page) == []
        full_shot(page, folder / "manual-names_to_review.png")
        page.get_by_role("button", name=t("Confirm"), exact=True).click()
        wait_for_run(page)
        success = page.get_by_test_id("stAlertContentSuccess").first
        success.wait_for(timeout=60_000)
        assert "Taro Suzuki" in success.inner_text()
        wait_for_run(page)  # the page draws the queue again without the name
        assert "timesheet.csv" in page.get_by_test_id("stAlertContentInfo").first.inner_text()
        full_shot(page, folder / "manual-name_settled.png")
    finally:
        context.close()
