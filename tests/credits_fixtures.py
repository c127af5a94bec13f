"""A small production with every credit situation the credits tests need, built the same way on both backends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import rollup
from data.names import org_key, person_key
from data.schema import (
    AiUsage,
    CreditLine,
    Employment,
    OrgAlias,
    Organization,
    PayItem,
    Person,
    PersonAlias,
    Production,
    Role,
    Service,
    WorkLog,
    ai_usage_post_editor,
)


@dataclass
class CreditStudio:
    session: Session
    studio: Organization | None = None
    production: Production | None = None
    people: dict[str, Person] = field(default_factory=dict)
    lines: dict[str, CreditLine] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    _order: int = 0

    def role(self, code: str) -> Role:
        return self.session.scalars(select(Role).where(Role.code == code)).one()

    def org(self, name: str, kind: str = "subcontract_studio") -> Organization:
        org = Organization(name=name, kind=kind, country="JP")
        self.session.add(org)
        self.session.flush()
        self.session.add(OrgAlias(organization_id=org.id, text=name, match_key=org_key(name)))
        self.session.flush()
        self.orgs[name] = org
        return org

    def person(
        self,
        key: str,
        display: str,
        *,
        family_romaji: str | None = None,
        given_romaji: str | None = None,
        visibility: str = "public",
        pen_name: str | None = None,
        employer: Organization | None = None,
    ) -> Person:
        person = Person(
            display_name=display,
            family_romaji=family_romaji,
            given_romaji=given_romaji,
            visibility=visibility,
            pen_name=pen_name,
        )
        self.session.add(person)
        self.session.flush()
        for text in {display, pen_name} - {None}:
            self.session.add(
                PersonAlias(
                    person_id=person.id,
                    text=text,
                    match_key=person_key(text),
                    kind="pen_name" if text == pen_name else "real_name",
                )
            )
        self.session.add(
            Employment(
                person_id=person.id,
                employer_id=(employer or self.studio).id,
                employment_type="freelancer",
                start_date=dt.date(2025, 1, 1),
            )
        )
        self.session.flush()
        self.people[key] = person
        return person

    def alias(self, text: str, person: Person | None = None) -> PersonAlias:
        pid = person.id if person else None
        alias = self.session.scalars(
            select(PersonAlias).where(
                PersonAlias.text == text,
                PersonAlias.person_id.is_(None) if pid is None else PersonAlias.person_id == pid,
            )
        ).first()
        if alias is None:
            alias = PersonAlias(person_id=pid, text=text, match_key=person_key(text) or text, source="test")
            self.session.add(alias)
            self.session.flush()
        return alias

    def credit(
        self,
        key: str,
        role_code: str | None,
        role_text: str,
        name: str,
        *,
        line_order: int,
        position: int = 0,
        person: Person | None = None,
        org: Organization | None = None,
        block: str = "main",
        uncredited: bool = False,
        reason: str | None = None,
        episodes: tuple[int, int] | None = None,
        via: Organization | None = None,
    ) -> CreditLine:
        line = CreditLine(
            production_id=self.production.id,
            role_as_credited=role_text,
            name_as_credited=name,
            block=block,
            line_order=line_order,
            position_in_line=position,
            individuals_uncredited=uncredited,
            uncredited_reason=reason,
            via_org_id=via.id if via else None,
        )
        if role_code:
            line.set_role(self.role(role_code))
        if episodes:
            line.episode_from, line.episode_to = episodes
            line.episode_scope = f"{episodes[0]}～{episodes[1]}話"
        if org is not None:
            line.org_alias_id = self.session.scalars(
                select(OrgAlias.id).where(OrgAlias.organization_id == org.id)
            ).first()
        else:
            line.person_alias_id = self.alias(name, person).id
        self.session.add(line)
        self.session.flush()
        self.lines[key] = line
        return line

    def work(self, person: Person, role_code: str, minutes: int = 480, day: int = 1) -> None:
        self.session.add(
            WorkLog(
                person_id=person.id,
                production_id=self.production.id,
                role_id=self.role(role_code).id,
                work_date=dt.date(2025, 4, day),
                seconds=minutes * 60,
            )
        )
        # As every writer of work logs does, in the same transaction: the checks read who worked from the rollup.
        rollup.refresh(self.session, person_ids=[person.id], start=dt.date(2025, 4, day), end=dt.date(2025, 4, day))

    def pay(self, person: Person, role_code: str, amount: int = 40000) -> None:
        self.session.add(
            PayItem(
                person_id=person.id,
                production_id=self.production.id,
                role_id=self.role(role_code).id,
                basis="per_cut",
                units=10,
                unit_rate=Decimal(amount // 10),
                amount=Decimal(amount),
                period_start=dt.date(2025, 4, 1),
                period_end=dt.date(2025, 4, 30),
            )
        )
        self.session.flush()

    def ai_usage(self, service: Service, operator: Person, role_code: str, editors: list[Person], n: int = 1) -> None:
        for i in range(n):
            usage = AiUsage(
                asset_path=f"bg/{operator.id}_{i}.png",
                service_id=service.id,
                operator_id=operator.id,
                stage="generation",
                production_id=self.production.id,
                role_id=self.role(role_code).id,
            )
            self.session.add(usage)
            self.session.flush()
            for editor in editors:
                self.session.execute(ai_usage_post_editor.insert().values(ai_usage_id=usage.id, person_id=editor.id))
        self.session.flush()


def build_credit_studio(session: Session) -> CreditStudio:
    """テスト作品 / Test Show: a small roll with one of each problem the validator and cross-checks must find.

    - 監督 山田花子 (public, romaji Hanako Yamada), worked and paid
    - 原画 line: 佐藤一郎 (pen_name_only, pen name さとうイチ), 鈴木次郎 (private), 伊藤五郎 (credited, no work) —
      positions deliberately not in alphabetical or kana order
    - 背景: "AI (+Human)" (an unlinked placeholder alias); the backgrounds were made with BG-Gen operated by
      山田花子 and retouched by 田中三郎, who is not credited anywhere (an uncredited worker)
    - 脚本: ほか
    - 動画: 下請けスタジオB alone (individuals uncredited, no reason yet); 高橋四郎 works for it
    - キャラクターデザイン 渡辺六郎 credited under the unlinked spelling "渡辺 六郎"
    """
    s = CreditStudio(session)
    s.studio = Organization(name="スタジオA", kind="animation_studio", country="JP")
    session.add(s.studio)
    session.flush()
    sub = s.org("下請けスタジオB")
    s.production = Production(title="テスト作品", title_en="Test Show", kind="tv", studio_id=s.studio.id)
    session.add(s.production)
    session.flush()
    yamada = s.person("yamada", "山田花子", family_romaji="Yamada", given_romaji="Hanako")
    sato = s.person(
        "sato",
        "佐藤一郎",
        family_romaji="Satō",
        given_romaji="Ichirō",
        visibility="pen_name_only",
        pen_name="さとうイチ",
    )
    suzuki = s.person("suzuki", "鈴木次郎", visibility="private")
    tanaka = s.person("tanaka", "田中三郎", family_romaji="Tanaka", given_romaji="Saburō")
    takahashi = s.person("takahashi", "高橋四郎", employer=sub)
    ito = s.person("ito", "伊藤五郎", family_romaji="Itō", given_romaji="Gorō")
    watanabe = s.person("watanabe", "渡辺六郎", family_romaji="Watanabe", given_romaji="Rokurō")

    s.credit("director", "director", "監督", "山田花子", line_order=10, person=yamada)
    s.credit("key_sato", "key_animation", "原画", "さとうイチ", line_order=30, position=0, person=sato)
    s.credit("key_suzuki", "key_animation", "原画", "鈴木次郎", line_order=30, position=1, person=suzuki)
    s.credit("key_ito", "key_animation", "原画", "伊藤五郎", line_order=30, position=2, person=ito)
    s.credit("bg", "background", "背景", "AI (+Human)", line_order=40)
    s.credit("script", "script", "脚本", "ほか", line_order=5)
    s.credit("inbetween", "inbetween", "動画", "下請けスタジオB", line_order=35, org=sub, uncredited=True)
    s.credit("chara", "character_design", "キャラクターデザイン", "渡辺 六郎", line_order=20)

    for person, role in (
        (yamada, "director"),
        (sato, "key_animation"),
        (suzuki, "key_animation"),
        (tanaka, "background"),
        (takahashi, "inbetween"),
        (watanabe, "character_design"),
    ):
        s.work(person, role)
    s.pay(sato, "key_animation")
    service = Service(name="BG-Gen", version="1.0", match_key="bg-gen", kind="generative_image")
    session.add(service)
    session.flush()
    s.ai_usage(service, yamada, "background", [tanaka], n=3)
    session.commit()
    return s
