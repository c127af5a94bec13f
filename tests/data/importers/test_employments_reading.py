"""Reading employment files: the header detected in any language the template allows, places read as the
minimum-wage table stores them, and malformed files that never crash and account for every row."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from data.importers import FORMATS, detect
from data.importers.places import JP_PREFECTURES_JA, Places
from data.importers.registry import detect_header, templated
from data.reference import minimum_wage_rows
from tests.data.importers.helpers import (
    FIX,
    accounts_for_every_row,
)
from tests.data.importers.test_employments import EMPLOYMENT_HEADER
from tests.data.importers.test_labor_agreements import AGREEMENT_HEADER


def test_header_detection(tmp_path: Path) -> None:
    assert detect_header(["person", "employer", "employment_type", "start_date"]) == "canonical_employments"
    assert detect_header(["Employment_Type", "Start_Date", "email"]) == "canonical_employments"
    assert detect_header(["organization", "valid_from"]) == "canonical_labor_agreements"
    assert detect_header(["has_36_agreement", "valid_from", "valid_to"]) == "canonical_labor_agreements"
    assert detect_header(["organization", "valid_to"]) is None
    assert detect_header(["employment_type", "end_date"]) is None
    # Every canonical format's own header is still detected as itself, and a work-log or people file that happens to
    # carry a start_date / employment_type column stays what it was.
    for fmt in templated():
        assert detect_header([c.name for c in fmt.columns]) == fmt.name
    assert detect_header(["email", "work_date", "minutes", "employment_type", "start_date"]) == "canonical_work_logs"
    assert detect_header(["display_name", "email", "employment_type", "start_date"]) == "canonical_people"
    for name, fmt in [
        ("kitsu_time_spent_2025-04-01.csv", "kitsu_time_spent"),
        ("shotgrid_timelogs.csv", "shotgrid"),
        ("ftrack_timelogs.csv", "ftrack"),
        ("kimai_en.csv", "kimai"),
        ("clockify_detailed_24h_dmy.csv", "clockify"),
        ("toggl_detailed_week1.csv", "toggl"),
        ("work_logs.csv", "canonical_work_logs"),
        ("pay_items.csv", "canonical_pay_items"),
        ("people.csv", "canonical_people"),
    ]:
        assert detect(FIX / name) == fmt
    assert FORMATS["canonical_employments"].entity == "employment"
    assert FORMATS["canonical_labor_agreements"].entity == "labor_agreement"


def test_places_read_prefectures_as_the_minimum_wage_table_stores_them() -> None:
    regions = {(r["jurisdiction"], r["region"]) for r in minimum_wage_rows()}
    places = Places(regions)
    jp = {region for j, region in regions if j == "JP"}
    assert set(JP_PREFECTURES_JA) == jp  # every prefecture's Japanese name, and only theirs
    for written, stored in [
        ("Tokyo", "Tokyo"),
        ("tōkyō", "Tokyo"),
        ("Tokyo-to", "Tokyo"),
        ("東京都", "Tokyo"),
        ("東京", "Tokyo"),
        ("Kyoto", "Kyoto"),
        ("Kyoto-fu", "Kyoto"),
        ("京都府", "Kyoto"),
        ("北海道", "Hokkaido"),
        ("Hokkaidō", "Hokkaido"),
        ("Kanagawa Prefecture", "Kanagawa"),
        ("ＯＳＡＫＡ", "Osaka"),
        ("大阪府", "Osaka"),
        ("Ōita", "Oita"),
    ]:
        assert places.prefecture(written) == stored, written
    assert places.city("santa  monica") == "Santa Monica"
    assert places.city("Burbank") == "Burbank"  # no local minimum wage: kept, the state's applies


CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "-",
            "山田 花子",
            "hanako@example.jp",
            "スタジオ星",
            "employee_regular",
            "freelancer",
            "JP",
            "US-CA",
            "東京都",
            "Los Angeles",
            "2025-04-01",
            "2025-02-30",
            "160",
            "0",
            "nan",
            "1e400",
            "yes",
            "professional",
            "Total",
            '"',
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fmt=st.sampled_from(["canonical_employments", "canonical_labor_agreements"]),
    rows=st.lists(st.lists(CELL, max_size=14), max_size=10),
)
def test_malformed_files_never_crash_and_account_for_every_row(
    hanako_engine: Engine,
    tmp_path_factory: pytest.TempPathFactory,
    fmt: str,
    rows: list[list[str]],
) -> None:
    header = EMPLOYMENT_HEADER if fmt == "canonical_employments" else AGREEMENT_HEADER
    accounts_for_every_row(hanako_engine, tmp_path_factory.mktemp("m") / "f.csv", fmt, header, rows)
