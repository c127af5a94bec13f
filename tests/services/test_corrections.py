"""Correction requests: an artist files about their own record, a manager answers; both audited; on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.errors import NotFound
from data.identity import Identity
from data.schema import AuditEvent, CorrectionRequest, Person
from services.corrections import answer_correction, request_correction
from services.errors import PermissionDenied, ValidationError

BOSS = Identity(username="boss", role="manager")


@pytest.fixture
def hanako(session: Session) -> Identity:
    person = Person(display_name="山田花子")
    session.add(person)
    session.flush()
    return Identity(username="hanako", role="artist", person_id=person.id)


def test_request_and_answer_are_audited(session: Session, hanako: Identity) -> None:
    request = request_correction(session, hanako, subject=" Missing credit ", body="Episode 2, cuts 12-20.")
    assert (request.person_id, request.subject, request.status) == (hanako.person_id, "Missing credit", "open")
    answer_correction(session, BOSS, request_id=request.id, response="Added; thank you.", status="closed")
    session.commit()
    stored = session.scalars(select(CorrectionRequest)).one()
    assert (stored.status, stored.response, stored.answered_by) == ("closed", "Added; thank you.", "boss")
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.actor, e.action, e.entity_id) for e in events] == [
        ("hanako", "correction.request", str(request.id)),
        ("boss", "correction.answer", str(request.id)),
    ]
    assert events[0].new_values == {"subject": "Missing credit", "status": "open"}
    assert events[1].old_values == {"status": "open", "response": None}
    assert events[1].new_values == {"status": "closed", "response": "Added; thank you."}


def test_only_the_artist_requests_and_only_a_manager_answers(session: Session, hanako: Identity) -> None:
    for actor in (None, BOSS, Identity(username="rep", role="advocate")):
        with pytest.raises(PermissionDenied):
            request_correction(session, actor, subject="s", body="b")
    request = request_correction(session, hanako, subject="s", body="b")
    for actor in (None, hanako, Identity(username="rep", role="advocate")):
        with pytest.raises(PermissionDenied, match="only a manager can answer correction requests"):
            answer_correction(session, actor, request_id=request.id, response="no")
    assert [e.action for e in session.scalars(select(AuditEvent))] == ["correction.request"]
    assert session.get(CorrectionRequest, request.id).status == "open"


def test_what_to_change_is_said_on_the_page(session: Session, hanako: Identity) -> None:
    with pytest.raises(ValidationError, match="subject and a description") as empty:
        request_correction(session, hanako, subject="  ", body="b")
    assert "'What is wrong?'" in empty.value.message("page")
    with pytest.raises(ValidationError, match="the subject is 201 characters"):
        request_correction(session, hanako, subject="x" * 201, body="b")
    request = request_correction(session, hanako, subject="s", body="b")
    with pytest.raises(ValidationError, match="'answered' or 'closed'"):
        answer_correction(session, BOSS, request_id=request.id, response="r", status="open")
    with pytest.raises(ValidationError, match="the answer is empty"):
        answer_correction(session, BOSS, request_id=request.id, response=" ")
    with pytest.raises(NotFound, match="no correction request has id 99999"):
        answer_correction(session, BOSS, request_id=99999, response="r")
