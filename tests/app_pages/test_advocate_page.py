"""The Aggregates page on the demo studio (AppTest, SQLite and PostgreSQL): a fixed quarterly release that the
sidebar cannot narrow, k and its history shown to the advocate, and no person anywhere on it."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.accounts import create_account
from data.identity import Identity
from data.schema import Person
from services.settings import save_setting
from tests.app_fixtures import CHEAP, all_text, sign_in

PASSWORDS = {"union": "union-rep-pass", "boss": "boss-manager-pass"}


@pytest.fixture
def demo_app(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    with Session(demo_engine) as s:
        create_account(s, "union", PASSWORDS["union"], "advocate", hasher=CHEAP)
        create_account(s, "boss", PASSWORDS["boss"], "manager", hasher=CHEAP)
        s.commit()
    monkeypatch.setenv("DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ENDROLL_AUTH", "local")
    monkeypatch.delenv("ENDROLL_K_ANONYMITY", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield demo_engine
    st.cache_data.clear()
    st.cache_resource.clear()


def tables(at) -> dict[str, pd.DataFrame]:
    return {f"{i}:{','.join(d.value.columns)}": d.value for i, d in enumerate(at.dataframe)}


def test_the_advocate_reads_quarters_without_a_person_in_them(demo_app: Engine) -> None:
    with Session(demo_app) as s:
        names = {n for n in s.scalars(select(Person.display_name)) if n and len(n) > 2}
    at = sign_in("union", PASSWORDS["union"])
    assert not at.exception and at.title[0].value == "Aggregates"
    quarter = at.selectbox(key="adv_quarter")
    assert len(quarter.options) == 5 and quarter.options[0].startswith("2025 Q4")
    latest = tables(at)
    assert latest and all((t["people"] >= 5).all() for t in latest.values() if "people" in t.columns)
    for t in latest.values():
        assert not {"mean_monthly_hours", "person_months", "person_id", "name"} & set(t.columns)
    text = all_text(at) + "".join(el.proto.spec for el in at.get("plotly_chart"))
    assert not {n for n in names if n in text}, "no person's name on the page"
    assert "Anonymized: every group shown has at least 5 people" in at.caption[0].value
    assert "k has never been changed" in all_text(at)
    ja = sign_in("union", PASSWORDS["union"], locale="ja-JP")
    assert ja.title[0].value == "集計" and ja.selectbox(key="adv_quarter").options[0].startswith("2025年 第4四半期")
    assert "表示しているグループはすべて5人以上です" in ja.caption[0].value
    quarter.set_value(quarter.options[2]).run()
    assert not at.exception
    other = tables(at)
    assert other.keys() != latest.keys() or any(not other[k].equals(t) for k, t in latest.items())


def test_the_sidebar_does_not_narrow_the_release_and_k_changes_are_shown(demo_app: Engine) -> None:
    manager = sign_in("boss", PASSWORDS["boss"])
    manager.switch_page("app_pages/advocate.py").run()
    whole = tables(manager)
    manager.switch_page("app_pages/overview.py").run()
    manager.sidebar.multiselect(key="flt_departments").set_value(["direction"]).run()
    first = manager.sidebar.multiselect(key="flt_productions").options[0]
    manager.sidebar.multiselect(key="flt_productions").set_value([first]).run()
    manager.switch_page("app_pages/advocate.py").run()
    assert not manager.exception
    narrowed = tables(manager)
    assert narrowed.keys() == whole.keys()
    for key, table in whole.items():
        pd.testing.assert_frame_equal(narrowed[key], table)

    with Session(demo_app) as s:
        save_setting(s, Identity(username="boss", role="manager"), key="k_anonymity", raw="7")
        s.commit()
    st.cache_data.clear()
    at = sign_in("union", PASSWORDS["union"])
    assert "at least 7 people" in at.caption[0].value
    history = next(d.value for d in at.dataframe if "changed by" in d.value.columns)
    assert history[["changed by", "from", "to"]].values.tolist() == [["boss", None, "7"]]
    assert all((t["people"] >= 7).all() for t in tables(at).values() if "people" in t.columns)
