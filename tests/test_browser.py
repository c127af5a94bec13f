"""The dashboard in a real browser: Playwright driving Debian's chromium against ``streamlit run app.py``.

The server runs as ``scripts/start.sh`` runs it (``server.py``: the dashboard plus the session-cookie routes, with
``.streamlit/config.toml``). Signs in as each demo role, opens every page from the sidebar, waits for the script run
and the Plotly charts, checks that no Streamlit error box is shown, that no request leaves the machine and that a
sign-in survives a reload, in Japanese and in English, and saves a full-page screenshot of each page to
``tests/out/screenshots/<language>/``. Skipped, with the reason, when the ``chromium`` binary is absent
(``apt-get install -y chromium``); Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "out" / "screenshots"
ROLES = {
    "manager": [
        "Overview",
        "Workload",
        "Pay",
        "AI use",
        "Credits",
        "Import",
        "Generation",
        "Aggregates",
        "Admin",
        "Person",
        "People and records",
        "Productions",
        "Names to review",
    ],
    "advocate": ["Aggregates"],
    "artist": ["My record"],
}
NO_CHARTS = {
    "Credits",
    "Import",
    "Generation",
    "Admin",
    "Person",
    "People and records",
    "Productions",
    "Names to review",
}
# The first visit of a page computes every compliance rule over the demo studio; give it time.
PAGE_TIMEOUT_MS = 240_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_streamlit(home: Path, db: Path, port: int, env_extra: dict[str, str], args: list[str]):
    # The server runs with the shipped .streamlit/config.toml (no error details), not the test run's override.
    inherited = {k: v for k, v in os.environ.items() if k != "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"}
    env = {**inherited, "DATABASE_URL": f"sqlite:///{db}", "ENDROLL_HOME": str(home), "ENDROLL_AUTH": "local",
           "ENDROLL_DEMO_ON_EMPTY": "false", **env_extra}  # fmt: skip
    log = (home / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         *args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"streamlit did not start: {(home / 'streamlit.log').read_text()[-2000:]}")
        time.sleep(0.3)
    return proc, url, log


def _stop(proc, log) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def server(templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("browser-home")
    db = home / "endroll.sqlite3"
    shutil.copyfile(templates.sqlite("demo"), db)
    proc, url, log = _start_streamlit(home, db, _free_port(), {}, [])
    yield url
    _stop(proc, log)


def wait_for_run(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=PAGE_TIMEOUT_MS)
    # Spinners inside a page mean a cached query is still being filled.
    page.wait_for_selector('[data-testid="stSpinner"]', state="detached", timeout=PAGE_TIMEOUT_MS)


def wait_for_charts(page, expected: bool) -> int:
    # Charts in tabs that are not open are not drawn; wait for the visible ones.
    charts = page.locator('[data-testid="stPlotlyChart"]')
    if expected:
        # The run that draws them may start a moment after the previous one ended (sign-in reruns the script).
        charts.first.wait_for(timeout=PAGE_TIMEOUT_MS)
    if charts.count():
        # plotly.js loads lazily, about two seconds after the script run ends.
        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(timeout=60_000)
    drawn = 0
    for i in range(charts.count()):
        if charts.nth(i).is_visible():
            charts.nth(i).scroll_into_view_if_needed()
            charts.nth(i).locator(".main-svg").first.wait_for(timeout=60_000)
            drawn += 1
    return drawn


def errors_on(page) -> list[str]:
    boxes = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    return [boxes.nth(i).inner_text()[:300] for i in range(boxes.count())]


def full_shot(page, path: Path) -> None:
    # Streamlit scrolls inside stMain, so grow the viewport to its height before a "full page" screenshot.
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(900, min(int(height) + 40, 12000))})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})


def sign_in(page, url: str, role: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_for_run(page)
    page.get_by_role("textbox", name="Username", exact=True).fill(role)
    page.get_by_role("textbox", name="Password", exact=True).fill(f"{role}-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Sign out").wait_for(timeout=60_000)
    wait_for_run(page)


def test_the_sign_in_page_shows_no_password_no_deploy_button(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(server, wait_until="domcontentloaded")
    wait_for_run(page)
    text = page.locator("body").inner_text()
    assert "-demo" not in text and "Demo accounts" not in text
    assert page.get_by_test_id("stAppDeployButton").count() == 0 and "Deploy" not in text
    page.close()


def test_a_sign_in_survives_a_reload_and_sign_out_ends_it(server: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, server, "advocate")
        cookie = next(c for c in context.cookies() if c["name"] == "endroll_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert page.evaluate("document.cookie").find("endroll_session") == -1  # no script can read it
        page.reload(wait_until="domcontentloaded")
        wait_for_run(page)
        page.get_by_role("button", name="Sign out").wait_for(timeout=60_000)  # still signed in
        assert page.get_by_role("textbox", name="Password", exact=True).count() == 0
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="Sign in", exact=True).wait_for(timeout=60_000)
        assert not [c for c in context.cookies() if c["name"] == "endroll_session"]
        page.reload(wait_until="domcontentloaded")
        wait_for_run(page)
        page.get_by_role("button", name="Sign in", exact=True).wait_for(timeout=60_000)  # and stays signed out
        # The signed-out session's token, brought back (a copied cookie), is worthless: the server revoked it.
        context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": server}])
        page.reload(wait_until="domcontentloaded")
        wait_for_run(page)
        page.get_by_role("button", name="Sign in", exact=True).wait_for(timeout=60_000)
    finally:
        context.close()


def test_wrong_password_is_refused_in_the_browser(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(server, wait_until="domcontentloaded")
    wait_for_run(page)
    page.get_by_role("textbox", name="Username", exact=True).fill("manager")
    page.get_by_role("textbox", name="Password", exact=True).fill("guess-guess")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text("wrong username or password").wait_for(timeout=60_000)
    assert page.get_by_test_id("stSidebarNav").count() == 0
    page.close()


@pytest.fixture(scope="session")
def oidc(templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """The app with ENDROLL_AUTH=oidc against the local mock provider; one account mapped by email."""
    from sqlalchemy.orm import Session

    from data.accounts import create_account
    from data.engine import make_engine
    from tests.oidc_provider import MockProvider

    home = tmp_path_factory.mktemp("oidc-home")
    db = home / "endroll.sqlite3"
    shutil.copyfile(templates.sqlite("demo"), db)
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        create_account(session, "boss", None, "manager", oidc_email="boss@studio.example")
        session.commit()
    engine.dispose()
    provider = MockProvider(_free_port())
    provider.start()
    port = _free_port()
    secrets_file = home / "secrets.toml"
    secrets_file.write_text(provider.secrets_toml(port), encoding="utf-8")
    env = {"ENDROLL_AUTH": "oidc", "ENDROLL_OIDC_ROLE_ISSUER": provider.issuer}
    proc, url, log = _start_streamlit(home, db, port, env, ["--secrets.files", str(secrets_file)])
    yield url, provider
    _stop(proc, log)
    provider.stop()


def _oidc_user(provider, claims: dict) -> None:
    import json

    request = urllib.request.Request(f"{provider.issuer}/test/user", data=json.dumps(claims).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")  # fmt: skip
    urllib.request.urlopen(request, timeout=5).close()


@pytest.mark.parametrize(
    ("claims", "heading"),
    [({"email": "boss@studio.example", "email_verified": True, "name": "Boss"}, "Overview"),
     ({"email": "union@example.org", "email_verified": True, "name": "Union Rep", "role": "advocate"}, "Aggregates")],
)  # fmt: skip
def test_oidc_sign_in_maps_identity_to_role(oidc, browser, claims: dict, heading: str) -> None:
    url, provider = oidc
    _oidc_user(provider, claims)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(url, wait_until="domcontentloaded")
        wait_for_run(page)
        page.get_by_role("button", name="Sign in with the studio account").click()
        page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        wait_for_run(page)
        assert errors_on(page) == []
        assert claims["email"].split("@")[0] in page.get_by_test_id("stSidebar").inner_text().lower() or heading
        SHOTS.mkdir(parents=True, exist_ok=True)
        full_shot(page, SHOTS / f"oidc-{heading.lower()}.png")
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="Sign in with the studio account").wait_for(timeout=60_000)
    finally:
        context.close()


def test_oidc_user_without_account_or_role_is_refused(oidc, browser) -> None:
    url, provider = oidc
    _oidc_user(provider, {"email": "stranger@example.org", "email_verified": True, "name": "Stranger"})
    page = browser.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_for_run(page)
    page.get_by_role("button", name="Sign in with the studio account").click()
    page.get_by_text("no Endroll account for stranger@example.org").wait_for(timeout=60_000)
    assert page.get_by_test_id("stSidebarNav").count() == 0
    page.close()


# ---------------------------------------------------------------------------------------------------------------
# Both languages (issue 18): every page of every role in Japanese and in English, a screenshot of each to look at.

LANGUAGES = {"ja": "ja-JP", "en": "en-US"}
# Tabs worth a screenshot of their own, per page title.
TABS = {
    "My record": ("Minimum wage", "My own log"),
    "Aggregates": ("Pay", "Artists' own logs", "Rules glossary"),
    "Person": ("Pay", "Findings"),
}


def _wait_for_visible_charts(page) -> None:
    # After a tab is opened: the charts of the other tabs stay hidden, so wait only for those now shown.
    page.wait_for_timeout(500)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        if charts.nth(i).is_visible():
            charts.nth(i).scroll_into_view_if_needed()
            charts.nth(i).locator(".main-svg").first.wait_for(timeout=60_000)


def _title(title: str, language: str) -> str:
    from data import i18n

    return i18n.translator(language)(title)


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_in_both_languages(server: str, browser, role: str, language: str) -> None:
    """The browser's language picks the dashboard's (no choice kept yet); each page is drawn without an error and
    saved to tests/out/screenshots/<language>/<role>-<page>.png."""
    folder = SHOTS / language
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale=LANGUAGES[language])
    page = context.new_page()
    try:
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(server, wait_until="domcontentloaded")
        wait_for_run(page)
        full_shot(page, folder / "sign_in.png")
        page.get_by_role("textbox", name=_title("Username", language), exact=True).fill(role)
        page.get_by_role("textbox", name=_title("Password", language), exact=True).fill(f"{role}-demo")
        page.get_by_role("button", name=_title("Sign in", language), exact=True).click()
        page.get_by_role("button", name=_title("Sign out", language)).wait_for(timeout=60_000)
        wait_for_run(page)
        nav = page.get_by_test_id("stSidebarNav")
        # Streamlit hides the navigation when a role has a single page.
        listed = [t.strip().splitlines()[-1] for t in nav.locator("a").all_inner_texts()] if nav.count() else []
        expected = [_title(t, language) for t in ROLES[role]]
        assert listed == (expected if len(expected) > 1 else []), listed
        charts_seen = 0
        for title in ROLES[role]:
            shown = _title(title, language)
            if title == "Person":
                # A sentence of the Overview's "Needs attention" leads to the person it names.
                nav.get_by_role("link", name=_title("Overview", language), exact=True).click()
                wait_for_run(page)
                page.locator('[data-testid="stPageLink"] a').first.click()
            elif nav.count():
                nav.get_by_role("link", name=shown, exact=True).click()
            wait_for_run(page)
            page.get_by_role("heading", name=shown, exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
            charts_seen += wait_for_charts(page, expected=title not in NO_CHARTS)
            assert errors_on(page) == [], (role, language, title, errors_on(page))
            if role == "advocate":
                anonymized = {"en": "Anonymized", "ja": "匿名化済み"}[language]  # the caption over every table
                assert anonymized in page.locator('[data-testid="stMain"]').inner_text()
            name = title.lower().replace(" ", "_")
            full_shot(page, folder / f"{role}-{name}.png")
            for tab in TABS.get(title, ()):
                page.get_by_role("tab", name=_title(tab, language), exact=True).click()
                _wait_for_visible_charts(page)
                full_shot(page, folder / f"{role}-{name}-{tab.lower().replace(' ', '_')}.png")
        assert charts_seen > 0
        # Nothing the pages asked for left the machine: no favicon, font, usage statistics or CDN.
        outside = [u for u in requests if not u.startswith((server, "data:", "blob:", "about:"))]
        assert outside == [], outside
        page.get_by_role("button", name=_title("Sign out", language)).click()
        page.get_by_role("button", name=_title("Sign in", language), exact=True).wait_for(timeout=60_000)
    finally:
        context.close()


@pytest.fixture(scope="session")
def own_server(templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own for a test that keeps an account's language (the shared one's accounts stay as they are)."""
    home = tmp_path_factory.mktemp("language-home")
    db = home / "endroll.sqlite3"
    shutil.copyfile(templates.sqlite("demo"), db)
    proc, url, log = _start_streamlit(home, db, _free_port(), {}, [])
    yield url
    _stop(proc, log)


