"""The artist's dated report of a reconciled month (issue 20): JSON and PDF with a SHA-256 digest that a changed
number breaks, and the Freelance Act facts of a freelancer's month, worked by hand. On both databases; the digest on
content alone runs without one."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from analytics.errors import AccessDenied, AnalyticsError
from analytics.own_log_freelance import freelance_facts
from analytics.own_log_report import (
    ATTACHMENT,
    build_report,
    canonical_json,
    digest,
    main,
    report_json,
    report_pdf,
    verify_report,
)
from analytics.scope import Scope
from data.i18n import translator
from data.identity import Identity
from services.own_log import Day, add_day
from tests.analytics.builders import Studio

APRIL = (dt.date(2025, 4, 1), dt.date(2025, 4, 30))
AT = dt.datetime(2025, 8, 1, 9, 30, tzinfo=dt.UTC)
WORKDAYS = [d.date() for d in pd.bdate_range("2025-04-01", "2025-04-30")][:20]


def _hanako(session: Session) -> tuple[Identity, int]:
    """An employee: the studio records 20 days × 8 h; her log 12 of them at 9 h, and a Saturday only she has."""
    studio = Studio(session)
    hanako = studio.person("山田 花子")
    for day in WORKDAYS:
        studio.work(hanako, day, 8)
    studio.pay(hanako, 190000, *APRIL, basis="per_cut")
    studio.commit()
    me = Identity(username="hanako", role="artist", person_id=hanako.id)
    for i, day in enumerate(WORKDAYS):
        add_day(session, me, person_id=hanako.id, day=Day(day, hours=9 if i < 12 else 8))
    add_day(session, me, person_id=hanako.id, day=Day(dt.date(2025, 4, 12), hours=5))
    session.commit()
    return me, hanako.id


def _scope(person_id: int, viewer: Identity | None) -> Scope:
    return Scope(people=(person_id,), start=APRIL[0], end=APRIL[1], viewer=viewer)


def test_the_digest_is_over_the_canonical_json() -> None:
    content = {"b": [1, 2.5], "a": "山田", "c": None}
    assert canonical_json(content) == '{"a":"山田","b":[1,2.5],"c":null}'.encode()
    assert digest(content) == digest({"c": None, "a": "山田", "b": [1, 2.5]})
    assert digest(content) != digest({**content, "b": [1, 2.6]})
    assert len(digest(content)) == 64


def test_a_report_round_trip_verifies_and_one_changed_number_does_not(session: Session, tmp_path) -> None:
    me, person_id = _hanako(session)
    content = build_report(session, scope=_scope(person_id, me), name="H. Yamada", generated_at=AT)
    assert content["generated_at"] == "2025-08-01T09:30:00Z"
    assert content["person"] == "H. Yamada"
    assert content["period"] == {"start": "2025-04-01", "end": "2025-04-30"}
    assert content["totals"] == {"own_hours": 177.0, "studio_hours": 160.0, "difference_hours": 17.0}
    saturday = next(d for d in content["days"] if d["work_date"] == "2025-04-12")
    assert saturday == {"work_date": "2025-04-12", "own_hours": 5.0, "studio_hours": 0.0, "difference_hours": 5.0,
                        "state": "only_own"}  # fmt: skip
    assert content["money"][0]["basis"] == "employee" and content["freelance_act"] == []

    data = report_json(content)
    sealed = json.loads(data)
    assert sealed["digest"]["value"] == digest(content) and sealed["digest"]["algorithm"] == "SHA-256"
    found = verify_report(data)
    assert found.matches and found.computed == found.recorded == digest(content)
    assert "MATCH" in found.message(translator("en")) and "一致" in found.message(translator("ja"))

    # One number changed, by hand, in the file: 177 own hours made 178.
    changed = data.decode().replace('"own_hours": 177.0', '"own_hours": 178.0', 1).encode()
    assert changed != data
    bad = verify_report(changed)
    assert not bad.matches and bad.recorded == digest(content) and bad.computed != bad.recorded
    assert bad.message(translator("en")).startswith("MISMATCH")
    assert not verify_report(b"not json").matches and verify_report(b"not json").problem
    assert verify_report(json.dumps({"report": content}).encode()).problem  # no digest recorded

    good, tampered = tmp_path / "report.json", tmp_path / "changed.json"
    good.write_bytes(data)
    tampered.write_bytes(changed)
    assert main(["verify", str(good), "--lang", "en"]) == 0
    assert main(["verify", str(tampered), "--lang", "en"]) == 1
    assert main(["verify", str(tmp_path / "missing.json"), "--lang", "en"]) == 2


def test_the_pdf_prints_the_digest_and_the_days_and_carries_the_json(session: Session) -> None:
    me, person_id = _hanako(session)
    content = build_report(session, scope=_scope(person_id, me), name="山田 花子", generated_at=AT)
    reader = PdfReader(io.BytesIO(report_pdf(content, lang="ja")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert digest(content) in "".join(text.split())
    assert "山田 花子" in text and "2025-04-01" in text and "2025-08-01T09:30:00Z" in text
    lines = text.splitlines()
    # Each day a row of its own: the date, my hours, the studio's, the difference, the state in words.
    assert "2025-04-01 9.00 8.00 1.00 スタジオの記録が少ない" in lines
    assert "2025-04-12 5.00 0.00 5.00 自分の記録のみ" in lines
    assert "2025-04-28 8.00 8.00 0.00 一致" in lines
    english = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(content, lang="en"))).pages)
    assert "2025-04-12 5.00 0.00 5.00 Only in my log" in english.splitlines()
    attached = reader.attachments[ATTACHMENT][0]
    assert verify_report(attached).matches and json.loads(attached)["report"] == content


def test_only_the_artist_exports_the_report(session: Session) -> None:
    me, person_id = _hanako(session)
    for other in (Identity(username="boss", role="manager"), Identity(username="x", role="artist", person_id=999),
                  Identity(username="rep", role="advocate"), None):  # fmt: skip
        with pytest.raises(AccessDenied):
            build_report(session, scope=_scope(person_id, other), name="x", generated_at=AT)
    with pytest.raises(AnalyticsError, match="name"):
        build_report(session, scope=_scope(person_id, me), name="  ", generated_at=AT)


def test_the_freelance_act_facts_of_a_freelancers_month(session: Session) -> None:
    """Commissioned 2025-03-03, terms issued 03-05 (2 days late); delivered 2025-04-25, so the 60 days counted from
    receipt end on 06-23 (04-25 + 59); the agreed due date 07-10 is beyond them and is deemed 06-23; paid 07-10: 17
    days late. Three retakes, nothing paid for them, on a commission of over a month: unpaid. A second commission,
    in order (terms on the day, due 05-31, paid 05-30), is neither. A third, commissioned and delivered in May, is
    not April's."""
    studio = Studio(session)
    jiro = studio.person("佐藤 次郎", employment_type="freelancer")
    for day in WORKDAYS:
        studio.work(jiro, day, 7.5)
    late = studio.pay(jiro, 99000, *APRIL, basis="per_sheet", commission_date=dt.date(2025, 3, 3),
                      terms_issued_date=dt.date(2025, 3, 5), delivery_date=dt.date(2025, 4, 25),
                      due_date=dt.date(2025, 7, 10), paid_date=dt.date(2025, 7, 10))  # fmt: skip
    late.retake_count, late.units, late.unit_rate = 3, 450, 220
    studio.pay(jiro, 30000, *APRIL, basis="per_cut", commission_date=dt.date(2025, 4, 7),
               terms_issued_date=dt.date(2025, 4, 7), delivery_date=dt.date(2025, 4, 20),
               due_date=dt.date(2025, 5, 31), paid_date=dt.date(2025, 5, 30))  # fmt: skip
    studio.pay(jiro, 5000, dt.date(2025, 5, 1), dt.date(2025, 5, 31), basis="per_cut",
               commission_date=dt.date(2025, 5, 2), delivery_date=dt.date(2025, 5, 9))  # fmt: skip
    studio.commit()
    me = Identity(username="jiro", role="artist", person_id=jiro.id)

    facts = freelance_facts(session, scope=_scope(jiro.id, me), today=dt.date(2025, 8, 1))
    assert facts["amount"].tolist() == [99000, 30000]
    first, second = facts.iloc[0], facts.iloc[1]
    assert (first["commission_date"], first["terms_issued_date"], first["terms_days_late"]) == (
        dt.date(2025, 3, 3), dt.date(2025, 3, 5), 2)  # fmt: skip
    assert (first["latest_due_date"], first["deemed_due_date"]) == (dt.date(2025, 6, 23), dt.date(2025, 6, 23))
    assert first["paid_late"] and first["days_paid_after_due"] == 17
    assert first["unpaid_retakes"] and first["retake_count"] == 3
    assert (second["deemed_due_date"], second["paid_late"], second["unpaid_retakes"]) == (
        dt.date(2025, 5, 31), False, False)  # fmt: skip
    assert second["terms_days_late"] == 0

    content = build_report(session, scope=_scope(jiro.id, me), name="J. Sato", generated_at=AT)
    assert [f["deemed_due_date"] for f in content["freelance_act"]] == ["2025-06-23", "2025-05-31"]
    text = "".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(content, lang="en"))).pages).split()
    )
    assert "yes,17days" in text and "3retakes" in text and "2025-06-23" in text

    # Not shared: a manager sees none of it; an employee has no commissions under the Act.
    with pytest.raises(AccessDenied):
        freelance_facts(session, scope=_scope(jiro.id, Identity(username="boss", role="manager")))
