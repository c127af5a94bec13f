"""``python -m analytics.derived``: the background worker on its own, for a deployment that runs it beside the app
(or instead of the app's thread). ``--once``: one run of each kind (the advocates' release, the findings, then the
credit checks), then exit (0 when they are current, 3 when another worker holds a lease); it prints the findings'
outcome, and the release's and the credit checks' on stderr. ``--follow-stdin``: how the dashboard runs it in a
process of its own (the ``derived_worker_mode`` setting): a byte on standard input is a write to look at, its end the
dashboard gone."""

from __future__ import annotations

import argparse
import logging
import sys
import threading

from analytics.derived.worker import BUSY, POLL_SECONDS, Worker, run_credits_once, run_once, run_release_once
from data.cli import quiet_pipes
from data.engine import get_engine


@quiet_pipes
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.derived", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="database (default: DATABASE_URL, else the embedded SQLite file)")
    parser.add_argument("--once", action="store_true", help="one run, then exit")
    parser.add_argument("--poll", type=float, default=POLL_SECONDS, help="seconds between looks when idle")
    parser.add_argument("--follow-stdin", action="store_true",
                        help="look at once on each byte read from standard input; stop at its end (the app's pipe)")  # fmt: skip
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    logging.getLogger("analytics.derived").setLevel(logging.INFO)  # the worker's own lines, not the migrations'
    engine = get_engine(args.database_url)
    if args.once:
        released, outcome, credits = run_release_once(engine), run_once(engine), run_credits_once(engine)
        print(outcome)  # the findings' outcome on stdout as before; the others' beside it, on stderr
        print(f"advocates' release: {released}", file=sys.stderr)
        print(f"credit checks: {credits}", file=sys.stderr)
        return 3 if BUSY in (released, outcome, credits) else 0
    worker = Worker(engine, poll=args.poll).start()
    if args.follow_stdin:
        threading.Thread(target=_follow, args=(worker,), name="endroll-follow-stdin", daemon=True).start()
    try:
        worker.join()
    except KeyboardInterrupt:
        worker.stop()
    return 0


def _follow(worker: Worker) -> None:
    # The app's pipe: each byte a write it made, its end the app gone (closed at exit, or by the system when it died).
    while sys.stdin.buffer.read(1):
        worker.wake()
    logging.getLogger("analytics.derived").info("the app that started this worker ended; stopping")
    worker.stop()


if __name__ == "__main__":
    sys.exit(main())
