"""The worker that keeps the derived data current: one run for the findings snapshot (:func:`run_once`), one for the
stored credit checks (:func:`run_credits_once`), one for the advocates' release (:func:`run_release_once`), and the loop
around them (:class:`Worker`), a daemon thread of the command line's process (``python -m analytics.derived``) or of the
app's. The app starts that command in a process of its own (:class:`WorkerProcess`, the ``derived_worker_mode``
setting): computed in the app's process, the studio's findings held the interpreter the pages need (at 5 million work
logs the Pay page took 4.6 s during a refresh in a thread, 1.8–1.9 s during one in another process, as with none). Each
kind has its own lease: two processes may share the work, one per kind."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from analytics.anonymized import k_threshold
from analytics.credits.checks import all_current, refresh_credit_checks
from analytics.findings.snapshot import is_current, refresh_findings
from analytics.release_snapshot import is_current as release_is_current
from analytics.release_snapshot import refresh_release
from data.credit_checks import credits_version
from data.derived import CREDITS, FINDINGS, RELEASE, acquire, mark_fresh, release, renew, stale_since
from data.engine import Engine, session_scope
from data.snapshots import versions

log = logging.getLogger(__name__)

CURRENT, BUSY, REFRESHED = "current", "busy", "refreshed"  # what a run found: nothing to do, another worker, done
LEASE = dt.timedelta(minutes=5)  # renewed every third of it: a worker that died holds the lease no longer
POLL_SECONDS = 5.0  # how often an idle worker asks whether a write made the findings stale


def utcnow() -> dt.datetime:
    """Now, as the database keeps instants: naive UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def holder_name() -> str:
    """This worker's name in the lease: host, process and thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:120]


class _Heartbeat:
    """Renews the lease while a run computes, every third of its length and whenever the run reports progress."""

    def __init__(
        self,
        engine: Engine,
        *,
        holder: str,
        ttl: dt.timedelta,
        clock: Callable[[], dt.datetime],
        kind: str = FINDINGS,
    ) -> None:
        self.engine, self.holder, self.ttl, self.clock, self.kind = engine, holder, ttl, clock, kind
        self.step, self.steps = 0, 0
        self.lost = False
        self._stop, self._tick = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="endroll-derived-heartbeat", daemon=True)

    def progress(self, step: int, steps: int) -> None:
        self.step, self.steps = step, steps
        self._tick.set()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._tick.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._tick.wait(self.ttl.total_seconds() / 3)
            self._tick.clear()
            if self._stop.is_set():
                return
            try:
                with session_scope(self.engine) as session:
                    kept = renew(session, holder=self.holder, ttl=self.ttl, step=self.step, steps=self.steps,
                                 kind=self.kind, now=self.clock())  # fmt: skip
            except Exception:  # a busy database: the next beat tries again, well within the lease
                log.warning("could not renew the derived-data lease", exc_info=True)
                continue
            if not kept:
                self.lost = True
                log.warning("the derived-data lease expired and another worker took it; this run's result stands")


def run_once(
    engine: Engine,
    *,
    holder: str | None = None,
    ttl: dt.timedelta = LEASE,
    today: dt.date | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
) -> str:
    """Bring the findings snapshot up to date when it is not: :data:`CURRENT` (nothing to do), :data:`BUSY` (another
    worker holds the lease) or :data:`REFRESHED`. An exception leaves the stored findings and the stale marker as
    they were (the run's transaction is rolled back), gives the lease back with the error recorded, and propagates;
    the next run starts again."""
    holder = holder or holder_name()
    with session_scope(engine) as session:
        if is_current(session, today=today):
            if stale_since(session) is not None:  # computed on a request of its own (the command line) meanwhile
                mark_fresh(session, version=versions(session).data)
            return CURRENT
    with _leased(engine, kind=FINDINGS, holder=holder, ttl=ttl, clock=clock) as beat:
        if beat is None:
            return BUSY
        with session_scope(engine) as session:
            done = refresh_findings(session, today=today, progress=beat.progress)
            if done.stored:
                mark_fresh(session, version=done.at.data)
        log.info("findings snapshot refreshed: %s findings at data version %s", done.findings, done.at.data)
        return REFRESHED


def run_release_once(
    engine: Engine,
    *,
    holder: str | None = None,
    ttl: dt.timedelta = LEASE,
    today: dt.date | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
) -> str:
    """Bring the stored advocates' release (:mod:`analytics.release_snapshot`) up to date when it is not:
    :data:`CURRENT`, :data:`BUSY` or :data:`REFRESHED`. A failure stores nothing, records the error in the lease
    and propagates."""
    holder = holder or holder_name()
    with session_scope(engine) as session:
        if release_is_current(session, k=k_threshold(session), today=today):
            return CURRENT
    with _leased(engine, kind=RELEASE, holder=holder, ttl=ttl, clock=clock) as beat:
        if beat is None:
            return BUSY
        with session_scope(engine) as session:
            refresh_release(session, k=k_threshold(session), today=today)
        log.info("advocates' release refreshed")
        return REFRESHED


def run_credits_once(
    engine: Engine,
    *,
    holder: str | None = None,
    ttl: dt.timedelta = LEASE,
    clock: Callable[[], dt.datetime] = utcnow,
) -> str:
    """Bring every production's stored credit check up to date (:func:`analytics.credits.checks.refresh_credit_checks`,
    one transaction and one progress step per production): :data:`CURRENT`, :data:`BUSY` or :data:`REFRESHED`. A
    failure keeps the checks stored so far (each is current at the version it read), records the error in the
    lease and propagates; the next run goes on with the productions still stale."""
    holder = holder or holder_name()
    with session_scope(engine) as session:
        if all_current(session):
            if stale_since(session, CREDITS) is not None:  # a fix on the Credits page rechecked the last one
                mark_fresh(session, version=credits_version(session), kind=CREDITS)
            return CURRENT
        findings_were_due = stale_since(session) is not None  # another process's to refresh: no reason to pause
    with _leased(engine, kind=CREDITS, holder=holder, ttl=ttl, clock=clock) as beat:
        if beat is None:
            return BUSY
        done = refresh_credit_checks(lambda: session_scope(engine), progress=beat.progress,
                                     pause=lambda: not findings_were_due and _findings_due(engine))  # fmt: skip
        log.info("credit checks refreshed: %s productions, current at %s", done.checked, done.at)
        return REFRESHED


@contextlib.contextmanager
def _leased(
    engine: Engine, *, kind: str, holder: str, ttl: dt.timedelta, clock: Callable[[], dt.datetime]
) -> Iterator[_Heartbeat | None]:
    """The lease of ``kind`` held, renewed by a heartbeat, for the body of a run; None (and nothing held) when
    another worker holds it. The lease is given back however the run ends, with the error if it raised."""
    with session_scope(engine) as session:
        if not acquire(session, holder=holder, ttl=ttl, kind=kind, now=clock()):
            yield None
            return
    beat = _Heartbeat(engine, holder=holder, ttl=ttl, clock=clock, kind=kind)
    beat.start()
    error: str | None = None
    try:
        yield beat
    except BaseException as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    finally:
        beat.stop()
        with session_scope(engine) as session:
            release(session, holder=holder, error=error, kind=kind, now=clock())


def _findings_due(engine: Engine) -> bool:
    # A write made the findings stale during a long run over the productions: the loop turns to them first (the
    # pages that wait on them serve the whole studio), then comes back to the productions left.
    with session_scope(engine) as session:
        return stale_since(session) is not None


CREDITS_PREFIX = "credits "  # the credit checks' outcomes in Worker.count: "credits refreshed", …
RELEASE_PREFIX = "release "  # the release's: "release refreshed", …


class Worker:
    """:func:`run_release_once`, :func:`run_once` then :func:`run_credits_once` in a loop on a daemon thread: again
    at once after a refresh (more writes may have come), else after ``poll`` seconds or a :meth:`wake`. The credit
    checks' outcomes are counted with :data:`CREDITS_PREFIX` (``credits refreshed``), the release's with
    :data:`RELEASE_PREFIX`. ``on_refreshed`` is called after each refresh (the app drops its cached page results); a
    failed run is logged and tried again at the next poll."""

    def __init__(
        self,
        engine: Engine,
        *,
        poll: float = POLL_SECONDS,
        ttl: dt.timedelta = LEASE,
        on_refreshed: Callable[[], None] | None = None,
    ) -> None:
        self.engine, self.poll, self.ttl, self.on_refreshed = engine, poll, ttl, on_refreshed
        self.runs = 0  # completed runs, whatever they found
        self.last: str | None = None
        self.last_error: BaseException | None = None
        self._wake, self._stop = threading.Event(), threading.Event()
        self._idle = threading.Condition()
        self._counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}  # how long the last run with each outcome took (the bench reports it)
        self._thread = threading.Thread(target=self._loop, name="endroll-derived-worker", daemon=True)

    def start(self) -> Worker:
        self._thread.start()
        return self

    def wake(self) -> None:
        """Look at once (after a write) rather than at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()

    def join(self) -> None:
        """Wait until the worker stops (the command line's loop)."""
        self._thread.join()

    def count(self, outcome: str) -> int:
        """How many runs so far ended with ``outcome`` (``failed`` for one that raised)."""
        with self._idle:
            return self._counts.get(outcome, 0)

    def wait_for(self, outcome: str, *, seen: int = 0, limit: float | None = None) -> bool:
        """Block until more than ``seen`` runs ended with ``outcome`` (for tests and the bench: a condition, not a
        clock); False when ``limit`` seconds passed first (a guard against a hang, not a measure)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._counts.get(outcome, 0) > seen, timeout=limit)

    def _after(self, outcome: str, began: float) -> None:
        if outcome.removeprefix(CREDITS_PREFIX).removeprefix(RELEASE_PREFIX) == REFRESHED and self.on_refreshed:
            try:
                self.on_refreshed()
            except Exception:
                log.exception("on_refreshed failed")
        with self._idle:
            if not outcome.startswith((CREDITS_PREFIX, RELEASE_PREFIX)):
                self.runs += 1
                self.last = outcome
            self._counts[outcome] = self._counts.get(outcome, 0) + 1
            self.seconds[outcome] = time.perf_counter() - began
            self._idle.notify_all()

    def _loop(self) -> None:
        holder = holder_name()
        while not self._stop.is_set():
            outcome: str | None = None
            # The release first: a second or two, where the findings take half a minute at 5 M work logs; the
            # Aggregates page computes it on each request until it is stored.
            began = time.perf_counter()
            try:
                released = RELEASE_PREFIX + run_release_once(self.engine, holder=holder, ttl=self.ttl)
            except Exception:
                log.exception("the advocates' release could not be refreshed; trying again")
                released = RELEASE_PREFIX + "failed"
            self._after(released, began)
            began = time.perf_counter()
            try:
                outcome = run_once(self.engine, holder=holder, ttl=self.ttl)
                self.last_error = None
            except Exception as exc:  # the worker must outlive one failed run; the lease row records it
                log.exception("the findings snapshot could not be refreshed; trying again")
                self.last_error = exc
                outcome = "failed"
            self._after(outcome, began)
            began = time.perf_counter()
            try:
                credits = CREDITS_PREFIX + run_credits_once(self.engine, holder=holder, ttl=self.ttl)
            except Exception:
                log.exception("the credit checks could not be refreshed; trying again")
                credits = CREDITS_PREFIX + "failed"
            self._after(credits, began)
            if REFRESHED not in (outcome, credits.removeprefix(CREDITS_PREFIX), released.removeprefix(RELEASE_PREFIX)):
                self._wake.wait(self.poll)
                self._wake.clear()


ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """``python -m analytics.derived --follow-stdin`` for one database in a child process: the same loop as
    :class:`Worker`, with an interpreter of its own. Its standard input is a pipe from this process: a byte asks it
    to look at once (:meth:`wake`), and the pipe's end stops it, whether this process closed it (:meth:`stop`, at
    exit) or died. The database's leases keep it to one computation at a time whatever else runs."""

    def __init__(self, url: str, *, poll: float = POLL_SECONDS) -> None:
        command = [sys.executable, "-m", "analytics.derived", "--poll", str(poll), "--follow-stdin"]
        # The URL in the environment, not on the command line, where any user of the machine could read a password.
        environment = {**os.environ, "DATABASE_URL": url}
        self._process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, env=environment)
        self._lock = threading.Lock()
        atexit.register(self.stop)

    def alive(self) -> bool:
        return self._process.poll() is None

    def wake(self) -> None:
        """Ask the process to look at once (after a write) rather than at its next poll."""
        with self._lock, contextlib.suppress(OSError, ValueError):  # it ended: start_worker starts another
            self._process.stdin.write(b"w")
            self._process.stdin.flush()

    def stop(self, timeout: float = 5.0) -> None:
        """Close the pipe (the process ends after the run it is in), then end it if it has not within ``timeout``
        seconds: a run cut short is rolled back with its transaction and its lease expires (:data:`LEASE`), as
        after any crash."""
        with self._lock, contextlib.suppress(OSError):
            self._process.stdin.close()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.terminate()
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        atexit.unregister(self.stop)


