"""Dashboard page timings (a benchmark, not a test).

For each page of each role: the script-run time under AppTest, cold (first run, caches empty) and warm (median of
the next runs, query caches filled), and the ratio of the warm time to a baseline page measured in the same process
(a page that only draws a title). Then the Credits page's first visit to the largest production from the stored
credit check against its live computation (``--credits-only``: that alone). Then the first visit of every page after
a studio-wide write (a rule parameter written again: every finding must be recomputed), with the background worker
on (as deployed: the page serves the last complete findings with a notice while the worker recomputes; issue 22)
and, with ``--sync``, off (the first visitor computes them). Optionally (``--browser``) the time from a click in the sidebar to the first drawn Plotly
chart in Debian's chromium, against ``streamlit run app.py``.

    python bench/bench_pages.py [--scale 0.2]                     # builds a demo studio of that scale first
    python bench/bench_pages.py --database-url sqlite:///var/endroll.sqlite3 [--runs 5] [--sync] [--browser]

``--scale``: the demo's scale for the database this script builds when no URL is given (1.0 ≈ 57k work logs,
119 ≈ 5M: ``python -m data.demo --seed 42 --scale 119`` takes long; build it once and pass its URL).

Targets (issue 7): each page's warm script run ≤ 1 s on the demo studio, ≤ 2 s with 5,000,000 work-log rows;
(issue 22) every page ≤ 2 s cold at 5M rows, the first visit after a studio-wide write included.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROLE_PAGES = {
    "manager": ["overview", "workload", "pay", "ai_use", "credits", "import_data", "advocate", "admin"],
    "advocate": ["advocate"],
    "artist": ["my_record"],
}
TITLES = {"overview": "Overview", "workload": "Workload", "pay": "Pay", "ai_use": "AI use", "credits": "Credits",
          "import_data": "Import", "advocate": "Aggregates", "admin": "Admin", "my_record": "My record"}  # fmt: skip
BASELINE = "import streamlit as st\nst.title('Baseline')\n"


def _timed(at, page: str | None = None) -> float:  # at: an AppTest
    start = time.perf_counter()
    if page:
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return elapsed


def apptest_timings(password: dict[str, str], runs: int, only: set[str]) -> list[tuple[str, str, float, float]]:
    from streamlit.testing.v1 import AppTest

    rows = []
    for role, all_pages in ROLE_PAGES.items():
        pages = [p for p in all_pages if not only or p in only]
        if not pages:
            continue
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900).run()
        at.text_input(key="username").input(role)
        at.text_input(key="password").input(password[role])
        start = time.perf_counter()
        at.button[0].click().run()
        print(f"  {role:<8} sign-in + first page (cold) {time.perf_counter() - start:7.2f} s", flush=True)
        if at.error:
            raise RuntimeError(f"cannot sign in as {role}: {at.error[0].value}")
        for page in pages:
            cold = _timed(at, page)
            warm = statistics.median(_timed(at, page) for _ in range(runs))
            rows.append((role, page, cold, warm))
            print(f"  {role:<8} {page:<12} cold {cold:7.2f} s   warm {warm:6.3f} s", flush=True)
    return rows


def _signed_in(role: str, password: dict[str, str]):  # -> AppTest
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900).run()
    at.text_input(key="username").input(role)
    at.text_input(key="password").input(password[role])
    at.button[0].click().run()
    if at.error:
        raise RuntimeError(f"cannot sign in as {role}: {at.error[0].value}")
    return at


def first_visits(password: dict[str, str], only: set[str]) -> list[tuple[str, str, float, str]]:
    """Each page's first run with every cache empty: (role, page, seconds, what the page said about its findings)."""
    import streamlit as st

    st.cache_data.clear()
    rows = []
    for role, all_pages in ROLE_PAGES.items():
        pages = [p for p in all_pages if not only or p in only]
        if not pages:
            continue
        at = _signed_in(role, password)
        st.cache_data.clear()
        for page in pages:
            seconds = _timed(at, page)
            said = " ".join(
                str(e.value) for e in at.info if "updated at" in str(e.value) or "first time" in str(e.value)
            )
            rows.append((role, page, seconds, "notice" if said else ""))
    return rows


