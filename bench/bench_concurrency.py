"""Ten people using the dashboard at once (a benchmark, not a test; issue 22).

    python bench/bench_concurrency.py --database-url sqlite:////tmp/r5c/demo.sqlite3 [--sessions 10] [--rounds 4]

The database must hold the demo studio with the well-known passwords (``python -m data.demo --seed 42 --scale 1
--database-url URL --demo-passwords``). The benchmark WRITES to it (one small work-log import): give it a copy.

Every session is an AppTest of ``app.py`` in its own thread of this one process, as a Streamlit server runs every
browser's session in a thread of one process (one Runtime, one set of ``st.cache_data`` caches, one background
findings worker). Sessions take the roles in turn (manager, advocate, artist, manager, …) and sign in as the demo's
account of that role. A round is the same number of page visits for every session — the manager's pages
(bench_pages.ROLE_PAGES) once each; an advocate or an artist, whose role opens one page, runs that page again as
often (a rerun, as a click on a widget makes) — so all sessions stay busy for the whole run.

In order, in one process:

1. every page visited once by one session per role (the cold visit, not counted: "warm" below means after it);
2. **1 session**: the same rounds visited serially, one role after another (the baseline of the ratio);
3. **N sessions** at once for ``--rounds`` rounds; when every session has finished half of them, one write: a work-log
   file of one day for six people (the artist's person among them) imported through ``data.importers.import_file``
   while the sessions keep clicking. Each session keeps going until it has also made a whole round that started
   after the write was committed.

Printed: p50 and p95 page time per role and overall, for 1 session and for N, and ``N sessions p95 ÷ 1 session
p95``; the errors (a page that raised; target 0); whether every session saw the write: each role's figure — the
Overview's "Hours worked", My record's "Hours logged", the Aggregates' table of months — must equal, at every visit
that started after the commit, what a fresh session reads after the run, and differ from the figure before it; and
the longest page time after the write (target: the cold target, 2 s). Target (issue 22): p95 ≤ 3 s warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pages import ROLE_PAGES  # noqa: E402

ROLES = ("manager", "advocate", "artist")
# The page of each role whose figure must move with the write, and how to read the figure off it.
FIGURE_PAGE = {"manager": "overview", "advocate": "advocate", "artist": "my_record"}
WRITE_PEOPLE = 6  # at least the advocate page's k (5): the new month is shown as its own group


@dataclass
class Visit:
    session: int
    role: str
    page: str
    start: float
    seconds: float
    figure: str | None = None
    error: str | None = None


@dataclass
class Write:
    """The one write of the run: when it started and was committed (perf_counter seconds), rows imported."""

    start: float = 0.0
    committed: float = 0.0
    imported: int = 0
    done: threading.Event = field(default_factory=threading.Event)


def share_one_runtime() -> None:
    """Let AppTests run in parallel threads, as sessions of one server.

    AppTest assumes one test at a time: each run installs its own mock Runtime and script cache and patches
    ``config.get_option``, and undoes that when it ends — under the feet of another thread's script still running
    (``Runtime.instance()`` then fails, and widget values stop being recorded). A Streamlit server has one Runtime for all its sessions: install
    one for all threads, make AppTest's per-run installs no-ops, and set ``global.appTest`` once."""
    from contextlib import nullcontext
    from unittest.mock import MagicMock

    import streamlit.testing.v1.app_test as app_test
    import streamlit.testing.v1.local_script_runner as local_script_runner
    from streamlit import config
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.runtime import Runtime
    from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager
    from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = MagicMock(spec=Runtime)
    shared.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    shared.dataframe_source_mgr = DataframeSourceManager()
    shared.cache_storage_manager = MemoryCacheStorageManager()
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    shared.bidi_component_registry = components
    Runtime._instance = shared

    class _RuntimeSlot:
        # AppTest writes Runtime._instance before and after every run and reads nothing else from it but its spec.
        def __setattr__(self, name: str, value: object) -> None:
            pass

    app_test.Runtime = _RuntimeSlot()
    # A server compiles each page once, under the lock of its one ScriptCache; AppTest makes a new cache per run, and
    # CPython 3.11 cannot compile() in two threads at once ("AST constructor recursion depth mismatch").
    scripts = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: scripts
    app_test.patch_config_options = lambda overrides: nullcontext()
    config.set_option("global.appTest", True)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) of ``values``, linear between the closest ranks; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def figure(at, page: str) -> str | None:  # at: an AppTest after a run
    """The figure a write of work logs moves on ``page``, as the page shows it (English), or None on other pages."""
    if page in ("overview", "my_record"):
        label = "Hours worked" if page == "overview" else "Hours logged"
        return next((str(m.value) for m in at.metric if m.label == label), "(no such metric)")
    if page == "advocate":
        for i in range(len(at.dataframe)):
            frame = at.dataframe[i].value
            if "month" in frame.columns:
                return frame.to_csv(index=False)
        return "(no table of months)"
    return None