_workers: dict[str, Worker | WorkerProcess] = {}
_workers_lock = threading.Lock()


def start_worker(
    engine: Engine, *, on_refreshed: Callable[[], None] | None = None, mode: str = "thread"
) -> Worker | WorkerProcess:
    """The process's worker for ``engine``'s database, started on first call (once per process and database): a
    :class:`Worker` thread (``mode`` ``thread``; ``on_refreshed`` is called after each refresh) or a
    :class:`WorkerProcess` (``process``: it cannot call back, so what depends on its results must notice them:
    :func:`data.derived.derived_stamp`). A process that died is started again."""
    if mode not in ("thread", "process"):
        raise ValueError(f"derived_worker_mode must be 'thread' or 'process', not {mode!r}")
    key = engine.url.render_as_string(hide_password=False)
    with _workers_lock:
        worker = _workers.get(key)
        if isinstance(worker, WorkerProcess) and not worker.alive():
            log.warning("the background worker process for this database ended; starting it again")
            worker = None
        if worker is None:
            worker = WorkerProcess(key) if mode == "process" else Worker(engine, on_refreshed=on_refreshed).start()
            _workers[key] = worker
        return worker


def stop_workers() -> None:
    """Stop every worker this process started (tests, before their database goes away)."""
    with _workers_lock:
        workers = list(_workers.values())
        _workers.clear()
    for worker in workers:
        worker.stop()
