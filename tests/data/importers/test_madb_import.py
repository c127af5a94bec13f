"""MADB imports on SQLite and PostgreSQL, from the samples in tests/fixtures/madb: counts, nothing twice, one line
per credit whatever property published it, organization names of any length, the person-or-organization call
stored with its evidence, no public credit linked by a name alone, and the same findings before and after."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.credits.crosscheck import check_production
from analytics.credits.validator import validate_credits
from analytics.queries.credit_review import suggestion_rows
from data.identity import Identity
from data.importers import import_file, parse_credits
from data.names import person_key
from data.schema import (
    CreditLine,
    CreditNote,
    EntityCall,
    OrgAlias,
    Organization,
    Person,
    PersonAlias,
    Production,
)
from services.credit_review import call_entity
from tests.data.importers.helpers import balanced, count
from tests.data.importers.test_madb import AN208, CRAFTED, MADB_FIX

AN210 = MADB_FIX / "an210_excerpt.json"
MANAGER = Identity(username="boss", role="manager")


def test_an208_imports_with_counts_and_adds_nothing_again(session: Session) -> None:
    s = import_file(session, path=AN208)
    balanced(s)
    assert (s.format, s.rows_total, s.imported, s.rejected) == ("madb", 598, 598, 0)
    assert (s.details["credit_lines"], s.details["notes"], s.details["source_defects"]) == (587, 10, 1)
    assert (s.details["records_with_credits"], s.details["credits_to_organizations"]) == (36, 20)
    assert (count(session, CreditLine), count(session, Production)) == (587, 36)
    assert (
        session.scalar(select(func.count()).select_from(CreditNote).where(CreditNote.kind.like("source_defect:%"))) == 1
    )
    again = import_file(session, path=AN208)
    assert (again.imported, again.unchanged, again.rejected) == (0, 598, 0)
    assert count(session, CreditLine) == 587


def test_the_same_credit_from_two_keys_is_one_line(session: Session) -> None:
    import_file(session, path=CRAFTED)
    lines = session.scalars(select(CreditLine).join(Production).where(Production.external_ref == "M900001")).all()
    assert Counter((ln.role_as_credited, ln.name_as_credited) for ln in lines)[("原作", "なばたとしたか")] == 1
    assert {(ln.role_as_credited, ln.name_as_credited) for ln in lines} >= {
        ("アニメーション制作", "スタジオ架空"), ("監督", "山本裕介"), ("声の出演", "清水愛"),
    }  # fmt: skip
    (studio,) = session.scalars(select(CreditLine).where(CreditLine.name_as_credited == "サンライズ")).all()
    assert studio.org_alias_id is not None and studio.entity_basis == "marker"


def test_organization_names_of_any_length_are_stored_whole_and_keyed_whole(session: Session) -> None:
    # Two names longer than 200 characters sharing their first 200: two organizations, no UNIQUE failure.
    s = import_file(session, path=CRAFTED)
    assert s.rejected == 0
    long_names = session.scalars(select(Organization.name).where(func.length(Organization.name) > 200)).all()
    assert len(long_names) == 2 and long_names[0][:200] == long_names[1][:200]
    texts = session.scalars(select(OrgAlias.text).where(func.length(OrgAlias.text) > 200)).all()
    assert sorted(texts) == sorted(long_names)
    lines = session.scalars(select(CreditLine.name_as_credited).where(func.length(CreditLine.name_as_credited) > 200))
    assert sorted(lines) == sorted(long_names)
    assert import_file(session, path=CRAFTED).imported == 0


def test_the_call_and_its_evidence_are_stored_with_each_line(session: Session) -> None:
    import_file(session, path=AN210)
    calls = Counter(session.scalars(select(CreditLine.entity_basis)))
    assert None not in calls and {"default", "lexicon", "org_word"} <= set(calls)
    for line in session.scalars(select(CreditLine).where(CreditLine.org_alias_id.is_not(None))):
        assert line.entity_basis != "default" and line.entity_reason
    # an organization in a person-only role is marked so, and no reason is written for a person to have given
    marked = session.scalars(select(CreditLine).where(CreditLine.individuals_uncredited.is_(True))).all()
    assert marked and all(ln.uncredited_reason is None for ln in marked)


def test_no_public_credit_is_linked_by_a_name_alone(session: Session) -> None:
    # A studio's 湯山邦彦 is not the 湯山邦彦 of the public credits until a manager says so.
    person = Person(display_name="湯山邦彦")
    session.add(person)
    session.flush()
    session.add(PersonAlias(person_id=person.id, text="湯山邦彦", match_key=person_key("湯山邦彦")))
    session.commit()
    s = import_file(session, path=AN208)
    linked = session.scalar(
        select(func.count()).select_from(CreditLine).join(PersonAlias).where(PersonAlias.person_id.is_not(None))
    )
    assert linked == 0
    assert s.details["credit_suggestions"] >= 1
    suggested = suggestion_rows(session, person_ids=[person.id])
    assert suggested and {r["name_as_credited"] for r in suggested} == {"湯山邦彦"}
    assert {r["status"] for r in suggested} == {"suggested"}


def test_a_managers_call_moves_the_lines_and_the_next_import_follows_it(session: Session, tmp_path: Path) -> None:
    import_file(session, path=CRAFTED)
    line = session.scalars(select(CreditLine).where(CreditLine.name_as_credited == "く じ ら")).one()
    assert line.person_alias_id is not None and line.entity_basis == "default"
    call_entity(session, MANAGER, credit_line_id=line.id, organization=True, reason="a puppet troupe's name")
    session.commit()
    session.refresh(line)
    assert line.org_alias_id is not None and line.individuals_uncredited and line.uncredited_reason is None
    assert (line.entity_basis, line.entity_reason) == ("override", "a puppet troupe's name")
    assert session.scalars(select(EntityCall.is_organization)).one() is True
    # Another record naming く じ ら: the import reads the call (the format's prepare) and follows it.
    doc = {"@graph": [{"@id": "https://mediaarts-db.bunka.go.jp/id/C900099", "@type": "class:AnimationMovieSeries",
                       "identifier": "C900099", "label": "別の作品", "contributor": "[人形操演]く じ ら"}]}  # fmt: skip
    f = tmp_path / "other.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    import_file(session, path=f)
    other = session.scalars(select(CreditLine).where(CreditLine.source_ref == "C900099")).one()
    assert (other.org_alias_id is not None, other.entity_basis) == (True, "override")
    # The file alone (no database) still reads it as a person: a call is the database's, not the file's.
    (alone,) = [c for c in parse_credits(f) if c.kind == "credit"]
    assert (alone.is_organization, alone.entity_basis) == (False, "default")


def _keys(report) -> Counter:
    return Counter((f.source_ref, f.role, f.name, f.rule, str(f.severity), f.message) for f in report.findings)


def test_a_file_check_and_a_check_after_import_find_the_same(session: Session) -> None:
    seen: Counter = Counter()
    for path in (AN210, CRAFTED):
        parsed = list(parse_credits(path))
        by_file = _keys(validate_credits(parsed))
        import_file(session, path=path)
        refs = sorted({c.source_ref for c in parsed})
        after: Counter = Counter()
        for pid in session.scalars(select(Production.id).where(Production.external_ref.in_(refs))):
            after.update(_keys(check_production(session, production=pid)))
        assert by_file == after, path.name
        seen.update(after)
    rules = Counter(rule for (_ref, _role, _name, rule, _sev, _msg) in seen)
    assert rules["org_in_person_role"] >= 1 and rules["and_others"] >= 1
    severities = {sev for (_ref, _role, _name, rule, sev, _msg) in seen if rule == "org_in_person_role"}
    assert severities == {"WARN"}  # no reason was written by the importer: it stays a warning
    assert "empty_name" not in rules  # separators and cut fragments are source defects, not credits
