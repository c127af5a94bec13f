"""Minimum wages and dated rule parameters as data: the canonical minimum-wage CSV, MHLW's nationwide table as
published, and dated parameters (both databases). Every row accounted for, re-imports idempotent, corrections
audited, the rollups of the people at a changed place refreshed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.importers import detect, import_file
from data.importers.kinds import minimum_wages, rule_parameters
from data.importers.kinds.mhlw_minimum_wages import amount, era_date, title_year
from data.reference import rule_timelines, rule_values
from data.schema import AuditEvent, MinimumWage, RollupPersonDay, RuleParameter
from tests.analytics.builders import Studio
from tests.data.importers.helpers import balanced, write_csv

D = dt.date
HEADER = [c.name for c in minimum_wages.COLUMNS]
PARAM_HEADER = [c.name for c in rule_parameters.COLUMNS]


def _rate(session: Session, jurisdiction: str, region: str, year: int) -> MinimumWage | None:
    return session.scalars(
        select(MinimumWage).where(
            MinimumWage.jurisdiction == jurisdiction, MinimumWage.region == region, MinimumWage.revision_year == year
        )
    ).one_or_none()


def test_mhlw_cells_as_published() -> None:
    assert era_date("令和8年10月1日", "c") == D(2026, 10, 1)
    assert era_date("Ｒ８．１０．４", "c") == D(2026, 10, 4)  # full-width, as Japanese spreadsheets often write it
    assert era_date("令和元年10月1日", "c") == D(2019, 10, 1)
    assert era_date("未定", "c") is None and era_date("", "c") is None
    assert amount("1,280 (1,226)", "c") == Decimal("1280") and amount("１，０９０円", "c") == Decimal("1090")
    assert title_year("令和8年度 地域別最低賃金 改定状況") == 2026 and title_year("地域別最低賃金の全国一覧") is None


def test_canonical_minimum_wages(session: Session, tmp_path: Path) -> None:
    st = Studio(session)
    aomori = st.person("A", prefecture="Aomori")
    st.days(aomori, D(2026, 11, 2), 1, 8)
    st.commit()
    day = session.get(RollupPersonDay, (aomori.id, D(2026, 11, 2)))
    assert day.mw_rate == Decimal("1029")  # FY2025: FY2026's ¥1,090 was announced without a date
    path = write_csv(
        tmp_path / "mw.csv",
        HEADER,
        [
            # Aomori's FY2026 date found: 2026-10-18 (a made-up date for the test); ¥1,090 from then.
            {"jurisdiction": "JP", "region": "青森県", "revision_year": "令和8年度", "effective_from": "2026-10-18",
             "rate_per_hour": "1,090", "source": "青森労働局 (test)", "checked_on": "2026-12-05"},
            # A new Californian city, and the state's 2027 rate announced with its date.
            {"jurisdiction": "US-CA", "region": "Burbank", "effective_from": "2026-07-01", "rate_per_hour": "18.00",
             "source": "City of Burbank (test)"},
            {"jurisdiction": "US-CA", "region": "California", "revision_year": "2027", "rate_per_hour": "17.30",
             "source": "DIR (test)"},
            # Refused: no source; a date outside its revision's cycle; a prefecture that is not one.
            {"jurisdiction": "JP", "region": "Tokyo", "revision_year": "2027", "rate_per_hour": "1330", "source": ""},
            {"jurisdiction": "JP", "region": "Tokyo", "revision_year": "2026", "effective_from": "2026-09-30",
             "rate_per_hour": "1280", "source": "x"},
            {"jurisdiction": "JP", "region": "Edo", "revision_year": "2026", "rate_per_hour": "1280", "source": "x"},
        ],
    )  # fmt: skip
    assert detect(path) == "canonical_minimum_wages"
    summary = import_file(session, path=path)
    balanced(summary)
    assert (summary.imported, summary.updated, summary.rejected) == (2, 1, 3)
    assert summary.rejected_by_reason == {"missing_value": 1, "inconsistent_value": 1, "unknown_prefecture": 1}
    row = _rate(session, "JP", "Aomori", 2026)
    assert (row.effective_from, row.rate_per_hour, row.source, row.checked_on) == (
        D(2026, 10, 18), Decimal("1090"), "青森労働局 (test)", D(2026, 12, 5)
    )  # fmt: skip
    burbank = _rate(session, "US-CA", "Burbank", 2026)  # its year from its date's cycle (1 July)
    assert (burbank.rate_per_hour, burbank.checked_on) == (Decimal("18.00"), dt.date.today())
    state = _rate(session, "US-CA", "state", 2027)
    assert (state.effective_from, state.rate_per_hour) == (None, Decimal("17.30"))
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "import.update.minimum_wage")).one()
    assert audit.old_values["effective_from"] is None and audit.new_values["effective_from"] == "2026-10-18"
    # The people working in Aomori were refreshed: 2026-11-02 is now judged against ¥1,090.
    session.expire_all()
    assert session.get(RollupPersonDay, (aomori.id, D(2026, 11, 2))).mw_rate == Decimal("1090")
    again = import_file(session, path=path)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)


def test_mhlw_table_as_published(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "mhlw.csv"
    path.write_text(
        "令和8年度 地域別最低賃金 改定状況\n"
        "都道府県名,最低賃金時間額【円】,発効年月日\n"
        '北海道,"1,131 (1,075)",令和8年10月1日\n'
        '青森県,"1,090 (1,029)",令和8年10月18日\n'
        '秋田県,"1,090 (1,031)",未定\n'
        '全国加重平均額,"1,177 (1,121)",\n',
        encoding="utf-8",
    )
    assert detect(path) == "mhlw_minimum_wages"
    summary = import_file(session, path=path)
    balanced(summary)
    # Hokkaido as seeded: only the source and check date differ. Aomori gets its date. Akita: still no date.
    assert (summary.updated, summary.unchanged, summary.rejected) == (3, 0, 1)
    assert summary.rejected_by_reason == {"national_average": 1}
    aomori = _rate(session, "JP", "Aomori", 2026)
    assert (aomori.effective_from, aomori.rate_per_hour) == (D(2026, 10, 18), Decimal("1090"))
    assert aomori.source == "MHLW 令和8年度 地域別最低賃金 改定状況 (mhlw.csv)"
    assert aomori.checked_on == dt.date.today()
    assert _rate(session, "JP", "Akita", 2026).effective_from is None
    # Without the title, a row with no date has no revision year.
    bare = tmp_path / "bare.csv"
    bare.write_text("都道府県名,答申額,発効予定年月日\n秋田県,1090,\n岩手県,1090,令和8年12月1日\n", encoding="utf-8")
    summary = import_file(session, path=bare)
    assert (summary.updated, summary.rejected_by_reason) == (1, {"missing_value": 1})
    assert _rate(session, "JP", "Iwate", 2026).effective_from == D(2026, 12, 1)


def test_dated_rule_parameters(session: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "params.csv",
        PARAM_HEADER,
        [
            {"jurisdiction": "US-CA", "key": "exempt_salary_floor.annual", "effective_from": "2027-01-01",
             "value": "72,000", "source": "DIR 2027 (test)", "checked_on": "2026-12-15"},
            {"jurisdiction": "JP", "key": "hours.daly_limit_h", "effective_from": "2027-01-01", "value": "8",
             "source": "typo"},
            {"jurisdiction": "JP", "key": "hours.breaks", "effective_from": "2027-01-01", "value": "45",
             "source": "not a list"},
            {"jurisdiction": "JP", "key": "hours.daily_limit_h", "effective_from": "2019-04-01", "value": "7",
             "source": "the seeded row"},
        ],
    )  # fmt: skip
    assert detect(path) == "canonical_rule_parameters"
    summary = import_file(session, path=path)
    balanced(summary)
    assert summary.imported == 1
    assert summary.rejected_by_reason == {"unknown_key": 1, "bad_value": 1, "out_of_range": 1}
    floors = rule_timelines(session, "US-CA")["exempt_salary_floor.annual"]
    assert floors == ((D(2025, 1, 1), 68640), (D(2026, 1, 1), 70304), (D(2027, 1, 1), 72000.0))
    row = session.scalars(select(RuleParameter).where(RuleParameter.effective_from == D(2027, 1, 1))).one()
    assert (row.statute.startswith("Cal. Labor Code §515(a)"), row.source, row.checked_on) == (
        True, "DIR 2027 (test)", D(2026, 12, 15)
    )  # fmt: skip
    assert rule_values(session, "US-CA", D(2027, 6, 1))["exempt_salary_floor.annual"] == 72000.0
    assert rule_values(session, "JP")["hours.daily_limit_h"] == 8


@pytest.mark.parametrize("text", ["FY2026", "2026", "令和8年度", "R8", "８"])
def test_revision_years_as_written(text: str) -> None:
    assert minimum_wages.revision_year(text) == 2026