def test_a_row_leads_to_the_person_and_the_language_is_kept(own_server: str, browser) -> None:
    """Selecting a row of the Pay page's person-months opens that person's page; the language chosen in the
    sidebar is kept for the account's next sign-in, whatever the browser's language."""
    server = own_server
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, server, "manager")
        page.get_by_test_id("stSidebar").get_by_role("radio", name="日本語", exact=True).click()
        wait_for_run(page)
        page.get_by_role("heading", name="概要", exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="報酬", exact=True).click()
        wait_for_run(page)
        grid = page.locator('[data-testid="stDataFrame"]').nth(1)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        # The row-selection box sits at the left of each row; the first data row is below the header.
        page.mouse.click(box["x"] + 12, box["y"] + 54)
        page.get_by_role("heading", name="人物", exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        wait_for_run(page)
        wait_for_charts(page, expected=True)
        assert errors_on(page) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        full_shot(page, SHOTS / "ja" / "manager-person-from-a-row.png")
        page.get_by_role("button", name="サインアウト").click()
        page.get_by_role("button", name="Sign in", exact=True).wait_for(timeout=60_000)
        page.get_by_role("textbox", name="Username", exact=True).fill("manager")
        page.get_by_role("textbox", name="Password", exact=True).fill("manager-demo")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.get_by_role("heading", name="概要", exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    finally:
        context.close()
