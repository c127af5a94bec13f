"""Issue 22's cheaper recomputation changes no finding: the column-at-a-time sentences and JSON, the cached
citations and the workplace rates resolved once per place and day give exactly what the row-by-row engine gave.

(The Freelance Act's and the minimum wage's findings, now collected a template at a time, are held to their exact
sentences by test_freelance.py, test_minimum_wage_today.py and test_wage_bases.py; bench/bench_findings_refresh.py
compares a whole studio's stored findings, every column, with an older checkout's.)"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from analytics.findings import evaluate
from analytics.findings import minimum_wage as mw
from analytics.findings.parameters import Parameters
from analytics.findings.text import Sentences, dumps, joined, money, sentence
from data.i18n import N_
from data.law.minimum_wage import STALE, UNCERTAIN, highest, resolve
from data.reference import statute_of

D = dt.date
TODAY = D(2026, 12, 6)
N = 4


def row_by_row(self: Sentences, n: int) -> tuple[list[str], list[str]]:
    """The sentences and JSON as the engine made them before: each finding's parameters a dict, rendered alone."""
    rows = self.rows(n)
    return self.english(rows), dumps(rows)


def uncached_cite(self: Parameters, jurisdiction: str, key: str) -> str:
    return statute_of(jurisdiction, key, dict(self.citations)) or key


def resolved_per_row(self: mw.Workplaces, person, day):
    info = self.ctx.employment_on(person, day)
    out = []
    for j, pref, city, d in zip(info["jurisdiction"], info["prefecture"], info["city"], day, strict=True):
        on = pd.Timestamp(d).date()
        found = {k: resolve(self.tables[k], self.cycles[k[0]].cycle(k[1]), on) for k in self.keys(j, pref, city)}
        governing = highest(list(found.values())) if found else None
        doubtful = [(k, f) for k, f in found.items() if f.status in (STALE, UNCERTAIN) and f.used is not None]
        out.append((governing, self.note(*max(doubtful, key=lambda kf: kf[1].status)) if doubtful else None))
    return out


PARAMS = {
    "floats": np.array([1.5, 0.1 + 0.2, float("nan"), float("inf")]),
    "negative infinity": [-float("inf"), 2.0, 1e300, -0.0],
    "ints": np.array([0, -3, 2**40, 7], dtype=np.int64),
    "numpy scalars": [np.float64(2.5), np.int32(4), np.bool_(True), np.float32(0.5)],
    "bools": [True, False, True, False],
    "none": [None, "x", None, 1],
    "text": ['say "hi"', "作画監督\n", "back\\slash", "\u2028"],
    "marked": [N_("two"), N_("three"), "plain", N_("four")],
    "dates": [D(2025, 1, 31), dt.date.min, pd.Timestamp("2025-02-01"), dt.datetime(2025, 3, 1, 12, 30)],
    "datetime64": pd.DatetimeIndex(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"]),
    "money": [money(1226.4, "JPY", per_hour=True), money(16.5, "USD"), money(3, "USD", bare=True), money(0, "JPY")],
    "nested": [sentence(N_("over {hours:g} h needs {minutes} min"), hours=6, minutes=45)] * N,
    "joined": [joined([sentence("{name}", name="a"), sentence("{name}", name="b")])] * 2
    + [{"join": ", ", "items": []}] * 2,
    "series": pd.Series([1.25, 2.5, 3.75, 5.0]),
    "strings": pd.Series(["a", "b", "c", "d"], dtype="str"),
}
TEMPLATES = [
    "{value}",
    "{{literal braces}} {value!r:>12} {constant:g} {label}",
    "{value.real} {constant.imag}",  # attribute fields
    "{value[0]}",
    "{value:{constant}}",  # a nested field in the spec
    "{value:.1f} and {value}",  # a format spec some values cannot take: the template is shown as it is
    "{missing} {value}",
    "no placeholder",
]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("name", sorted(PARAMS))
def test_columns_are_the_rows_rendered_one_by_one(name, template):
    said = Sentences(N_(template), {"value": PARAMS[name], "constant": 8.0, "label": N_("two")})
    try:
        before = row_by_row(said, N)
    except (TypeError, AttributeError) as refused:  # a value its field cannot take: refused alike (no rule passes one)
        with pytest.raises(type(refused)):
            said.columns(N)
        return
    assert said.columns(N) == before
    for text in said.columns(N)[1]:
        json.loads(text)


def test_columns_without_parameters():
    said = Sentences(N_("JP-XX: a sentence with {braces}"), {})
    assert said.columns(3) == row_by_row(said, 3)


def test_a_column_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        Sentences("{value}", {"value": [1, 2]}).columns(3)


def test_cite_answers_as_before():
    law = Parameters.seeded()
    for jurisdiction, key in [("JP", "minimum_wage"), ("US-CA", "minimum_wage"), ("JP", "no.such.key"),
                              ("JP", "ot_agreement_36.normal"), ("JP", "ot_agreement_36.normal")]:  # fmt: skip
        assert law.cite(jurisdiction, key) == uncached_cite(law, jurisdiction, key)


def test_the_studio_s_findings_are_those_of_the_row_by_row_engine(fixture_session, monkeypatch):
    fast = evaluate(fixture_session, today=TODAY)
    assert len(fast) and fast["rule_id"].nunique() > 5
    with monkeypatch.context() as m:
        m.setattr(Sentences, "columns", row_by_row)
        m.setattr(Parameters, "cite", uncached_cite)
        m.setattr(mw.Workplaces, "resolved", resolved_per_row)
        slow = evaluate(fixture_session, today=TODAY)
    pd.testing.assert_frame_equal(fast, slow)
