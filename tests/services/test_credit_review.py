"""Reviewing public credits: an artist claims a suggestion for themself only, a manager confirms or rejects it, a
manager overrules a person-or-organization call; each audited, each refused to the wrong role; on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from analytics.credits.crosscheck import check_production
from analytics.queries.credit_review import suggestion_rows
from data.identity import Identity
from data.schema import AuditEvent, CreditClaim, CreditLine, EntityCall, PersonAlias, Production
from services.credit_review import (
    CreditReviewError,
    call_entity,
    claim_credit,
    confirm_credit,
    decline_credit,
    reject_credit,
)
from services.errors import PermissionDenied
from tests.credits_fixtures import build_credit_studio

MANAGER = Identity(username="boss", role="manager")


def _public_credits(session):
    """The credit studio plus a public film crediting 渡辺 六郎 (his name, unlinked) and a studio in a person-only
    role."""
    s = build_credit_studio(session)
    film = Production(title="昔の映画", kind="film", external_ref="C999")
    session.add(film)
    session.flush()
    s.production, own = film, s.production
    line = s.credit("madb", "animation_director", "作画監督", "渡辺　六郎", line_order=1)
    line.source, line.source_ref = "madb", "C999"
    org_line = s.credit("ufo", "script", "脚本", "ufotable", line_order=2)
    org_line.source, org_line.source_ref, org_line.entity_basis = "madb", "C999", "default"
    s.production = own
    session.commit()
    return s, line, org_line


def test_an_artist_claims_a_public_credit_and_a_manager_confirms_it(session) -> None:
    s, line, _ = _public_credits(session)
    watanabe = s.people["watanabe"]
    artist = Identity(username="rokuro", role="artist", person_id=watanabe.id)
    [suggested] = suggestion_rows(session, person_ids=[watanabe.id])
    assert (suggested["credit_line_id"], suggested["status"]) == (line.id, "suggested")
    claim = claim_credit(session, artist, credit_line_id=line.id)
    session.commit()
    assert (claim.person_id, claim.status, claim.claimed_by) == (watanabe.id, "claimed", "rokuro")
    assert [r["status"] for r in suggestion_rows(session, person_ids=[watanabe.id])] == ["claimed"]
    confirm_credit(session, MANAGER, credit_line_id=line.id, person_id=watanabe.id)
    session.commit()
    session.refresh(line)
    assert line.name_as_credited == "渡辺　六郎"  # the published text stays as evidence
    assert session.get(PersonAlias, line.person_alias_id).person_id == watanabe.id
    assert suggestion_rows(session, person_ids=[watanabe.id]) == []
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["credit.claim", "credit.confirm_match"]
    with pytest.raises(CreditReviewError, match="already linked"):
        claim_credit(session, artist, credit_line_id=line.id)


def test_an_artist_claims_and_declines_only_for_themself(session) -> None:
    s, line, _ = _public_credits(session)
    other = Identity(username="ichiro", role="artist", person_id=s.people["sato"].id)
    with pytest.raises(PermissionDenied, match="only for your own record"):
        claim_credit(session, other, credit_line_id=line.id, person_id=s.people["watanabe"].id)
    with pytest.raises(PermissionDenied):
        confirm_credit(session, other, credit_line_id=line.id, person_id=s.people["sato"].id)
    with pytest.raises(PermissionDenied):
        reject_credit(session, Identity(username="rep", role="advocate"), credit_line_id=line.id, person_id=1)
    watanabe = Identity(username="rokuro", role="artist", person_id=s.people["watanabe"].id)
    decline_credit(session, watanabe, credit_line_id=line.id)
    session.commit()
    assert suggestion_rows(session, person_ids=[s.people["watanabe"].id]) == []
    (claim,) = session.scalars(select(CreditClaim)).all()
    assert (claim.status, claim.decided_by, claim.note) == ("rejected", "rokuro", "declined")
    assert session.scalars(select(AuditEvent.action)).all() == ["credit.reject_match"]


def test_a_manager_rejects_a_homonym_and_the_studios_own_credits_are_not_reviewed(session) -> None:
    s, line, _ = _public_credits(session)
    reject_credit(session, MANAGER, credit_line_id=line.id, person_id=s.people["watanabe"].id, note="another 渡辺")
    session.commit()
    assert suggestion_rows(session) == []
    with pytest.raises(CreditReviewError, match="studio's own credit"):
        confirm_credit(session, MANAGER, credit_line_id=s.lines["chara"].id, person_id=s.people["watanabe"].id)


def test_a_managers_call_on_a_name_moves_its_lines_and_stays_a_warning(session) -> None:
    s, _, org_line = _public_credits(session)
    assert org_line.person_alias_id is not None
    call = call_entity(session, MANAGER, credit_line_id=org_line.id, organization=True,
                       reason="the studio, credited as the writer")  # fmt: skip
    session.commit()
    session.refresh(org_line)
    assert (call.is_organization, call.decided_by) == (True, "boss")
    assert org_line.org_alias_id is not None and org_line.person_alias_id is None
    assert org_line.individuals_uncredited and org_line.uncredited_reason is None
    assert org_line.entity_basis == "override"
    film = session.get(Production, org_line.production_id)
    findings = check_production(session, production=film.id).findings
    assert [(f.rule, str(f.severity)) for f in findings if f.name == "ufotable"] == [("org_in_person_role", "WARN")]
    (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "credit.entity_call")).all()
    assert event.new_values["moved_lines"] == [org_line.id] and event.old_values is None
    # and back: a person again
    call_entity(session, MANAGER, credit_line_id=org_line.id, organization=False, reason="a writer's pen name")
    session.commit()
    session.refresh(org_line)
    assert org_line.person_alias_id is not None and not org_line.individuals_uncredited
    assert session.scalars(select(EntityCall.is_organization)).one() is False
    with pytest.raises(CreditReviewError, match="a reason is required"):
        call_entity(session, MANAGER, credit_line_id=org_line.id, organization=True, reason=" ")
    with pytest.raises(PermissionDenied):
        call_entity(session, Identity(username="a", role="artist", person_id=1), credit_line_id=org_line.id,
                    organization=True, reason="x")  # fmt: skip
    assert session.get(CreditLine, org_line.id) is not None
