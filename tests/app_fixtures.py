"""A small studio for the dashboard tests, independent of the demo generator, and the AppTest helpers around it.

Two productions (a TV series 星の港 with two episodes and a film), three people with Japanese names, a month and a
half of work logs and pay, credits including a placeholder (未定) and an imported public credit that matches one
artist only by name, and one account per role plus a second artist (cheap argon2 parameters).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from analytics.derived.worker import LEASE
from data.accounts import create_account
from data.derived import FINDINGS, acquire
from data.names import person_key
from data.rollup import refresh
from data.schema import (
    CreditLine,
    Employment,
    Episode,
    Organization,
    PayItem,
    Person,
    PersonAlias,
    Production,
    Role,
    WorkLog,
)

CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORDS = {"manager": "manager-test", "advocate": "advocate-test", "artist": "artist-test", "artist2": "artist2-test"}
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _person(session: Session, family: str, given: str, fam_r: str, giv_r: str, **kw: object) -> Person:
    person = Person(
        family_name=family, given_name=given, family_romaji=fam_r, given_romaji=giv_r,
        family_romaji_ascii=fam_r, given_romaji_ascii=giv_r, display_name=f"{family}{given}", **kw,
    )  # fmt: skip
    person.aliases.append(PersonAlias(text=f"{family}{given}", kind="real_name", match_key=person_key(family + given)))
    session.add(person)
    session.flush()
    return person


def build_small_studio(session: Session) -> dict[str, int]:
    roles = {r.code: r for r in session.scalars(select(Role))}
    tv = Production(title="星の港", title_romaji="Hoshi no Minato", kind="tv", start_date=dt.date(2025, 1, 1))
    film = Production(title='=HYPERLINK("x")', title_romaji="Formula Film", kind="film", start_date=dt.date(2025, 3, 1))
    session.add_all([tv, film])
    session.flush()
    ep1 = Episode(production_id=tv.id, number=1, label="1")
    ep2 = Episode(production_id=tv.id, number=2, label="2")
    session.add_all([ep1, ep2])
    a = _person(session, "山田", "花子", "Yamada", "Hanako")
    b = _person(session, "髙橋", "一郎", "Takahashi", "Ichirō")
    c = _person(session, "佐藤", "美咲", "Satō", "Misaki", pen_name="みさき", visibility="pen_name_only")
    studio = Organization(name="スタジオ港", kind="animation_studio", country="JP")
    session.add(studio)
    session.flush()
    for person, kind in ((a, "freelancer"), (b, "employee_regular"), (c, "freelancer")):
        session.add(Employment(person_id=person.id, employer_id=studio.id, employment_type=kind, jurisdiction="JP",
                               prefecture="Tokyo", start_date=dt.date(2024, 4, 1),
                               scheduled_monthly_hours=160 if kind.startswith("employee") else None))  # fmt: skip
    key_anim = roles["key_animation"]
    start = dt.date(2025, 1, 6)
    for i in range(40):
        day = start + dt.timedelta(days=i)
        for person, prod, minutes in ((a, tv, 600), (b, tv, 480), (c, film, 540)):
            session.add(
                WorkLog(person_id=person.id, production_id=prod.id, role_id=key_anim.id, work_date=day,
                        seconds=minutes * 60, units=2, ai_assisted_fraction=0.25 if person is c else 0.0)
            )  # fmt: skip
    for person, prod, amount in ((a, tv, 180000), (b, tv, 240000), (c, film, 150000)):
        for m in (1, 2):
            session.add(
                PayItem(person_id=person.id, production_id=prod.id, role_id=key_anim.id, basis="per_cut",
                        units=40, unit_rate=Decimal(amount) / 40, amount=Decimal(amount), currency="JPY",
                        period_start=dt.date(2025, m, 1), period_end=dt.date(2025, m, 28))
            )  # fmt: skip
    refresh(session)  # every writer of work logs and pay keeps the rollups current
    placeholder = PersonAlias(person_id=None, text="未定", kind="real_name", match_key=person_key("未定"))
    public = PersonAlias(person_id=None, text="山田 花子", kind="real_name", match_key=person_key("山田 花子"),
                         source="madb")  # fmt: skip
    session.add_all([placeholder, public])
    session.flush()
    lines = [
        (tv, "原画", "山田花子", a.aliases[0].id, "internal"),
        (tv, "原画", "髙橋一郎", b.aliases[0].id, "internal"),
        (tv, "原画", "未定", placeholder.id, "internal"),
        (film, "原画", "山田 花子", public.id, "madb"),
    ]
    for order, (prod, role, name, alias_id, source) in enumerate(lines):
        line = CreditLine(production_id=prod.id, role_as_credited=role, name_as_credited=name,
                          person_alias_id=alias_id, line_order=order, source=source)  # fmt: skip
        line.set_role(key_anim)
        session.add(line)
    for username, role, person in (("manager", "manager", None), ("advocate", "advocate", None),
                                   ("artist", "artist", a), ("artist2", "artist", b)):  # fmt: skip
        create_account(session, username, PASSWORDS[username], role, person_id=person.id if person else None,
                       hasher=CHEAP)  # fmt: skip
    session.commit()
    return {"tv": tv.id, "film": film.id, "artist": a.id, "artist2": b.id, "pen": c.id}


@contextmanager
def studio_app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """The small studio in ``engine``, with the app pointed at it (local sign-in) and Streamlit's caches empty;
    yields the ids of :func:`build_small_studio`."""
    with Session(engine) as session:
        ids = build_small_studio(session)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ENDROLL_AUTH", "local")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield ids
    st.cache_data.clear()
    st.cache_resource.clear()


def sign_in(username: str, password: str | None = None, *, locale: str = "en-US") -> AppTest:
    """The app run by AppTest in a browser whose language is ``locale`` (English unless said: the assertions read the
    English messages), signed in as ``username`` (password: :data:`PASSWORDS`)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.context = {"locale": locale}
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="username").input(username)
    at.text_input(key="password").input(password or PASSWORDS[username])
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def registered(at: AppTest) -> set[str]:
    """The file stems of the pages the navigation registered."""
    pages = at._registered_pages.values()  # the only view of the navigation AppTest offers
    return {Path(p["script_path"]).stem for p in pages}


def all_text(at: AppTest) -> str:
    """Every title, text, metric, alert and table (as CSV) the run drew, one per line."""
    parts = [e.value for kind in ("title", "markdown", "caption", "metric", "info", "success", "warning", "error")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [at.dataframe[i].value.to_csv() for i in range(len(at.dataframe))]
    return "\n".join(str(p) for p in parts)


def another_worker_holds(engine: Engine, kind: str = FINDINGS) -> None:
    """Another process takes the lease of ``kind``: the app's own worker thread then finds it taken and the page is
    seen mid-recomputation."""
    with Session(engine) as session:
        assert acquire(session, holder="another process", ttl=LEASE, kind=kind)
        session.commit()