def studio_wide_write(url: str) -> None:
    """A write every finding depends on, changing nothing: one rule parameter written again with its own value."""
    from sqlalchemy import select, update

    from data.engine import get_engine, session_scope
    from data.schema import RuleParameter

    with session_scope(get_engine(url)) as session:
        first = session.scalars(select(RuleParameter).order_by(RuleParameter.id).limit(1)).one()
        session.execute(update(RuleParameter).where(RuleParameter.id == first.id).values(value=first.value))


def after_write(url: str, password: dict[str, str], only: set[str], *, sync: bool, mode: str = "process") -> None:
    """Time every page's first visit after a studio-wide write, with the background worker on (in a process of its
    own or a thread of this one: ``mode``, as the ``derived_worker_mode`` setting) and, with ``sync``, off; and how
    long the worker took to bring the findings up to date."""
    from analytics.derived.worker import REFRESHED, run_once, run_release_once, start_worker
    from analytics.findings.snapshot import is_current
    from data.derived import stale_since
    from data.engine import get_engine, session_scope

    engine = get_engine(url)
    os.environ["ENDROLL_DERIVED_WORKER"] = "true"
    os.environ["ENDROLL_DERIVED_WORKER_MODE"] = mode
    start = time.perf_counter()
    run_once(engine)  # the findings current before the write, as a running app keeps them
    run_release_once(engine)
    print(f"  findings brought up to date before the write: {time.perf_counter() - start:.2f} s", flush=True)
    worker = start_worker(engine, mode=mode)  # the app's own worker (the pages find the same one)
    done = worker.count(REFRESHED) if mode == "thread" else 0
    studio_wide_write(url)
    written = time.perf_counter()
    worker.wake()
    visits = first_visits(password, only)
    if mode == "thread":
        worker.wait_for(REFRESHED, seen=done)
        took = f"its refresh took {worker.seconds[REFRESHED]:.2f} s; "
    else:
        while True:  # the process reports nothing back: the database says when the findings are current again
            with session_scope(engine) as session:
                if is_current(session) and stale_since(session) is None:
                    break
            time.sleep(0.5)
        took = ""
    print(f"\nfirst visit after a studio-wide write, background worker on in a {mode} ({took}current "
          f"{time.perf_counter() - written:.2f} s after the write, these visits included)")  # fmt: skip
    for role, page, seconds, said in visits:
        print(f"{role:<9}{page:<13}{seconds:8.2f} s  {said}")
    if sync:
        os.environ["ENDROLL_DERIVED_WORKER"] = "false"
        studio_wide_write(url)
        print("\nfirst visit after a studio-wide write, background worker off (the first visitor computes)")
        for role, page, seconds, _said in first_visits(password, only):
            print(f"{role:<9}{page:<13}{seconds:8.2f} s")
        os.environ["ENDROLL_DERIVED_WORKER"] = "true"


