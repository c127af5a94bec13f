"""The Credits page at scale (a benchmark, not a test; issue 22): its script run under AppTest for a manager on the
largest production (most work logs), cold (every cache empty, after a first run on the smallest production so the
page's modules are imported) and warm (median of the next runs), optionally where its time goes (``--profile N``: the
N costliest calls of the cold run, cProfile inside the script's thread), then what a fix made on the page costs: the
recheck the page runs after its own write, and the background worker's run after that write.

    python bench/bench_credits_page.py --database-url sqlite:///COPY.sqlite3 --manager-password … [--profile 40]

Writes to the database (a fix: the reason recorded on one credit line, through the service the page calls): run
it on a copy. ``--compare FOLDER``: the same measurements, in the same run and alternately, with the code of another
checkout (e.g. the commit before a change, ``git archive``'d into FOLDER) against its own copy (``--compare-url``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _signed_in(password: str):  # -> AppTest
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900).run()
    at.text_input(key="username").input("manager")
    at.text_input(key="password").input(password)
    at.button[0].click().run()
    if at.error:
        raise RuntimeError(f"cannot sign in: {at.error[0].value}")
    return at


def _timed(at) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(str(at.exception[0].value))
    return elapsed


class _ScriptProfile:
    """cProfile of the next script run, inside the script runner's thread (AppTest runs the page in a thread of its
    own; a profiler started in the caller's thread sees none of it)."""

    def __init__(self) -> None:
        from streamlit.runtime.scriptrunner import script_runner

        self.on, self.profile = False, None
        original = script_runner.ScriptRunner._run_script

        def run(runner, rerun_data):
            if not self.on:
                return original(runner, rerun_data)
            self.profile = cProfile.Profile()
            self.profile.enable()
            try:
                return original(runner, rerun_data)
            finally:
                self.profile.disable()

        script_runner.ScriptRunner._run_script = run

    def report(self, top: int) -> str:
        out = io.StringIO()
        stats = pstats.Stats(self.profile, stream=out)
        stats.sort_stats("cumulative").print_stats(
            r"endroll|app_pages|analytics|data/|services|streamlit/elements", top
        )
        return out.getvalue()


def measure(url: str, password: str, runs: int, profile: int) -> None:
    import streamlit as st
    from sqlalchemy import func, select

    from analytics.credits.checks import refresh_production
    from analytics.derived.worker import run_credits_once, stop_workers
    from data.engine import get_engine, session_scope
    from data.schema import CreditLine, Production, WorkLog

    engine = get_engine(url)
    with session_scope(engine) as session:
        count = func.count(WorkLog.id)
        sizes = session.execute(
            select(WorkLog.production_id, count).group_by(WorkLog.production_id).order_by(count.desc())
        ).all()
        (pid, logs), smallest = sizes[0], int(sizes[-1][0])
        lines = session.scalar(select(func.count(CreditLine.id)).where(CreditLine.production_id == pid))
        productions = session.scalar(select(func.count(Production.id)))
    start = time.perf_counter()
    outcome = run_credits_once(engine)
    print(f"code: {ROOT}")
    print(f"largest production #{pid}: {logs:,} work logs, {lines:,} credit lines ({productions} productions)")
    print(f"  credit checks brought current first: {outcome} in {time.perf_counter() - start:.2f} s", flush=True)
    profiler = _ScriptProfile() if profile else None
    at = _signed_in(password)
    at.session_state["credits_production"] = smallest
    at.switch_page("app_pages/credits.py")
    _timed(at)  # the page's modules imported, the smallest production shown: not what is measured
    at.selectbox(key="credits_production").set_value(int(pid))
    st.cache_data.clear()
    if profiler:
        profiler.on = True
    cold = _timed(at)
    if profiler:
        profiler.on = False
    if not any("message" in d.value.columns for d in at.dataframe):
        raise RuntimeError("the page drew no findings")
    warm = statistics.median(_timed(at) for _ in range(runs))
    print(f"  page cold {cold:7.2f} s   warm {warm:6.3f} s (median of {runs})", flush=True)
    if profiler:
        print(profiler.report(profile))
    # The app's own worker thread (started with the page) would check the productions again alongside what is
    # measured next: stopped, so the two figures are the page's recheck and one worker run alone.
    stop_workers()
    # A fix made on the page, through the service the page calls (the reason an incomplete list stays incomplete,
    # on a line of that production), then what the page runs after its own write (this production's check) and
    # what the background worker does after it.
    from data.identity import Identity
    from services.credit_fixes import record_incomplete_list_reason

    with session_scope(engine) as session:
        line = session.scalars(select(CreditLine.id).where(CreditLine.production_id == pid).limit(1)).one()
        record_incomplete_list_reason(session, Identity(username="manager", role="manager"), credit_line_id=line,
                                      reason=f"bench {time.time():.0f}")  # fmt: skip
    start = time.perf_counter()
    with session_scope(engine) as session:
        refresh_production(session, production_id=int(pid))
    print(f"  recheck after a fix (the page, its own production): {time.perf_counter() - start:7.2f} s")
    start = time.perf_counter()
    outcome = run_credits_once(engine)
    print(f"  the worker after that write: {outcome} in {time.perf_counter() - start:7.2f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a COPY of a demo studio (this writes to it)")
    parser.add_argument("--manager-password", default="manager-demo")
    parser.add_argument("--runs", type=int, default=5, help="warm runs (median reported)")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest calls of the cold run")
    parser.add_argument("--compare", help="another checkout's folder: measured alternately in the same run")
    parser.add_argument("--compare-url", help="that checkout's own copy of the studio")
    parser.add_argument("--rounds", type=int, default=1, help="with --compare: how many times each is measured")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["ENDROLL_DERIVED_WORKER"] = "true"  # as deployed: the page reads the stored checks
    os.environ.setdefault("ENDROLL_DEMO_ON_EMPTY", "false")
    os.environ.setdefault("ENDROLL_CACHE_TTL", "86400")
    if args.compare:
        # Each checkout in a process of its own (its own modules), one after the other, the same number of times.
        mine = [sys.executable, __file__, "--database-url", args.database_url, "--manager-password",
                args.manager_password, "--runs", str(args.runs)]  # fmt: skip
        other = [sys.executable, str(Path(args.compare) / "bench" / Path(__file__).name), "--database-url",
                 args.compare_url or args.database_url, "--manager-password", args.manager_password, "--runs",
                 str(args.runs)]  # fmt: skip
        for round_ in range(1, args.rounds + 1):
            for name, command, folder in (("before", other, args.compare), ("after", mine, ROOT)):
                print(f"\n== round {round_}: {name} ==", flush=True)
                subprocess.run(command, cwd=folder, check=True)
        return 0
    measure(args.database_url, args.manager_password, args.runs, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
