"""Correction requests: an artist asks for their record to be corrected; a manager answers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from data import audit
from data.identity import Identity
from data.schema import REQUEST_STATUSES, CorrectionRequest, utcnow


def request_correction(session: Session, identity: Identity, *, subject: str, body: str) -> CorrectionRequest:
    """File a request about the signed-in artist's own record (a manager may file one for anyone via the page)."""
    if identity.role != "artist" or identity.person_id is None:
        raise PermissionError("only an artist linked to a person can request a correction of their record")
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or not body:
        raise ValueError("a correction request needs a subject and a description of what is wrong")
    if len(subject) > 200:
        raise ValueError(f"the subject is {len(subject)} characters; keep it under 200 and put details in the text")
    request = CorrectionRequest(
        person_id=identity.person_id, account_id=identity.account_id, subject=subject, body=body, status="open"
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor=identity.username,
        action="correction.request",
        entity_type="correction_request",
        entity_id=request.id,
        new={"subject": subject, "status": "open"},
    )
    return request


def answer_correction(
    session: Session, identity: Identity, request_id: int, *, response: str, status: str = "answered"
) -> CorrectionRequest:
    """A manager's answer; ``status`` answered (the artist may reply) or closed."""
    if identity.role != "manager":
        raise PermissionError("only a manager can answer correction requests")
    if status not in REQUEST_STATUSES or status == "open":
        raise ValueError(f"status must be 'answered' or 'closed', not {status!r}")
    response = (response or "").strip()
    if not response:
        raise ValueError("write an answer before sending it")
    request = session.get(CorrectionRequest, request_id)
    if request is None:
        raise LookupError(f"no correction request with id {request_id}")
    old = {"status": request.status, "response": request.response}
    request.status = status
    request.response = response
    request.answered_by = identity.username
    request.answered_at = utcnow()
    audit.record(
        session,
        actor=identity.username,
        action="correction.answer",
        entity_type="correction_request",
        entity_id=request.id,
        old=old,
        new={"status": status, "response": response},
    )
    return request
