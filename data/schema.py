"""The studio data model.

Anime production as it is: people with several names, studios that subcontract, work logged per cut,
pay on many bases, credits copied verbatim, and AI tools recorded as tools with a named human operator.
Every invariant that SQL can express is a constraint here, so SQLite and PostgreSQL enforce the same rules
whatever code writes the rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    func,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from data.law.params import WEEKDAYS
from data.law.wages import ALLOWANCE_KINDS, PIECE_BASES, PREMIUM_BASES, TIME_BASES

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


VISIBILITY = ("public", "pen_name_only", "private")
ALIAS_KINDS = ("real_name", "pen_name", "former_name", "romanization", "variant_glyph", "variant_spelling", "typo")
ORG_KINDS = (
    "animation_studio",
    "subcontract_studio",
    "background_studio",
    "finishing_studio",
    "compositing_studio",
    "cg_studio",
    "production_committee",
    "broadcaster",
    "distributor",
    "music_label",
    "ai_vendor",
    "other",
)
EMPLOYMENT_TYPES = (
    "employee_regular",
    "employee_contract",
    "employee_parttime",
    "freelancer",
    "sole_proprietor_with_staff",
)
EMPLOYEE_TYPES = EMPLOYMENT_TYPES[:3]
# How an own-log entry came in: typed on the page, or the import format of the file it came from.
OWN_LOG_ORIGINS = ("typed", "hours_sheet", "toggl", "clockify", "kimai", "canonical_work_logs")
# A month's sign-off: the artist confirmed or disputed it; the manager answered every disputed day; approved (the
# month is locked); a manager reopened an approved month (the artist signs again).
SIGN_OFF_STATUSES = ("confirmed", "disputed", "answered", "approved", "reopened")
SIGN_OFF_ANSWERS = ("accept", "explain")  # the studio's record is to be corrected / it stands, explained
JURISDICTIONS = ("JP", "US-CA")
PRODUCTION_KINDS = ("tv", "film", "ova", "ona", "short", "mv")
AI_POLICIES = ("none", "limited", "extensive")
PAY_BASES = (
    *TIME_BASES,
    *PIECE_BASES,
    "bonus",
    "allowance",
    *PREMIUM_BASES,
)
LEAVE_KINDS = ("grant", "taken")
CURRENCIES = ("JPY", "USD")
CREDIT_BLOCKS = ("main", "OP", "ED", "cast", "special_thanks", "other")
CREDIT_SOURCES = ("internal", "madb", "imported_file", "onscreen", "official_site")
ACCOUNT_ROLES = ("manager", "advocate", "artist")
UI_LANGUAGES = ("ja", "en")  # the languages the dashboard's message catalogs hold (data.i18n.LANGUAGES)
SERVICE_KINDS = ("generative_image", "generative_video", "upscaler", "inbetween_interp", "colorizer", "other")
AI_STAGES = ("layout", "generation", "img2img", "inpaint", "upscale", "interpolation", "colorize", "composite")
BATCH_STATUSES = ("running", "committed", "failed", "dry_run")
REVIEW_STATUSES = ("open", "resolved", "dismissed")
CLAIM_STATUSES = ("claimed", "confirmed", "rejected")
PUBLIC_CREDIT_SOURCES = ("madb", "onscreen", "official_site")  # published by others: never linked by name alone
REQUEST_STATUSES = ("open", "answered", "closed")
DEPARTMENTS = (
    "planning",
    "financing",
    "studio",
    "production",
    "direction",
    "writing",
    "design",
    "animation",
    "art",
    "finishing",
    "photography",
    "cg",
    "post",
    "sound",
    "production_management",
    "cast",
    "other",
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def text_hash(text: str) -> str:
    """The SHA-256 of a text (hex): how a text of any length is keyed (an index holds no long text on PostgreSQL)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hash_of(column: str) -> Callable[[Any], str]:
    """A column default: the :func:`text_hash` of ``column`` in the same row, for inserts that do not give it."""

    def default(context: Any) -> str:
        return text_hash(context.get_current_parameters()[column])

    return default


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, Decimal: Numeric(14, 2)}


# ---------------------------------------------------------------------------------------------------------------
# People and organizations


