"""Names to review: a timesheet's unknown or ambiguous name settled as an existing person (found by any spelling), a
new person or not ours, audited, the file imported again bringing in exactly the rows it refused; a public credit's
name confirmed or rejected line by line; only a manager. On both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.errors import AccessDenied
from analytics.name_review import credit_item, names_to_review, timesheet_item
from analytics.people import find_people
from analytics.scope import Scope
from data.identity import Identity
from data.importers import import_file
from data.names import person_key
from data.schema import AuditEvent, CreditClaim, CreditLine, Person, PersonAlias, PersonMatchReview, Production, WorkLog
from services.errors import PermissionDenied
from services.name_review import NameReviewError, resolve_name
from tests.services.test_manual_records import ARTIST, BOSS, _mori

SCOPE = Scope(viewer=BOSS)


def _timesheet(tmp_path: Path, name: str, rows: int) -> Path:
    path = tmp_path / f"wl_{rows}.csv"
    lines = [f"{name},2025-04-{day:02d},60,星の庭" for day in range(1, rows + 1)]
    path.write_text("person,work_date,minutes,production\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _logs(session: Session, person_id: int) -> int:
    return session.scalar(select(func.count()).select_from(WorkLog).where(WorkLog.person_id == person_id))


def test_an_unknown_name_becomes_an_existing_person_and_the_file_imported_again_brings_its_rows(
    session: Session, tmp_path: Path
) -> None:
    session.add(Production(title="星の庭", kind="tv"))
    mori = _mori(session)
    session.commit()
    path = _timesheet(tmp_path, "もり ゆう先生", 3)
    first = import_file(session, path=path)
    second = import_file(session, path=path)  # queued again by a second import of the same file
    assert first.rejected_by_reason == {"unknown_person": 3} and second.review_queue == 1
    queue = names_to_review(session, scope=SCOPE)
    [row] = queue.to_dict("records")
    assert (row["source"], row["name"], row["rows"], row["origin"]) == ("timesheet", "もり ゆう先生", 6, path.name)
    review_id = session.scalars(select(PersonMatchReview.id).order_by(PersonMatchReview.id)).first()
    assert row["item"] == timesheet_item(review_id)

    done = resolve_name(session, BOSS, item=row["item"], decision="person", person_id=mori.id)
    session.commit()
    assert (done.person_id, done.person_name, done.rows, done.files) == (mori.id, "森裕", 6, (path.name,))
    assert {r.status for r in session.scalars(select(PersonMatchReview))} == {"resolved"}
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "name_review.resolve")).all()
    assert len(events) == 2 and {e.actor for e in events} == {"boss"}
    assert events[0].new_values == {"status": "resolved", "name": "もり ゆう先生", "person_id": mori.id}
    assert find_people(session, scope=SCOPE, text="もりゆう先生") == [mori.id]  # the spelling is now theirs
    assert names_to_review(session, scope=SCOPE).empty

    again = import_file(session, path=path)
    assert (again.imported, again.rejected) == (3, 0)
    assert _logs(session, mori.id) == 3


def test_an_ambiguous_name_settled_once_is_followed_by_the_next_import(session: Session, tmp_path: Path) -> None:
    session.add(Production(title="星の庭", kind="tv"))
    one, two = Person(display_name="山田 花子"), Person(display_name="山田花子")
    session.add_all([one, two])
    session.commit()
    path = _timesheet(tmp_path, "山田花子", 2)
    assert import_file(session, path=path).rejected_by_reason == {"ambiguous_person": 2}
    [row] = names_to_review(session, scope=SCOPE).to_dict("records")
    assert row["candidates"] == sorted([one.id, two.id])
    resolve_name(session, BOSS, item=row["item"], decision="person", person_id=two.id)
    session.commit()
    assert import_file(session, path=path).imported == 2
    assert (_logs(session, one.id), _logs(session, two.id)) == (0, 2)


def test_a_new_person_or_not_ours(session: Session, tmp_path: Path) -> None:
    session.add(Production(title="星の庭", kind="tv"))
    session.commit()
    import_file(session, path=_timesheet(tmp_path, "Taro Suzuki", 1))
    import_file(session, path=_timesheet(tmp_path, "Jiro Kato", 2))
    items = {r["name"]: r["item"] for r in names_to_review(session, scope=SCOPE).to_dict("records")}
    new = resolve_name(session, BOSS, item=items["Taro Suzuki"], decision="new_person",
                       values={"display_name": "鈴木太郎", "family_romaji": "Suzuki", "given_romaji": "Taro"})  # fmt: skip
    gone = resolve_name(session, BOSS, item=items["Jiro Kato"], decision="not_ours")
    session.commit()
    person = session.get(Person, new.person_id)
    assert person.display_name == "鈴木太郎" and new.files and new.rows == 1
    assert session.scalar(select(PersonAlias.text).where(PersonAlias.person_id == person.id,
                                                         PersonAlias.match_key == person_key("Taro Suzuki")))  # fmt: skip
    assert (gone.person_id, gone.files, gone.rows) == (None, (), 2)
    statuses = dict(session.execute(select(PersonMatchReview.name, PersonMatchReview.status)).all())
    assert statuses == {"Taro Suzuki": "resolved", "Jiro Kato": "dismissed"}
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("name_review.%"))).all()
    assert sorted(actions) == ["name_review.dismiss", "name_review.resolve"]
    assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "person.add")).all()) == 1
    with pytest.raises(NameReviewError, match="no longer waiting for review"):
        resolve_name(session, BOSS, item=items["Jiro Kato"], decision="not_ours")
    with pytest.raises(NameReviewError, match="say who"):
        import_file(session, path=_timesheet(tmp_path, "Saburo Ito", 1))
        [row] = names_to_review(session, scope=SCOPE).to_dict("records")
        resolve_name(session, BOSS, item=row["item"], decision="person")


def _public_credit(session: Session, name: str) -> CreditLine:
    production = Production(title="星の庭", kind="tv")
    alias = PersonAlias(person_id=None, text=name, kind="real_name", match_key=person_key(name), source="madb")
    session.add_all([production, alias])
    session.flush()
    line = CreditLine(production_id=production.id, role_as_credited="原画", name_as_credited=name,
                      person_alias_id=alias.id, line_order=0, source="madb")  # fmt: skip
    session.add(line)
    session.flush()
    return line


def test_a_public_credit_name_is_confirmed_or_rejected(session: Session) -> None:
    mori = _mori(session)
    line = _public_credit(session, "森 裕")
    session.commit()
    [row] = names_to_review(session, scope=SCOPE).to_dict("records")
    assert (row["item"], row["source"], row["candidates"], row["rows"]) == (credit_item("森 裕"), "public_credit",
                                                                            [mori.id], 1)  # fmt: skip
    done = resolve_name(session, BOSS, item=row["item"], decision="person", person_id=mori.id)
    session.commit()
    assert done.person_name == "森裕" and done.files == ()
    assert session.get(PersonAlias, session.get(CreditLine, line.id).person_alias_id).person_id == mori.id
    assert session.scalar(select(CreditClaim.status).where(CreditClaim.credit_line_id == line.id)) == "confirmed"
    assert names_to_review(session, scope=SCOPE).empty


def test_a_public_credit_name_that_is_not_ours(session: Session) -> None:
    mori = _mori(session)
    line = _public_credit(session, "森裕")
    session.commit()
    resolve_name(session, BOSS, item=credit_item("森裕"), decision="not_ours")
    session.commit()
    assert session.scalar(select(CreditClaim.status).where(CreditClaim.person_id == mori.id)) == "rejected"
    assert session.get(PersonAlias, session.get(CreditLine, line.id).person_alias_id).person_id is None
    assert names_to_review(session, scope=SCOPE).empty
    assert session.scalars(select(AuditEvent.action).where(AuditEvent.action == "name_review.dismiss")).one()


@pytest.mark.parametrize("actor", [None, ARTIST, Identity(username="adv", role="advocate")])
def test_only_a_manager_settles_names(session: Session, tmp_path: Path, actor: Identity | None) -> None:
    session.add(Production(title="星の庭", kind="tv"))
    session.commit()
    import_file(session, path=_timesheet(tmp_path, "Taro Suzuki", 1))
    review_id = session.scalar(select(PersonMatchReview.id))
    with pytest.raises(PermissionDenied):
        resolve_name(session, actor, item=timesheet_item(review_id), decision="new_person")
    with pytest.raises(AccessDenied):
        names_to_review(session, scope=Scope(viewer=actor))
    assert session.scalar(select(PersonMatchReview.status)) == "open"
    assert session.scalar(select(func.count()).select_from(Person)) == 0