class Driver:
    """One browser session: an AppTest of app.py signed in as the demo account of ``role``."""

    def __init__(self, number: int, role: str, *, timeout: float) -> None:
        self.number, self.role, self.timeout = number, role, timeout
        self.at = None

    def sign_in(self) -> float:
        from streamlit.testing.v1 import AppTest

        start = time.perf_counter()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=self.timeout)
        at.context = {"locale": "en-US"}  # the figures are read by their English labels
        at.run()
        if not any(w.key == "username" for w in at.text_input):
            shown = [str(e.value)[:300] for e in (*at.exception, *at.error, *at.warning, *at.info)]
            raise RuntimeError(f"session {self.number}: no sign-in form on the first run: {shown}")
        at.text_input(key="username").input(self.role)
        at.text_input(key="password").input(f"{self.role}-demo")
        at.button[0].click().run()
        if at.exception or at.error:
            problem = at.exception[0].value if at.exception else at.error[0].value
            raise RuntimeError(f"session {self.number} cannot sign in as {self.role}: {problem}")
        self.at = at
        return time.perf_counter() - start

    def visit(self, page: str) -> Visit:
        start = time.perf_counter()
        try:
            self.at.switch_page(f"app_pages/{page}.py")
            self.at.run()
        except Exception as exc:  # a timeout or a crash of the harness counts as an error, not a stop
            return Visit(self.number, self.role, page, start, time.perf_counter() - start, error=repr(exc))
        seconds = time.perf_counter() - start
        error = str(self.at.exception[0].value) if self.at.exception else None
        return Visit(self.number, self.role, page, start, seconds, figure(self.at, page), error)


def round_plan(role: str, pages: dict[str, list[str]]) -> list[str]:
    """One round of a session of ``role``: as many visits as the manager's pages, cycling through the role's own."""
    length = max(len(p) for p in pages.values())
    own = pages[role]
    return [own[i % len(own)] for i in range(length)]


def work_log_file(url: str, folder: Path) -> tuple[Path, dt.date]:
    """A canonical work-log CSV of one new day (the day after the studio's last) for ``WRITE_PEOPLE`` people who
    logged work on the last day, the artist account's person first: 09:00–18:00 with a 60-minute break (8 h).

    The importer matches a person by email before the name, and refuses a name several people share: each row
    names someone by an email on record or by a name nobody else has. At the 5 M demo's scale the artist's name is
    shared (11 people) and has no email: the artist's person is given a bench address first, in this copy."""
    from sqlalchemy import func, select, update

    from data.engine import get_engine, session_scope
    from data.schema import Account, Person, Production, Role, WorkLog

    with session_scope(get_engine(url)) as session:
        last = session.scalar(select(func.max(WorkLog.work_date)))
        artist = session.scalar(select(Account.person_id).where(Account.username == "artist"))
        names = [n for n in session.scalars(select(Person.display_name))]
        mine = session.execute(select(Person.display_name, Person.email).where(Person.id == artist)).one()
        if mine.email is None and names.count(mine.display_name) > 1:
            session.execute(update(Person).where(Person.id == artist).values(email="artist@bench-concurrency.invalid"))
        latest = (
            select(WorkLog.person_id, func.max(WorkLog.id).label("log"))
            .where(WorkLog.work_date == last)
            .group_by(WorkLog.person_id)
            .subquery()
        )
        rows = session.execute(
            select(Person.id, Person.display_name, Person.email, Production.title, Role.ja)
            .join(WorkLog, WorkLog.person_id == Person.id)
            .join(latest, latest.c.log == WorkLog.id)
            .join(Production, Production.id == WorkLog.production_id)
            .join(Role, Role.id == WorkLog.role_id)
            .order_by(Person.id)
        ).all()
        if not any(r[0] == artist for r in rows):
            mine = session.execute(
                select(Person.id, Person.display_name, Person.email, Production.title, Role.ja)
                .join(WorkLog, WorkLog.person_id == Person.id)
                .join(Production, Production.id == WorkLog.production_id)
                .join(Role, Role.id == WorkLog.role_id)
                .where(Person.id == artist)
                .order_by(WorkLog.work_date.desc())
                .limit(1)
            ).one()
            rows.insert(0, mine)
    known = [r for r in rows if r[2] or names.count(r[1]) == 1]  # a shared name without an email would be refused
    chosen = sorted(known, key=lambda r: r[0] != artist)[:WRITE_PEOPLE]
    if len(chosen) < WRITE_PEOPLE or chosen[0][0] != artist:
        raise RuntimeError("the studio has too few people with an email or a unique name on its last day for the write")
    day = last + dt.timedelta(days=1)
    path = folder / "work_logs.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("person,email,work_date,start_time,end_time,break_minutes,production,role,external_id\n")
        for i, (_pid, name, email, production, role) in enumerate(chosen):
            fh.write(f"{name},{email or ''},{day.isoformat()},09:00,18:00,60,{production},{role},"
                     f"bench-concurrency-{day}-{i}\n")  # fmt: skip
    return path, day


