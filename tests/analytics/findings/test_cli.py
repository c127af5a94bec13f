"""The findings command line: JSON and CSV out, filters, and messages for what cannot be answered (both backends)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analytics.__main__ import main as cli
from tests.analytics.builders import Studio

D = dt.date


def test_findings_cli_json_and_csv(engine, session, capsys) -> None:
    st = Studio(session)
    a = st.person("A")
    prod = st.production("Sky Runner")
    st.work(a, D(2025, 10, 6), 9, production=prod)  # 1 h OT without an agreement; no pay
    st.commit()
    url = engine.url.render_as_string(hide_password=False)
    assert (
        cli(
            [
                "findings",
                "--format",
                "json",
                "--database-url",
                url,
                "--production",
                "Sky Runner",
                "--from",
                "2025-10-01",
                "--to",
                "2025-10-31",
            ]
        )
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert {r["rule_id"] for r in rows} >= {"JP-HRS-01", "JP-MW-01"}
    assert rows[0]["period_start"].startswith("2025-10")
    assert cli(["findings", "--database-url", url]) == 0
    assert capsys.readouterr().out.startswith("rule_id,severity,person_id,person,")
    assert cli(["findings", "--database-url", url, "--production", "Nope"]) == 2
    assert "no production titled 'Nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli(["findings", "--from", "31/10/2025"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_findings_cli_warns_of_minimum_wages_that_may_be_out_of_date(engine, session, capsys) -> None:
    st = Studio(session)
    la = st.person("L", jurisdiction="US-CA", city="Los Angeles")
    st.days(la, D(2026, 7, 13), 5, 8)  # Los Angeles revises every 1 July; the table's latest is 2025-07-01
    st.commit()
    url = engine.url.render_as_string(hide_password=False)
    assert cli(["findings", "--database-url", url]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("rule_id,")  # the table itself is unchanged: the warning goes to stderr
    assert (
        "warning: Los Angeles: the latest minimum wage on record is 17.87 USD/h from 2025-07-01 (revision 2025); a "
        "new one was due from 2026-07-01 and is not in the table." in captured.err
    )