def credits_cold(url: str, password: dict[str, str]) -> None:
    """The Credits page's first visit to the largest production (most work logs), caches empty, in the same run:
    from the stored credit check (worker on, as deployed) and computed on the request (worker off, as before issue
    22); then what keeps the store current: the check of that production alone (what the page pays after a fix made
    on it) and the worker's check of every production."""
    import streamlit as st
    from sqlalchemy import func, select

    from analytics.credits.checks import refresh_production
    from analytics.derived.worker import run_credits_once
    from data.engine import get_engine, session_scope
    from data.schema import Production, WorkLog

    engine = get_engine(url)
    with session_scope(engine) as session:
        count = func.count(WorkLog.id)
        sizes = session.execute(
            select(WorkLog.production_id, count).group_by(WorkLog.production_id).order_by(count.desc())
        ).all()
        (pid, logs), smallest = sizes[0], sizes[-1][0]
        productions = session.scalar(select(func.count(Production.id)))
    start = time.perf_counter()
    outcome = run_credits_once(engine)
    print(f"\nCredits page, largest production (#{pid}, {logs:,} work logs; {productions} productions)")
    print(f"  worker's check of every production not current: {outcome} in {time.perf_counter() - start:.2f} s")
    seconds = {}
    modes = (("from the stored check (worker on)", "true"), ("computed on the request (worker off)", "false"))
    for mode, worker in modes:
        os.environ["ENDROLL_DERIVED_WORKER"] = worker
        at = _signed_in("manager", password)
        at.session_state["credits_production"] = int(smallest)
        _timed(at, "credits")  # the page's modules imported, the smallest production shown: not what is measured
        at.selectbox(key="credits_production").set_value(int(pid))
        st.cache_data.clear()
        seconds[mode] = _timed(at)
        if not any("message" in d.value.columns for d in at.dataframe):
            raise RuntimeError(f"credits {mode}: the page drew no findings")
        print(f"  first visit {mode:<38}{seconds[mode]:8.2f} s", flush=True)
    os.environ["ENDROLL_DERIVED_WORKER"] = "true"
    stored, live = seconds.values()
    print(f"  live ÷ stored: {live / stored:.1f}×")
    start = time.perf_counter()
    with session_scope(engine) as session:
        refresh_production(session, production_id=int(pid))
    print(f"  recheck of that production (the page, after a fix made on it): {time.perf_counter() - start:.2f} s")


def build_demo(scale: float) -> str:
    """A demo studio of ``scale`` in a new SQLite file (well-known demo passwords); its URL."""
    folder = Path(tempfile.mkdtemp(prefix="endroll-bench-"))
    url = f"sqlite:///{folder / 'endroll.sqlite3'}"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "data.demo", "--seed", "42", "--scale", str(scale), "--database-url", url,
                    "--demo-passwords"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    print(f"built the demo studio at scale {scale:g} in {time.perf_counter() - start:.1f} s: {url}")
    return url