def import_write(path: Path, write: Write) -> None:
    """The write, as the Import page makes it: ``path`` through ``import_file`` in its own transaction, then the
    page results cached in this process dropped (``_ui.clear_cache``). An import from another process (the command
    line) leaves them until the worker's next refresh or ``cache_ttl_seconds``: not what this measures."""
    from sqlalchemy.orm import Session

    from app_pages import _ui
    from data.importers import import_file

    write.start = time.perf_counter()
    with Session(_ui.engine()) as session:
        summary = import_file(session, path=path, actor="bench-concurrency")
    _ui.clear_cache()
    write.committed = time.perf_counter()
    write.imported = summary.imported
    if summary.imported != WRITE_PEOPLE:
        raise RuntimeError(f"the write imported {summary.imported} of {WRITE_PEOPLE} rows: {summary}")
    write.done.set()


def serial(pages: dict[str, list[str]], rounds: int, timeout: float, *, say: bool = False) -> list[Visit]:
    """One session at a time, one role after another, ``rounds`` rounds each (``say``: print each visit)."""
    visits = []
    for number, role in enumerate(ROLES):
        driver = Driver(number, role, timeout=timeout)
        driver.sign_in()
        for _ in range(rounds):
            for page in round_plan(role, pages):
                visits.append(driver.visit(page))
                if say:
                    print(f"    {role}/{page} {visits[-1].seconds:.2f} s", flush=True)
    return visits


