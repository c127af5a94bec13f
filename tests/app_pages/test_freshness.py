"""With the background worker on, pages serve the stored findings and say how current they are: "updated at …,
recomputing since …" while stale, a wait state with progress when none were ever computed; a request computes
nothing (both backends)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from analytics.derived.worker import REFRESHED, run_once
from data.derived import stale_since
from data.schema import FindingSnapshot, LaborAgreement, Organization
from tests.app_fixtures import all_text, another_worker_holds, sign_in


def _snapshots(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return list(session.scalars(select(FindingSnapshot.id)))


def test_a_stale_page_shows_the_last_findings_and_when_they_were_computed(engine: Engine, worker_on: dict) -> None:
    assert run_once(engine) == REFRESHED
    with Session(engine) as session:  # a studio-wide write: an Article 36 agreement
        studio = session.scalars(select(Organization)).first()
        session.add(LaborAgreement(organization_id=studio.id, has_36_agreement=True, special_clause=False,
                                    valid_from=dt.date(2024, 4, 1)))  # fmt: skip
        session.commit()
    another_worker_holds(engine)
    stored = _snapshots(engine)
    for locale, words in (("en-US", ("Findings updated at", "recomputing since")), ("ja-JP", ("時点", "再計算"))):
        at = sign_in("manager", locale=locale)
        at.switch_page("app_pages/workload.py").run()
        assert not at.exception, at.exception
        notices = " ".join(str(e.value) for e in at.info)
        assert all(w in notices for w in words), notices
        if locale == "en-US":
            # The last complete findings are still shown, under the notice.
            assert any(h.value == "Findings on working hours" for h in at.subheader)
            assert "LSA Art." in all_text(at)
    assert _snapshots(engine) == stored  # no request computed them
    with Session(engine) as session:
        assert stale_since(session) is not None


def test_a_page_waits_with_progress_when_no_findings_were_ever_computed(engine: Engine, worker_on: dict) -> None:
    another_worker_holds(engine)
    at = sign_in("manager")
    at.switch_page("app_pages/workload.py").run()
    assert not at.exception, at.exception
    notices = " ".join(str(e.value) for e in at.info)
    assert "being computed for the first time" in notices, notices
    assert len(at.get("progress")) == 1
    assert "The compliance engine failed" not in all_text(at)
    assert _snapshots(engine) == []


_CALLS: list[int] = []


def _counted(session: Session) -> int:
    # Stands for a page's query over the stored findings: how many times it was computed.
    _CALLS.append(1)
    return len(_CALLS)


def test_with_the_worker_in_a_process_cached_results_follow_what_it_stored(
    engine: Engine, studio: dict, monkeypatch
) -> None:
    # The worker's process cannot clear this process's cache: a cached result is keyed by the newest snapshot's
    # mark, so the first request after the worker stored findings computes again; a thread clears the cache itself.
    from app_pages import _ui

    monkeypatch.setenv("ENDROLL_DERIVED_WORKER", "true")
    monkeypatch.setattr(_ui, "_STAMP_SECONDS", 0.0)  # a page's run shares one look; here each query looks again
    _CALLS.clear()
    assert run_once(engine) == REFRESHED
    for mode in ("process", "thread"):
        monkeypatch.setenv("ENDROLL_DERIVED_WORKER_MODE", mode)
        first = _ui.query(_counted)
        assert _ui.query(_counted) == first  # cached
        with Session(engine) as session:  # a studio-wide write from elsewhere (another process, the command line)
            studio_org = session.scalars(select(Organization)).first()
            session.add(LaborAgreement(organization_id=studio_org.id, has_36_agreement=True, special_clause=False,
                                       valid_from=dt.date(2024, 4, 1) + dt.timedelta(days=len(_CALLS))))  # fmt: skip
            session.commit()
        assert run_once(engine) == REFRESHED  # what the worker's process does
        after = _ui.query(_counted)
        if mode == "process":
            assert after == first + 1  # computed again: the stored findings moved on
        else:
            assert after == first  # the thread's on_refreshed clears the cache; nothing else does
        _ui.clear_cache()
