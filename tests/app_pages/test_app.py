"""The dashboard under every role, with AppTest against real databases (SQLite and PostgreSQL).

The studio is ``tests/app_fixtures.build_small_studio``: 山田花子 (artist, 400 h, ¥360,000), 髙橋一郎 (artist2),
佐藤美咲 (pen name みさき), a TV series 星の港 and a film whose title is a spreadsheet formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import streamlit as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from analytics.my_record import monthly_hours_and_pay, my_findings, my_record, own_credits
from analytics.scope import Scope
from data.identity import Identity
from data.schema import CreditClaim
from tests.app_fixtures import all_text, registered, sign_in, studio_app

MANAGER_PAGES = ["overview", "admin"]
PERSON_NAMES = ("山田花子", "髙橋一郎", "佐藤美咲", "Yamada", "Takahashi", "Satō", "みさき")


@pytest.fixture
def studio(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    with studio_app(engine, monkeypatch) as ids:
        yield ids


def test_manager_overview_shows_real_figures(studio: dict[str, int]) -> None:
    at = sign_in("manager")
    assert at.title[0].value == "Overview"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hours worked"] == "1,080 h"  # 40 days × (10 + 8 + 9) h
    assert metrics["People who logged work"] == "3"
    assert metrics["Pay (JPY)"] == "¥1,140,000"  # under ¥10M shown in full
    productions = at.dataframe[0].value
    assert "星の港 (Hoshi no Minato)" in productions["production"].tolist()
    assert "credit lines not linked to a person" in all_text(at)
    assert at.get("plotly_chart"), "the hours chart is drawn"
    assert registered(at) >= {"overview", "admin"}


def test_manager_filters_narrow_the_figures(studio: dict[str, int]) -> None:
    at = sign_in("manager")
    at.sidebar.multiselect(key="flt_productions").set_value([studio["film"]]).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hours worked"] == "360 h" and metrics["People who logged work"] == "1"
    at.switch_page("app_pages/admin.py").run()
    at.switch_page("app_pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["Hours worked"] == "360 h", "filters survive navigation"


def plotly_specs(at: AppTest) -> list[dict]:
    import json

    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_manager_workload_heatmap_names_people_with_romaji(studio: dict[str, int]) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/workload.py").run()
    assert not at.exception and at.title[0].value == "Workload"
    specs = plotly_specs(at)
    heat = specs[0]
    assert heat["layout"]["title"]["text"] == "Hours per person and week"
    assert heat["layout"]["xaxis"]["title"]["text"] == "Week starting (Sunday)"
    assert "山田花子 (Hanako Yamada)" in heat["data"][0]["y"]
    # Employees first, freelancers (the Article 36 limits do not apply to them) in a table of their own.
    employees, overtime = at.dataframe[0].value, at.dataframe[1].value
    assert set(employees["name"]) == {"髙橋一郎 (Ichirō Takahashi)"}
    # 山田花子 works 10 h every day: 2 h daily overtime and more, so she tops the freelancers' overtime table.
    assert overtime.iloc[0]["name"] == "山田花子 (Hanako Yamada)" and overtime.iloc[0]["ot_hours"] > 45


def test_manager_pay_against_minimum_wage(studio: dict[str, int]) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/pay.py").run()
    assert not at.exception and at.title[0].value == "Pay"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Minimum wage in force (typical)"] == "¥1,163/h"  # Tokyo FY2024
    specs = plotly_specs(at)
    assert specs[0]["layout"]["xaxis"]["title"]["text"] == "Pay per hour (JPY/h)"
    assert any(shape.get("line", {}).get("color") == "red" for shape in specs[0]["layout"].get("shapes", []))
    monthly = next(d.value for d in at.dataframe if "pay_per_hour" in d.value.columns)
    january = monthly[
        (monthly["name"] == "山田花子 (Hanako Yamada)") & (monthly["month"].astype(str).str.startswith("2025-01"))
    ]
    assert january.iloc[0]["pay_per_hour"] == round(180000 / 260, 1) and bool(january.iloc[0]["below_mw"])


def test_artist_sees_only_my_record(studio: dict[str, int]) -> None:
    at = sign_in("artist")
    assert at.title[0].value == "My record"
    assert registered(at) == {"my_record"}
    text = all_text(at)
    assert "山田花子 (Hanako Yamada)" in text
    assert {m.label: m.value for m in at.metric}["Hours logged"] == "400 h"
    assert "髙橋一郎" not in text and "佐藤美咲" not in text
    for page in ("overview", "admin", "pay", "workload"):
        with pytest.raises(ValueError, match="Could not find"):
            at.switch_page(f"app_pages/{page}.py")


def test_artist_data_functions_refuse_another_person(studio: dict[str, int], engine: Engine) -> None:
    artist = Identity(username="artist", role="artist", person_id=studio["artist"])
    advocate = Identity(username="advocate", role="advocate")
    own, other = Scope(people=(studio["artist"],)), Scope(people=(studio["artist2"],))
    with Session(engine) as session:
        assert my_record(session, scope=own.replace(viewer=artist)).monthly["hours"].sum() == 400
        for func in (my_record, monthly_hours_and_pay, own_credits, my_findings):
            with pytest.raises(PermissionError):
                func(session, scope=other.replace(viewer=artist))
            with pytest.raises(PermissionError):
                func(session, scope=own.replace(viewer=advocate))


def test_artist_credits_include_imported_public_credit(studio: dict[str, int], engine: Engine) -> None:
    # A public credit matched by the name alone is a suggestion the artist claims and a manager confirms (#15);
    # once confirmed it is one of the artist's credits.
    at = sign_in("artist")
    credits = next(d.value for d in at.dataframe if "match" in d.value.columns)
    assert sorted(credits["source"]) == ["Studio records"]  # the source named in the reader's language
    assert "未定" not in credits["name_as_credited"].tolist()
    waiting = next(d.value for d in at.dataframe if "status" in d.value.columns)
    assert (list(waiting["source"]), list(waiting["status"])) == (["Media Arts Database"], ["Suggested"])
    at.button(key="claim_credit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Session(engine) as session:
        claim = session.scalars(select(CreditClaim)).one()
        assert (claim.person_id, claim.status, claim.claimed_by) == (studio["artist"], "claimed", "artist")

    manager = sign_in("manager")
    manager.switch_page("app_pages/credits.py").run()
    manager.selectbox(key="credits_production").set_value(studio["film"]).run()
    queue = next(d.value for d in manager.dataframe if "status" in d.value.columns)
    assert list(queue["status"]) == ["Claimed by the artist"]
    manager.button(key="review_confirm").click().run()
    assert not manager.exception and not manager.error, [e.value for e in manager.error]

    at = sign_in("artist")
    credits = next(d.value for d in at.dataframe if "match" in d.value.columns)
    assert sorted(credits["source"]) == ["Media Arts Database", "Studio records"]
    assert "未定" not in credits["name_as_credited"].tolist()


def test_empty_database_says_what_to_do(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from data.accounts import create_account
    from tests.app_fixtures import CHEAP

    with Session(engine) as session:
        create_account(session, "first", "first-password", "manager", hasher=CHEAP)
        session.commit()
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = sign_in("first", "first-password")
    assert "holds no studio yet" in at.info[0].value and "python -m data.demo" in at.info[0].value


def test_manager_imports_a_file_and_downloads_rejections(studio: dict[str, int], engine: Engine) -> None:
    from data.schema import WorkLog

    csv = (
        "person,email,work_date,start_time,end_time,break_minutes,minutes,production,episode,cut,role,task,units,"
        "unit_kind,ai_assisted_fraction,is_statutory_holiday,note,external_id\n"
        "山田花子,,2025-03-03,10:00,19:00,60,480,星の港,1,,原画,Key animation,3,cut,0,no,,T-1\n"
        "山田花子,,2025-03-04,10:00,19:00,60,480,星の港,1,,原画,Key animation,3,cut,0,no,,T-2\n"
        "誰でもない人,,2025-03-04,10:00,19:00,60,480,星の港,1,,原画,Key animation,3,cut,0,no,,T-3\n"
    ).encode()
    at = sign_in("manager")
    at.switch_page("app_pages/import_data.py").run()
    assert "Nothing imported yet" in at.info[0].value
    at.file_uploader(key="import_file").set_value(("work_logs.csv", csv, "text/csv")).run()
    at.button(key="import_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Rows"], metrics["Imported"], metrics["Rejected"]) == ("3", "2", "1")
    history = at.dataframe[-1].value
    assert history.iloc[0]["filename"] == "work_logs.csv" and history.iloc[0]["rows_rejected"] == 1
    with Session(engine) as s:
        assert s.scalar(select(func.count(WorkLog.id)).where(WorkLog.work_date >= dt.date(2025, 3, 3))) == 2


def test_advocate_sees_aggregates_without_names_or_small_groups(
    studio: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three people: at the floor of k = 5 every group is hidden, and the page says so (the demo studio's aggregates
    # are shown in tests/app_pages/test_advocate_page.py).
    at = sign_in("advocate")
    assert registered(at) == {"advocate"} and at.title[0].value == "Aggregates"
    text = all_text(at) + "".join(json_text for json_text in (el.proto.spec for el in at.get("plotly_chart")))
    for name in PERSON_NAMES:
        assert name not in text, name
    for table in (d.value for d in at.dataframe):
        assert not ({"person_id", "person", "name"} & set(table.columns))
        if "people" in table.columns:
            assert (table["people"] >= 5).all(), table
    by_group = {g for d in at.dataframe if "group" in d.value.columns for g in d.value["group"]}
    assert not by_group, "every group of this studio is under k"
    assert "smaller groups are hidden" in at.caption[0].value
    assert any("No department group has 5 or more people" in i.value for i in at.info)
    for page in ("overview", "pay", "my_record", "admin"):
        with pytest.raises(ValueError, match="Could not find"):
            at.switch_page(f"app_pages/{page}.py")
    # k under the floor is refused, whoever set it: nothing is shown.
    monkeypatch.setenv("ENDROLL_K_ANONYMITY", "2")
    st.cache_data.clear()
    at.run()
    assert not at.exception and not at.dataframe
    assert "k_anonymity is 2, under the floor of 5" in at.error[0].value


def test_advocate_view_refuses_identifying_columns() -> None:
    import pandas as pd

    from analytics.advocate_view import AnonymityError, _anonymous

    with pytest.raises(AnonymityError):
        _anonymous(pd.DataFrame({"group": ["a"], "person_id": [1], "people": [9]}))


def test_advocate_cannot_call_manager_views(studio: dict[str, int], engine: Engine) -> None:
    from analytics.dashboard import pay_view, workload_view

    advocate = Identity(username="advocate", role="advocate")
    with Session(engine) as session:
        for view in (pay_view, workload_view):
            with pytest.raises(PermissionError):
                view(session, scope=Scope(viewer=advocate))


def test_manager_ai_use_page(studio: dict[str, int]) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/ai_use.py").run()
    assert not at.exception and at.title[0].value == "AI use"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["AI-assisted share of hours"] == "8.3%"  # 佐藤美咲: 25 % of 360 h of 1,080 h
    titles = [s["layout"]["title"]["text"] for s in plotly_specs(at)]
    assert "AI-assisted share over time" in titles
    assert "None: every recorded AI use names the person" in all_text(at)


EXPECTED_TITLES = {
    "manager": {"overview": "Overview", "workload": "Workload", "pay": "Pay", "ai_use": "AI use", "credits": "Credits",
                "import_data": "Import", "advocate": "Aggregates", "admin": "Admin", "person": "Person",
                "people": "People and records", "productions": "Productions",
                "name_review": "Names to review"},
    "advocate": {"advocate": "Aggregates"},
    "artist": {"my_record": "My record"},
}  # fmt: skip


@pytest.mark.parametrize("role", ["manager", "advocate", "artist"])
def test_every_page_of_every_role_renders_content(studio: dict[str, int], role: str) -> None:
    at = sign_in(role)
    pages = registered(at) - {"generation"}  # the generation page is tested with the generation engine
    assert pages == set(EXPECTED_TITLES[role])
    for page, title in EXPECTED_TITLES[role].items():
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert at.title[0].value == title
        assert [e.value for e in at.error] == [], page
        assert len(at.dataframe) + len(at.metric) + len(at.get("plotly_chart")) + len(at.info) > 0, page
        assert "$argon2" not in all_text(at)


def test_artist_record_exports_are_scoped(studio: dict[str, int], engine: Engine) -> None:
    from analytics.my_record import export_my_record

    artist = Identity(username="artist", role="artist", person_id=studio["artist"])
    own = Scope(people=(studio["artist"],), viewer=artist)
    with Session(engine) as session:
        csv = export_my_record(session, scope=own, fmt="csv")
        assert csv.startswith(b"\xef\xbb\xbf") and "星の港".encode() in csv
        pdf = export_my_record(session, scope=own, fmt="pdf")
        assert pdf.startswith(b"%PDF")
        with pytest.raises(PermissionError):
            export_my_record(session, scope=own.replace(people=(studio["artist2"],)), fmt="pdf")


def test_the_sidebar_scope_reaches_every_manager_page(studio: dict[str, int]) -> None:
    """The sidebar's productions and departments narrow each page's figures and its findings alike."""
    at = sign_in("manager")
    at.sidebar.multiselect(key="flt_departments").set_value(["art"]).run()
    assert {m.label: m.value for m in at.metric}["Hours worked"] == "0 h"  # all work is key animation
    at.sidebar.multiselect(key="flt_departments").set_value(["animation"]).run()
    assert {m.label: m.value for m in at.metric}["Hours worked"] == "1,080 h"
    for page in ("workload", "pay"):
        at.switch_page(f"app_pages/{page}.py").run()
        at.sidebar.multiselect(key="flt_productions").set_value([studio["film"]]).run()
        at.sidebar.multiselect(key="flt_departments").set_value(["animation"]).run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        findings = [d.value for d in at.dataframe if "rule_id" in d.value.columns]
        # 佐藤美咲 asked to be shown by her pen name alone (visibility pen_name_only): every table names her so.
        assert findings and {p for f in findings for p in f["person"]} == {"みさき"}, page
    pay = next(d.value for d in at.dataframe if "pay_per_hour" in d.value.columns)
    assert set(pay["name"]) == {"みさき"}
    at.switch_page("app_pages/workload.py").run()
    at.sidebar.multiselect(key="flt_productions").set_value([studio["film"]]).run()
    assert plotly_specs(at)[0]["data"][0]["y"] == ["みさき"]


def test_a_reversed_period_says_what_to_do_in_the_sidebar(studio: dict[str, int]) -> None:
    at = sign_in("manager")
    at.sidebar.date_input(key="flt_start").set_value(dt.date(2025, 2, 28)).run()
    at.sidebar.date_input(key="flt_end").set_value(dt.date(2025, 1, 1)).run()
    assert not at.exception
    assert [e.value for e in at.sidebar.error] == [
        "the period starts on 2025-02-28 after it ends on 2025-01-01: swap From and To in the sidebar"
    ]
    assert "--from" not in all_text(at)
    assert {m.label: m.value for m in at.metric}["Hours worked"] != "0 h"  # read as 1 Jan – 28 Feb meanwhile