def concurrent(
    pages: dict[str, list[str]], sessions: int, rounds: int, timeout: float, write_file: Path | None
) -> tuple[list[Visit], Write, list[float]]:
    """``sessions`` sessions at once for ``rounds`` rounds, with the write half-way (none when ``write_file`` is
    None); the visits, the write, and each session's sign-in seconds."""
    write = Write()
    half = max(1, rounds // 2)
    done_rounds = [0] * sessions
    visits: list[list[Visit]] = [[] for _ in range(sessions)]
    signed: list[float] = [0.0] * sessions
    failures: list[BaseException] = []
    ready = threading.Barrier(sessions + 1)
    stop = threading.Event()  # the write failed: end the sessions rather than leave them running past main()

    def run(number: int) -> None:
        driver = Driver(number, ROLES[number % len(ROLES)], timeout=timeout)
        try:
            signed[number] = driver.sign_in()
        except BaseException as exc:
            failures.append(exc)
            ready.abort()
            raise
        ready.wait()
        plan = round_plan(driver.role, pages)
        seen_after = write_file is None
        while (done_rounds[number] < rounds or not seen_after) and not stop.is_set():
            began = time.perf_counter()
            visits[number] += [driver.visit(page) for page in plan]
            done_rounds[number] += 1
            if write.done.is_set() and began > write.committed:
                seen_after = True

    threads = [threading.Thread(target=run, args=(n,), name=f"session-{n}") for n in range(sessions)]
    for t in threads:
        t.start()
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        for t in threads:
            t.join()
        raise RuntimeError(f"a session could not sign in: {failures[0]!r}") from failures[0]
    try:
        if write_file is not None:
            while min(done_rounds) < half and any(t.is_alive() for t in threads):
                time.sleep(0.05)
            import_write(write_file, write)
    except BaseException:
        stop.set()
        raise
    finally:
        for t in threads:
            t.join()
    return [v for per in visits for v in per], write, signed


def summary_rows(serial_visits: list[Visit], many: list[Visit]) -> list[tuple[str, float, float, float, float]]:
    """(group, 1-session p50, p95, N-session p50, p95) per role and overall, seconds."""
    rows = []
    for group in (*ROLES, "overall"):
        one = [v.seconds for v in serial_visits if group in (v.role, "overall") and not v.error]
        n = [v.seconds for v in many if group in (v.role, "overall") and not v.error]
        rows.append((group, percentile(one, 50), percentile(one, 95), percentile(n, 50), percentile(n, 95)))
    return rows


def figures_now(pages: dict[str, list[str]], timeout: float) -> dict[str, str | None]:
    """Each role's figure as a fresh session reads it now."""
    out = {}
    for number, role in enumerate(ROLES):
        if FIGURE_PAGE[role] not in pages[role]:
            out[role] = None  # not visited (--pages): not checked
            continue
        driver = Driver(100 + number, role, timeout=timeout)
        driver.sign_in()
        out[role] = driver.visit(FIGURE_PAGE[role]).figure
    return out


def check_write(many: list[Visit], write: Write, before: dict, after: dict, sessions: int) -> list[str]:
    """What went wrong with the write's visibility (empty: every session saw it at every visit after the commit)."""
    problems = [f"{role}: the write did not move the figure ({before[role]!r})" for role in ROLES
                if before[role] is not None and before[role] == after[role]]  # fmt: skip
    for number in range(sessions):
        # A manager also opens the Aggregates page: only the visits of the session's own role's figure page count.
        mine = [v for v in many if v.session == number and v.page == FIGURE_PAGE[v.role] and not v.error]
        if not any(v.session == number and v.page == FIGURE_PAGE[v.role] for v in many):
            continue  # its figure's page is not among the pages visited (--pages): not checked
        later = [v for v in mine if v.start > write.committed]
        if not later:
            problems.append(f"session {number}: no visit of its figure's page after the write")
        for v in later:
            if v.figure != after[v.role]:
                problems.append(f"session {number} ({v.role}) saw {_short(v.figure)} at a visit "
                                f"{v.start - write.committed:.1f} s after the write, not {_short(after[v.role])}")  # fmt: skip
        for v in mine:
            if v.start + v.seconds < write.start and v.figure != before[v.role]:
                problems.append(f"session {number} ({v.role}) saw {_short(v.figure)} before the write, "
                                f"not {_short(before[v.role])}")  # fmt: skip
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a COPY of a demo studio (--demo-passwords): written to")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=4, help="rounds per session (the write comes after half)")
    parser.add_argument("--pages", default="", help="comma-separated manager pages to visit (default: all)")
    parser.add_argument("--no-write", action="store_true", help="no write during the run")
    parser.add_argument("--target", type=float, default=3.0, help="p95 target in seconds, warm (issue 22: 3)")
    parser.add_argument("--cold-target", type=float, default=2.0, help="longest page after the write (issue 22: 2)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds one page run may take")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["ENDROLL_DERIVED_WORKER"] = "true"  # as deployed: findings kept by the background worker
    os.environ.setdefault("ENDROLL_DEMO_ON_EMPTY", "false")
    os.environ.setdefault("ENDROLL_CACHE_TTL", "86400")  # "warm" means cached for the whole run
    only = {p for p in args.pages.split(",") if p}
    pages = {role: [p for p in ps if role != "manager" or not only or p in only] for role, ps in ROLE_PAGES.items()}
    share_one_runtime()

    from sqlalchemy import func, select

    from analytics.derived.worker import run_once
    from data.engine import get_engine, session_scope
    from data.schema import WorkLog

    engine = get_engine(args.database_url)
    with session_scope(engine) as session:
        rows = session.scalar(select(func.count(WorkLog.id)))
    print(f"database: {engine.url.render_as_string(hide_password=True)} ({engine.dialect.name}), {rows:,} work logs; "
          f"{args.sessions} sessions × {args.rounds} rounds of {len(round_plan('manager', pages))} visits")  # fmt: skip
    print("  load average at the start (the machine is shared: the ratios are the comparable figures): "
          + ", ".join(f"{x:.1f}" for x in os.getloadavg()))  # fmt: skip
    start = time.perf_counter()
    print(f"  findings brought up to date by the worker: {run_once(engine)} in {time.perf_counter() - start:.2f} s")
    print("  every page once (fills the caches):", flush=True)
    cold = serial(pages, 1, args.timeout, say=True)
    firsts = {(v.role, v.page): v.seconds for v in reversed(cold)}  # each page's first visit
    print(
        "  cold visits (one session per role, not counted): "
        + ", ".join(f"{role}/{page} {s:.2f} s" for (role, page), s in reversed(firsts.items()))
    )
    one = serial(pages, args.rounds, args.timeout)
    before = figures_now(pages, args.timeout)
    folder = Path(tempfile.mkdtemp(prefix="endroll-conc-"))
    write_file = None
    if not args.no_write:
        write_file, day = work_log_file(args.database_url, folder)
        print(f"  the write: {WRITE_PEOPLE} people's 8 h on {day} ({write_file})")
    began = time.perf_counter()
    many, write, signed = concurrent(pages, args.sessions, args.rounds, args.timeout, write_file)
    wall = time.perf_counter() - began
    after = figures_now(pages, args.timeout)

    print("  load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    errors = [v for v in [*one, *many] if v.error]
    print(f"\n{args.sessions} sessions: {len(many)} page visits in {wall:.1f} s; sign-in {max(signed):.2f} s at most")
    print(f"\n{'role':<10}{'1 session p50':>14}{'p95':>8}{f'{args.sessions} sessions p50':>18}{'p95':>8}"
          f"{'p95 ÷ 1 session p95':>22}  target p95 ≤ {args.target:g} s")  # fmt: skip
    worst = 0.0
    for group, p50_1, p95_1, p50_n, p95_n in summary_rows(one, many):
        worst = max(worst, p95_n)
        flag = "ok" if p95_n <= args.target else "NOT MET"
        print(f"{group:<10}{p50_1:14.3f}{p95_1:8.3f}{p50_n:18.3f}{p95_n:8.3f}{p95_n / p95_1:22.1f}  {flag}")
    slowest = sorted(many, key=lambda v: -v.seconds)[:5]
    print("slowest visits: " + ", ".join(f"{v.role}/{v.page} {v.seconds:.2f} s" for v in slowest))
    print(f"errors: {len(errors)}" + "".join(f"\n  {v.role}/{v.page}: {v.error}" for v in errors[:10]))
    ok = not errors
    if write_file is not None:
        problems = check_write(many, write, before, after, args.sessions)
        later = [v for v in many if v.start > write.committed and not v.error]
        longest = max((v.seconds for v in later), default=float("nan"))
        worst_after = max(later, key=lambda v: v.seconds) if later else None
        print(f"\nthe write: {write.imported} work logs imported in {write.committed - write.start:.2f} s, "
              f"{write.start - began:.1f} s into the run")  # fmt: skip
        for role in ROLES:
            if before[role] is None:
                print(f"  {role:<9} {FIGURE_PAGE[role]:<10} not visited (--pages): not checked")
            else:
                print(f"  {role:<9} {FIGURE_PAGE[role]:<10} before {_short(before[role])}  after {_short(after[role])}")
        checked = [
            n for n in range(args.sessions) if FIGURE_PAGE[ROLES[n % len(ROLES)]] in pages[ROLES[n % len(ROLES)]]
        ]
        seen = len(checked) - len({p.split(" ")[1] for p in problems if p.startswith("session")})
        print(f"every session saw the write at every visit after it: {'yes' if not problems else 'NO'} "
              f"({seen}/{len(checked)} sessions checked; a manager's figure is on the Overview, checked only when "
              "it is visited)")  # fmt: skip
        for p in problems[:20]:
            print(f"  {p}")
        flag = "ok" if longest <= args.cold_target else "NOT MET"
        print(f"longest page after the write: {longest:.2f} s ({worst_after.role}/{worst_after.page}) over "
              f"{len(later)} visits, p95 {percentile([v.seconds for v in later], 95):.2f} s; "
              f"cold target ≤ {args.cold_target:g} s: {flag}")  # fmt: skip
        ok = ok and not problems
    return 0 if ok else 1


def _short(value: str | None) -> str:
    text = (value or "").strip().replace("\n", " | ")
    return text if len(text) <= 60 else f"{text[:28]}…{text[-28:]} ({text.count('|') + 1} rows)"


if __name__ == "__main__":
    sys.exit(main())
