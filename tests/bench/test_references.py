"""The DuckDB reference queries of bench/analytics_references.py (used by bench/bench_analytics.py) compute what the analytics functions compute.

A benchmark ratio only means something if both sides produce the same result: on the demo studio, DuckDB's
effective pay (each day's employment and workplace minimum wage resolved from the raw tables) and the two advocate
aggregates equal ours.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics import anonymized, pay
from analytics.scope import Scope

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import analytics_references as bench_analytics  # noqa: E402


@pytest.fixture
def duck(demo_engine, backend):
    if backend != "sqlite":
        pytest.skip("the benchmark copies a SQLite file into DuckDB")
    return bench_analytics.load_duckdb(demo_engine.url.database)


def _close(a: pd.Series, b: pd.Series) -> bool:
    return bool(np.allclose(a.astype(float), b.astype(float), rtol=1e-9, atol=1e-6, equal_nan=True))


def test_effective_pay_reference_equals_ours(demo_session, duck) -> None:
    ours = pay.effective_pay(demo_session, scope=Scope())
    ref = duck.execute(bench_analytics.EFFECTIVE_PAY_SQL).df()
    ref["month"] = pd.to_datetime(ref["month"])
    assert len(ours) == len(ref) > 1000
    m = ours.merge(ref, on=["person_id", "month"], suffixes=("", "_ref"), validate="one_to_one")
    assert len(m) == len(ours)
    for column in pay.COLUMNS:
        if column in ("person_id", "month"):
            continue
        if column in ("currency", "is_employee", "below_mw"):
            assert (m[column].astype(str) == m[f"{column}_ref"].astype(str)).all(), column
        else:
            assert _close(m[column], m[f"{column}_ref"]), column
    assert m["below_mw"].any() and m["mw_shortfall_amount"].gt(0).any()  # the comparison covers the MW paths


def test_advocate_references_equal_ours(demo_session, duck) -> None:
    ours = anonymized.pay_distribution(demo_session, scope=Scope(), by="role")
    ref = duck.execute(bench_analytics.DUCK["advocate pay by role"]).df()
    ref.columns = ["group", "currency", "people", "person_months", "median", "p25", "p75", "share_below_mw"]
    m = ours.merge(ref, on=["group", "currency"], how="outer", suffixes=("", "_ref"), indicator=True)
    assert (m["_merge"] == "both").all() and len(m) > 3
    assert (m["people"] == m["people_ref"]).all() and (m["person_months"] == m["person_months_ref"]).all()
    for a, b in (("median_pay_per_hour", "median"), ("p25_pay_per_hour", "p25"), ("p75_pay_per_hour", "p75")):
        assert _close(m[a], m[b]), a
    assert _close(m["share_below_mw"], m["share_below_mw_ref"])

    hours = anonymized.hours_distribution(demo_session, scope=Scope(), by="department")
    ref = duck.execute(bench_analytics.DUCK["advocate hours by department"]).df()
    ref.columns = ["group", "people", "person_months", "median", "mean", "p90", "share"]
    m = hours.merge(ref, on="group", how="outer", suffixes=("", "_ref"), indicator=True)
    assert (m["_merge"] == "both").all() and len(m) > 3
    assert (m["people"] == m["people_ref"]).all()
    for a, b in (
        ("median_monthly_hours", "median"),
        ("mean_monthly_hours", "mean"),
        ("p90_monthly_hours", "p90"),
        ("share_over_205_hours", "share"),
    ):
        assert _close(m[a], m[b]), a