def baseline_timing(runs: int) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(BASELINE, default_timeout=60).run()
    return statistics.median(_timed(at) for _ in range(runs))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser_timings(url_db: str, password: dict[str, str]) -> dict[str, float]:
    """Seconds from clicking a page in the sidebar to its first drawn chart (warm: each page visited once before)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        print("  (no chromium binary: apt-get install -y chromium; browser timings skipped)")
        return {}
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url_db, "ENDROLL_DEMO_ON_EMPTY": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    out: dict[str, float] = {}
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])  # fmt: skip
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(base, wait_until="domcontentloaded")
            page.get_by_role("textbox", name="Username", exact=True).fill("manager")
            page.get_by_role("textbox", name="Password", exact=True).fill(password["manager"])
            page.get_by_role("button", name="Sign in", exact=True).click()
            nav = page.get_by_test_id("stSidebarNav")
            nav.wait_for(timeout=600_000)
            idle = '[data-testid="stApp"][data-test-script-state="notRunning"]'
            for visit in ("warm-up", "measure"):
                for name in ROLE_PAGES["manager"]:
                    start = time.perf_counter()
                    nav.get_by_role("link", name=TITLES[name], exact=True).click()
                    page.get_by_role("heading", name=TITLES[name], exact=True).first.wait_for(timeout=600_000)
                    page.wait_for_timeout(100)
                    page.wait_for_selector(idle, timeout=600_000)
                    if page.locator('[data-testid="stPlotlyChart"]').count():
                        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(timeout=600_000)
                    if visit == "measure":
                        out[name] = time.perf_counter() - start
                        print(f"  browser  {name:<12} click → first chart {out[name]:6.2f} s", flush=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a database holding the demo studio (default: build one, --scale)")
    parser.add_argument("--scale", type=float, default=0.2, help="demo scale to build without --database-url")
    parser.add_argument("--sync", action="store_true", help="also time the first visits with the worker off")
    parser.add_argument("--no-after-write", action="store_true", help="skip the visits after a studio-wide write")
    parser.add_argument("--worker-mode", choices=("process", "thread"), default="process",
                        help="where the worker runs for the visits after a write (derived_worker_mode)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (median reported)")
    parser.add_argument("--browser", action="store_true", help="also time click → first chart in chromium")
    parser.add_argument("--browser-only", action="store_true", help="skip the AppTest timings")
    parser.add_argument("--pages", default="", help="comma-separated page names to time (default: all)")
    parser.add_argument("--target", type=float, default=1.0, help="warm target in seconds (2.0 at 5M rows)")
    parser.add_argument("--credits-only", action="store_true", help="only the Credits page: stored check vs live")
    parser.add_argument("--manager-password", help="the manager's password when the demo's are not the well-known ones")
    args = parser.parse_args()
    args.database_url = args.database_url or build_demo(args.scale)
    os.environ["DATABASE_URL"] = args.database_url
    # As deployed: the background worker keeps the findings; pages never compute them on a request.
    os.environ["ENDROLL_DERIVED_WORKER"] = "true"
    os.environ["ENDROLL_DERIVED_WORKER_MODE"] = args.worker_mode
    os.environ.setdefault("ENDROLL_DEMO_ON_EMPTY", "false")
    # A cold pass over every page can outlast the default 600 s cache TTL at millions of rows; "warm" means cached.
    os.environ.setdefault("ENDROLL_CACHE_TTL", "86400")
    password = {role: f"{role}-demo" for role in ROLE_PAGES}
    if args.manager_password:
        password["manager"] = args.manager_password

    from sqlalchemy import func, select

    from data.engine import get_engine, session_scope
    from data.schema import WorkLog

    with session_scope(get_engine(args.database_url)) as session:
        rows = session.scalar(select(func.count(WorkLog.id)))
    print(f"database: {rows:,} work-log rows; warm = median of {args.runs} runs after the first")
    if args.browser_only:
        browser_timings(args.database_url, password)
        return 0
    if args.credits_only:
        credits_cold(args.database_url, password)
        return 0
    from analytics.derived.worker import run_credits_once, run_once, run_release_once

    start = time.perf_counter()
    print(f"  findings brought up to date by the worker: {run_once(get_engine(args.database_url))} in "
          f"{time.perf_counter() - start:.2f} s", flush=True)  # fmt: skip
    start = time.perf_counter()
    print(f"  advocates' release brought up to date by the worker: {run_release_once(get_engine(args.database_url))} "
          f"in {time.perf_counter() - start:.2f} s", flush=True)  # fmt: skip
    start = time.perf_counter()
    print(f"  credit checks brought up to date by the worker: {run_credits_once(get_engine(args.database_url))} in "
          f"{time.perf_counter() - start:.2f} s", flush=True)  # fmt: skip
    base = baseline_timing(args.runs)
    print(f"  baseline page (title only): {base:.3f} s")
    timings = apptest_timings(password, args.runs, {p for p in args.pages.split(",") if p})
    print(f"\n{'role':<9}{'page':<13}{'cold s':>8}{'warm s':>9}{'warm/baseline':>15}  target ≤ {args.target:g} s")
    worst = 0.0
    for role, page, cold, warm in timings:
        worst = max(worst, warm)
        flag = "ok" if warm <= args.target else "OVER"
        print(f"{role:<9}{page:<13}{cold:8.2f}{warm:9.3f}{warm / base:15.1f}  {flag}")
    print(f"slowest warm page: {worst:.3f} s ({worst / base:.1f}× the baseline page)")
    only = {p for p in args.pages.split(",") if p}
    if not only or "credits" in only:
        credits_cold(args.database_url, password)
    if not args.no_after_write:
        after_write(args.database_url, password, only, sync=args.sync, mode=args.worker_mode)
    if args.browser:
        browser_timings(args.database_url, password)
    return 0


if __name__ == "__main__":
    sys.exit(main())
