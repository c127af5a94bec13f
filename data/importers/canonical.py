"""Endroll's own import formats: one CSV/XLSX layout each for people, work logs, pay items, AI usage, credits,
employment contracts, Article 36 labor agreements and the annual paid leave ledger.

The column lists here are the single source of truth: the templates in ``templates/`` and the tables in
``docs/import-formats.md`` are generated from them (``python -m data.importers --write-templates``).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from data.credit_records import ParsedCredit
from data.importers import units as u
from data.importers.credit_text import classify_parenthetical, looks_like_org, map_role, parse_scope, split_roles
from data.importers.places import PREFECTURE_MAX, Places
from data.importers.rows import RowError, SourceRow
from data.schema import (
    AI_STAGES,
    CREDIT_BLOCKS,
    CREDIT_SOURCES,
    CURRENCIES,
    DEPARTMENTS,
    EMPLOYEE_TYPES,
    EMPLOYMENT_TYPES,
    JURISDICTIONS,
    LEAVE_KINDS,
    PAY_BASES,
    SERVICE_KINDS,
    VISIBILITY,
)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    unit: str
    example: str
    help: str


COLUMNS: dict[str, tuple[Column, ...]] = {
    "canonical_people": (
        Column("display_name", True, "text", "山田 花子", "The name the person chose to be credited as."),
        Column("email", False, "text", "hanako@example.jp", "Unique; the strongest key for matching work logs."),
        Column("family_name", False, "text", "山田", "Native script."),
        Column("given_name", False, "text", "花子", "Native script."),
        Column("family_kana", False, "text", "やまだ", ""),
        Column("given_kana", False, "text", "はなこ", ""),
        Column("family_romaji", False, "text", "Yamada", "With macrons where they apply (Ōno)."),
        Column("given_romaji", False, "text", "Hanako", ""),
        Column("pen_name", False, "text", "", ""),
        Column("aliases", False, "text, |-separated", "山田花子|Hanako Yamada", "Other credited spellings."),
        Column("visibility", False, "public / pen_name_only / private", "public", "Default public."),
        Column("country", False, "ISO 3166 alpha-2", "JP", ""),
    ),
    "canonical_work_logs": (
        Column("person", False, "text", "山田 花子", "Name as in the people list; person or email is required."),
        Column("email", False, "text", "hanako@example.jp", "Matched before the name."),
        Column("work_date", True, "YYYY-MM-DD", "2025-04-01", "Local date the session started."),
        Column("start_time", False, "HH:MM local (or ISO datetime)", "10:00", "Workplace wall-clock time."),
        Column("end_time", False, "HH:MM local (or ISO datetime)", "19:00", "At or before start = next day."),
        Column("break_minutes", False, "minutes", "60", "Unpaid breaks inside the session; default 0."),
        Column("minutes", False, "minutes", "480", "Worked, net of breaks. Required without start/end."),
        Column("production", False, "text", "星の庭", "Production title as stored; or --production."),
        Column("episode", False, "text", "3", "Episode label; created under the production if new."),
        Column("cut", False, "text", "042", "Cut number; created under the episode if new."),
        Column("role", False, "text", "原画", "Any role spelling in the taxonomy (原画, Key Animation, 一原)."),
        Column("task", False, "text", "Key animation", "Task type as the tracker named it."),
        Column("units", False, "count", "3", "Cuts, sheets or backgrounds produced in the session."),
        Column("unit_kind", False, "cut / sheet / background", "cut", ""),
        Column("ai_assisted_fraction", False, "0–1", "0.25", "Share of the session's output made with AI tools."),
        Column("is_statutory_holiday", False, "yes / no", "no", "Work on the statutory weekly day off."),
        Column("note", False, "text", "", ""),
        Column("external_id", False, "text", "TS-2025-0001", "Your system's id; the dedupe key when given."),
    ),
    "canonical_pay_items": (
        Column("person", False, "text", "山田 花子", "Person or email is required."),
        Column("email", False, "text", "hanako@example.jp", ""),
        Column("basis", True, " / ".join(PAY_BASES), "per_cut", "How the amount was computed."),
        Column("amount", True, "currency units (yen)", "11400", "Total of this item, before tax."),
        Column("currency", False, " / ".join(CURRENCIES), "JPY", "Default JPY."),
        Column("units", False, "count", "3", "Cuts, sheets, hours … paid."),
        Column("unit_rate", False, "currency units per unit", "3800", ""),
        Column("period_start", True, "YYYY-MM-DD", "2025-04-01", "Pay period the item belongs to."),
        Column("period_end", True, "YYYY-MM-DD", "2025-04-30", ""),
        Column("production", False, "text", "星の庭", ""),
        Column("episode", False, "text", "3", ""),
        Column("cut", False, "text", "042", ""),
        Column("role", False, "text", "原画", ""),
        Column("commission_date", False, "YYYY-MM-DD", "2025-03-25", "Freelance Act: date commissioned."),
        Column("terms_issued_date", False, "YYYY-MM-DD", "2025-03-25", "Freelance Act: written terms issued."),
        Column("delivery_date", False, "YYYY-MM-DD", "2025-04-10", ""),
        Column("due_date", False, "YYYY-MM-DD", "2025-05-31", ""),
        Column("paid_date", False, "YYYY-MM-DD", "", ""),
        Column("agreed_amount", False, "currency units", "11400", ""),
        Column("retake_count", False, "count", "0", ""),
        Column("retake_paid_amount", False, "currency units", "", ""),
        Column("note", False, "text", "", ""),
        Column("external_id", False, "text", "PAY-2025-04-0001", "The dedupe key when given."),
    ),
    "canonical_ai_usage": (
        Column("asset_path", True, "path", "ep03/bg/c042_bg.png", "The asset the tool produced."),
        Column("asset_sha256", False, "hex", "", ""),
        Column("tool", True, "text", "Stable Diffusion XL", "Recorded as a Service, never credited."),
        Column("tool_version", False, "text", "1.0", ""),
        Column("tool_kind", False, " / ".join(SERVICE_KINDS), "generative_image", "Default generative_image."),
        Column("operator", False, "text", "山田 花子", "The named human who ran the tool (or operator_email)."),
        Column("operator_email", False, "text", "hanako@example.jp", ""),
        Column("stage", False, " / ".join(AI_STAGES), "generation", "Default generation."),
        Column(
            "digital_source_type",
            False,
            "IPTC URI",
            "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
            "Default trainedAlgorithmicMedia.",
        ),
        Column("production", False, "text", "星の庭", ""),
        Column("episode", False, "text", "3", ""),
        Column("cut", False, "text", "042", ""),
        Column("role", False, "text", "背景", "The work it stood in for."),
        Column("prompt", False, "text", "", ""),
        Column("seed", False, "integer", "1234", ""),
        Column("created_at", False, "ISO datetime, local", "2025-04-02T14:30", ""),
        Column("manifest_ref", False, "text", "", "C2PA manifest reference."),
        Column("external_id", False, "text", "AI-0001", "The dedupe key when given (else asset_path+tool+time)."),
    ),
    "canonical_credits": (
        Column("production", False, "text", "星の庭", "Or --production."),
        Column("block", False, " / ".join(CREDIT_BLOCKS), "main", "Default main."),
        Column("line_order", False, "integer", "12", "Order of the role line in the roll; default file order."),
        Column("role", True, "text, verbatim", "原画", "Kept verbatim; mapped onto the taxonomy."),
        Column("name", True, "text, verbatim", "山田 花子", "Kept verbatim; a person or an organization."),
        Column("position_in_line", False, "integer", "0", "Order of the name within its role line."),
        Column("episode_scope", False, "text", "3～13話", ""),
        Column("parenthetical", False, "text", "（スタジオX）", "Affiliation or alias, as credited."),
        Column("is_organization", False, "yes / no", "no", "Blank: decided from the name."),
        Column("is_logo", False, "yes / no", "no", "Shown as a logo."),
        Column("source", False, " / ".join(CREDIT_SOURCES), "internal", "Default imported_file."),
        Column("source_ref", False, "text", "", ""),
        Column("note", False, "text", "", ""),
    ),
    "canonical_employments": (
        Column("person", False, "text", "山田 花子", "Person or email is required; matched as in work logs."),
        Column("email", False, "text", "hanako@example.jp", "Matched before the name."),
        Column("employer", True, "text", "スタジオ星", "Organization name or alias; created (kind other) if new."),
        Column(
            "employment_type",
            True,
            " / ".join(EMPLOYMENT_TYPES),
            "employee_regular",
            "The first three are employees (labor law applies); the others are commissions (Freelance Act).",
        ),
        Column("jurisdiction", False, " / ".join(JURISDICTIONS), "JP", "Whose labor law applies. Default JP."),
        Column(
            "prefecture",
            False,
            "romaji or Japanese",
            "Tokyo",
            "JP workplace, required for a JP contract: a prefecture of the minimum-wage table (東京都, 東京 and "
            "Tōkyō read as Tokyo).",
        ),
        Column("city", False, "text", "", "US-CA workplace city (Los Angeles); blank for JP."),
        Column("start_date", True, "YYYY-MM-DD", "2025-04-01", "First day of the contract."),
        Column("end_date", False, "YYYY-MM-DD", "", "Last day; blank while the contract runs."),
        Column(
            "scheduled_monthly_hours",
            False,
            "hours a month",
            "160",
            "JP 月平均所定労働時間: average scheduled hours a month, above 0 and at most 744. Kept with the contract; "
            "no rule reads it yet.",
        ),
        Column("is_exempt", False, "yes / no", "no", "US-CA exempt employee. Default no."),
        Column(
            "discretionary_work",
            False,
            "professional / planning",
            "",
            "JP employee under discretionary work (専門業務型 / 企画業務型, LSA Art. 38-3 / 38-4); blank: none.",
        ),
        Column(
            "discretionary_consent_date",
            False,
            "YYYY-MM-DD",
            "",
            "When the employee's written consent to discretionary work was obtained (the planning type always needs "
            "it, the professional type from 2024-04-01); only with discretionary_work. Months before it are checked "
            "on the hours logged (JP-DISC-01).",
        ),
        Column(
            "piece_rate_guarantee_per_hour",
            False,
            "JPY per hour",
            "",
            "JP employee paid by the piece: the guaranteed wage per hour worked (保障給, LSA Art. 27). Blank: none "
            "recorded, which JP-PAY-04 reports for months paid mainly by the piece.",
        ),
        Column("department", False, " / ".join(DEPARTMENTS), "animation", ""),
    ),
    "canonical_labor_agreements": (
        Column("organization", True, "text", "スタジオ星", "The employer: name or alias; created (kind other) if new."),
        Column(
            "has_36_agreement",
            False,
            "yes / no",
            "yes",
            "Default yes. no records a period without one: then no overtime or holiday work is lawful.",
        ),
        Column(
            "special_clause",
            False,
            "yes / no",
            "no",
            "Special clause (特別条項): overtime above 45 h a month in up to 6 months a year. Default no.",
        ),
        Column(
            "variable_hours_1y",
            False,
            "yes / no",
            "no",
            "One-year variable working hours (1年単位の変形労働時間制): limits 42 h a month, 320 h a year. Default no.",
        ),
        Column("valid_from", True, "YYYY-MM-DD", "2025-04-01", "First day the agreement is in force."),
        Column("valid_to", False, "YYYY-MM-DD", "2026-03-31", "Last day; blank: open-ended."),
        Column(
            "employee_count",
            False,
            "count",
            "45",
            "Sets the organization's employee count when given (the Freelance Act covers clients with employees).",
        ),
    ),
    "canonical_annual_leave": (
        Column("person", False, "text", "山田 花子", "Person or email is required; matched as in work logs."),
        Column("email", False, "text", "hanako@example.jp", "Matched before the name."),
        Column(
            "kind",
            True,
            " / ".join(LEAVE_KINDS) + " (付与 / 取得)",
            "grant",
            "grant: paid leave days given on the date (付与); taken: paid leave taken on the date (取得).",
        ),
        Column("on_date", True, "YYYY-MM-DD", "2025-10-01", "The day of the grant, or the day the leave was taken."),
        Column(
            "days",
            True,
            "days, to 0.01",
            "10",
            "A grant: more than 0, at most 40. A day taken: more than 0, at most 1 (a half day 0.5; hourly leave as a "
            "fraction of the day, 2 h of 8: 0.25).",
        ),
        Column("note", False, "text", "勤続6か月", "At most 200 characters."),
    ),
}

_UNIT_KINDS = {"cut", "sheet", "background", "episode", "hour"}
_DEFAULT_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
_REQUIRED = {fmt: tuple(c.name for c in cols if c.required) for fmt, cols in COLUMNS.items()}


def g(row: SourceRow, key: str) -> str:
    return row.cells.get(key, "") or ""


def check_required(row: SourceRow, fmt: str) -> None:
    for col in COLUMNS[fmt]:
        if col.required and u.blank(g(row, col.name)):
            raise RowError("missing_value", f"{col.name} is required", column=col.name, value=g(row, col.name))


def person_ref(row: SourceRow, name_col: str = "person", email_col: str = "email") -> tuple[str | None, str | None]:
    name, email = u.text(g(row, name_col)), u.text(g(row, email_col))
    if not name and not email:
        raise RowError("missing_person", f"{name_col} or {email_col} is required", column=name_col, value="")
    return name, (email.lower() if email else None)


def _time_or_datetime(value: str, column: str, day: dt.date, tz: ZoneInfo) -> dt.datetime:
    if "T" in value or len(value.strip()) > 8:
        return u.local_datetime(value, column, tz)
    return dt.datetime.combine(day, u.clock_time(value, column))


def _session(
    raw: dict[str, str], start_s: str, end_s: str, day: dt.date, brk: int, tz: ZoneInfo
) -> tuple[dt.datetime, dt.datetime, int, int]:
    """(start_at, end_at, worked minutes, night minutes) from the stripped, non-blank start_time and end_time."""
    hm_start, hm_end = u.clock_hm(start_s), u.clock_hm(end_s)
    if hm_start is not None and hm_end is not None:
        # Plain HH:MM on the work date (nearly every row): whole-minute arithmetic, no datetime loops.
        s = hm_start[0] * 60 + hm_start[1]
        e = hm_end[0] * 60 + hm_end[1]
        if e <= s:
            e += 1440  # at or before the start = the next day
        start_at = dt.datetime(day.year, day.month, day.day, hm_start[0], hm_start[1])
        end_at = start_at + dt.timedelta(minutes=e - s)
        worked = e - s - brk
        if worked < 0:
            raise RowError(
                "bad_break",
                f"break of {brk} min is longer than the {e - s} min session",
                column="break_minutes",
                value=str(brk),
            )
        return start_at, end_at, worked, min(u.night_minutes_of_span(s, e), worked)
    start_raw, end_raw = raw.get("start_time") or "", raw.get("end_time") or ""
    start_at = _time_or_datetime(start_raw, "start_time", day, tz)
    end_at = _time_or_datetime(end_raw, "end_time", day, tz)
    if end_at <= start_at and "T" not in end_raw:
        end_at += dt.timedelta(days=1)
    if end_at <= start_at:
        raise RowError("bad_time", "end_time is not after start_time", column="end_time", value=end_raw)
    minutes, night = u.session_minutes(start_at, end_at, brk, "break_minutes")
    return start_at, end_at, minutes, night


_BLANK = frozenset({"", "-", "—"})  # u.blank() of a stripped cell
# Exports repeat the same date, break and start/end cells on many rows: their parsed values (all immutable) are
# remembered, so only new combinations are parsed. Only successful parses are stored; errors always re-run.
# The zone is part of the key: an ISO time with an offset is converted into it.
_SESSION_MEMO: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_SESSION_MEMO_MAX = 20_000  # a few MB at most; a typical export has a few thousand combinations


def work_log(row: SourceRow, tz: ZoneInfo) -> dict[str, Any]:
    """A canonical work-log row → the neutral work-log dict the batch writes (see :mod:`timesheets`).

    This is the hot path of large imports: cells are stripped once, blank tests are set lookups and plain ``HH:MM``
    times take an integer fast path. Every check and error of the general helpers still applies, in the same order;
    parsers get the cell as written so error messages quote it.
    """
    raw = row.cells
    c = dict(zip(raw, map(str.strip, raw.values()), strict=True))
    get = c.get
    for name in _REQUIRED["canonical_work_logs"]:
        if get(name, "") in _BLANK:
            raise RowError("missing_value", f"{name} is required", column=name, value=raw.get(name) or "")
    name, email = get("person") or None, get("email") or None
    if not name and not email:
        raise RowError("missing_person", "person or email is required", column="person", value="")
    if email:
        email = email.lower()
    start_s, end_s = get("start_time", ""), get("end_time", "")
    memo_key = (tz, get("work_date"), get("break_minutes", ""), start_s, end_s)
    known = _SESSION_MEMO.get(memo_key)
    if known is not None:
        day, brk, start_at, end_at, minutes, night = known
    else:
        day = u.iso_date(raw.get("work_date") or "", "work_date")
        brk_s = get("break_minutes", "")
        brk = 0 if brk_s in _BLANK else u.minutes_from_minutes(raw["break_minutes"], "break_minutes")
        start_at = end_at = None
        night = 0
        minutes = None
        start_blank, end_blank = start_s in _BLANK, end_s in _BLANK
        if not start_blank or not end_blank:
            if start_blank or end_blank:
                missing = "start_time" if start_blank else "end_time"
                raise RowError("missing_value", "start_time and end_time go together", column=missing, value="")
            start_at, end_at, minutes, night = _session(raw, start_s, end_s, day, brk, tz)
        if len(_SESSION_MEMO) >= _SESSION_MEMO_MAX:
            _SESSION_MEMO.clear()
        _SESSION_MEMO[memo_key] = (day, brk, start_at, end_at, minutes, night)
    if get("minutes", "") not in _BLANK:
        given = u.minutes_from_minutes(raw["minutes"], "minutes")
        if minutes is not None and abs(given - minutes) > 1:
            raise RowError(
                "inconsistent_minutes",
                f"minutes {given} disagrees with start/end/break ({minutes} min worked)",
                column="minutes",
                value=raw["minutes"],
            )
        minutes = given if minutes is None else minutes
    if minutes is None:
        raise RowError("missing_value", "minutes, or start_time and end_time, is required", column="minutes", value="")
    frac = 0.0
    if get("ai_assisted_fraction", "") not in _BLANK:
        frac = u.number(raw["ai_assisted_fraction"], "ai_assisted_fraction")
        if not 0 <= frac <= 1:
            raise RowError(
                "out_of_range",
                "ai_assisted_fraction must be between 0 and 1",
                column="ai_assisted_fraction",
                value=raw["ai_assisted_fraction"],
            )
    unit_kind = get("unit_kind") or None
    if unit_kind and unit_kind not in _UNIT_KINDS:
        raise RowError(
            "bad_value", f"unit_kind must be one of {sorted(_UNIT_KINDS)}", column="unit_kind", value=unit_kind
        )
    units = None
    if get("units", "") not in _BLANK:
        units = u.number(raw["units"], "units")
        if units < 0:
            raise RowError("out_of_range", "units must not be negative", column="units", value=raw["units"])
    holiday = get("is_statutory_holiday", "")
    ext = get("external_id") or None
    task = get("task") or None
    return {
        "person": name,
        "email": email,
        "work_date": day,
        "start_at": start_at,
        "end_at": end_at,
        "minutes": minutes,
        "break_minutes": brk,
        "night_minutes": night,
        "production": get("production") or None,
        "episode": get("episode") or None,
        "cut": get("cut") or None,
        "role": get("role") or None,
        "task": task,
        "units": units,
        "unit_kind": unit_kind,
        "ai_assisted_fraction": frac,
        "is_statutory_holiday": False if holiday in _BLANK else u.boolean(holiday, "is_statutory_holiday"),
        "note": get("note") or None,
        "key": ("id", ext) if ext else ("t", start_at.isoformat() if start_at else "", task or ""),
    }


def _opt_date(row: SourceRow, col: str) -> dt.date | None:
    return None if u.blank(g(row, col)) else u.iso_date(g(row, col), col)


def pay_item(row: SourceRow) -> dict[str, Any]:
    check_required(row, "canonical_pay_items")
    name, email = person_ref(row)
    basis = g(row, "basis").strip()
    if basis not in PAY_BASES:
        raise RowError("bad_value", f"basis must be one of {', '.join(PAY_BASES)}", column="basis", value=basis)
    currency = (u.text(g(row, "currency")) or "JPY").upper()
    if currency not in CURRENCIES:
        raise RowError("bad_value", f"currency must be one of {CURRENCIES}", column="currency", value=currency)
    amount = u.decimal(g(row, "amount"), "amount")
    start, end = u.iso_date(g(row, "period_start"), "period_start"), u.iso_date(g(row, "period_end"), "period_end")
    if end < start:
        raise RowError(
            "bad_period", "period_end is before period_start", column="period_end", value=g(row, "period_end")
        )
    units = None if u.blank(g(row, "units")) else u.number(g(row, "units"), "units")
    rate = None if u.blank(g(row, "unit_rate")) else u.decimal(g(row, "unit_rate"), "unit_rate")
    for col, val in (("units", units), ("unit_rate", rate), ("amount", amount)):
        if val is not None and val < 0 and col != "amount":
            raise RowError("out_of_range", f"{col} must not be negative", column=col, value=g(row, col))
    if abs(amount) >= 10**12:
        raise RowError("out_of_range", "amount is too large", column="amount", value=g(row, "amount"))
    ext = u.text(g(row, "external_id"))
    return {
        "person": name,
        "email": email,
        "basis": basis,
        "amount": amount,
        "currency": currency,
        "units": units,
        "unit_rate": rate,
        "period_start": start,
        "period_end": end,
        "production": u.text(g(row, "production")),
        "episode": u.text(g(row, "episode")),
        "cut": u.text(g(row, "cut")),
        "role": u.text(g(row, "role")),
        "commission_date": _opt_date(row, "commission_date"),
        "terms_issued_date": _opt_date(row, "terms_issued_date"),
        "delivery_date": _opt_date(row, "delivery_date"),
        "due_date": _opt_date(row, "due_date"),
        "paid_date": _opt_date(row, "paid_date"),
        "agreed_amount": None
        if u.blank(g(row, "agreed_amount"))
        else u.decimal(g(row, "agreed_amount"), "agreed_amount"),
        "retake_count": 0 if u.blank(g(row, "retake_count")) else u.integer(g(row, "retake_count"), "retake_count"),
        "retake_paid_amount": None
        if u.blank(g(row, "retake_paid_amount"))
        else u.decimal(g(row, "retake_paid_amount"), "retake_paid_amount"),
        "note": u.text(g(row, "note")),
        "key": ("id", ext) if ext else ("t", basis),
    }


def ai_usage(row: SourceRow, tz: ZoneInfo) -> dict[str, Any]:
    check_required(row, "canonical_ai_usage")
    name, email = person_ref(row, "operator", "operator_email")
    stage = u.text(g(row, "stage")) or "generation"
    if stage not in AI_STAGES:
        raise RowError("bad_value", f"stage must be one of {', '.join(AI_STAGES)}", column="stage", value=stage)
    kind = u.text(g(row, "tool_kind")) or "generative_image"
    if kind not in SERVICE_KINDS:
        raise RowError(
            "bad_value", f"tool_kind must be one of {', '.join(SERVICE_KINDS)}", column="tool_kind", value=kind
        )
    dst = u.text(g(row, "digital_source_type")) or _DEFAULT_SOURCE_TYPE
    if not dst.startswith("http"):
        raise RowError(
            "bad_value", "digital_source_type must be an IPTC URI (http…)", column="digital_source_type", value=dst
        )
    created = None if u.blank(g(row, "created_at")) else u.local_datetime(g(row, "created_at"), "created_at", tz)
    ext = u.text(g(row, "external_id"))
    return {
        "person": name,
        "email": email,
        "asset_path": g(row, "asset_path").strip(),
        "asset_sha256": u.text(g(row, "asset_sha256")),
        "tool": g(row, "tool").strip(),
        "tool_version": u.text(g(row, "tool_version")) or "",
        "tool_kind": kind,
        "stage": stage,
        "digital_source_type": dst,
        "production": u.text(g(row, "production")),
        "episode": u.text(g(row, "episode")),
        "cut": u.text(g(row, "cut")),
        "role": u.text(g(row, "role")),
        "prompt": u.text(g(row, "prompt")),
        "seed": None if u.blank(g(row, "seed")) else u.integer(g(row, "seed"), "seed"),
        "created_at": created,
        "manifest_ref": u.text(g(row, "manifest_ref")),
        "key": ("id", ext)
        if ext
        else ("t", g(row, "asset_path").strip(), g(row, "tool").strip(), created.isoformat() if created else ""),
    }


def person(row: SourceRow) -> dict[str, Any]:
    check_required(row, "canonical_people")
    vis = u.text(g(row, "visibility")) or "public"
    if vis not in VISIBILITY:
        raise RowError("bad_value", f"visibility must be one of {VISIBILITY}", column="visibility", value=vis)
    email = u.text(g(row, "email"))
    if email and "@" not in email:
        raise RowError("bad_email", "email must contain @", column="email", value=email)
    out: dict[str, Any] = {
        "display_name": g(row, "display_name").strip(),
        "email": email.lower() if email else None,
        "visibility": vis,
        "aliases": [a.strip() for a in g(row, "aliases").split("|") if a.strip()],
    }
    for col in (
        "family_name",
        "given_name",
        "family_kana",
        "given_kana",
        "family_romaji",
        "given_romaji",
        "pen_name",
        "country",
    ):
        out[col] = u.text(g(row, col))
    if out["country"] and len(out["country"]) != 2:
        raise RowError("bad_value", "country must be a 2-letter code", column="country", value=out["country"])
    return out


def credit(row: SourceRow, *, production: str | None, order: int, source_ref: str) -> list[ParsedCredit]:
    """One canonical credit row → its credits. A combined role (``演出、絵コンテ``, ``絵コンテ・演出``) becomes one
    credit per role sharing the row's source_line_id, split by the same rule as MADB and credit-roll text
    (:func:`data.importers.credit_text.split_roles`); each part keeps its own verbatim role text."""
    check_required(row, "canonical_credits")
    title = u.text(g(row, "production")) or production
    if not title:
        raise RowError(
            "missing_production", "production is required (column or --production)", column="production", value=""
        )
    block = u.text(g(row, "block")) or "main"
    if block not in CREDIT_BLOCKS:
        raise RowError("bad_value", f"block must be one of {CREDIT_BLOCKS}", column="block", value=block)
    source = u.text(g(row, "source")) or "imported_file"
    if source not in CREDIT_SOURCES:
        raise RowError("bad_value", f"source must be one of {CREDIT_SOURCES}", column="source", value=source)
    role, name = g(row, "role").strip(), g(row, "name").strip()
    scope = u.text(g(row, "episode_scope"))
    lo, hi = parse_scope(scope) if scope else (None, None)
    paren = u.text(g(row, "parenthetical"))
    is_org = None if u.blank(g(row, "is_organization")) else u.boolean(g(row, "is_organization"), "is_organization")
    is_logo = u.boolean(g(row, "is_logo"), "is_logo")
    line_order = order if u.blank(g(row, "line_order")) else u.integer(g(row, "line_order"), "line_order")
    pos = 0 if u.blank(g(row, "position_in_line")) else u.integer(g(row, "position_in_line"), "position_in_line")
    parts = split_roles(role) if role else [role]
    out = []
    for part in parts:
        code, prov = map_role(part)
        notes = [u.text(g(row, "note")), prov]
        if len(parts) > 1:
            notes.append(f"split from combined role {role!r}")
        out.append(
            ParsedCredit(
                line=row.line,
                production=title,
                role_as_credited=part,
                name_as_credited=name,
                role_code=code,
                block=block,
                line_order=line_order,
                position_in_line=pos,
                episode_scope=scope,
                episode_from=lo,
                episode_to=hi,
                parenthetical=paren,
                parenthetical_kind=classify_parenthetical(paren) if paren else None,
                is_organization=is_org if is_org is not None else (True if is_logo or looks_like_org(name) else None),
                is_logo=is_logo,
                source=source,
                source_ref=u.text(g(row, "source_ref")) or source_ref,
                source_line_id=f"{source_ref}:{row.line}",
                note="; ".join(filter(None, notes)) or None,
            )
        )
    return out


# Discretionary work (裁量労働制) as the columns may name it; the findings only ask whether a contract has one.
DISCRETIONARY_KINDS = {
    "professional": "professional",
    "planning": "planning",
    "専門業務型": "professional",
    "企画業務型": "planning",
}
SCHEDULED_HOURS_MAX = 744.0  # 31 days × 24 h: more scheduled hours than a month holds is a typo (monthly minutes?)
EMPLOYEE_COUNT_MAX = 10_000_000
ORGANIZATION_NAME_MAX = 200  # organization.name, org_alias.text
GUARANTEE_MAX = 10**10  # employment.piece_rate_guarantee_per_hour is NUMERIC(12, 2)


def _flag(row: SourceRow, col: str, default: bool) -> bool:
    """A yes/no cell (:func:`units.boolean`: yes/no, true/false, 1/0, はい/いいえ …); blank is ``default``."""
    return default if u.blank(g(row, col)) else u.boolean(g(row, col), col)


def _period(row: SourceRow, start_col: str, end_col: str) -> tuple[dt.date, dt.date | None]:
    start, end = u.iso_date(g(row, start_col), start_col), _opt_date(row, end_col)
    if end is not None and end < start:
        raise RowError(
            "bad_period", f"{end_col} {end} is before {start_col} {start}", column=end_col, value=g(row, end_col)
        )
    return start, end


def _organization(row: SourceRow, col: str) -> str:
    name = g(row, col).strip()
    if len(name) > ORGANIZATION_NAME_MAX:
        raise RowError(
            "out_of_range", f"{col} is longer than {ORGANIZATION_NAME_MAX} characters", column=col, value=name
        )
    return name


def employment(row: SourceRow, places: Places) -> dict[str, Any]:
    """A canonical employment row → the contract's columns, each checked against the employment table's
    constraints and the analytics' reading of them, so the database never has to refuse one. ``places`` holds the
    workplaces the minimum-wage table knows; the person and employer are resolved by the writer."""
    check_required(row, "canonical_employments")
    name, email = person_ref(row)
    employer = _organization(row, "employer")
    etype = g(row, "employment_type").strip().lower()
    if etype not in EMPLOYMENT_TYPES:
        raise RowError(
            "bad_value",
            f"employment_type must be one of {', '.join(EMPLOYMENT_TYPES)}",
            column="employment_type",
            value=g(row, "employment_type"),
        )
    jurisdiction = (u.text(g(row, "jurisdiction")) or "JP").upper()
    if jurisdiction not in JURISDICTIONS:
        raise RowError(
            "bad_value",
            f"jurisdiction must be one of {', '.join(JURISDICTIONS)}",
            column="jurisdiction",
            value=g(row, "jurisdiction"),
        )
    pref_text, city_text = u.text(g(row, "prefecture")), u.text(g(row, "city"))
    prefecture = city = None
    if jurisdiction == "JP":
        if city_text:
            raise RowError(
                "bad_value",
                "city is the workplace of a US-CA contract; a JP workplace is given by prefecture",
                column="city",
                value=city_text,
            )
        if not pref_text:
            # Without it the day's minimum wage is unknown and the minimum-wage rules silently skip the contract.
            raise RowError(
                "missing_value",
                "prefecture is required for a JP contract: the minimum wage depends on the workplace",
                column="prefecture",
                value="",
            )
        prefecture = places.prefecture(pref_text)
        if len(prefecture) > PREFECTURE_MAX:  # a region of the minimum-wage table that employment cannot hold
            raise RowError("out_of_range", "prefecture is too long", column="prefecture", value=pref_text)
    else:
        if pref_text:
            raise RowError(
                "bad_value",
                "prefecture is the workplace of a JP contract; give a US-CA workplace as city",
                column="prefecture",
                value=pref_text,
            )
        city = places.city(city_text) if city_text else None
    start, end = _period(row, "start_date", "end_date")
    hours = None
    if not u.blank(g(row, "scheduled_monthly_hours")):
        hours = u.number(g(row, "scheduled_monthly_hours"), "scheduled_monthly_hours")
        if not 0 < hours <= SCHEDULED_HOURS_MAX:  # NaN fails too
            raise RowError(
                "out_of_range",
                f"scheduled_monthly_hours must be more than 0 and at most {SCHEDULED_HOURS_MAX:.0f} (hours in a month)",
                column="scheduled_monthly_hours",
                value=g(row, "scheduled_monthly_hours"),
            )
    employee = etype in EMPLOYEE_TYPES
    is_exempt = _flag(row, "is_exempt", False)
    if is_exempt and (jurisdiction != "US-CA" or not employee):
        raise RowError(
            "bad_value",
            f"is_exempt marks a US-CA exempt employee; a {jurisdiction} {etype} contract cannot be exempt",
            column="is_exempt",
            value=g(row, "is_exempt"),
        )
    disc_text = u.text(g(row, "discretionary_work"))
    discretionary = None
    if disc_text:
        discretionary = DISCRETIONARY_KINDS.get(disc_text.casefold())
        if discretionary is None:
            raise RowError(
                "bad_value",
                "discretionary_work must be professional (専門業務型) or planning (企画業務型), or blank",
                column="discretionary_work",
                value=disc_text,
            )
        if jurisdiction != "JP" or not employee:
            raise RowError(
                "bad_value",
                f"discretionary work is an arrangement for JP employees (LSA Art. 38-3 / 38-4), not a {jurisdiction} "
                f"{etype} contract",
                column="discretionary_work",
                value=disc_text,
            )
    consent = _opt_date(row, "discretionary_consent_date")
    if consent is not None and discretionary is None:
        raise RowError(
            "inconsistent_value",
            "discretionary_consent_date is the consent to discretionary work, but discretionary_work is blank",
            column="discretionary_consent_date",
            value=g(row, "discretionary_consent_date"),
        )
    guarantee = None
    if not u.blank(g(row, "piece_rate_guarantee_per_hour")):
        guarantee = u.decimal(g(row, "piece_rate_guarantee_per_hour"), "piece_rate_guarantee_per_hour")
        if guarantee < 0 or guarantee >= GUARANTEE_MAX:
            raise RowError(
                "out_of_range",
                f"piece_rate_guarantee_per_hour must be at least 0 and under {GUARANTEE_MAX:,} (per hour)",
                column="piece_rate_guarantee_per_hour",
                value=g(row, "piece_rate_guarantee_per_hour"),
            )
        if jurisdiction != "JP" or not employee:
            raise RowError(
                "bad_value",
                f"piece_rate_guarantee_per_hour is the guarantee a JP employee paid by the piece is owed (LSA Art. "
                f"27), not part of a {jurisdiction} {etype} contract",
                column="piece_rate_guarantee_per_hour",
                value=g(row, "piece_rate_guarantee_per_hour"),
            )
    department = u.text(g(row, "department"))
    if department is not None:
        department = department.lower()
        if department not in DEPARTMENTS:
            raise RowError(
                "bad_value",
                f"department must be one of {', '.join(DEPARTMENTS)}",
                column="department",
                value=g(row, "department"),
            )
    return {
        "person": name,
        "email": email,
        "employer": employer,
        "employment_type": etype,
        "jurisdiction": jurisdiction,
        "prefecture": prefecture,
        "city": city,
        "start_date": start,
        "end_date": end,
        "scheduled_monthly_hours": hours,
        "is_exempt": is_exempt,
        "discretionary_work": discretionary,
        "discretionary_consent_date": consent,
        "piece_rate_guarantee_per_hour": guarantee,
        "department": department,
    }


def labor_agreement(row: SourceRow) -> dict[str, Any]:
    """A canonical labor-agreement row → the agreement's columns and the employer's employee count (None: keep)."""
    check_required(row, "canonical_labor_agreements")
    has_36 = _flag(row, "has_36_agreement", True)
    special = _flag(row, "special_clause", False)
    if special and not has_36:
        raise RowError(
            "inconsistent_value",
            "special_clause is a clause of an Article 36 agreement, but has_36_agreement is no",
            column="special_clause",
            value=g(row, "special_clause"),
        )
    start, end = _period(row, "valid_from", "valid_to")
    count = None
    if not u.blank(g(row, "employee_count")):
        count = u.integer(g(row, "employee_count"), "employee_count")
        if not 0 <= count <= EMPLOYEE_COUNT_MAX:
            raise RowError(
                "out_of_range",
                f"employee_count must be between 0 and {EMPLOYEE_COUNT_MAX:,}",
                column="employee_count",
                value=g(row, "employee_count"),
            )
    return {
        "organization": _organization(row, "organization"),
        "has_36_agreement": has_36,
        "special_clause": special,
        "variable_hours_1y": _flag(row, "variable_hours_1y", False),
        "valid_from": start,
        "valid_to": end,
        "employee_count": count,
    }


# The leave ledger's kinds as a file may write them: the schema's names, and the ledger's Japanese terms.
LEAVE_KIND_NAMES = {**{k: k for k in LEAVE_KINDS}, "付与": "grant", "取得": "taken"}
# A grant is capped as the table caps it (the Act gives at most 20 days a year; an employer may give more). A row of
# leave taken is one day's leave, so more than a day is a typo or several days written as one row.
LEAVE_DAYS_MAX = {"grant": Decimal(40), "taken": Decimal(1)}
LEAVE_DAYS_STEP = Decimal("0.01")  # annual_leave.days is NUMERIC(4, 2)
# A typed spreadsheet cell can carry binary noise (0.1 + 0.2 is 0.30000000000000004); that much is still 0.3.
LEAVE_DAYS_NOISE = Decimal("1e-9")
NOTE_MAX = 200  # annual_leave.note


def _leave_days(cell: str, kind: str) -> Decimal:
    """The days of a leave row, as the table stores them (hundredths). A value the table would round is rejected
    rather than rounded: rounded hourly leave (0.125 → 0.13) would add up to more or less than was taken."""
    try:
        days = Decimal(cell.strip())
    except InvalidOperation:
        days = None
    if days is None or not days.is_finite():
        raise RowError(
            "bad_number",
            f"days must be a number of days such as 1, 0.5 or 0.25, got {cell!r}",
            column="days",
            value=cell,
        )
    limit = LEAVE_DAYS_MAX[kind]
    if 0 < days <= limit:  # checked before quantize, which cannot hold a huge exponent
        stored = days.quantize(LEAVE_DAYS_STEP, rounding=ROUND_HALF_UP)
        if abs(days - stored) > LEAVE_DAYS_NOISE:
            raise RowError(
                "bad_precision",
                f"days is kept in hundredths of a day and {cell.strip()} has more decimals; round it to two (for "
                "hourly leave, the hours divided by the day's scheduled hours, rounded)",
                column="days",
                value=cell,
            )
        if stored > 0:
            return stored
    if kind == "grant":
        reason = f"days of a grant must be more than 0 and at most {limit:g}"
    else:
        reason = (
            f"days taken must be more than 0 and at most {limit:g}: a row is one day's leave (0.5 for half a day); "
            "give each day on its own row"
        )
    raise RowError("out_of_range", reason, column="days", value=cell)


def annual_leave(row: SourceRow) -> dict[str, Any]:
    """A canonical leave-ledger row → its kind, date, days and note, checked against the annual_leave table's
    constraints so the database never has to refuse one; the person is resolved by the writer."""
    check_required(row, "canonical_annual_leave")
    name, email = person_ref(row)
    kind = LEAVE_KIND_NAMES.get(g(row, "kind").strip().casefold())
    if kind is None:
        raise RowError("bad_value", "kind must be grant (付与) or taken (取得)", column="kind", value=g(row, "kind"))
    note = u.text(g(row, "note"))
    if note is not None and len(note) > NOTE_MAX:
        raise RowError("out_of_range", f"note is longer than {NOTE_MAX} characters", column="note", value=note)
    return {
        "person": name,
        "email": email,
        "kind": kind,
        "on_date": u.iso_date(g(row, "on_date"), "on_date"),
        "days": _leave_days(g(row, "days"), kind),
        "note": note,
    }


def write_templates(folder: Path) -> list[Path]:
    """One CSV and one XLSX per canonical format: the header and one example row."""
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, cols in COLUMNS.items():
        stem = fmt.removeprefix("canonical_")
        path = folder / f"{stem}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([c.name for c in cols])
            w.writerow([c.example for c in cols])
        written.append(path)
        wb = Workbook()
        ws = wb.active
        ws.title = stem
        ws.append([c.name for c in cols])
        ws.append([c.example for c in cols])
        xpath = folder / f"{stem}.xlsx"
        wb.save(xpath)
        written.append(xpath)
    return written


def markdown(fmt: str) -> str:
    lines = ["| column | required | unit / format | example | meaning |", "|---|---|---|---|---|"]
    for c in COLUMNS[fmt]:
        lines.append(f"| `{c.name}` | {'yes' if c.required else ''} | {c.unit} | {c.example} | {c.help} |")
    return "\n".join(lines)
