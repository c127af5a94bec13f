"""Correction requests: an artist asks for their own record to be corrected; a manager answers.

Requests are read by no derived data (rollups, findings), so filing or answering one brings nothing else up to date.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from data import audit
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.schema import REQUEST_STATUSES, CorrectionRequest, utcnow
from services.access import require
from services.errors import ValidationError

MAX_SUBJECT = 200


def request_correction(session: Session, actor: Identity | None, *, subject: str, body: str) -> CorrectionRequest:
    """File a request about the signed-in artist's own record (an artist identity always has one); the flushed row."""
    actor = require(actor, "artist", to=N_("request a correction of their record"))
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or not body:
        raise ValidationError(
            N_("a correction request needs a subject and a description of what is wrong"),
            fix={"page": N_("fill in both 'What is wrong?' and 'Details'")},
        )
    if len(subject) > MAX_SUBJECT:
        raise ValidationError(
            N_("the subject is {length} characters"),
            fix={"page": N_("keep 'What is wrong?' under {limit} characters and put the details in 'Details'")},
            length=len(subject),
            limit=MAX_SUBJECT,
        )
    request = CorrectionRequest(
        person_id=actor.person_id, account_id=actor.account_id, subject=subject, body=body, status="open"
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor=actor.username,
        action="correction.request",
        entity_type="correction_request",
        entity_id=request.id,
        new={"subject": subject, "status": "open"},
    )
    return request


def answer_correction(
    session: Session, actor: Identity | None, *, request_id: int, response: str, status: str = "answered"
) -> CorrectionRequest:
    """A manager's answer; ``status`` answered (the artist may reply) or closed. Returns the request."""
    actor = require(actor, "manager", to=N_("answer correction requests"))
    if status not in REQUEST_STATUSES or status == "open":
        raise ValidationError(N_("the status must be 'answered' or 'closed', not {status!r}"), status=status)
    response = (response or "").strip()
    if not response:
        raise ValidationError(N_("the answer is empty"), fix={"page": N_("write an answer before sending it")})
    request = session.get(CorrectionRequest, request_id)
    if request is None:
        raise NotFound(
            N_("no correction request has id {request_id}"),
            fix={"page": N_("pick one from the list of requests")},
            request_id=request_id,
        )
    old = {"status": request.status, "response": request.response}
    request.status = status
    request.response = response
    request.answered_by = actor.username
    request.answered_at = utcnow()
    audit.record(
        session,
        actor=actor.username,
        action="correction.answer",
        entity_type="correction_request",
        entity_id=request.id,
        old=old,
        new={"status": status, "response": response},
    )
    return request