class Person(Base):
    """A human being. Only people can be credited in person-only roles or operate an AI tool."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint(_in("visibility", VISIBILITY), name="visibility"),
        CheckConstraint("length(trim(display_name)) > 0", name="display_name_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str | None] = mapped_column(String(100), comment="native script, e.g. 山田")
    given_name: Mapped[str | None] = mapped_column(String(100), comment="native script, e.g. 花子")
    family_kana: Mapped[str | None] = mapped_column(String(100))
    given_kana: Mapped[str | None] = mapped_column(String(100))
    family_romaji: Mapped[str | None] = mapped_column(String(100), comment="with macrons, e.g. Ōno")
    given_romaji: Mapped[str | None] = mapped_column(String(100))
    family_romaji_ascii: Mapped[str | None] = mapped_column(String(100), comment="plain ASCII, e.g. Ono")
    given_romaji_ascii: Mapped[str | None] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200), comment="the name the person chose to be credited as")
    pen_name: Mapped[str | None] = mapped_column(String(200))
    visibility: Mapped[str] = mapped_column(String(20), default="public", server_default="public")
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    aliases: Mapped[list[PersonAlias]] = relationship(back_populates="person", cascade="all, delete-orphan")
    employments: Mapped[list[Employment]] = relationship(back_populates="person", cascade="all, delete-orphan")

    @property
    def native_name(self) -> str:
        return f"{self.family_name or ''}{self.given_name or ''}" or self.display_name

    @property
    def romaji_family_first(self) -> str:
        return " ".join(p for p in ((self.family_romaji or "").upper(), self.given_romaji or "") if p)

    @property
    def romaji_given_first(self) -> str:
        return " ".join(p for p in (self.given_romaji, self.family_romaji) if p)

    def __repr__(self) -> str:
        return f"Person(id={self.id}, display_name={self.display_name!r})"


class PersonAlias(Base):
    """A name as credited, kept verbatim, with a normalized match key.

    ``person_id`` is NULL while the credited name is not (yet) linked to a known person: names read from public
    credits, and placeholders such as "AI (+Human)" or 未定 that the validator reports. Linking the alias to a
    Person is how a placeholder credit gets fixed; the verbatim text stays as evidence.
    """

    __tablename__ = "person_alias"
    __table_args__ = (
        CheckConstraint(_in("kind", ALIAS_KINDS), name="kind"),
        CheckConstraint("length(match_key) > 0", name="match_key_not_blank"),
        UniqueConstraint("person_id", "text"),
        Index("ix_person_alias_match_key", "match_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(200), comment="verbatim as credited")
    kind: Mapped[str] = mapped_column(String(20), default="real_name")
    match_key: Mapped[str] = mapped_column(String(200))
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str | None] = mapped_column(String(100))

    person: Mapped[Person | None] = relationship(back_populates="aliases")


class Organization(Base):
    """A studio, broadcaster, distributor, committee … ``name`` is kept whole, whatever its length; it is unique
    through ``name_hash``."""

    __tablename__ = "organization"
    __table_args__ = (
        CheckConstraint(_in("kind", ORG_KINDS), name="kind"),
        CheckConstraint(f"week_start IS NULL OR {_in('week_start', WEEKDAYS)}", name="week_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, comment="the full name, any length")
    name_hash: Mapped[str] = mapped_column(
        String(64), unique=True, default=_hash_of("name"), comment="sha256 of name: the name's unique key"
    )
    kind: Mapped[str] = mapped_column(String(30))
    country: Mapped[str | None] = mapped_column(String(2))
    employee_count: Mapped[int | None] = mapped_column(Integer, comment="matters for the Freelance Act")
    week_start: Mapped[str | None] = mapped_column(
        String(3), comment="first day of the work rules' week (MON…SUN); NULL: the statutory default, Sunday"
    )
    days_off_4w_from: Mapped[dt.date | None] = mapped_column(
        Date, comment="JP variable days off (LSA Art. 35(2)): four-week periods counted from this day; NULL: weekly"
    )

    aliases: Mapped[list[OrgAlias]] = relationship(back_populates="organization", cascade="all, delete-orphan")

    @validates("name")
    def _keyed(self, _key: str, value: str) -> str:
        self.name_hash = text_hash(value)
        return value


class OrgAlias(Base):
    """An organization's name as credited, verbatim and whole (``text``, unique per organization through
    ``text_hash``), with its match key (:func:`data.names.org_key`, bounded for long texts)."""

    __tablename__ = "org_alias"
    __table_args__ = (
        UniqueConstraint("organization_id", "text_hash"),
        Index("ix_org_alias_match_key", "match_key"),
        CheckConstraint("length(match_key) > 0", name="match_key_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, comment="verbatim as credited, any length")
    text_hash: Mapped[str] = mapped_column(String(64), default=_hash_of("text"), comment="sha256 of text")
    match_key: Mapped[str] = mapped_column(String(200))

    organization: Mapped[Organization] = relationship(back_populates="aliases")

    @validates("text")
    def _keyed(self, _key: str, value: str) -> str:
        self.text_hash = text_hash(value)
        return value


class Affiliation(Base):
    """Person ↔ organization over time (MADB's ``氏名（所属）``, a studio's staff list)."""

    __tablename__ = "affiliation"
    __table_args__ = (
        CheckConstraint(_in("kind", ("employee", "contracted", "member")), name="kind"),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="member")
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(100))


class Employment(Base):
    """How a person works for a studio in a period: the facts the wage-and-hour rules depend on."""

    __tablename__ = "employment"
    __table_args__ = (
        CheckConstraint(_in("employment_type", EMPLOYMENT_TYPES), name="employment_type"),
        CheckConstraint(_in("jurisdiction", JURISDICTIONS), name="jurisdiction"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period"),
        CheckConstraint("scheduled_monthly_hours IS NULL OR scheduled_monthly_hours > 0", name="scheduled_hours"),
        CheckConstraint(
            "scheduled_daily_hours IS NULL OR (scheduled_daily_hours > 0 AND scheduled_daily_hours <= 24)",
            name="scheduled_daily_hours",
        ),
        CheckConstraint(f"week_start IS NULL OR {_in('week_start', WEEKDAYS)}", name="week_start"),
        CheckConstraint(
            "piece_rate_guarantee_per_hour IS NULL OR piece_rate_guarantee_per_hour >= 0", name="piece_rate_guarantee"
        ),
        CheckConstraint("daily_wage IS NULL OR daily_wage >= 0", name="daily_wage"),
        Index("ix_employment_person_period", "person_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    employer_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    employment_type: Mapped[str] = mapped_column(String(30))
    jurisdiction: Mapped[str] = mapped_column(String(8), default="JP")
    prefecture: Mapped[str | None] = mapped_column(String(40), comment="JP workplace prefecture, romaji (Tokyo)")
    city: Mapped[str | None] = mapped_column(String(80), comment="US-CA workplace city (Los Angeles)")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    scheduled_monthly_hours: Mapped[float | None] = mapped_column(Float, comment="JP 月平均所定労働時間")
    scheduled_daily_hours: Mapped[float | None] = mapped_column(
        Float, comment="scheduled hours a day (JP 1日の所定労働時間): the divisor of a daily wage"
    )
    week_start: Mapped[str | None] = mapped_column(
        String(3), comment="first day of this contract's week when it differs from the employer's (MON…SUN)"
    )
    days_off_4w_from: Mapped[dt.date | None] = mapped_column(
        Date, comment="JP variable days off (LSA Art. 35(2)) for this contract, from this day; else the employer's"
    )
    is_exempt: Mapped[bool] = mapped_column(Boolean, default=False, comment="US-CA exempt employee")
    discretionary_work: Mapped[str | None] = mapped_column(String(20))
    discretionary_consent_date: Mapped[dt.date | None] = mapped_column(
        Date, comment="written consent to discretionary work obtained (JP; LSA Art. 38-3/38-4)"
    )
    piece_rate_guarantee_per_hour: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 2), comment="JP guaranteed wage per hour for piece-rate pay (LSA Art. 27)"
    )
    department: Mapped[str | None] = mapped_column(String(30))
    position: Mapped[str | None] = mapped_column(
        String(30), comment="as the tracker records it: artist, lead, supervisor"
    )
    seniority: Mapped[str | None] = mapped_column(String(30), comment="as the tracker records it: junior, mid, senior")
    daily_wage: Mapped[Decimal | None] = mapped_column(
        Numeric(12, 2), comment="agreed pay per day worked (日給), in the workplace currency; Kitsu's Daily Salary"
    )

    person: Mapped[Person] = relationship(back_populates="employments")
    employer: Mapped[Organization] = relationship()


class LaborAgreement(Base):
    """An employer's Article 36 (saburoku) agreement: without it, no overtime or holiday work is lawful."""

    __tablename__ = "labor_agreement"
    __table_args__ = (CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    has_36_agreement: Mapped[bool] = mapped_column(Boolean, default=True)
    special_clause: Mapped[bool] = mapped_column(Boolean, default=False)
    variable_hours_1y: Mapped[bool] = mapped_column(Boolean, default=False)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


class AnnualLeave(Base):
    """The employer's annual paid leave ledger (年次有給休暇管理簿, LSA Art. 39): days granted on a date, days taken on
    a date (half days and hours as fractions of a day)."""

    __tablename__ = "annual_leave"
    __table_args__ = (
        CheckConstraint(_in("kind", LEAVE_KINDS), name="kind"),
        CheckConstraint("days > 0 AND days <= 40", name="days"),
        Index("ix_annual_leave_person_date", "person_id", "on_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10), comment="grant or taken")
    on_date: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    note: Mapped[str | None] = mapped_column(String(200))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))


class Service(Base):
    """An AI tool or other automated service. Never a Person: it is recorded in the AI-usage ledger, not credited."""

    __tablename__ = "service"
    __table_args__ = (
        CheckConstraint(_in("kind", SERVICE_KINDS), name="kind"),
        UniqueConstraint("name", "version"),
        CheckConstraint("length(match_key) > 0", name="match_key_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    match_key: Mapped[str] = mapped_column(String(200), index=True)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    version: Mapped[str] = mapped_column(String(100), default="", server_default="")
    model_id: Mapped[str | None] = mapped_column(String(300))
    weights_sha256: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(30), default="generative_image")

    vendor: Mapped[Organization | None] = relationship()


# ---------------------------------------------------------------------------------------------------------------
# Productions


class Production(Base):
    __tablename__ = "production"
    __table_args__ = (
        CheckConstraint(_in("kind", PRODUCTION_KINDS), name="kind"),
        CheckConstraint(_in("ai_policy", AI_POLICIES), name="ai_policy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), unique=True, comment="native title")
    title_romaji: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10))
    studio_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    ai_policy: Mapped[str] = mapped_column(String(10), default="none")
    external_ref: Mapped[str | None] = mapped_column(String(200), unique=True, comment="e.g. MADB id")

    studio: Mapped[Organization | None] = relationship()
    episodes: Mapped[list[Episode]] = relationship(back_populates="production", cascade="all, delete-orphan")


class ProductionAlias(Base):
    """Another name a production goes by in the files imported (a tracker's project name): how an import maps a
    project onto a production, remembered once the person importing has chosen it."""

    __tablename__ = "production_alias"
    __table_args__ = (CheckConstraint("length(match_key) > 0", name="match_key_not_blank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300), comment="the name as the file wrote it")
    match_key: Mapped[str] = mapped_column(String(300), unique=True, comment="data.names.org_key of the text")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Episode(Base):
    __tablename__ = "episode"
    __table_args__ = (UniqueConstraint("production_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    number: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(40), comment="'1', 'OP', '前編', 'film'")
    title: Mapped[str | None] = mapped_column(String(300))
    delivery_date: Mapped[dt.date | None] = mapped_column(Date)

    production: Mapped[Production] = relationship(back_populates="episodes")
    cuts: Mapped[list[Cut]] = relationship(back_populates="episode", cascade="all, delete-orphan")


class Cut(Base):
    __tablename__ = "cut"
    __table_args__ = (
        UniqueConstraint("episode_id", "cut_number"),
        CheckConstraint("seconds IS NULL OR seconds >= 0", name="seconds"),
        CheckConstraint("frames IS NULL OR frames >= 0", name="frames"),
        CheckConstraint("sheets IS NULL OR sheets >= 0", name="sheets"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))
    cut_number: Mapped[str] = mapped_column(String(20))
    seconds: Mapped[float | None] = mapped_column(Float)
    frames: Mapped[int | None] = mapped_column(Integer)
    sheets: Mapped[int | None] = mapped_column(Integer, comment="drawings")

    episode: Mapped[Episode] = relationship(back_populates="cuts")


class Role(Base):
    """The role taxonomy. 製作 (committee, financing) and 制作 (the studio) are distinct roles."""

    __tablename__ = "role"
    __table_args__ = (
        CheckConstraint(_in("department", DEPARTMENTS), name="department"),
        CheckConstraint("NOT (person_only AND org_allowed)", name="person_only_xor_org"),
        CheckConstraint(_in("default_pay_basis", PAY_BASES) + " OR default_pay_basis IS NULL", name="pay_basis"),
        # Lets credit_line carry (role_id, person_only) as a composite foreign key.
        UniqueConstraint("id", "person_only"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    ja: Mapped[str] = mapped_column(String(60), unique=True)
    romaji: Mapped[str] = mapped_column(String(80))
    en: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(30))
    person_only: Mapped[bool] = mapped_column(Boolean, default=False)
    org_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    default_pay_basis: Mapped[str | None] = mapped_column(String(20))
    sort_order: Mapped[int] = mapped_column(Integer, comment="end-roll order")

    variants: Mapped[list[RoleVariant]] = relationship(back_populates="role", cascade="all, delete-orphan")


class RoleVariant(Base):
    """A spelling of a role seen in credits (コンテ → 絵コンテ, 仕上 → 仕上げ, Key Animation → 原画)."""

    __tablename__ = "role_variant"

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(100))
    match_key: Mapped[str] = mapped_column(String(100), unique=True)
    note: Mapped[str | None] = mapped_column(String(200))

    role: Mapped[Role] = relationship(back_populates="variants")


# ---------------------------------------------------------------------------------------------------------------
# Imports


class ImportBatch(Base):
    __tablename__ = "import_batch"
    __table_args__ = (CheckConstraint(_in("status", BATCH_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(40))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    actor: Mapped[str | None] = mapped_column(String(200))
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="SET NULL"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    key_scheme: Mapped[int] = mapped_column(
        Integer,
        default=2,
        server_default="1",
        comment="how work-log and pay-item source_keys were built: 1 hashed source ids (before 0006), 2 readable",
    )

    rejected_rows: Mapped[list[RejectedRow]] = relationship(back_populates="batch", cascade="all, delete-orphan")


class RejectedRow(Base):
    """An input row that was not imported, with where and why, so nothing is lost silently."""

    __tablename__ = "rejected_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer, comment="1-based physical line in the file (or row in a sheet)")
    column: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(500))
    reason_code: Mapped[str] = mapped_column(String(60), index=True)
    raw: Mapped[str | None] = mapped_column(Text)

    batch: Mapped[ImportBatch] = relationship(back_populates="rejected_rows")


class ImportWarning(Base):
    """An imported row the importer had to read by a documented rule (a duration disagreeing with the times, an
    entry recognized as an AI agent's): imported all the same, listed so that a person can check it."""

    __tablename__ = "import_warning"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer, comment="1-based physical line in the file (or row in a sheet)")
    column: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(500))
    reason_code: Mapped[str] = mapped_column(String(60), index=True)
    raw: Mapped[str | None] = mapped_column(Text)


class PersonMatchReview(Base):
    """A name the importer could not match to exactly one person: a human decides, nothing is guessed."""

    __tablename__ = "person_match_review"
    __table_args__ = (CheckConstraint(_in("status", REVIEW_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    line: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    candidate_ids: Mapped[dict[str, Any] | None] = mapped_column(JSON, comment='{"ids": [..]}')
    raw: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolved_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# ---------------------------------------------------------------------------------------------------------------
# Work, pay and AI usage


class WorkLog(Base):
    """One working session of one person. ``seconds`` is time worked, breaks already deducted; every duration is in
    whole seconds, as the trackers record them (a 34-second entry is 34 s), and start and end keep their seconds."""

    __tablename__ = "work_log"
    __table_args__ = (
        CheckConstraint("seconds >= 0 AND seconds <= 86400", name="seconds"),
        CheckConstraint("break_seconds >= 0", name="break_seconds"),
        CheckConstraint("night_seconds >= 0 AND night_seconds <= seconds", name="night_seconds"),
        CheckConstraint("end_at IS NULL OR start_at IS NULL OR end_at > start_at", name="start_before_end"),
        CheckConstraint("units IS NULL OR units >= 0", name="units"),
        CheckConstraint("ai_assisted_fraction >= 0 AND ai_assisted_fraction <= 1", name="ai_fraction"),
        Index("ix_work_log_person_date", "person_id", "work_date"),
        Index("ix_work_log_production_date", "production_id", "work_date"),
        # Covers the per-cut cost and AI-share queries so they never touch the table rows.
        Index("ix_work_log_production_cut", "production_id", "episode_id", "cut_id", "seconds", "ai_assisted_fraction"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="SET NULL"))
    cut_id: Mapped[int | None] = mapped_column(ForeignKey("cut.id", ondelete="SET NULL"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    task: Mapped[str | None] = mapped_column(String(200), comment="task type as the tracker named it")
    work_date: Mapped[dt.date] = mapped_column(Date, comment="local date the session started")
    start_at: Mapped[dt.datetime | None] = mapped_column(DateTime, comment="local wall-clock time at the workplace")
    end_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    seconds: Mapped[int] = mapped_column(Integer)
    break_seconds: Mapped[int] = mapped_column(Integer, default=0)
    night_seconds: Mapped[int] = mapped_column(Integer, default=0, comment="worked seconds in 22:00–05:00")
    is_statutory_holiday: Mapped[bool] = mapped_column(Boolean, default=False)
    units: Mapped[float | None] = mapped_column(Float, comment="cuts, sheets or backgrounds produced")
    unit_kind: Mapped[str | None] = mapped_column(String(20))
    ai_assisted_fraction: Mapped[float] = mapped_column(Float, default=0.0)
    note: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True, comment="natural key from the source")
    content_hash: Mapped[str | None] = mapped_column(String(64))


class PayItem(Base):
    """One pay component. For freelance commissions the Freelance Act dates are kept too."""

    __tablename__ = "pay_item"
    __table_args__ = (
        CheckConstraint(_in("basis", PAY_BASES), name="basis"),
        CheckConstraint(_in("currency", CURRENCIES), name="currency"),
        CheckConstraint("units IS NULL OR units >= 0", name="units"),
        CheckConstraint("unit_rate IS NULL OR unit_rate >= 0", name="unit_rate"),
        CheckConstraint("period_end >= period_start", name="period"),
        CheckConstraint("retake_count >= 0", name="retake_count"),
        CheckConstraint(
            f"allowance_kind IS NULL OR (basis = 'allowance' AND {_in('allowance_kind', ALLOWANCE_KINDS)})",
            name="allowance_kind",
        ),
        Index("ix_pay_item_person_period", "person_id", "period_start"),
        Index("ix_pay_item_production", "production_id"),
        # Covers cost per cut: one production's pay by cut without touching the table rows.
        Index("ix_pay_item_production_cut", "production_id", "cut_id", "currency", "amount"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="SET NULL"))
    cut_id: Mapped[int | None] = mapped_column(ForeignKey("cut.id", ondelete="SET NULL"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    basis: Mapped[str] = mapped_column(String(20))
    allowance_kind: Mapped[str | None] = mapped_column(
        String(20), comment="what an allowance is for (commuting, family, housing …): which wage bases leave it out"
    )
    units: Mapped[float | None] = mapped_column(Float)
    unit_rate: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="JPY")
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    commission_date: Mapped[dt.date | None] = mapped_column(Date)
    terms_issued_date: Mapped[dt.date | None] = mapped_column(Date)
    delivery_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    paid_date: Mapped[dt.date | None] = mapped_column(Date)
    agreed_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    retake_count: Mapped[int] = mapped_column(Integer, default=0)
    retake_paid_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    note: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))


ai_usage_post_editor = Table(
    "ai_usage_post_editor",
    Base.metadata,
    Column("ai_usage_id", ForeignKey("ai_usage.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("edit_kind", String(40), nullable=False, server_default="humanEdits"),
    Column("edited_at", DateTime),
)


class AiUsage(Base):
    """The AI-usage ledger: which tool made which asset, operated by which named person."""

    __tablename__ = "ai_usage"
    __table_args__ = (
        CheckConstraint(_in("stage", AI_STAGES), name="stage"),
        CheckConstraint("digital_source_type LIKE 'http%'", name="source_type_uri"),
        Index("ix_ai_usage_production", "production_id", "created_at"),
        Index("ux_ai_usage_watermark_id", "watermark_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_path: Mapped[str] = mapped_column(String(1000))
    asset_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("person.id"), comment="the named human; never NULL")
    stage: Mapped[str] = mapped_column(String(20), default="generation")
    digital_source_type: Mapped[str] = mapped_column(
        String(200), default="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    )
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="SET NULL"))
    cut_id: Mapped[int | None] = mapped_column(ForeignKey("cut.id", ondelete="SET NULL"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"), comment="the work it stood in for, e.g. 背景")
    prompt: Mapped[str | None] = mapped_column(Text)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    manifest_ref: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    watermark_id: Mapped[int | None] = mapped_column(
        BigInteger, comment="the 32-bit id in the image's invisible watermark (Endroll-generated images only)"
    )

    service: Mapped[Service] = relationship()
    operator: Mapped[Person] = relationship(foreign_keys=[operator_id])
    post_editors: Mapped[list[Person]] = relationship(secondary=ai_usage_post_editor)


# ---------------------------------------------------------------------------------------------------------------
# Credits


class CreditLine(Base):
    """One credited entity under one role, verbatim, pointing at exactly one person alias or organization alias.

    In a person-only role an organization may stand only when the line says the individuals went uncredited
    (the gross-outsourcing reality), which the validator then reports.
    """

    __tablename__ = "credit_line"
    __table_args__ = (
        CheckConstraint("(person_alias_id IS NULL) <> (org_alias_id IS NULL)", name="exactly_one_entity"),
        CheckConstraint(_in("block", CREDIT_BLOCKS), name="block"),
        CheckConstraint(_in("source", CREDIT_SOURCES), name="source"),
        CheckConstraint("episode_to IS NULL OR episode_from IS NULL OR episode_to >= episode_from", name="scope"),
        CheckConstraint(
            "role_person_only IS NULL OR role_person_only = false OR org_alias_id IS NULL OR individuals_uncredited",
            name="person_only_role",
        ),
        CheckConstraint("(role_id IS NULL) = (role_person_only IS NULL)", name="role_flag_present"),
        ForeignKeyConstraint(["role_id", "role_person_only"], ["role.id", "role.person_only"]),
        Index("ix_credit_line_production_order", "production_id", "block", "line_order", "position_in_line"),
        Index("ix_credit_line_person_alias", "person_alias_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    episode_scope: Mapped[str | None] = mapped_column(String(100), comment="verbatim, e.g. 3～13話")
    episode_from: Mapped[int | None] = mapped_column(Integer)
    episode_to: Mapped[int | None] = mapped_column(Integer)
    role_as_credited: Mapped[str] = mapped_column(String(200), comment="verbatim; never rewritten")
    role_id: Mapped[int | None] = mapped_column(Integer)
    role_person_only: Mapped[bool | None] = mapped_column(Boolean)
    name_as_credited: Mapped[str] = mapped_column(Text, comment="verbatim, whole; never rewritten")
    person_alias_id: Mapped[int | None] = mapped_column(ForeignKey("person_alias.id", ondelete="RESTRICT"))
    org_alias_id: Mapped[int | None] = mapped_column(ForeignKey("org_alias.id", ondelete="RESTRICT"))
    via_org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    individuals_uncredited: Mapped[bool] = mapped_column(Boolean, default=False)
    uncredited_reason: Mapped[str | None] = mapped_column(Text)
    block: Mapped[str] = mapped_column(String(20), default="main")
    line_order: Mapped[int] = mapped_column(Integer)
    position_in_line: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(20), default="internal")
    source_ref: Mapped[str | None] = mapped_column(String(300))
    source_line_id: Mapped[str | None] = mapped_column(String(100), comment="shared by lines split from one entry")
    note: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    entity_basis: Mapped[str | None] = mapped_column(
        String(20), comment="why the entity is a person or an organization (data.credits.organizations.BASES)"
    )
    entity_reason: Mapped[str | None] = mapped_column(Text, comment="the evidence of that call, as found")

    role: Mapped[Role | None] = relationship(
        primaryjoin="foreign(CreditLine.role_id) == Role.id", viewonly=True, lazy="joined"
    )
    person_alias: Mapped[PersonAlias | None] = relationship()
    org_alias: Mapped[OrgAlias | None] = relationship()
    via_org: Mapped[Organization | None] = relationship(foreign_keys=[via_org_id])

    def set_role(self, role: Role | None) -> None:
        """Set the canonical role together with its person-only flag (the pair is one foreign key)."""
        self.role_id = role.id if role is not None else None
        self.role_person_only = role.person_only if role is not None else None


class CreditNote(Base):
    """A credit annotation that is not a credit (``[異体字備考]``, ``*以下、資料より``), kept as evidence."""

    __tablename__ = "credit_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="madb")
    source_ref: Mapped[str | None] = mapped_column(String(300))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))


class EntityCall(Base):
    """A manager's call on a credited name: a person or an organization, whatever the evidence says. Every import
    after it follows it; the credit lines already stored are moved with it (services.credit_review)."""

    __tablename__ = "entity_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_key: Mapped[str] = mapped_column(String(200), unique=True, comment="data.credits.organizations.entity_key")
    name: Mapped[str] = mapped_column(Text, comment="the name as the manager saw it")
    is_organization: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CreditClaim(Base):
    """A public credit (MADB, on-screen, official site) that may be one of the studio's people: never linked by a
    name match alone. ``claimed``: the artist says it is theirs; ``confirmed``: a manager linked it (the line now
    points at the person); ``rejected``: a manager (or the artist) said it is someone else of the same name."""

    __tablename__ = "credit_claim"
    __table_args__ = (
        UniqueConstraint("credit_line_id", "person_id"),
        CheckConstraint(_in("status", CLAIM_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_line_id: Mapped[int] = mapped_column(ForeignKey("credit_line.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------------------------------------------------------
# Reference data for the compliance rules: data, not constants


class MinimumWage(Base):
    """A minimum hourly wage at a place (JP prefecture, US-CA state or city), by revision: the cycle year it belongs
    to (JP fiscal year, US-CA calendar year) and the date it takes effect, NULL while that is not known. Every row
    says where it was read (``source``) and when that was last checked (``checked_on``)."""

    __tablename__ = "minimum_wage"
    __table_args__ = (
        UniqueConstraint("jurisdiction", "region", "revision_year"),
        CheckConstraint("rate_per_hour > 0", name="rate"),
        CheckConstraint(_in("currency", CURRENCIES), name="currency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(8))
    region: Mapped[str] = mapped_column(String(80), comment="Tokyo; 'state' or a city for US-CA")
    revision_year: Mapped[int] = mapped_column(
        Integer, comment="the revision cycle the rate belongs to: JP fiscal year (令和8年度 = 2026), US-CA year"
    )
    effective_from: Mapped[dt.date | None] = mapped_column(Date, comment="NULL: announced, date not known")
    rate_per_hour: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str | None] = mapped_column(String(200))
    checked_on: Mapped[dt.date | None] = mapped_column(Date, comment="when the row was last checked against its source")


class RuleParameter(Base):
    """A numeric or structured parameter of a jurisdiction's rules (limits, premiums), effective from a date, with the
    statute it comes from (seeded from data/seed/jurisdictions.json and statutes.json, see data.reference)."""

    __tablename__ = "rule_parameter"
    __table_args__ = (UniqueConstraint("jurisdiction", "key", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[dict[str, Any]] = mapped_column(JSON, comment='{"value": ...}')
    effective_from: Mapped[dt.date] = mapped_column(Date)
    help: Mapped[str | None] = mapped_column(Text)
    statute: Mapped[str | None] = mapped_column(Text, comment="the statute (or source) the value comes from")
    source: Mapped[str | None] = mapped_column(String(200), comment="where the value was read (a dated parameter)")
    checked_on: Mapped[dt.date | None] = mapped_column(Date, comment="when the value was last checked")


# ---------------------------------------------------------------------------------------------------------------
# Accounts, audit, settings


class Account(Base):
    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint(_in("role", ACCOUNT_ROLES), name="role"),
        CheckConstraint("role <> 'artist' OR person_id IS NOT NULL", name="artist_has_person"),
        CheckConstraint("failed_attempts >= 0", name="failed_attempts"),
        UniqueConstraint("oidc_issuer", "oidc_subject"),
        CheckConstraint(_in("language", UI_LANGUAGES), name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(300), comment="argon2; NULL for identity-provider users")
    oidc_email: Mapped[str | None] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    username_skeleton: Mapped[str | None] = mapped_column(
        String(100), unique=True, comment="data.names.username_skeleton: no two accounts that look alike"
    )
    session_epoch: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", comment="moved on by deactivation, role change, password reset"
    )
    oidc_issuer: Mapped[str | None] = mapped_column(String(500), comment="identity provider bound on first sign-in")
    oidc_subject: Mapped[str | None] = mapped_column(String(255), comment="its stable user id (sub)")
    language: Mapped[str | None] = mapped_column(
        String(5), comment="the dashboard's language chosen by the account (ja/en); NULL: the browser's"
    )

    person: Mapped[Person | None] = relationship()


PEN_NAME_REQUEST_STATUSES = ("pending", "approved", "refused")


class PenNameRequest(Base):
    """A pen name equal to another person's name: it waits here until a manager approves it (it then becomes the
    person's pen name) or refuses it, so two people's records never read alike without someone deciding it."""

    __tablename__ = "pen_name_request"
    __table_args__ = (
        CheckConstraint(_in("status", PEN_NAME_REQUEST_STATUSES), name="status"),
        Index("ix_pen_name_request_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    pen_name: Mapped[str] = mapped_column(String(200))
    clashes_with: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), comment="the person whose name it equals"
    )
    status: Mapped[str] = mapped_column(String(20), default="pending")
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SignInSession(Base):
    """A signed-in browser: the hash of its cookie token (never the token), expiring and revocable.

    A session is valid while it is not revoked, not expired and its ``epoch`` equals its account's
    ``session_epoch``; the one-time ``handoff_hash`` turns a sign-in on the page into the browser's cookie."""

    __tablename__ = "sign_in_session"
    __table_args__ = (Index("ix_sign_in_session_account", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, comment="sha256 of the cookie token")
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True, comment="sha256, one use")
    handoff_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    epoch: Mapped[int] = mapped_column(Integer)
    via: Mapped[str] = mapped_column(String(10), default="local")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), comment="account username or 'importer:<file>'")
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    old_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CorrectionRequest(Base):
    """An artist's request to correct their record; managers answer it."""

    __tablename__ = "correction_request"
    __table_args__ = (CheckConstraint(_in("status", REQUEST_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    response: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class PayPeriodLock(Base):
    """A closed pay period: imports and edits that would change its pay are refused."""

    __tablename__ = "pay_period_lock"
    __table_args__ = (
        UniqueConstraint("period_start", "period_end"),
        CheckConstraint("period_end >= period_start", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    locked_by: Mapped[str] = mapped_column(String(100))
    locked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class OwnLogEntry(Base):
    """One day (or session) of an artist's own record of their hours, kept by the artist, apart from the studio's
    ``work_log``: no rollup, finding or manager's query reads it; a manager sees it only for a period its artist
    shared (:class:`OwnLogShare`). Text is as the artist wrote it (production, role): nothing here creates or links
    studio records. ``source_key`` identifies a row imported from a file, so importing the same file twice adds
    nothing."""

    __tablename__ = "own_log_entry"
    __table_args__ = (
        CheckConstraint("seconds >= 0 AND seconds <= 86400", name="seconds"),
        CheckConstraint("break_seconds >= 0", name="break_seconds"),
        CheckConstraint("end_at IS NULL OR start_at IS NULL OR end_at > start_at", name="start_before_end"),
        CheckConstraint("units IS NULL OR units >= 0", name="units"),
        CheckConstraint(_in("origin", OWN_LOG_ORIGINS), name="origin"),
        UniqueConstraint("person_id", "source_key"),
        Index("ix_own_log_entry_person_date", "person_id", "work_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    work_date: Mapped[dt.date] = mapped_column(Date, comment="local date the session started")
    start_at: Mapped[dt.datetime | None] = mapped_column(DateTime, comment="local wall-clock time")
    end_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    seconds: Mapped[int] = mapped_column(Integer, comment="worked, net of breaks")
    break_seconds: Mapped[int] = mapped_column(Integer, default=0)
    production: Mapped[str | None] = mapped_column(String(200), comment="as the artist wrote it")
    episode: Mapped[str | None] = mapped_column(String(40))
    cut: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[str | None] = mapped_column(String(100))
    units: Mapped[float | None] = mapped_column(Float, comment="cuts, sheets or backgrounds delivered")
    unit_kind: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(20), default="typed", comment="typed, or the file format imported")
    source_key: Mapped[str | None] = mapped_column(String(200), comment="an imported row's identity (hashed)")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class OwnLogShare(Base):
    """A period of an artist's own log the artist chose to show the studio's managers; deleting the row unshares."""

    __tablename__ = "own_log_share"
    __table_args__ = (
        UniqueConstraint("person_id", "period_start", "period_end"),
        CheckConstraint("period_end >= period_start", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    shared_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class OwnLogAdvocateMonth(Base):
    """A month of an artist's own log its artist lets count in the advocates' anonymized aggregate of reconciliation
    (:func:`analytics.release.own_log_release`); deleting the row opts out. Apart from :class:`OwnLogShare`: it shows
    nobody the artist's own log, only figures over groups of at least k people."""

    __tablename__ = "own_log_advocate_month"
    __table_args__ = (UniqueConstraint("person_id", "month_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    month_start: Mapped[dt.date] = mapped_column(Date, comment="first day of the month opted in")
    opted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class MonthSignOff(Base):
    """An artist's sign-off of the studio's hours and pay for one calendar month, and the manager's approval.

    ``studio_seconds`` and ``studio_pay`` are the studio's totals the artist signed (the rollups then); an approval
    is refused once they no longer match. An approved month is locked for that person like a closed pay period:
    work logs and pay items in it are refused, by hand and by import, until a manager reopens it."""

    __tablename__ = "month_sign_off"
    __table_args__ = (
        UniqueConstraint("person_id", "month_start"),
        CheckConstraint(_in("status", SIGN_OFF_STATUSES), name="status"),
        CheckConstraint("month_end >= month_start", name="period"),
        CheckConstraint("studio_seconds >= 0", name="studio_seconds"),
        CheckConstraint(
            "status <> 'approved' OR (approved_by IS NOT NULL AND approved_at IS NOT NULL)", name="approved_by"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    month_start: Mapped[dt.date] = mapped_column(Date, comment="first day of the calendar month")
    month_end: Mapped[dt.date] = mapped_column(Date, comment="last day of the calendar month")
    status: Mapped[str] = mapped_column(String(20))
    status_since: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, comment="when it took this status")
    studio_seconds: Mapped[int] = mapped_column(Integer, comment="the studio's hours the artist signed")
    studio_pay: Mapped[Decimal] = mapped_column(Numeric(14, 2), comment="the studio's pay the artist signed")
    currency: Mapped[str] = mapped_column(String(3), default="JPY")
    signed_by: Mapped[str] = mapped_column(String(100), comment="the artist's account")
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class MonthSignOffDay(Base):
    """A day the artist disputed in a month's sign-off, with their note, and the manager's answer: ``accept`` (the
    studio's record is to be corrected) or ``explain`` (it stands; ``answer_note`` says why)."""

    __tablename__ = "month_sign_off_day"
    __table_args__ = (
        UniqueConstraint("sign_off_id", "work_date"),
        CheckConstraint(f"answer IS NULL OR {_in('answer', SIGN_OFF_ANSWERS)}", name="answer"),
        CheckConstraint("answer IS NULL OR (answered_by IS NOT NULL AND answered_at IS NOT NULL)", name="answered_by"),
        CheckConstraint("answer IS NULL OR answer <> 'explain' OR answer_note IS NOT NULL", name="explained"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sign_off_id: Mapped[int] = mapped_column(ForeignKey("month_sign_off.id", ondelete="CASCADE"), index=True)
    work_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, comment="the artist's, as they wrote it")
    studio_seconds: Mapped[int] = mapped_column(Integer, comment="the studio's hours that day when disputed")
    answer: Mapped[str | None] = mapped_column(String(10))
    answer_note: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class OwnLogAnswer(Base):
    """A manager's answer to one day where an artist's shared own log and the studio's record differ; the artist
    reads it on My record. One answer a person-day (a new one replaces it; the audit keeps the old)."""

    __tablename__ = "own_log_answer"
    __table_args__ = (UniqueConstraint("person_id", "work_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    work_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    answered_by: Mapped[str] = mapped_column(String(100))
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SettingValue(Base):
    """Values of the settings marked editable in :mod:`data.settings`; defaults and help text live there."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


# ---------------------------------------------------------------------------------------------------------------
# Rollups: pre-aggregated work and pay, kept current by data.rollup.refresh() in the writer's transaction


class RollupPersonDay(Base):
    """One person's work on one date, with the Japanese overtime that arose that day (week starting Sunday).

    ``employment_id`` and ``mw_rate`` are resolved when the row is refreshed: the employment in force that day and
    the highest minimum wage at its workplace on that date (JP prefecture; US-CA state or city).
    """

    __tablename__ = "rollup_person_day"
    __table_args__ = (Index("ix_rollup_person_day_date", "work_date", "person_id"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    work_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    night_seconds: Mapped[int] = mapped_column(Integer, default=0)
    holiday_seconds: Mapped[int] = mapped_column(Integer, default=0, comment="worked on a statutory holiday")
    ai_seconds: Mapped[float] = mapped_column(Float, default=0.0, comment="seconds x ai_assisted_fraction")
    units: Mapped[float] = mapped_column(Float, default=0.0)
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    short_break_sessions: Mapped[int] = mapped_column(Integer, default=0, comment="sessions breaking JP Art. 34")
    longest_session_seconds: Mapped[int] = mapped_column(Integer, default=0)
    daily_ot_seconds: Mapped[int] = mapped_column(Integer, default=0)
    weekly_ot_seconds: Mapped[int] = mapped_column(Integer, default=0, comment="weekly OT arising on this day")
    employment_id: Mapped[int | None] = mapped_column(ForeignKey("employment.id", ondelete="SET NULL"))
    mw_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), comment="minimum wage in force, per hour")


class RollupPersonMonth(Base):
    """One person's month: work totals, overtime, the minimum wage owed for the hours, and pay by kind."""

    __tablename__ = "rollup_person_month"
    __table_args__ = (Index("ix_rollup_person_month_month", "month_start", "person_id"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    month_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    night_seconds: Mapped[int] = mapped_column(Integer, default=0)
    holiday_seconds: Mapped[int] = mapped_column(Integer, default=0)
    ai_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    units: Mapped[float] = mapped_column(Float, default=0.0)
    days_worked: Mapped[int] = mapped_column(Integer, default=0)
    ot_seconds: Mapped[int] = mapped_column(Integer, default=0, comment="JP daily + weekly OT, week from Sunday")
    employee_seconds: Mapped[int] = mapped_column(Integer, default=0, comment="worked under an employee contract")
    mw_seconds: Mapped[int] = mapped_column(Integer, default=0, comment="seconds with a known minimum wage")
    mw_due_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0, comment="sum(seconds x MW) / 3600")
    mw_min_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    mw_max_rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    currency: Mapped[str] = mapped_column(String(3), default="JPY", comment="of the workplace; pay sums use it")
    pay_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0, comment="all pay items")
    pay_mw_base_amount: Mapped[Decimal] = mapped_column(
        Numeric(14, 2), default=0, comment="pay counted for the minimum-wage test (time and piece bases)"
    )
    pay_piece_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    pay_premium_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0, comment="OT, holiday, night")
    mw_shortfall_amount: Mapped[float] = mapped_column(
        Float, default=0.0, server_default="0", comment="sum over days of hours x (MW - base pay per hour), where > 0"
    )
    # The wage bases by pay basis (data.law.wages.wage_bases), computed at refresh: NULL until then.
    mw_base_per_hour: Mapped[float | None] = mapped_column(
        Float, comment="minimum-wage base: hourly and piece pay per hour worked, daily and monthly per scheduled hour"
    )
    premium_base_per_hour: Mapped[float | None] = mapped_column(
        Float, comment="premium base: as the minimum-wage base, with the allowances the premium base counts"
    )
    scheduled_base_per_hour: Mapped[float | None] = mapped_column(
        Float, comment="of the premium base, the pay for scheduled time (daily, monthly): owed again per OT hour"
    )
    base_assumed: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), comment="no schedule recorded: the statutory one assumed"
    )
    # The month's main groups (most seconds; ties to the first name), so advocate aggregates that place each
    # person-month in one group need no window over rollup_work_month.
    main_role_id: Mapped[int | None] = mapped_column(
        ForeignKey("role.id", ondelete="SET NULL"), comment="role with most seconds; NULL: no role given"
    )
    main_department: Mapped[str | None] = mapped_column(String(30), comment="department with most seconds")
    main_production_id: Mapped[int | None] = mapped_column(
        ForeignKey("production.id", ondelete="SET NULL"), comment="production with most seconds"
    )


class RollupPersonWeek(Base):
    """One person's week (from Sunday, the JP default): the Workload heatmap and the 55-hour-week flag."""

    __tablename__ = "rollup_person_week"
    __table_args__ = (Index("ix_rollup_person_week_week", "week_start", "person_id"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    week_start: Mapped[dt.date] = mapped_column(Date, primary_key=True, comment="a Sunday")
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    night_seconds: Mapped[int] = mapped_column(Integer, default=0)
    holiday_seconds: Mapped[int] = mapped_column(Integer, default=0)
    days_worked: Mapped[int] = mapped_column(Integer, default=0)


class RollupWorkMonth(Base):
    """Work per month × person × production × episode × role: the grain of the workload and AI-share charts."""

    __tablename__ = "rollup_work_month"
    __table_args__ = (
        Index("ix_rollup_work_month_person", "person_id", "month_start"),
        Index("ix_rollup_work_month_production", "production_id", "month_start"),
        Index("ix_rollup_work_month_episode", "episode_id", "seconds"),  # covers hours per episode
        # Covers the AI share by department (summed per role and person in index order) and its scope's filters.
        Index(
            "ix_rollup_work_month_role_person",
            "role_id",
            "person_id",
            "seconds",
            "ai_seconds",
            "units",
            "ai_units",
            "month_start",
            "production_id",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    month_start: Mapped[dt.date] = mapped_column(Date)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    night_seconds: Mapped[int] = mapped_column(Integer, default=0)
    holiday_seconds: Mapped[int] = mapped_column(Integer, default=0)
    ai_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    units: Mapped[float] = mapped_column(Float, default=0.0)
    ai_units: Mapped[float] = mapped_column(Float, default=0.0, comment="units x ai_assisted_fraction")
    sessions: Mapped[int] = mapped_column(Integer, default=0)


class RollupPayMonth(Base):
    """Pay per month (of the item's period end) × person × production × episode × role × basis × currency."""

    __tablename__ = "rollup_pay_month"
    __table_args__ = (
        Index("ix_rollup_pay_month_person", "person_id", "month_start"),
        Index("ix_rollup_pay_month_production", "production_id", "month_start"),
        Index("ix_rollup_pay_month_month", "month_start"),
        # Covers the piece-rate sums per role and basis (the Pay page): the piece-rate rows only, from the index.
        Index("ix_rollup_pay_month_piece", "basis", "currency", "role_id", "units", "items", "amount"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    month_start: Mapped[dt.date] = mapped_column(Date)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    basis: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    units: Mapped[float] = mapped_column(Float, default=0.0)
    items: Mapped[int] = mapped_column(Integer, default=0)


class RollupCutMonth(Base):
    """Work per month × cut × role, with no person: cuts worked on, hours and AI-assisted hours per cut and
    department (cost per cut, AI cut share, adoption before/after), without reading the work log."""

    __tablename__ = "rollup_cut_month"
    __table_args__ = (
        Index("ix_rollup_cut_month_production", "production_id", "month_start"),
        Index("ix_rollup_cut_month_production_cut", "production_id", "cut_id", "seconds", "ai_seconds"),
        Index("ix_rollup_cut_month_month", "month_start"),
        Index("ix_rollup_cut_month_cut_ai", "cut_id", "ai_sessions"),  # is this cut AI-assisted: one look-up
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    month_start: Mapped[dt.date] = mapped_column(Date)
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))
    cut_id: Mapped[int] = mapped_column(ForeignKey("cut.id", ondelete="CASCADE"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    ai_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    ai_sessions: Mapped[int] = mapped_column(Integer, default=0, comment="work logs with an AI-assisted fraction > 0")
    sessions: Mapped[int] = mapped_column(Integer, default=0)


# Sums over a whole production or department month (millions of work logs at a large studio) outgrow PostgreSQL's
# 32-bit integer; SQLite's integers are 64-bit already.
BIG_SUM = BigInteger().with_variant(Integer, "sqlite")


class RollupCutTotal(Base):
    """``rollup_cut_month`` summed over all months: work per cut × role, with no person and no month. A cut list has
    no period, so cost per cut reads a production's cuts here (a few rows a cut instead of one per month worked)."""

    __tablename__ = "rollup_cut_total"
    __table_args__ = (Index("ix_rollup_cut_total_production_cut", "production_id", "cut_id", "seconds", "ai_seconds"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))
    cut_id: Mapped[int] = mapped_column(ForeignKey("cut.id", ondelete="CASCADE"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    seconds: Mapped[int] = mapped_column(BIG_SUM, default=0)
    ai_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    ai_sessions: Mapped[int] = mapped_column(BIG_SUM, default=0)
    sessions: Mapped[int] = mapped_column(BIG_SUM, default=0)


class RollupPayCell(Base):
    """Pay per month × production × episode × role × basis × currency, with no person: the grain of the AI-share and
    cost charts (a few thousand rows at millions of work logs). ``ai_amount`` is each person's pay in the cell × the
    AI-assisted share of that person's hours in the matching work cell, summed."""

    __tablename__ = "rollup_pay_cell"
    __table_args__ = (
        Index("ix_rollup_pay_cell_month", "month_start"),
        Index("ix_rollup_pay_cell_production", "production_id", "month_start"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    month_start: Mapped[dt.date] = mapped_column(Date)
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    basis: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    ai_amount: Mapped[float] = mapped_column(Float, default=0.0, comment="pay x AI share of the matching work hours")
    units: Mapped[float] = mapped_column(Float, default=0.0)
    items: Mapped[int] = mapped_column(Integer, default=0)


class RollupProductionMonth(Base):
    """Work per month × production, with no person but the count of people who worked on it: the grain of the
    month × production charts (workload, AI share), a few dozen rows where ``rollup_work_month`` has hundreds of
    thousands. A count of distinct people does not add up across cells, so it serves only that exact grain."""

    __tablename__ = "rollup_production_month"
    __table_args__ = (Index("ix_rollup_production_month_month", "month_start", "production_id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    month_start: Mapped[dt.date] = mapped_column(Date)
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    seconds: Mapped[int] = mapped_column(BIG_SUM, default=0)
    night_seconds: Mapped[int] = mapped_column(BIG_SUM, default=0)
    holiday_seconds: Mapped[int] = mapped_column(BIG_SUM, default=0)
    ai_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    units: Mapped[float] = mapped_column(Float, default=0.0)
    ai_units: Mapped[float] = mapped_column(Float, default=0.0)
    sessions: Mapped[int] = mapped_column(BIG_SUM, default=0)
    people: Mapped[int] = mapped_column(Integer, default=0, comment="distinct people with work in the cell")


class RollupWorkCell(Base):
    """Work per month × production × episode × role, with no person: the work twin of ``rollup_pay_cell`` (hours per
    episode beside its pay), a few thousand rows at millions of work logs."""

    __tablename__ = "rollup_work_cell"
    __table_args__ = (Index("ix_rollup_work_cell_episode", "episode_id", "seconds"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    month_start: Mapped[dt.date] = mapped_column(Date)
    production_id: Mapped[int | None] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    seconds: Mapped[int] = mapped_column(BIG_SUM, default=0)
    night_seconds: Mapped[int] = mapped_column(BIG_SUM, default=0)
    holiday_seconds: Mapped[int] = mapped_column(BIG_SUM, default=0)
    ai_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    units: Mapped[float] = mapped_column(Float, default=0.0)
    ai_units: Mapped[float] = mapped_column(Float, default=0.0)
    sessions: Mapped[int] = mapped_column(BIG_SUM, default=0)


class RollupDepartmentMonth(Base):
    """Work per month × department (of the role; ``unassigned`` without one), with no person but the count of
    people and of distinct cuts worked on: the grain of the month × department charts and the AI adoption effect."""

    __tablename__ = "rollup_department_month"
    __table_args__ = (Index("ix_rollup_department_month_month", "month_start", "department"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    month_start: Mapped[dt.date] = mapped_column(Date)
    department: Mapped[str] = mapped_column(String(30))
    seconds: Mapped[int] = mapped_column(BIG_SUM, default=0)
    night_seconds: Mapped[int] = mapped_column(BIG_SUM, default=0)
    holiday_seconds: Mapped[int] = mapped_column(BIG_SUM, default=0)
    ai_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    units: Mapped[float] = mapped_column(Float, default=0.0)
    ai_units: Mapped[float] = mapped_column(Float, default=0.0)
    sessions: Mapped[int] = mapped_column(BIG_SUM, default=0)
    people: Mapped[int] = mapped_column(Integer, default=0, comment="distinct people with work in the cell")
    cuts: Mapped[int] = mapped_column(Integer, default=0, comment="distinct cuts worked on (rollup_cut_month)")


# ---------------------------------------------------------------------------------------------------------------
# Derived results kept between requests


class DataVersion(Base):
    """One row whose ``version`` every committed write through Endroll's engines moves on (``data.engine``), so a
    result derived from the whole database can tell whether anything under it changed."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    global_version: Mapped[int] = mapped_column(
        BigInteger,
        default=0,
        server_default="0",
        comment="moves on only with writes that are not about given people (see data.snapshots.WriteEffects)",
    )
    stale_since: Mapped[dt.datetime | None] = mapped_column(
        DateTime, comment="UTC; the first write since the last complete findings snapshot (NULL: none)"
    )
    credits_version: Mapped[int] = mapped_column(
        BigInteger,
        default=0,
        server_default="0",
        comment="moves on with every write the credit checks depend on (data.snapshots.CREDIT_CHECKS)",
    )
    credits_stale_since: Mapped[dt.datetime | None] = mapped_column(
        DateTime, comment="UTC; the first such write since the credit checks were last all current (NULL: none)"
    )
    release_version: Mapped[int] = mapped_column(
        BigInteger,
        default=0,
        server_default="0",
        comment="moves on with every write the advocates' release depends on (data.snapshots.RELEASE)",
    )


class FindingSnapshot(Base):
    """The whole studio's compliance findings as computed at one data version (a Parquet file): what the dashboard
    reads when no filter narrows them (``analytics.findings.snapshot``)."""

    __tablename__ = "finding_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    data_version: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[str] = mapped_column(String(64), comment="digest of the engine code and reference data used")
    computed_on: Mapped[dt.date] = mapped_column(Date, comment="findings that depend on today's date")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    findings: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    global_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class ReleaseSnapshot(Base):
    """The advocates' quarterly release (``analytics.release``) of the latest ended quarter at one k, as computed at
    one release version (``data_version.release_version``): the Aggregates page reads it instead of computing it on
    a request. Its tables are one file (``payload``: Parquet files in a zip, with what was hidden in JSON)."""

    __tablename__ = "release_snapshot"
    __table_args__ = (
        CheckConstraint("release_version >= 0", name="release_version_not_negative"),
        CheckConstraint("k >= 1", name="k_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    release_version: Mapped[int] = mapped_column(BigInteger, comment="data_version.release_version it was computed at")
    k: Mapped[int] = mapped_column(Integer, comment="the k-anonymity threshold it was computed with")
    quarter: Mapped[dt.date | None] = mapped_column(Date, comment="first day of the quarter shown; NULL: none ended")
    key: Mapped[str] = mapped_column(String(64), comment="digest of the engine code and reference data used")
    computed_on: Mapped[dt.date] = mapped_column(Date, comment="the quarters released depend on today's date")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, comment="UTC")
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class DerivedLease(Base):
    """Who is recomputing one kind of derived data (``kind``: ``findings``), until when, and how far it got: one
    worker at a time per database (``analytics.derived``). A lease whose ``expires_at`` passed belongs to a worker
    that died; the next one takes it over and starts again from what the database says is stale."""

    __tablename__ = "derived_lease"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(120), comment="host:pid:thread of the worker; NULL: free")
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, comment="UTC; renewed while the worker runs")
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, comment="UTC; when the current run began")
    step: Mapped[int] = mapped_column(Integer, default=0, server_default="0", comment="steps of the run done")
    steps: Mapped[int] = mapped_column(Integer, default=0, server_default="0", comment="0: not known yet")
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, comment="UTC; the last run that completed")
    error: Mapped[str | None] = mapped_column(Text, comment="why the last run failed (NULL: it did not)")


class CreditCheck(Base):
    """The credit validation and labor cross-check of one production as computed at one credits version
    (``data_version.credits_version``): what the Credits page reads while the background worker keeps it current
    (``analytics.credits.checks``). Its findings are :class:`CreditCheckFinding` rows, ``findings`` of them."""

    __tablename__ = "credit_check"
    __table_args__ = (
        CheckConstraint("credits_version >= 0", name="credits_version_not_negative"),
        CheckConstraint("credits_checked >= 0", name="credits_checked_not_negative"),
        CheckConstraint("findings >= 0", name="findings_not_negative"),
        CheckConstraint("errors >= 0 AND errors <= findings", name="errors_within_findings"),
    )

    production_id: Mapped[int] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"), primary_key=True)
    credits_version: Mapped[int] = mapped_column(BigInteger, comment="data_version.credits_version it was computed at")
    key: Mapped[str] = mapped_column(String(64), comment="digest of the validator's code it was computed with")
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, comment="UTC")
    credits_checked: Mapped[int] = mapped_column(Integer)
    findings: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    roll_characters: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, comment='{"ja": "…", "en": "…"}: the distinct characters of the end roll as a PDF draws it'
    )
    production_version: Mapped[int] = mapped_column(
        BigInteger,
        default=0,
        server_default="0",
        comment="credit_check_due.version of the production it was computed at",
    )


class CreditCheckDue(Base):
    """A production's own credits version, moved on by the commit of a write that said it changed only some
    productions (:func:`data.credit_checks.about_productions`) instead of ``data_version.credits_version``; its
    stored check is current when it read both. ``since``: the first such write since it was last checked."""

    __tablename__ = "credit_check_due"
    __table_args__ = (CheckConstraint("version >= 0", name="version_not_negative"),)

    production_id: Mapped[int] = mapped_column(ForeignKey("production.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(
        BigInteger, default=0, server_default="0",
        comment="moves on with every write that named this production (data.credit_checks.about_productions)",
    )  # fmt: skip
    since: Mapped[dt.datetime | None] = mapped_column(
        DateTime, comment="UTC; the first such write since it was last checked"
    )


class CreditCheckFinding(Base):
    """One finding of a stored credit check, in the validator's order (``position``, from 1)."""

    __tablename__ = "credit_check_finding"
    __table_args__ = (
        CheckConstraint("position >= 1", name="position_from_one"),
        CheckConstraint(_in("severity", ("ERROR", "WARN", "INFO")), name="severity"),
        CheckConstraint("length(rule) > 0", name="rule_not_blank"),
        UniqueConstraint("production_id", "position"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("credit_check.production_id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer, comment="roll position of the credit line")
    role: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(Text, default="")
    production: Mapped[str] = mapped_column(Text, default="")
    source_ref: Mapped[str | None] = mapped_column(Text)
    # No foreign keys: a stored result names what was there when it was computed; a write since marks it stale.
    credit_line_id: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(Integer)


class FindingStalePerson(Base):
    """A person whose findings a committed write may have changed since the last snapshot, recorded by
    ``data.rollup.refresh`` in the same transaction (``person_id`` NULL: everyone). The next snapshot recomputes
    those people only, then deletes the rows it used."""

    __tablename__ = "finding_stale_person"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(Integer)


@event.listens_for(CreditLine, "before_insert")
@event.listens_for(CreditLine, "before_update")
def _fill_role_flag(mapper: Any, connection: Any, target: CreditLine) -> None:
    # The person-only flag travels with role_id in a composite foreign key; fill it for callers that set role_id only.
    if target.role_id is not None and target.role_person_only is None:
        target.role_person_only = connection.execute(
            select(Role.person_only).where(Role.id == target.role_id)
        ).scalar_one()
