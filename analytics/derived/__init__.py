"""Derived data brought up to date after writes by a background worker, so a page never computes the whole studio
on a request (issue 22).

A write that changes findings marks them stale in its own commit (``data.engine``: the data version and
``stale_since``). The worker (:mod:`analytics.derived.worker`) sees that, takes the database's lease
(``data.derived``: one worker at a time per database), computes the findings exactly as a synchronous request would
(:func:`analytics.findings.snapshot.refresh_findings`), stores them and clears the marker in one transaction. The
app starts it as a daemon thread (``app_pages._ui``); ``python -m analytics.derived`` runs it on its own, once
(``--once``) or until stopped. Meanwhile pages serve the newest stored findings (``serving_stored``) with
:func:`analytics.derived.state.findings_freshness` saying how old they are.
"""
