"""A person's rows: names and aliases (real, romanized, variant glyph, pen name), employment and affiliations."""

from __future__ import annotations

import datetime as dt

from data.demo.name_pool import FAMILY, GIVEN, VARIANT_GLYPH
from data.demo.spec import FIRST_DAY, LA, MAIN, PROMOTION, SEIRAN, STAMP
from data.demo.state import Member, Studio
from data.names import ascii_romaji, person_key


def via_seiran(m: Member) -> bool:
    """A freelancer who sits at a subcontract studio: credited 「名前（スタジオ青嵐）」."""
    return m.spec.code == "key_animation" and not m.employee and m.pid % 11 == 0


def jp_person(m: Member, pen: str | None, visibility: str | None = None) -> None:
    """Draw a Japanese name for ``m`` (kanji, kana, romaji; sometimes a variant glyph, an email) and its aliases."""
    stream = m.rng
    fam = FAMILY[int(stream.integers(len(FAMILY)))]
    giv = GIVEN[int(stream.integers(len(GIVEN)))]
    family = fam[0]
    variant = None
    if family in VARIANT_GLYPH and stream.random() < 0.6:
        # registered under 髙橋, credited as 高橋 on some shows (or the reverse)
        if stream.random() < 0.5:
            family, variant = VARIANT_GLYPH[family], family
        else:
            variant = VARIANT_GLYPH[family]
    visibility = visibility or ("pen_name_only" if pen and stream.random() < 0.5 else "public")
    display = pen if visibility == "pen_name_only" else f"{family} {giv[0]}"
    m.person = dict(
        family_name=family,
        given_name=giv[0],
        family_kana=fam[1],
        given_kana=giv[1],
        family_romaji=fam[2],
        given_romaji=giv[2],
        family_romaji_ascii=ascii_romaji(fam[2]),
        given_romaji_ascii=ascii_romaji(giv[2]),
        display_name=display,
        pen_name=pen,
        visibility=visibility,
        country="JP",
    )
    if stream.random() < 0.4:
        m.person["email"] = f"{ascii_romaji(giv[2]).lower()}.{ascii_romaji(fam[2]).lower()}.{m.pid}@example.jp"
    m.person["_aliases"] = [
        ("real", f"{family}{giv[0]}", "real_name", visibility == "public"),
        ("romaji", f"{giv[2]} {fam[2]}", "romanization", visibility == "public"),
    ]
    if variant:
        m.person["_aliases"].append(("variant", f"{variant}{giv[0]}", "variant_glyph", visibility == "public"))
    if pen:
        m.person["_aliases"].append(("pen", pen, "pen_name", True))


def la_person(m: Member, name: tuple[str, str, str, str]) -> None:
    """The Los Angeles unit's names: given-name-first, with a katakana alias."""
    family, given, fkana, gkana = name
    m.person = dict(
        family_name=family,
        given_name=given,
        family_kana=fkana,
        given_kana=gkana,
        family_romaji=family,
        given_romaji=given,
        family_romaji_ascii=family,
        given_romaji_ascii=given,
        display_name=f"{given} {family}",
        pen_name=None,
        visibility="public",
        country="US",
        email=f"{given.lower()}.{family.lower()}.{m.pid}@korin-la.example",
    )
    m.person["_aliases"] = [
        ("real", f"{given} {family}", "real_name", True),
        ("kana", f"{gkana}・{fkana}", "romanization", True),
    ]


def write_person(studio: Studio, m: Member) -> None:
    """The person row of ``m``, its aliases (remembered for the credits), its employment and affiliation rows."""
    out, ids = studio.out, studio.ids
    p = dict(m.person)
    aliases = p.pop("_aliases")
    p.setdefault("email", None)
    out.add("person", dict(id=m.pid, **p, created_at=STAMP, updated_at=STAMP))
    for key, alias, kind, public in aliases:
        aid = ids("person_alias")
        m.alias_ids[key] = aid
        m.person.setdefault("_texts", {})[key] = alias
        out.add(
            "person_alias",
            dict(
                id=aid,
                person_id=m.pid,
                text=alias,
                kind=kind,
                match_key=person_key(alias),
                public=public,
                source="demo",
            ),
        )
    if not m.stints:
        return
    employer = LA if m.spec.la else MAIN
    base = dict(
        person_id=m.pid,
        employer_id=employer,
        jurisdiction="US-CA" if m.spec.la else "JP",
        prefecture=m.prefecture,
        city="Los Angeles" if m.spec.la else None,
        is_exempt=False,
        discretionary_work="professional" if m.spec.code == "producer" else None,
        department=m.role.department,
        scheduled_monthly_hours=m.scheduled_hours if m.employee else None,
        scheduled_daily_hours=m.daily_hours,
    )
    start = dt.date(2019 + int(m.rng.integers(0, 5)), 4, 1) if m.employment_start == FIRST_DAY else m.employment_start
    m.service_start = start
    if base["discretionary_work"] and m.pid % 4:
        # Consent recorded when the rule began to require it (or at hire); every fourth producer has none on
        # record, which JP-DISC-01 reports.
        base["discretionary_consent_date"] = max(start, studio.rules.consent_required_from)
    else:
        base["discretionary_consent_date"] = None
    if m.employment_type == "employee_contract" and not m.spec.la and start < PROMOTION and m.rng.random() < 0.12:
        # promoted to regular staff at the start of the fiscal year
        out.add(
            "employment",
            dict(
                id=ids("employment"),
                **base,
                employment_type="employee_contract",
                start_date=start,
                end_date=dt.date(2025, 3, 31),
            ),
        )
        out.add(
            "employment",
            dict(
                id=ids("employment"),
                **base,
                employment_type="employee_regular",
                start_date=dt.date(2025, 4, 1),
                end_date=m.employment_end,
            ),
        )
    else:
        out.add(
            "employment",
            dict(
                id=ids("employment"),
                **base,
                employment_type=m.employment_type,
                start_date=start,
                end_date=m.employment_end,
            ),
        )
    out.add(
        "affiliation",
        dict(
            id=ids("affiliation"),
            person_id=m.pid,
            organization_id=employer,
            kind="employee" if m.employee else "contracted",
            valid_from=start,
            valid_to=m.employment_end,
            source="demo",
        ),
    )
    if via_seiran(m):
        # a freelancer who sits at a subcontract studio: credited 「名前（スタジオ青嵐）」
        out.add(
            "affiliation",
            dict(
                id=ids("affiliation"),
                person_id=m.pid,
                organization_id=SEIRAN,
                kind="member",
                valid_from=start,
                valid_to=None,
                source="demo",
            ),
        )
