"""The demo studio: one deterministic generator for the demo, the tests and the benchmarks.

``load_demo(engine, seed=..., scale=...)`` fills an empty database with a believable anime studio — three
productions, about 180 people, a year of work logs, pay on every basis, an AI-usage ledger and credits with the
defects a validator must catch — calibrated to ``shared/facts/synthetic_params.json`` and labor-and-pay.md §8.

Same seed and scale → the same rows, IDs included, on SQLite and PostgreSQL: every random draw comes from a
numpy ``Generator`` seeded with ``(seed, stream, index)``, rows carry explicit IDs, and no date depends on the
clock (the studio's year is anchored on 2024-11-01 … 2025-10-31, so Tokyo's 2025-10-03 minimum-wage change falls
inside it and every freelance commission is under the Freelance Act in force from 2024-11-01).

``--scale X`` grows the crews that do piece work (key animation, in-between, paint, backgrounds, …) by X, so the
work-log volume grows linearly; rows are generated per person and written in chunks, so memory stays bounded.

Usage: ``python -m data.demo [--seed N] [--scale X] [--database-url URL] [--if-empty]``.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import functools
import hashlib
import json
import math
import random
import sys
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from data import rollup, settings
from data.accounts import create_account
from data.engine import is_empty, make_engine, session_scope
from data.names import ascii_romaji, org_key, person_key
from data.schema import (
    Base,
    Role,
)

FIRST_DAY = dt.date(2024, 11, 1)
LEDGER_FROM = dt.date(2023, 4, 1)  # the demo studio's leave ledger starts with the grants due from then
LEAVE_SCHEDULE = (10, 11, 12, 14, 16, 18, 20)  # LSA Art. 39: days granted 0.5, 1.5, 2.5 … 6.5 years in
CONSENT_REQUIRED_FROM = dt.date(2024, 4, 1)  # discretionary work (professional type) needs written consent
LAST_DAY = dt.date(2025, 10, 31)
STAMP = dt.datetime(2025, 10, 31, 18, 0)  # created_at/updated_at of every demo row: never the wall clock
TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
CHUNK_ROWS = 20_000

# Tables the demo writes, parents first; their IDs are assigned here, not by the database.
DEMO_TABLES = (
    "organization",
    "org_alias",
    "labor_agreement",
    "service",
    "production",
    "episode",
    "cut",
    "person",
    "person_alias",
    "affiliation",
    "employment",
    "annual_leave",
    "work_log",
    "pay_item",
    "ai_usage",
    "ai_usage_post_editor",
    "credit_line",
    "account",
)


class DemoError(RuntimeError):
    """The demo studio cannot be loaded as asked; the message says what to do."""


@dataclass(frozen=True)
class DemoSummary:
    """What one ``load_demo`` call wrote."""

    seed: int
    scale: float
    first_day: dt.date
    last_day: dt.date
    organizations: int
    services: int
    productions: int
    episodes: int
    cuts: int
    people: int
    person_aliases: int
    employments: int
    leave_entries: int
    work_logs: int
    pay_items: int
    ai_usages: int
    credit_lines: int
    accounts: int
    peak_buffered_rows: int = field(compare=False)  # the most rows held in memory at once: bounded by the chunk
    seconds: float = field(compare=False)

    def lines(self) -> list[str]:
        return [f"{f.name:>18}: {getattr(self, f.name)}" for f in fields(self)]


# ---------------------------------------------------------------------------------------------------------------
# Names. Kanji, kana and Hepburn romaji with macrons; the plain-ASCII form is derived.

FAMILY = [
    tuple(line.split())
    for line in """
佐藤 さとう Satō
鈴木 すずき Suzuki
高橋 たかはし Takahashi
田中 たなか Tanaka
伊藤 いとう Itō
渡辺 わたなべ Watanabe
山本 やまもと Yamamoto
中村 なかむら Nakamura
小林 こばやし Kobayashi
加藤 かとう Katō
吉田 よしだ Yoshida
山田 やまだ Yamada
佐々木 ささき Sasaki
山口 やまぐち Yamaguchi
松本 まつもと Matsumoto
井上 いのうえ Inoue
木村 きむら Kimura
林 はやし Hayashi
斎藤 さいとう Saitō
清水 しみず Shimizu
山崎 やまざき Yamazaki
森 もり Mori
池田 いけだ Ikeda
橋本 はしもと Hashimoto
阿部 あべ Abe
石川 いしかわ Ishikawa
山下 やました Yamashita
中島 なかじま Nakajima
小川 おがわ Ogawa
前田 まえだ Maeda
岡田 おかだ Okada
長谷川 はせがわ Hasegawa
藤田 ふじた Fujita
後藤 ごとう Gotō
近藤 こんどう Kondō
村上 むらかみ Murakami
遠藤 えんどう Endō
青木 あおき Aoki
坂本 さかもと Sakamoto
大野 おおの Ōno
工藤 くどう Kudō
太田 おおた Ōta
浜田 はまだ Hamada
内藤 ないとう Naitō
菅原 すがわら Sugawara
新井 あらい Arai
小野寺 おのでら Onodera
北村 きたむら Kitamura
上田 うえだ Ueda
原 はら Hara
""".strip().splitlines()
]
GIVEN = [
    tuple(line.split())
    for line in """
花子 はなこ Hanako
美咲 みさき Misaki
陽菜 ひな Hina
結衣 ゆい Yui
彩 あや Aya
真由美 まゆみ Mayumi
恵 めぐみ Megumi
優子 ゆうこ Yūko
智子 ともこ Tomoko
翔子 しょうこ Shōko
沙織 さおり Saori
千尋 ちひろ Chihiro
奈々 なな Nana
遥 はるか Haruka
麻衣 まい Mai
里奈 りな Rina
由紀 ゆき Yuki
綾乃 あやの Ayano
桃子 ももこ Momoko
京子 きょうこ Kyōko
一郎 いちろう Ichirō
健太 けんた Kenta
翔太 しょうた Shōta
大輔 だいすけ Daisuke
拓也 たくや Takuya
雅也 まさや Masaya
亮 りょう Ryō
涼太 りょうた Ryōta
浩二 こうじ Kōji
裕 ゆたか Yutaka
誠 まこと Makoto
直樹 なおき Naoki
和也 かずや Kazuya
修 おさむ Osamu
悠斗 ゆうと Yūto
隆 たかし Takashi
俊介 しゅんすけ Shunsuke
康平 こうへい Kōhei
達也 たつや Tatsuya
龍之介 りゅうのすけ Ryūnosuke
""".strip().splitlines()
]
# A person registered under the variant glyph is credited under the common one too (and vice versa).
VARIANT_GLYPH = {"高橋": "髙橋", "山崎": "山﨑", "渡辺": "渡邊", "斎藤": "齋藤", "浜田": "濵田"}
PEN_NAMES = [
    "みずしま蒼",
    "ひつじ雲",
    "kaz",
    "YOSHI-K",
    "あおいろ",
    "ねこまた",
    "星野ルカ",
    "なぎ",
    "こはく",
    "白湯",
    "もちこ",
    "灯台守",
]
LA_NAMES = [
    ("Tanaka", "Emily", "タナカ", "エミリー"),
    ("Reyes", "Marcus", "レイエス", "マーカス"),
    ("Kim", "Jordan", "キム", "ジョーダン"),
    ("Alvarez", "Sofia", "アルバレス", "ソフィア"),
]

# Placeholder credits copied from real end rolls (credits-and-ai-disclosure.md §2, §6): they stay unlinked aliases.
AI_HUMAN = "AI (+Human)"
HUMAN = "human"
TBD = "未定"
AND_OTHERS = "ほか"

# ---------------------------------------------------------------------------------------------------------------
# Organizations, services, productions

(
    MAIN,
    LA,
    SEIRAN,
    SAIUN,
    PAINTWORKS,
    HANBIT,
    YUNFAN,
    MANILA,
    SAIGON,
    TV_COMMITTEE,
    FILM_COMMITTEE,
    TOTO,
    RINNE,
    HOKKYOKUSEI,
) = range(1, 15)
ORGS = [
    # id, name, kind, country, employees, aliases
    (MAIN, "株式会社スタジオ光輪", "animation_studio", "JP", 140, ["スタジオ光輪", "Studio Kōrin", "Studio Korin"]),
    (LA, "Kōrin Animation LA, Inc.", "animation_studio", "US", 12, ["Korin Animation LA"]),
    (SEIRAN, "スタジオ青嵐", "subcontract_studio", "JP", 35, ["Studio Seiran"]),
    (SAIUN, "アトリエ彩雲", "background_studio", "JP", 18, ["Atelier Saiun"]),
    (
        PAINTWORKS,
        "株式会社ペイントワークス東京",
        "finishing_studio",
        "JP",
        25,
        ["ペイントワークス東京", "Paintworks Tokyo"],
    ),
    (
        HANBIT,
        "Hanbit Animation Co., Ltd.",
        "subcontract_studio",
        "KR",
        80,
        ["한빛애니메이션", "ハンビットアニメーション"],
    ),
    (YUNFAN, "上海云帆动画有限公司", "finishing_studio", "CN", 150, ["Yunfan Animation (Shanghai)", "雲帆動画"]),
    (MANILA, "Manila Toon Studio, Inc.", "subcontract_studio", "PH", 60, ["Manila Toon Studio"]),
    (SAIGON, "Saigon Inbetween Co., Ltd.", "subcontract_studio", "VN", 45, ["Saigon Inbetween"]),
    (
        TV_COMMITTEE,
        "「星灯りのアトリエ」製作委員会",
        "production_committee",
        "JP",
        None,
        ["星灯りのアトリエ製作委員会"],
    ),
    (FILM_COMMITTEE, "「蒼の境界線」製作委員会", "production_committee", "JP", None, ["蒼の境界線製作委員会"]),
    (TOTO, "東都テレビ", "broadcaster", "JP", 900, ["Toto TV"]),
    (RINNE, "Rinne AI株式会社", "ai_vendor", "JP", 30, ["Rinne AI", "輪廻AI"]),
    (HOKKYOKUSEI, "スタジオ北極星", "other", "JP", 20, ["Studio Hokkyokusei"]),
]
BG_GENERATOR, BG_GENERATOR_13, PAINT_ASSIST, FRAMEBRIDGE = 1, 2, 3, 4
SERVICES = [
    # id, name, version, kind, model id
    (BG_GENERATOR, "Kōrin BG Generator", "1.2", "generative_image", "rinne/korin-bg-sdxl-ft-2024-11"),
    (BG_GENERATOR_13, "Kōrin BG Generator", "1.3", "generative_image", "rinne/korin-bg-sdxl-ft-2025-05"),
    (PAINT_ASSIST, "Rinne Paint Assist", "0.9", "colorizer", "rinne/paint-assist-0.9"),
    (FRAMEBRIDGE, "FrameBridge", "2.0", "inbetween_interp", "rinne/framebridge-2"),
]


@functools.cache
def _tv_delivery(number: int) -> dt.date:
    # An episode every 20 days from mid-March; broadcast starts in July, so deliveries run ahead of air dates.
    return dt.date(2025, 3, 14) + dt.timedelta(days=20 * (number - 1))


TV, FILM, SHORT = "tv", "film", "short"
FILM_DELIVERY = dt.date(2025, 8, 22)
SHORT_DELIVERY = dt.date(2025, 1, 24)
PRODUCTIONS = {
    TV: dict(
        id=1,
        title="星灯りのアトリエ",
        title_romaji="Hoshiakari no Atorie",
        title_en="Atelier of Starlight",
        kind="tv",
        start_date=FIRST_DAY,
        end_date=_tv_delivery(12),
        ai_policy="limited",
    ),
    FILM: dict(
        id=2,
        title="蒼の境界線",
        title_romaji="Ao no Kyōkaisen",
        title_en="The Blue Borderline",
        kind="film",
        start_date=FIRST_DAY,
        end_date=FILM_DELIVERY,
        ai_policy="none",
    ),
    SHORT: dict(
        id=3,
        title="雪の日の犬",
        title_romaji="Yuki no Hi no Inu",
        title_en="The Dog on a Snowy Day",
        kind="short",
        start_date=FIRST_DAY,
        end_date=SHORT_DELIVERY,
        ai_policy="extensive",
    ),
}
EPISODE_TITLES = [
    "はじまりの灯",
    "雨の日の下絵",
    "消えない線",
    "夜明けの色",
    "二人の背景",
    "約束のカット",
    "迷子の原画",
    "止まった時計",
    "星を描く人",
    "最後の一枚",
    "灯りの向こう",
    "星灯りのアトリエ",
]

# ---------------------------------------------------------------------------------------------------------------
# The crew. Headcounts per labor-and-pay.md §8.1; "bulk" crews grow with --scale.


@dataclass(frozen=True)
class CrewSpec:
    code: str
    n: int
    home: str
    bulk: bool = False
    employee_share: float = 0.0
    light: bool = False  # writers, editors: fewer logged hours on this studio's work
    la: bool = False  # the Los Angeles unit (US-CA employees)


CREW = [
    CrewSpec("director", 1, TV),
    CrewSpec("series_composition", 1, TV, light=True),
    CrewSpec("script", 2, TV, light=True),
    CrewSpec("character_design", 1, TV),
    CrewSpec("chief_animation_director", 1, TV, employee_share=1.0),
    CrewSpec("storyboard", 2, TV),
    CrewSpec("episode_director", 3, TV),
    CrewSpec("animation_director", 4, TV),
    CrewSpec("art_director", 1, TV),
    CrewSpec("color_design", 1, TV, employee_share=1.0),
    CrewSpec("director_of_photography", 1, TV, employee_share=1.0),
    CrewSpec("cg_director", 1, TV, employee_share=1.0),
    CrewSpec("editing", 1, TV, light=True),
    CrewSpec("producer", 2, TV, employee_share=1.0),
    CrewSpec("production_desk", 1, TV, employee_share=1.0),
    CrewSpec("setting_production", 1, TV, employee_share=1.0),
    CrewSpec("production_assistant", 7, TV, employee_share=1.0),
    CrewSpec("key_animation", 30, TV, bulk=True, employee_share=0.17),
    CrewSpec("second_key_animation", 15, TV, bulk=True),
    CrewSpec("inbetween_check", 3, TV, employee_share=0.6),
    CrewSpec("inbetween", 26, TV, bulk=True, employee_share=0.45),
    CrewSpec("ink_and_paint", 12, TV, bulk=True, employee_share=0.2),
    CrewSpec("paint_check", 2, TV, employee_share=1.0),
    CrewSpec("background", 8, TV, bulk=True, employee_share=0.3),
    CrewSpec("photography", 6, TV, bulk=True, employee_share=1.0),
    CrewSpec("cg", 5, TV, bulk=True, employee_share=1.0),
    # the film
    CrewSpec("director", 1, FILM),
    CrewSpec("character_design", 1, FILM),
    CrewSpec("animation_director", 2, FILM),
    CrewSpec("art_director", 1, FILM),
    CrewSpec("key_animation", 12, FILM, bulk=True, employee_share=0.1),
    CrewSpec("inbetween", 9, FILM, bulk=True, employee_share=0.45),
    CrewSpec("background", 4, FILM, bulk=True, employee_share=0.3),
    CrewSpec("storyboard", 1, FILM, employee_share=1.0, la=True),
    CrewSpec("layout", 2, FILM, employee_share=1.0, la=True),
    CrewSpec("key_animation", 1, FILM, employee_share=1.0, la=True),
    # the short: a director, three key animators, and the two people behind the "AI (+Human)" backgrounds
    CrewSpec("director", 1, SHORT),
    CrewSpec("key_animation", 3, SHORT),
    CrewSpec("background", 2, SHORT),
]

SALARY_YEN = {
    "chief_animation_director": (300_000, 400_000),
    "color_design": (280_000, 320_000),
    "director_of_photography": (330_000, 380_000),
    "cg_director": (360_000, 400_000),
    "producer": (380_000, 450_000),
    "production_desk": (280_000, 320_000),
    "setting_production": (220_000, 250_000),
    "production_assistant": (200_000, 260_000),
    "key_animation": (230_000, 290_000),
    "inbetween_check": (220_000, 260_000),
    "inbetween": (200_000, 240_000),
    "ink_and_paint": (200_000, 230_000),
    "paint_check": (210_000, 240_000),
    "background": (240_000, 300_000),
    "photography": (210_000, 300_000),
    "cg": (220_000, 320_000),
}
# basis, unit kind, rate (triangular low/mode/high, yen), hours per unit (median) — §3.1, §3.2, §8.1
PIECE = {
    (TV, "key_animation"): ("per_cut", "cut", (3800, 4200, 7000), 5.0),
    (TV, "second_key_animation"): ("per_cut", "cut", (1500, 2000, 3000), 2.6),
    (TV, "inbetween"): ("per_sheet", "sheet", (180, 220, 400), 0.62),
    (TV, "ink_and_paint"): ("per_sheet", "sheet", (150, 200, 250), 0.25),
    (TV, "background"): ("per_background", "background", (3000, 4000, 5000), 3.6),
    (FILM, "key_animation"): ("per_cut", "cut", (13000, 15000, 20000), 13.5),
    (FILM, "inbetween"): ("per_sheet", "sheet", (280, 311, 360), 0.8),
    (FILM, "background"): ("per_background", "background", (9000, 12000, 15000), 7.0),
    (SHORT, "key_animation"): ("per_cut", "cut", (7000, 8000, 9000), 7.0),
}
# per-episode fee (triangular, yen) and the weeks of work it pays for, ending this many days before delivery
PER_EPISODE = {
    "director": ((180_000, 200_000, 250_000), None, 0),
    "series_composition": ((120_000, 140_000, 160_000), None, 0),
    "script": ((150_000, 170_000, 200_000), 8, 120),
    "character_design": ((70_000, 80_000, 100_000), None, 0),
    "storyboard": ((170_000, 212_000, 250_000), 3, 50),
    "episode_director": ((160_000, 210_000, 250_000), 6, 0),
    "animation_director": ((200_000, 300_000, 350_000), 5, 0),
    "art_director": ((230_000, 260_000, 300_000), None, 0),
    "editing": ((70_000, 80_000, 90_000), 2, 0),
    "inbetween_check": ((60_000, 70_000, 90_000), None, 0),
}
# how many people of a per-episode role one TV episode needs
PER_EPISODE_STAFF = {"script": 1, "storyboard": 1, "episode_director": 1, "animation_director": 2, "editing": 1}
# share of TV episodes a continuous-crew member works on
EPISODE_SHARE = {
    "key_animation": 0.57,
    "second_key_animation": 0.5,
    "inbetween": 0.55,
    "ink_and_paint": 0.65,
    "background": 0.7,
    "production_assistant": 2 / 7,
}
UNIT_OF_ROLE = {
    "inbetween": "sheet",
    "ink_and_paint": "sheet",
    "background": "background",
    "key_animation": "cut",
    "second_key_animation": "cut",
}
DEFAULT_HOURS_PER_UNIT = {"sheet": 0.55, "background": 3.0, "cut": 4.6}  # salaried artists' output
TV_AI_FROM = dt.date(2025, 4, 1)  # the in-house background generator and paint assist arrive on the series
TV_INTERP_FROM = dt.date(2025, 6, 1)
PROMOTION = dt.date(2025, 4, 1)  # contract staff made regular at the start of the fiscal year


@dataclass
class Member:
    """One person of the demo crew and everything the generator decided about them."""

    pid: int
    spec: CrewSpec
    role: Role
    rng: np.random.Generator
    employee: bool
    employment_type: str
    prefecture: str | None
    stints: list[tuple[str, dt.date, dt.date]]
    tv_episodes: list[int] = field(default_factory=list)
    windows: list[tuple[int, dt.date, dt.date]] = field(default_factory=list)  # per-episode (ep, from, to)
    salary: int | None = None
    hourly: float | None = None
    piece: dict[str, tuple[str, str, float, float]] = field(default_factory=dict)  # prod -> basis, kind, rate, h/unit
    episode_fee: int | None = None
    fixed_fees: list[tuple[str, dt.date, dt.date, int]] = field(default_factory=list)
    monthly_fee: dict[str, int] = field(default_factory=dict)
    scheduled_hours: float | None = None
    premium_mode: str = "ok"
    no_rest_in_crunch: bool = False
    credited: dict[str, bool] = field(default_factory=dict)
    alias_ids: dict[str, int] = field(default_factory=dict)  # 'real', 'pen', 'variant'
    person: dict[str, Any] = field(default_factory=dict)
    employment_start: dt.date = FIRST_DAY
    employment_end: dt.date | None = None
    service_start: dt.date | None = None  # first day of the (first) contract: annual leave counts from it


def _rng(seed: int, *keys: int | str) -> np.random.Generator:
    ints = [zlib.crc32(k.encode()) if isinstance(k, str) else int(k) for k in keys]
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, *ints])


def _tri(rng: np.random.Generator, low_mode_high: Sequence[float]) -> float:
    low, mode, high = low_mode_high
    return float(rng.triangular(low, mode, high))


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, d = [], start.replace(day=1)
    while d <= end:
        out.append(d)
        d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def _months_later(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    year, month = divmod(d.year * 12 + d.month - 1 + months, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def _month_end(d: dt.date) -> dt.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _yen(x: float) -> Decimal:
    return Decimal(int(round(x)))


def _usd(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


# ---------------------------------------------------------------------------------------------------------------
# The loader


class _Ids:
    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        n = self._next.get(table, 1)
        self._next[table] = n + 1
        return n

    def count(self, table: str) -> int:
        return self._next.get(table, 1) - 1


class _Writer:
    """Buffers rows per table and writes them in chunks (COPY on PostgreSQL for the big tables)."""

    def __init__(self, conn: Connection, progress: Callable[[str], None] | None) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        self.progress = progress
        self._reported = 0
        self.peak = 0

    def add(self, table: str, row: dict[str, Any]) -> None:
        buf = self.buffers.setdefault(table, [])
        buf.append(row)
        if len(buf) > self.peak:
            self.peak = len(buf)
        if len(buf) >= CHUNK_ROWS:
            self.flush()  # every table, parents first, so a child chunk never lands before its parents

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else [t for t in DEMO_TABLES if t in self.buffers]:
            rows = self.buffers.get(name)
            if not rows:
                continue
            tbl = Base.metadata.tables[name]
            if self.pg and name in ("work_log", "pay_item"):
                cols = list(rows[0])
                raw = self.conn.connection.driver_connection
                with raw.cursor() as cur, cur.copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row([r[c] for c in cols])
            elif name in ("work_log", "pay_item"):
                # plain executemany with the columns' own bind processors: same stored text, far less overhead
                cols = list(rows[0])
                dialect = self.conn.dialect
                procs = [tbl.c[c].type._cached_bind_processor(dialect) for c in cols]
                pairs = list(zip(cols, procs, strict=True))
                data = [tuple(p(r[c]) if p else r[c] for c, p in pairs) for r in rows]
                sql = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                self.conn.exec_driver_sql(sql, data)
            else:
                self.conn.execute(insert(tbl), rows)
            self.counts[name] = self.counts.get(name, 0) + len(rows)
            self.buffers[name] = []
            if self.progress and name == "work_log" and self.counts[name] - self._reported >= 500_000:
                self._reported = self.counts[name]
                self.progress(f"work_log rows written: {self.counts[name]:,}")


def load_demo(
    engine: Engine,
    *,
    seed: int = 42,
    scale: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Fill an empty database with the demo studio for ``seed``; ``scale`` multiplies the piece-work crews.

    Raises :class:`DemoError` when the database already holds studio data or ``scale`` is not positive.
    """
    if not (scale > 0):
        raise DemoError(f"--scale must be a positive number (got {scale}); 1.0 is the demo studio, 119 ≈ 5M work logs")
    if not is_empty(engine) or not _demo_tables_empty(engine):
        url = engine.url.render_as_string(hide_password=True)
        raise DemoError(
            f"the database at {url} already holds studio data; load the demo into an empty database "
            "(or run `python -m data.demo --if-empty` to skip when it is not empty)"
        )
    started = time.perf_counter()
    with session_scope(engine) as session:
        gen = _Generator(session, int(seed), float(scale), progress)
        gen.run()
        rollup.refresh(session, person_ids=None, start=FIRST_DAY, end=LAST_DAY)
        gen.accounts()
        counts = gen.counts()
    if engine.dialect.name == "postgresql":
        _advance_sequences(engine)
    return DemoSummary(
        seed=int(seed),
        scale=float(scale),
        first_day=FIRST_DAY,
        last_day=LAST_DAY,
        seconds=round(time.perf_counter() - started, 2),
        **counts,
    )


def _demo_tables_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        for name in ("organization", "production", "person_alias", "work_log", "pay_item", "credit_line"):
            if conn.execute(select(text("1")).select_from(Base.metadata.tables[name]).limit(1)).first():
                return False
    return True


def _advance_sequences(engine: Engine) -> None:
    # Rows carry explicit IDs, so PostgreSQL's sequences must catch up before anyone else inserts.
    with engine.begin() as conn:
        for name in DEMO_TABLES:
            table = Base.metadata.tables[name]
            if "id" not in table.c:
                continue
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
                    f"FROM {name}"
                )
            )


class _Generator:
    def __init__(self, session: Session, seed: int, scale: float, progress: Callable[[str], None] | None) -> None:
        self.session = session
        self.conn = session.connection()
        self.seed = seed
        self.scale = scale
        self.ids = _Ids()
        self.out = _Writer(self.conn, progress)
        self.progress = progress
        self.roles = {r.code: r for r in session.scalars(select(Role))}
        self.members: list[Member] = []
        self.episode_ids: dict[tuple[str, int], int] = {}
        self.cut_ids: dict[tuple[str, int], list[int]] = {}
        self.org_alias_ids: dict[int, int] = {}  # org id -> its main alias id
        self.placeholder_alias: dict[str, int] = {}
        self.creator_pid: int | None = None
        self.uncredited_tv: list[int] = []

    # -- small tables ------------------------------------------------------------------------------------------

    def run(self) -> None:
        self.organizations()
        self.productions()
        self.crew()
        for m in self.members:
            self.work_and_pay(m)
        self.out.flush()
        self.ai_ledger()
        self.credits()
        self.out.flush()

    def counts(self) -> dict[str, int]:
        c = self.out.counts
        return dict(
            organizations=c.get("organization", 0),
            services=c.get("service", 0),
            productions=c.get("production", 0),
            episodes=c.get("episode", 0),
            cuts=c.get("cut", 0),
            people=c.get("person", 0),
            person_aliases=c.get("person_alias", 0),
            employments=c.get("employment", 0),
            leave_entries=c.get("annual_leave", 0),
            work_logs=c.get("work_log", 0),
            pay_items=c.get("pay_item", 0),
            ai_usages=c.get("ai_usage", 0),
            credit_lines=c.get("credit_line", 0),
            accounts=c.get("account", 0),
            peak_buffered_rows=self.out.peak,
        )

    def organizations(self) -> None:
        for oid, name, kind, country, employees, aliases in ORGS:
            self.out.add(
                "organization",
                dict(id=self.ids("organization"), name=name, kind=kind, country=country, employee_count=employees),
            )
            for i, alias in enumerate([name, *aliases]):
                aid = self.ids("org_alias")
                if i == 0:
                    self.org_alias_ids[oid] = aid
                self.out.add("org_alias", dict(id=aid, organization_id=oid, text=alias, match_key=org_key(alias)))
        # Article 36 agreement in force all year; its special clause only from April 2025 (the crunch months).
        for has36, special, start, end, org in [
            (True, False, dt.date(2024, 4, 1), dt.date(2025, 3, 31), MAIN),
            (True, True, dt.date(2025, 4, 1), dt.date(2026, 3, 31), MAIN),
            (False, False, dt.date(2024, 4, 1), None, SEIRAN),
        ]:
            self.out.add(
                "labor_agreement",
                dict(
                    id=self.ids("labor_agreement"),
                    organization_id=org,
                    has_36_agreement=has36,
                    special_clause=special,
                    variable_hours_1y=False,
                    valid_from=start,
                    valid_to=end,
                ),
            )
        for _sid, name, version, kind, model in SERVICES:
            weights = hashlib.sha256(f"{name}:{version}".encode()).hexdigest()
            self.out.add(
                "service",
                dict(
                    id=self.ids("service"),
                    name=name,
                    match_key=person_key(name),
                    vendor_id=RINNE,
                    version=version,
                    model_id=model,
                    weights_sha256=weights,
                    kind=kind,
                ),
            )
        self.out.flush()

    def productions(self) -> None:
        rng = _rng(self.seed, "productions")
        for key in (TV, FILM, SHORT):
            p = PRODUCTIONS[key]
            self.out.add("production", dict(**p, studio_id=MAIN, external_ref=None))
        self.ids._next["production"] = 4
        specs: list[tuple[str, int, str, str | None, dt.date, int, float, float]] = []
        for n in range(1, 13):
            cuts = int(np.clip(round(rng.normal(300, 40)), 220, 420))
            sheets = float(np.clip(rng.lognormal(np.log(4000), 0.4367), 2000, 12000))
            specs.append((TV, n, str(n), EPISODE_TITLES[n - 1], _tv_delivery(n), cuts, sheets, 1290.0))
        specs.append((FILM, 1, "film", None, FILM_DELIVERY, int(rng.integers(1150, 1300)), 52000.0, 6300.0))
        specs.append((SHORT, 1, "short", None, SHORT_DELIVERY, int(rng.integers(38, 46)), 420.0, 180.0))
        for prod, number, label, title, delivery, cuts, sheets, seconds in specs:
            eid = self.ids("episode")
            self.episode_ids[(prod, number)] = eid
            self.out.add(
                "episode",
                dict(
                    id=eid,
                    production_id=PRODUCTIONS[prod]["id"],
                    number=number,
                    label=label,
                    title=title,
                    delivery_date=delivery,
                ),
            )
            weights = rng.gamma(2.0, 1.0, cuts)
            secs = np.maximum(0.5, np.round(weights / weights.sum() * seconds * 2) / 2)
            sheet_w = weights * rng.lognormal(0, 0.5, cuts)
            cut_sheets = np.maximum(1, np.round(sheet_w / sheet_w.sum() * sheets)).astype(int)
            ids = []
            for i in range(cuts):
                cid = self.ids("cut")
                ids.append(cid)
                self.out.add(
                    "cut",
                    dict(
                        id=cid,
                        episode_id=eid,
                        cut_number=f"{i + 1:03d}",
                        seconds=float(secs[i]),
                        frames=int(round(secs[i] * 24)),
                        sheets=int(cut_sheets[i]),
                    ),
                )
            self.cut_ids[(prod, number)] = ids
        self.out.flush()

    # -- people ------------------------------------------------------------------------------------------------

    def crew(self) -> None:
        slots: list[tuple[int, int, CrewSpec]] = []
        for si, spec in enumerate(CREW):
            n = max(2, round(spec.n * self.scale)) if spec.bulk else spec.n
            for k in range(min(n, spec.n)):
                slots.append((si, k, spec))
        for si, spec in enumerate(CREW):  # extra people for --scale come after the base crew, so IDs stay put
            n = max(2, round(spec.n * self.scale)) if spec.bulk else spec.n
            for k in range(spec.n, n):
                slots.append((si, k, spec))
        la_index = 0
        pen_index = 0
        for si, k, spec in slots:
            pid = self.ids("person")
            m = self._member(pid, si, k, spec)
            if spec.la:
                self._la_person(m, LA_NAMES[la_index % len(LA_NAMES)], la_index)
                la_index += 1
            else:
                pen = None
                if m.rng.random() < 0.08 or (si, k) in {(5, 1), (7, 2), (17, 3), (20, 4)}:
                    pen = PEN_NAMES[pen_index % len(PEN_NAMES)] + ("" if pen_index < len(PEN_NAMES) else str(pen_index))
                    pen_index += 1
                self._jp_person(m, pen)
            self.members.append(m)
        self._assign_episodes()
        # the original creator of the TV series: credited, never logs work here
        pid = self.ids("person")
        self.creator_pid = pid
        creator = Member(
            pid=pid,
            spec=CrewSpec("original_creator", 1, TV),
            role=self.roles["original_creator"],
            rng=_rng(self.seed, "creator"),
            employee=False,
            employment_type="freelancer",
            prefecture=None,
            stints=[],
        )
        self._jp_person(creator, "朝霧しずく", visibility="pen_name_only")
        self.creator = creator
        for m in [*self.members, creator]:
            self._write_person(m)
        self.out.flush()

    def _member(self, pid: int, si: int, k: int, spec: CrewSpec) -> Member:
        rng = _rng(self.seed, "person", si, k)
        role = self.roles[spec.code]
        employee = bool(rng.random() < spec.employee_share)
        if spec.home == SHORT and spec.code == "background":
            employee = k == 0  # the AI operator is on staff; the retoucher is a freelancer
        if spec.la:
            etype = "employee_regular" if k % 2 == 0 else "employee_contract"
        elif employee:
            # regular 45 / contract 45 / part-time 10 overall (§8.2), tilted by role
            p = {
                "paint_check": (0.2, 0.3, 0.5),
                "inbetween": (0.2, 0.7, 0.1),
                "ink_and_paint": (0.2, 0.4, 0.4),
                "inbetween_check": (0.4, 0.5, 0.1),
                "photography": (0.4, 0.45, 0.15),
                "cg": (0.4, 0.45, 0.15),
            }.get(spec.code, (0.45, 0.45, 0.1))
            if spec.code in ("production_assistant", "producer", "production_desk", "director_of_photography"):
                p = (0.7, 0.3, 0.0)
            etype = str(rng.choice(["employee_regular", "employee_contract", "employee_parttime"], p=p))
        else:
            etype = "sole_proprietor_with_staff" if rng.random() < 0.06 else "freelancer"
        if spec.la:
            prefecture = None
        elif employee:
            prefecture = "Saitama" if rng.random() < 0.05 else "Tokyo"
        else:
            prefecture = str(rng.choice(["Tokyo", "Saitama", "Kanagawa", "Osaka"], p=[0.8, 0.08, 0.07, 0.05]))
        if spec.home == TV:
            stints = [(TV, FIRST_DAY, LAST_DAY)]
        elif spec.home == FILM and spec.code in ("director", "character_design", "animation_director", "art_director"):
            stints = [(FILM, FIRST_DAY, FILM_DELIVERY)]  # the film's leads leave when it is delivered
        elif spec.home == SHORT and spec.code == "director":
            stints = [(SHORT, FIRST_DAY, SHORT_DELIVERY)]
        elif spec.home == FILM:
            stints = [(FILM, FIRST_DAY, FILM_DELIVERY), (TV, FILM_DELIVERY + dt.timedelta(days=1), LAST_DAY)]
        else:
            start = dt.date(2024, 12, 2) if spec.code == "background" else FIRST_DAY
            stints = [(SHORT, start, SHORT_DELIVERY), (TV, SHORT_DELIVERY + dt.timedelta(days=1), LAST_DAY)]
        m = Member(
            pid=pid,
            spec=spec,
            role=role,
            rng=rng,
            employee=employee,
            employment_type=etype,
            prefecture=prefecture,
            stints=stints,
        )
        # New in-betweeners join in April (the Japanese hiring season); a few contracts end in summer.
        if spec.code == "inbetween" and spec.home == TV and rng.random() < 0.15:
            m.employment_start = dt.date(2025, 4, 1)
        elif spec.bulk and rng.random() < 0.04:
            m.employment_end = dt.date(2025, 6, 30)
        m.stints = [(p, max(a, m.employment_start), min(b, m.employment_end or LAST_DAY)) for p, a, b in m.stints]
        m.stints = [s for s in m.stints if s[1] <= s[2]]
        self._pay_plan(m)
        m.no_rest_in_crunch = bool(rng.random() < (0.04 if employee else 0.08))
        m.premium_mode = str(rng.choice(["ok", "fixed_30h", "no_premium_rate", "no_night"], p=[0.35, 0.4, 0.15, 0.1]))
        return m

    def _pay_plan(self, m: Member) -> None:
        rng, code = m.rng, m.spec.code
        if m.spec.la:
            base = {"storyboard": 52.0, "layout": 41.0, "key_animation": 46.0}[code]
            m.hourly = round(base * float(rng.uniform(0.95, 1.1)), 2)
            return
        if m.employment_type == "employee_parttime":
            # some part-timers sit at ¥1,200/h, which Tokyo's ¥1,226 minimum overtakes on 2025-10-03
            m.hourly = float(rng.choice([1200, 1250, 1300, 1350], p=[0.4, 0.3, 0.2, 0.1]))
            m.scheduled_hours = float(rng.choice([80.0, 100.0, 120.0]))
            return
        if m.employee:
            m.scheduled_hours = float(rng.choice([160.0, 163.3, 168.0], p=[0.3, 0.4, 0.3]))
            if code == "key_animation" and m.spec.home == TV and rng.random() < 0.5:
                # a piece-rate employee (歩合給): hovers around the minimum wage, clearing it some months only
                m.piece[TV] = ("per_cut", "cut", float(rng.choice([4000, 4200, 4500])), 0.0)
                m.piece[TV] = (*m.piece[TV][:3], m.piece[TV][2] / float(rng.uniform(1140, 1300)))
                return
            if code == "background" and m.spec.home == SHORT:
                m.salary = 250_000
                return
            low, high = SALARY_YEN.get(code, (220_000, 300_000))
            m.salary = int(round(rng.uniform(low, high), -3))
            return
        # freelancers
        for prod in (TV, FILM, SHORT):
            spec = PIECE.get((prod, code))
            if spec:
                basis, kind, rates, hpu = spec
                m.piece[prod] = (basis, kind, round(_tri(rng, rates), -1), float(hpu * rng.lognormal(0, 0.22)))
        if code in PER_EPISODE:
            m.episode_fee = int(round(_tri(rng, PER_EPISODE[code][0]), -3))
        if code == "character_design" and m.spec.home == TV:
            m.fixed_fees.append((TV, FIRST_DAY, dt.date(2025, 1, 31), 1_200_000))
        if m.spec.home == FILM and code in ("director", "character_design", "animation_director", "art_director"):
            m.monthly_fee[FILM] = int(round(rng.uniform(320_000, 420_000), -3))
            m.episode_fee = m.episode_fee if code in PER_EPISODE else None
        if m.spec.home == SHORT and code == "director":
            m.fixed_fees.append((SHORT, FIRST_DAY, SHORT_DELIVERY, 900_000))
        if m.spec.home == SHORT and code == "background":
            # retouching the generated backgrounds, paid as one flat job
            m.fixed_fees.append((SHORT, m.stints[0][1], SHORT_DELIVERY, 250_000))
            basis, kind, rates, hpu = PIECE[(TV, "background")]
            m.piece[TV] = (basis, kind, round(_tri(rng, rates), -1), hpu)

    def _jp_person(self, m: Member, pen: str | None, visibility: str | None = None) -> None:
        rng = m.rng
        fam = FAMILY[int(rng.integers(len(FAMILY)))]
        giv = GIVEN[int(rng.integers(len(GIVEN)))]
        family = fam[0]
        variant = None
        if family in VARIANT_GLYPH and rng.random() < 0.6:
            # registered under 髙橋, credited as 高橋 on some shows (or the reverse)
            if rng.random() < 0.5:
                family, variant = VARIANT_GLYPH[family], family
            else:
                variant = VARIANT_GLYPH[family]
        visibility = visibility or ("pen_name_only" if pen and rng.random() < 0.5 else "public")
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
        if rng.random() < 0.4:
            m.person["email"] = f"{ascii_romaji(giv[2]).lower()}.{ascii_romaji(fam[2]).lower()}.{m.pid}@example.jp"
        m.person["_aliases"] = [
            ("real", f"{family}{giv[0]}", "real_name", visibility == "public"),
            ("romaji", f"{giv[2]} {fam[2]}", "romanization", visibility == "public"),
        ]
        if variant:
            m.person["_aliases"].append(("variant", f"{variant}{giv[0]}", "variant_glyph", visibility == "public"))
        if pen:
            m.person["_aliases"].append(("pen", pen, "pen_name", True))

    def _la_person(self, m: Member, name: tuple[str, str, str, str], index: int) -> None:
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

    def _write_person(self, m: Member) -> None:
        p = dict(m.person)
        aliases = p.pop("_aliases")
        p.setdefault("email", None)
        self.out.add("person", dict(id=m.pid, **p, created_at=STAMP, updated_at=STAMP))
        for key, alias, kind, public in aliases:
            aid = self.ids("person_alias")
            m.alias_ids[key] = aid
            m.person.setdefault("_texts", {})[key] = alias
            self.out.add(
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
        )
        start = (
            dt.date(2019 + int(m.rng.integers(0, 5)), 4, 1) if m.employment_start == FIRST_DAY else m.employment_start
        )
        m.service_start = start
        if base["discretionary_work"] and m.pid % 4:
            # Consent recorded when the rule began to require it (or at hire); every fourth producer has none on
            # record, which JP-DISC-01 reports.
            base["discretionary_consent_date"] = max(start, CONSENT_REQUIRED_FROM)
        else:
            base["discretionary_consent_date"] = None
        if m.employment_type == "employee_contract" and not m.spec.la and start < PROMOTION and m.rng.random() < 0.12:
            # promoted to regular staff at the start of the fiscal year
            self.out.add(
                "employment",
                dict(
                    id=self.ids("employment"),
                    **base,
                    employment_type="employee_contract",
                    start_date=start,
                    end_date=dt.date(2025, 3, 31),
                ),
            )
            self.out.add(
                "employment",
                dict(
                    id=self.ids("employment"),
                    **base,
                    employment_type="employee_regular",
                    start_date=dt.date(2025, 4, 1),
                    end_date=m.employment_end,
                ),
            )
        else:
            self.out.add(
                "employment",
                dict(
                    id=self.ids("employment"),
                    **base,
                    employment_type=m.employment_type,
                    start_date=start,
                    end_date=m.employment_end,
                ),
            )
        self.out.add(
            "affiliation",
            dict(
                id=self.ids("affiliation"),
                person_id=m.pid,
                organization_id=employer,
                kind="employee" if m.employee else "contracted",
                valid_from=start,
                valid_to=m.employment_end,
                source="demo",
            ),
        )
        if _via_seiran(m):
            # a freelancer who sits at a subcontract studio: credited 「名前（スタジオ青嵐）」
            self.out.add(
                "affiliation",
                dict(
                    id=self.ids("affiliation"),
                    person_id=m.pid,
                    organization_id=SEIRAN,
                    kind="member",
                    valid_from=start,
                    valid_to=None,
                    source="demo",
                ),
            )

    def _assign_episodes(self) -> None:
        rng = _rng(self.seed, "assign")
        by_code: dict[str, list[Member]] = {}
        for m in self.members:
            tv = [s for s in m.stints if s[0] == TV]
            if not tv:
                continue
            eligible = [n for n in range(1, 13) if _tv_delivery(n) >= tv[0][1]] or [12]
            if m.spec.code in PER_EPISODE and m.spec.home == TV and not m.employee:
                by_code.setdefault(m.spec.code, []).append(m)
                continue
            share = EPISODE_SHARE.get(m.spec.code, 1.0)
            if m.spec.code == "production_assistant":
                idx = sum(1 for x in self.members if x.spec.code == "production_assistant" and x.pid < m.pid)
                eps = [n for n in eligible if (n - 1) % 7 == idx % 7]
            else:
                eps = [n for n in eligible if m.rng.random() < share]
            m.tv_episodes = eps or [eligible[int(m.rng.integers(len(eligible)))]]
        for code, people in by_code.items():
            fee, weeks, lead = PER_EPISODE[code]
            if weeks is None:  # the whole series, one window per episode, back to back
                for m in people:
                    m.tv_episodes = list(range(1, 13))
                    prev = FIRST_DAY
                    for n in range(1, 13):
                        end = _tv_delivery(n)
                        m.windows.append((n, prev, end))
                        prev = end + dt.timedelta(days=1)
                continue
            free = {m.pid: FIRST_DAY for m in people}
            need = PER_EPISODE_STAFF[code]
            for n in range(1, 13):
                end = _tv_delivery(n) - dt.timedelta(days=lead)
                start = max(FIRST_DAY, end - dt.timedelta(weeks=weeks) + dt.timedelta(days=1))
                ranked = sorted(people, key=lambda x: (max(0, (free[x.pid] - start).days), float(rng.random())))
                for m in ranked[:need]:
                    m.tv_episodes.append(n)
                    m.windows.append((n, start, end))
                    free[m.pid] = end + dt.timedelta(days=1)

    # -- work logs and pay ---------------------------------------------------------------------------------------

    def work_and_pay(self, m: Member) -> None:
        days = self._days(m)
        if not days:
            return
        for d in days:
            for row in d["logs"]:
                self.out.add("work_log", row)
        if m.spec.la:
            self._pay_la(m, days)
        else:
            self._pay_jp(m, days)
            self._leave_ledger(m, {d["date"] for d in days})

    def _leave_ledger(self, m: Member, worked: set[dt.date]) -> None:
        """A JP employee's annual leave ledger, kept from LEDGER_FROM: the statutory grants (one day short in about
        one grant in twenty; a proportional 7 days for part-timers) and about 6.5 days taken a year, on weekdays
        not worked, so about one year in five falls under the five days the employer must ensure (JP-LEAVE-01).
        Its own random stream: the rest of the demo is the same with or without it."""
        if not m.employee or m.service_start is None:
            return
        rng = _rng(self.seed, "leave", m.pid)
        part_time = m.employment_type == "employee_parttime"
        last = min(LAST_DAY, m.employment_end or LAST_DAY)
        k = 0
        while (due := _months_later(m.service_start, 6 + 12 * k)) <= last:
            days = 7 if part_time else LEAVE_SCHEDULE[min(k, len(LEAVE_SCHEDULE) - 1)]
            k += 1
            if due < LEDGER_FROM:
                continue
            granted = days - 1 if rng.random() < 0.05 else days
            self.out.add("annual_leave", self._leave_row(m, "grant", due, granted))
            year_end = min(_months_later(m.service_start, 6 + 12 * k) - dt.timedelta(days=1), last)
            free = [
                due + dt.timedelta(days=i)
                for i in range((year_end - due).days + 1)
                if (due + dt.timedelta(days=i)).weekday() < 5 and due + dt.timedelta(days=i) not in worked
            ]
            taken = min(len(free), granted, int(rng.poisson(6.5)))
            for day in sorted(rng.choice(len(free), size=taken, replace=False).tolist()) if taken else []:
                self.out.add("annual_leave", self._leave_row(m, "taken", free[day], 1))

    def _leave_row(self, m: Member, kind: str, day: dt.date, days: int) -> dict[str, Any]:
        return dict(
            id=self.ids("annual_leave"),
            person_id=m.pid,
            kind=kind,
            on_date=day,
            days=Decimal(days),
            note=None,
            batch_id=None,
            source_key=None,
            content_hash=None,
        )

    def _current(self, m: Member, day: dt.date) -> tuple[str, int, dt.date] | None:
        """(production, episode number, its delivery date) the person works on that day, or None."""
        prod = next((p for p, a, b in m.stints if a <= day <= b), None)
        if prod is None:
            return None
        if prod == FILM:
            return FILM, 1, FILM_DELIVERY
        if prod == SHORT:
            return SHORT, 1, SHORT_DELIVERY
        if m.windows:
            for n, a, b in m.windows:
                if a <= day <= b:
                    return TV, n, b
            return None
        for n in m.tv_episodes:
            if _tv_delivery(n) >= day:
                return TV, n, _tv_delivery(n)
        return TV, m.tv_episodes[-1], _tv_delivery(m.tv_episodes[-1])

    def _days(self, m: Member) -> list[dict[str, Any]]:
        rng = m.rng
        # per-day draws use the stdlib generator (fast scalar draws), seeded from the person's own stream
        r = random.Random(int(rng.integers(2**62)))
        start = min(s[1] for s in m.stints)
        end = max(s[2] for s in m.stints)
        part_time = m.employment_type == "employee_parttime"
        mu = 112.0 if part_time else (118.0 if m.spec.light else 192.0 + (9.0 if m.employee else 0.0))
        mu = float(rng.normal(mu, 12))
        crunch: dict[tuple[str, int], tuple[int, float]] = {}
        all_eps = m.spec.code not in EPISODE_SHARE and m.spec.code not in PER_EPISODE_STAFF

        def crunch_of(prod: str, n: int) -> tuple[int, float]:
            if (prod, n) not in crunch:
                length = r.randint(21, 42) if prod == FILM else r.randint(14, 28)
                if prod == TV and r.random() > (0.35 if all_eps else 0.75):
                    length = 0  # not every delivery is a crunch for everyone
                crunch[(prod, n)] = (length, r.uniform(0.2, 0.4))
            return crunch[(prod, n)]

        days: list[dict[str, Any]] = []
        for month in _months(start, end):
            first = max(month, start)
            last = min(_month_end(month), end)
            span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
            current = [self._current(m, d) for d in span]
            active = [d for d, c in zip(span, current, strict=True) if c is not None]
            if not active:
                continue
            month_len = calendar.monthrange(month.year, month.month)[1]
            frac = len(active) / month_len
            if part_time:
                off = r.randint(12, 16)
            else:
                cat = r.choices(range(5), weights=[0.17, 0.24, 0.15, 0.21, 0.23])[0]
                off = [r.randint(2, 3), 4, 5, r.randint(6, 7), r.randint(8, 10)][cat]
            off = int(round(off * frac))
            target = min(330.0, max(60.0, r.gauss(mu, 20))) * frac
            if m.spec.la:
                off_days = [d for d in active if d.weekday() >= 5]
            elif m.employee:
                weekend = [d for d in active if d.weekday() == 6] + [d for d in active if d.weekday() == 5]
                off_days = weekend[:off]
            else:
                off_days = sorted(r.sample(active, min(off, len(active))))
            planned = max(1, len(active) - len(off_days))
            base = target / planned
            productivity = r.gauss(1.0, 0.09)
            off_set = {d.toordinal() for d in off_days}
            for d, cur in zip(span, current, strict=True):
                if cur is None:
                    continue
                prod, n, delivery = cur
                length, uplift = crunch_of(prod, n)
                in_crunch = 0 <= (delivery - d).days < length
                if d.toordinal() in off_set:
                    keep_off = not in_crunch or (not m.no_rest_in_crunch and r.random() < 0.75)
                    if keep_off:
                        continue
                hours = base * r.gauss(1.0, 0.15) * (1.0 + uplift if in_crunch else 1.0)
                days.append(self._day(m, r, d, prod, n, min(16.0, max(3.0, hours)), productivity))
        return days

    def _day(
        self, m: Member, r: random.Random, day: dt.date, prod: str, n: int, hours: float, productivity: float
    ) -> dict[str, Any]:
        worked = int(round(hours * 12)) * 5
        ai = self._ai_fraction(m, r, prod, day)
        units, kind = None, None
        piece = m.piece.get(prod)
        unit_kind = piece[1] if piece else UNIT_OF_ROLE.get(m.spec.code)
        if unit_kind:
            hpu = piece[3] if piece else DEFAULT_HOURS_PER_UNIT[unit_kind]
            if m.spec.home == SHORT and m.spec.code == "background" and prod == SHORT:
                hpu = 6.0
            saved = 0.3 + 0.55 * ((m.pid * 7919) % 100) / 100.0  # time an AI-assisted unit saves this person
            raw = worked / 60.0 / (hpu * (1.0 - ai * saved)) * productivity * r.gauss(1.0, 0.08)
            step = 2 if unit_kind == "cut" else 1  # cuts progress in halves; sheets and backgrounds are whole
            units = math.floor(raw * step + r.random()) / step
            units, kind = max(0.0, units), unit_kind
        is_holiday = m.employee and not m.spec.la and day.weekday() == 6
        # start so that the evening runs into the night about as often as the late-night shares of §8.3 say
        if m.spec.la:
            start_min = int(r.gauss(570, 30))
        elif m.employee:
            start_min = int(r.gauss(600, 30))
        else:
            start_min = int(1320 + r.betavariate(2, 6) * worked - worked - 60)
        start_min = min(1200, max(420, start_min)) // 5 * 5
        cut_ids = self.cut_ids.get((prod, n)) or []
        cut_id = cut_ids[r.randrange(len(cut_ids))] if (units and cut_ids) else None
        ep_id = self.episode_ids[(prod, n)]
        sessions: list[tuple[int, int, int]] = []  # start minute from midnight, worked minutes, break minutes
        first = int(worked * r.uniform(0.4, 0.65)) // 5 * 5
        gap = r.randint(12, 36) * 5
        if worked >= 360 and r.random() < 0.15 and start_min + first + gap < 1440:
            # home for dinner, back at the desk later: two sessions on one work date
            sessions.append((start_min, first, 0))
            sessions.append((start_min + first + gap, worked - first, 0))
        else:
            if m.spec.la:
                brk = 30 if worked > 300 and r.random() > 0.08 else 0
            elif m.employee:
                brk = 60 if worked > 480 else 45 if worked > 360 else 0
                if brk and r.random() < 0.08:
                    brk = 30  # a short break the rules should catch
            else:
                brk = r.randint(6, 18) * 5 if worked > 360 else 0
            sessions.append((start_min, worked, brk))
        midnight = dt.datetime(day.year, day.month, day.day)
        logs = []
        night_total = 0
        for i, (s, w, brk) in enumerate(sessions):
            b_start = s + min(240, w // 2)
            end = s + w + brk
            night = _night(s, end) - _night(b_start, b_start + brk)
            night_total += night
            share_units = None
            if units is not None:
                if len(sessions) == 1:
                    share_units = units
                elif i == 0:
                    share_units = math.floor(units * w / worked * 2) / 2
                else:
                    share_units = units - logs[0]["units"]
            logs.append(
                dict(
                    id=self.ids("work_log"),
                    person_id=m.pid,
                    production_id=PRODUCTIONS[prod]["id"],
                    episode_id=ep_id,
                    cut_id=cut_id,
                    role_id=m.role.id,
                    task=m.role.ja,
                    work_date=day,
                    start_at=midnight + dt.timedelta(minutes=s),
                    end_at=midnight + dt.timedelta(minutes=end),
                    minutes=w,
                    break_minutes=brk,
                    night_minutes=night,
                    is_statutory_holiday=is_holiday,
                    units=share_units,
                    unit_kind=kind,
                    ai_assisted_fraction=ai,
                    note=None,
                )
            )
        return dict(
            date=day,
            prod=prod,
            ep=n,
            minutes=worked,
            night=night_total,
            holiday=is_holiday,
            units=units or 0.0,
            kind=kind,
            logs=logs,
        )

    def _ai_fraction(self, m: Member, r: random.Random, prod: str, day: dt.date) -> float:
        code = m.spec.code
        span = None
        if prod == SHORT:
            if code == "background":
                return 1.0
            span = {"ink_and_paint": (0.5, 0.9), "inbetween": (0.1, 0.4), "key_animation": (0.0, 0.1)}.get(code)
        elif prod == TV:
            if code == "background" and day >= TV_AI_FROM:
                span = (0.1, 0.4)
            elif code == "ink_and_paint" and day >= TV_AI_FROM:
                span = (0.2, 0.6)
            elif code == "inbetween" and day >= TV_INTERP_FROM:
                span = (0.0, 0.15)
        if not span:
            return 0.0
        return round(r.uniform(*span), 2)

    # pay ------------------------------------------------------------------------------------------------------

    def _pay(self, m: Member, **row: Any) -> None:
        base = dict(
            id=self.ids("pay_item"),
            person_id=m.pid,
            production_id=None,
            episode_id=None,
            cut_id=None,
            role_id=m.role.id,
            basis=None,
            units=None,
            unit_rate=None,
            amount=None,
            currency="JPY",
            period_start=None,
            period_end=None,
            commission_date=None,
            terms_issued_date=None,
            delivery_date=None,
            due_date=None,
            paid_date=None,
            agreed_amount=None,
            retake_count=0,
            retake_paid_amount=None,
            note=None,
        )
        base.update(row)
        self.out.add("pay_item", base)

    def _commission(self, m: Member, commissioned: dt.date, delivered: dt.date, amount: Decimal) -> dict[str, Any]:
        """Freelance Act dates: most in order; some terms late or missing, some due > 60 days, some paid late."""
        rng = m.rng
        r = rng.random()
        terms = (
            commissioned
            if r < 0.85
            else (commissioned + dt.timedelta(days=int(rng.integers(3, 31))) if r < 0.96 else None)
        )
        next_month_end = _month_end(_month_end(delivered) + dt.timedelta(days=1))
        due = next_month_end if rng.random() < 0.9 else _month_end(next_month_end + dt.timedelta(days=1))
        if (due - delivered).days > 60 and rng.random() < 0.5:
            due = delivered + dt.timedelta(days=60)
        r = rng.random()
        paid = due if r < 0.9 else (due + dt.timedelta(days=int(rng.integers(5, 46))) if r < 0.97 else None)
        if paid is not None and paid > LAST_DAY:
            paid = None
        retakes = int(rng.integers(1, 4)) if rng.random() < 0.08 else 0
        retake_paid = (_yen(float(amount) * 0.1) if rng.random() < 0.5 else Decimal(0)) if retakes else None
        return dict(
            commission_date=commissioned,
            terms_issued_date=terms,
            delivery_date=delivered,
            due_date=due,
            paid_date=paid,
            agreed_amount=amount,
            retake_count=retakes,
            retake_paid_amount=retake_paid,
        )

    def _pay_jp(self, m: Member, days: list[dict[str, Any]]) -> None:
        rng = m.rng
        by_month: dict[dt.date, list[dict[str, Any]]] = {}
        for d in days:
            by_month.setdefault(d["date"].replace(day=1), []).append(d)
        weekly_ot = _jp_weekly_overtime(days) if m.employee else {}
        for month, mdays in by_month.items():
            m_end = _month_end(month)
            # piece work, settled per month, production and episode (月末締め)
            groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
            for d in mdays:
                if d["kind"] and d["prod"] in m.piece:
                    groups.setdefault((d["prod"], d["ep"]), []).append(d)
            piece_total = 0.0
            for (prod, n), gdays in groups.items():
                basis, _kind, rate, _hpu = m.piece[prod]
                units = sum(d["units"] for d in gdays)
                if units <= 0:
                    continue
                amount = _yen(units * rate)
                piece_total += float(amount)
                extra = {} if m.employee else self._commission(m, gdays[0]["date"], gdays[-1]["date"], amount)
                self._pay(
                    m,
                    production_id=PRODUCTIONS[prod]["id"],
                    episode_id=self.episode_ids[(prod, n)],
                    basis=basis,
                    units=float(units),
                    unit_rate=_yen(rate),
                    amount=amount,
                    period_start=gdays[0]["date"],
                    period_end=gdays[-1]["date"],
                    **extra,
                )
            for prod, fee in m.monthly_fee.items():
                pdays = [d for d in mdays if d["prod"] == prod]
                if pdays:
                    stint = [s for s in m.stints if s[0] == prod][0]
                    covered = (min(m_end, stint[2]) - max(month, stint[1])).days + 1
                    amount = _yen(fee * covered / ((m_end - month).days + 1))
                    self._pay(
                        m,
                        production_id=PRODUCTIONS[prod]["id"],
                        episode_id=self.episode_ids[(prod, 1)],
                        basis="fixed_fee",
                        units=1.0,
                        unit_rate=amount,
                        amount=amount,
                        period_start=pdays[0]["date"],
                        period_end=pdays[-1]["date"],
                        note="monthly fee",
                        **self._commission(m, month, pdays[-1]["date"], amount),
                    )
            if m.employee:
                self._employee_month(m, month, mdays, piece_total, weekly_ot)
        # per-episode fees, one item per window, delivered on the window's last day
        if m.episode_fee:
            for n, a, b in m.windows:
                if not any(a <= d["date"] <= b for d in days):
                    continue
                amount = _yen(m.episode_fee)
                commissioned = max(FIRST_DAY, a - dt.timedelta(days=int(rng.integers(0, 11))))
                delivered = b + dt.timedelta(days=int(rng.integers(0, 4)) if rng.random() < 0.2 else 0)
                self._pay(
                    m,
                    production_id=PRODUCTIONS[TV]["id"],
                    episode_id=self.episode_ids[(TV, n)],
                    basis="per_episode",
                    units=1.0,
                    unit_rate=amount,
                    amount=amount,
                    period_start=a,
                    period_end=b,
                    **self._commission(m, commissioned, min(delivered, LAST_DAY), amount),
                )
        for prod, a, b, fee in m.fixed_fees:
            pdays = [d for d in days if d["prod"] == prod and a <= d["date"] <= b]
            if not pdays:
                continue
            amount = _yen(fee)
            self._pay(
                m,
                production_id=PRODUCTIONS[prod]["id"],
                episode_id=self.episode_ids[(prod, 1)] if prod != TV else None,
                basis="fixed_fee",
                units=1.0,
                unit_rate=amount,
                amount=amount,
                period_start=a,
                period_end=b,
                **self._commission(m, a, b, amount),
            )

    def _employee_month(
        self,
        m: Member,
        month: dt.date,
        mdays: list[dict[str, Any]],
        piece_total: float,
        weekly_ot: dict[dt.date, float],
    ) -> None:
        rng = m.rng
        m_end = _month_end(month)
        period = dict(period_start=max(month, m.employment_start), period_end=min(m_end, m.employment_end or m_end))
        prod_id = PRODUCTIONS[mdays[-1]["prod"]]["id"]
        hours = sum(d["minutes"] for d in mdays) / 60.0
        holiday_h = sum(d["minutes"] for d in mdays if d["holiday"]) / 60.0
        night_h = sum(d["night"] for d in mdays) / 60.0
        daily_ot = sum(max(0.0, d["minutes"] / 60.0 - 8.0) for d in mdays if not d["holiday"])
        ot = daily_ot + sum(v for k, v in weekly_ot.items() if k.replace(day=1) == month)
        sched = m.scheduled_hours or 160.0
        if m.salary:
            active = (period["period_end"] - period["period_start"]).days + 1
            salary = _yen(m.salary * active / ((m_end - month).days + 1))
            self._pay(
                m,
                production_id=prod_id,
                basis="monthly_salary",
                units=1.0,
                unit_rate=_yen(m.salary),
                amount=salary,
                **period,
                paid_date=min(LAST_DAY, month.replace(day=25)),
            )
            base, premium, full = m.salary / sched, 0.25, True
        elif m.hourly:
            self._pay(
                m,
                production_id=prod_id,
                basis="hourly",
                units=round(hours, 2),
                unit_rate=_yen(m.hourly),
                amount=_yen(hours * m.hourly),
                **period,
                paid_date=min(LAST_DAY, m_end),
            )
            base, premium, full = m.hourly, 0.25, False
        else:  # piece-rate employee: only the premium fraction is owed on top of the piece earnings
            base, premium, full = piece_total / max(hours, 1.0), 0.25, False
        # overtime, holiday and night premiums; some are underpaid so the compliance rules find something
        mode = m.premium_mode
        ot_paid = min(ot, 30.0) if mode == "fixed_30h" else ot
        if ot_paid > 0:
            mult = (1.0 if mode == "no_premium_rate" else 1.25) if full else premium
            over60 = max(0.0, ot_paid - 60.0)
            amount = base * (mult * (ot_paid - over60) + (mult + 0.25) * over60)
            self._pay(
                m,
                production_id=prod_id,
                basis="ot_premium",
                units=round(ot_paid, 2),
                unit_rate=_yen(base * mult),
                amount=_yen(amount),
                **period,
                note="fixed overtime allowance (30 h)" if mode == "fixed_30h" else None,
                paid_date=min(LAST_DAY, m_end),
            )
        if holiday_h > 0 and mode != "fixed_30h":
            mult = 1.35 if full else 0.35
            self._pay(
                m,
                production_id=prod_id,
                basis="holiday_premium",
                units=round(holiday_h, 2),
                unit_rate=_yen(base * mult),
                amount=_yen(base * mult * holiday_h),
                **period,
                paid_date=min(LAST_DAY, m_end),
            )
        if night_h > 0 and mode != "no_night":
            self._pay(
                m,
                production_id=prod_id,
                basis="night_premium",
                units=round(night_h, 2),
                unit_rate=_yen(base * 0.25),
                amount=_yen(base * 0.25 * night_h),
                **period,
                paid_date=min(LAST_DAY, m_end),
            )
        commute = 8_000 + 1_000 * (m.pid % 13)
        self._pay(
            m,
            basis="allowance",
            units=1.0,
            unit_rate=_yen(commute),
            amount=_yen(commute),
            **period,
            note="commuting allowance",
            paid_date=min(LAST_DAY, month.replace(day=25)),
        )
        if m.employment_type == "employee_regular" and m.salary and month.month in (12, 7):
            bonus = _yen(m.salary * float(rng.uniform(0.6, 1.2)))
            self._pay(
                m,
                basis="bonus",
                amount=bonus,
                **period,
                note="summer bonus" if month.month == 7 else "winter bonus",
                paid_date=month.replace(day=10),
            )

    def _pay_la(self, m: Member, days: list[dict[str, Any]]) -> None:
        # California: straight time for every hour plus the half-time premium for daily (> 8 h) and weekly (> 40 h)
        # overtime; one artist's premium ignores the daily rule, which the CA rules should flag.
        rate = m.hourly or 40.0
        daily_only_weekly = m.pid % 4 == 1
        by_month: dict[dt.date, list[dict[str, Any]]] = {}
        for d in days:
            by_month.setdefault(d["date"].replace(day=1), []).append(d)
        weekly = _ca_overtime(days)
        for month, mdays in by_month.items():
            hours = sum(d["minutes"] for d in mdays) / 60.0
            period = dict(period_start=mdays[0]["date"], period_end=mdays[-1]["date"])
            prod_id = PRODUCTIONS[mdays[-1]["prod"]]["id"]
            self._pay(
                m,
                production_id=prod_id,
                basis="hourly",
                units=round(hours, 2),
                unit_rate=_usd(rate),
                amount=_usd(hours * rate),
                currency="USD",
                **period,
                paid_date=min(LAST_DAY, _month_end(month)),
            )
            ot15 = ot2 = 0.0
            for d in mdays:
                h = d["minutes"] / 60.0
                if not daily_only_weekly:
                    ot15 += max(0.0, min(h, 12.0) - 8.0)
                    ot2 += max(0.0, h - 12.0)
            ot15 += sum(v for k, v in weekly.items() if k.replace(day=1) == month)
            if ot15 or ot2:
                self._pay(
                    m,
                    production_id=prod_id,
                    basis="ot_premium",
                    units=round(ot15 + ot2, 2),
                    unit_rate=_usd(rate * 0.5),
                    amount=_usd(rate * (0.5 * ot15 + 1.0 * ot2)),
                    currency="USD",
                    **period,
                    paid_date=min(LAST_DAY, _month_end(month)),
                )

    # -- AI ledger -----------------------------------------------------------------------------------------------

    def ai_ledger(self) -> None:
        rng = _rng(self.seed, "ai")
        short_bg = [m for m in self.members if m.spec.home == SHORT and m.spec.code == "background"]
        operator, retoucher = short_bg[0], short_bg[1]
        short_cuts = self.cut_ids[(SHORT, 1)]
        for i, cut_id in enumerate(short_cuts):
            when = dt.datetime(2024, 12, 2, 10, 0) + dt.timedelta(days=i // 2, minutes=int(rng.integers(0, 480)))
            editors = [retoucher] + ([operator] if rng.random() < 0.3 else [])
            self._ai_row(
                rng,
                BG_GENERATOR,
                operator,
                "img2img",
                TRAINED,
                SHORT,
                1,
                cut_id,
                "background",
                when,
                f"productions/yuki-no-hi-no-inu/bg/c{i + 1:03d}_bg_v1.png",
                f"snowy village at dusk, hand layout c{i + 1:03d}, soft watercolor background, no characters",
                {
                    "steps": 30,
                    "strength": round(float(rng.uniform(0.45, 0.7)), 2),
                    "guidance": 6.5,
                    "width": 1920,
                    "height": 1080,
                    "layout": f"layout/c{i + 1:03d}.png",
                },
                editors,
            )
        tv = [m for m in self.members if m.spec.home == TV]
        bg = [m for m in tv if m.spec.code == "background"]
        paint = [m for m in tv if m.spec.code == "ink_and_paint"]
        inbetween = [m for m in tv if m.spec.code == "inbetween"]
        for n in range(1, 13):
            delivery = _tv_delivery(n)
            if delivery < dt.date(2025, 4, 20):
                continue
            cuts = self.cut_ids[(TV, n)]
            service = BG_GENERATOR if delivery < dt.date(2025, 6, 1) else BG_GENERATOR_13
            n_bg = int(rng.integers(200, 261) * rng.uniform(0.1, 0.4))
            for j in range(n_bg):
                cut_id = cuts[int(rng.integers(len(cuts)))]
                op = bg[int(rng.integers(len(bg)))]
                editors = [bg[int(rng.integers(len(bg)))]] if rng.random() < 0.5 else []
                when = dt.datetime.combine(delivery - dt.timedelta(days=int(rng.integers(10, 40))), dt.time(11))
                self._ai_row(
                    rng,
                    service,
                    op,
                    "inpaint",
                    COMPOSITE,
                    TV,
                    n,
                    cut_id,
                    "background",
                    when,
                    f"productions/hoshiakari/ep{n:02d}/bg/bg{j + 1:03d}_v2.png",
                    "extend sky and distant buildings beyond the painted area, evening light",
                    {"steps": 25, "mask": f"bg{j + 1:03d}_mask.png", "strength": 0.8},
                    editors,
                )
            if delivery >= dt.date(2025, 5, 20):
                for cut_id in cuts:
                    if rng.random() < 0.3:
                        op = paint[int(rng.integers(len(paint)))]
                        when = dt.datetime.combine(delivery - dt.timedelta(days=int(rng.integers(5, 25))), dt.time(15))
                        self._ai_row(
                            rng,
                            PAINT_ASSIST,
                            op,
                            "colorize",
                            COMPOSITE,
                            TV,
                            n,
                            cut_id,
                            "ink_and_paint",
                            when,
                            f"productions/hoshiakari/ep{n:02d}/paint/cut{cut_id}.tga",
                            None,
                            {"palette": f"ep{n:02d}_palette_v3", "fill": "flat"},
                            [op],
                        )
            if delivery >= dt.date(2025, 7, 1):
                for cut_id in cuts:
                    if rng.random() < 0.05:
                        op = inbetween[int(rng.integers(len(inbetween)))]
                        when = dt.datetime.combine(delivery - dt.timedelta(days=int(rng.integers(7, 30))), dt.time(13))
                        self._ai_row(
                            rng,
                            FRAMEBRIDGE,
                            op,
                            "interpolation",
                            COMPOSITE,
                            TV,
                            n,
                            cut_id,
                            "inbetween",
                            when,
                            f"productions/hoshiakari/ep{n:02d}/douga/cut{cut_id}_interp.tga",
                            None,
                            {"frames": int(rng.integers(2, 7)), "model": "fb2-lineart"},
                            [op],
                        )
        self.out.flush()

    def _ai_row(
        self,
        rng: np.random.Generator,
        service: int,
        operator: Member,
        stage: str,
        source_type: str,
        prod: str,
        n: int,
        cut_id: int,
        role: str,
        when: dt.datetime,
        path: str,
        prompt: str | None,
        params: dict[str, Any],
        editors: list[Member],
    ) -> None:
        aid = self.ids("ai_usage")
        self.out.add(
            "ai_usage",
            dict(
                id=aid,
                asset_path=path,
                asset_sha256=hashlib.sha256(f"{self.seed}:{path}".encode()).hexdigest(),
                service_id=service,
                operator_id=operator.pid,
                stage=stage,
                digital_source_type=source_type,
                production_id=PRODUCTIONS[prod]["id"],
                episode_id=self.episode_ids[(prod, n)],
                cut_id=cut_id,
                role_id=self.roles[role].id,
                prompt=prompt,
                seed=int(rng.integers(0, 2**31)),
                params=params,
                manifest_ref=f"urn:c2pa:{uuid.UUID(bytes=bytes(rng.integers(0, 256, 16, dtype=np.uint8)), version=4)}",
                created_at=when,
                batch_id=None,
                source_key=None,
            ),
        )
        seen: list[int] = []
        for e in editors:
            if e.pid in seen:
                continue
            seen.append(e.pid)
            self.out.add(
                "ai_usage_post_editor",
                dict(ai_usage_id=aid, person_id=e.pid, edit_kind="humanEdits", edited_at=when + dt.timedelta(hours=3)),
            )

    # -- credits -------------------------------------------------------------------------------------------------

    def credits(self) -> None:
        for text_ in (AI_HUMAN, HUMAN, TBD, AND_OTHERS):
            self.placeholder_alias[text_] = self._unlinked(text_)
        self._tv_credits()
        self._film_credits()
        self._short_credits()

    def _unlinked(self, text_: str) -> int:
        aid = self.ids("person_alias")
        self.out.add(
            "person_alias",
            dict(
                id=aid,
                person_id=None,
                text=text_,
                kind="real_name",
                match_key=person_key(text_),
                public=True,
                source="demo",
            ),
        )
        return aid

    def _name(self, m: Member, prod: str) -> tuple[str, int]:
        texts = m.person["_texts"]
        if "pen" in m.alias_ids and (m.person["visibility"] == "pen_name_only" or m.pid % 2 == 0):
            return texts["pen"], m.alias_ids["pen"]
        if "variant" in m.alias_ids and prod == TV:
            return texts["variant"], m.alias_ids["variant"]
        return texts["real"], m.alias_ids["real"]

    class _Roll:
        def __init__(self, gen: _Generator, prod: str) -> None:
            self.gen, self.prod, self.order = gen, prod, 0

        def line(
            self,
            role_text: str,
            role: str | None,
            entries: list[Any],
            *,
            block: str = "main",
            episode: int | None = None,
            split_roles: Sequence[str] = (),
        ) -> None:
            """One role line; entries are Members, org IDs (int) or placeholder strings."""
            self.order += 1
            gen = self.gen
            roles = [role] if not split_roles else list(split_roles)
            for code in roles:
                role_row = gen.roles[code] if code else None
                for pos, e in enumerate(entries):
                    row = dict(
                        id=gen.ids("credit_line"),
                        production_id=PRODUCTIONS[self.prod]["id"],
                        episode_scope=f"第{episode}話" if episode else None,
                        episode_from=episode,
                        episode_to=episode,
                        role_as_credited=role_text,
                        role_id=role_row.id if role_row else None,
                        role_person_only=role_row.person_only if role_row else None,
                        person_alias_id=None,
                        org_alias_id=None,
                        via_org_id=None,
                        individuals_uncredited=False,
                        uncredited_reason=None,
                        block=block,
                        line_order=self.order,
                        position_in_line=pos,
                        source="internal",
                        source_ref=None,
                        source_line_id=f"{self.prod}-{block}-{self.order}" if split_roles else None,
                        note=None,
                        batch_id=None,
                        content_hash=None,
                    )
                    if isinstance(e, Member):
                        row["name_as_credited"], row["person_alias_id"] = gen._name(e, self.prod)
                        if _via_seiran(e):
                            row["via_org_id"] = SEIRAN
                    elif isinstance(e, int):
                        row["name_as_credited"] = next(o[1] for o in ORGS if o[0] == e)
                        row["org_alias_id"] = gen.org_alias_ids[e]
                        if role_row is not None and role_row.person_only:
                            row["individuals_uncredited"] = True
                            if e in (HANBIT, YUNFAN):
                                row["uncredited_reason"] = "subcontracted overseas; the studio sent no staff list"
                    else:
                        row["name_as_credited"] = e
                        row["person_alias_id"] = gen.placeholder_alias.get(e) or gen._trailing(e)
                    gen.out.add("credit_line", row)

    def _trailing(self, text_: str) -> int:
        if text_ not in self.placeholder_alias:
            self.placeholder_alias[text_] = self._unlinked(text_)
        return self.placeholder_alias[text_]

    def _crew(self, code: str, home: str, *, employee: bool | None = None) -> list[Member]:
        return [
            m
            for m in self.members
            if m.spec.code == code and m.spec.home == home and (employee is None or m.employee == employee)
        ]

    def _tv_credits(self) -> None:
        roll = self._Roll(self, TV)
        tv_people = [m for m in self.members if any(s[0] == TV for s in m.stints)]
        # worked and paid on the series, never credited: one in-betweener, one painter, one second-key animator
        uncredited = []
        for code in ("inbetween", "ink_and_paint", "second_key_animation"):
            pool = [m for m in tv_people if m.spec.code == code and m.spec.home == TV]
            uncredited.append(pool[len(pool) // 2].pid)
        self.uncredited_tv = uncredited

        def on(code: str, n: int) -> list[Member]:
            return [m for m in tv_people if m.spec.code == code and n in m.tv_episodes and m.pid not in uncredited]

        director = self._crew("director", TV)
        roll.line("原作", "original_creator", [self.creator])
        roll.line("監督", "director", director)
        roll.line("シリーズ構成", "series_composition", self._crew("series_composition", TV))
        roll.line("キャラクターデザイン", "character_design", self._crew("character_design", TV))
        roll.line("総作画監督", "chief_animation_director", self._crew("chief_animation_director", TV))
        roll.line("美術監督", "art_director", self._crew("art_director", TV))
        roll.line("色彩設計", "color_design", self._crew("color_design", TV))
        roll.line("撮影監督", "director_of_photography", self._crew("director_of_photography", TV))
        roll.line("CG監督", "cg_director", self._crew("cg_director", TV))
        roll.line("編集", "editing", self._crew("editing", TV))
        roll.line("プロデューサー", "producer", self._crew("producer", TV))
        roll.line("アニメーション制作", "animation_production", [MAIN])
        roll.line("製作", "production_committee", [TV_COMMITTEE])
        roll.line("絵コンテ・演出", None, director, block="OP", split_roles=("storyboard", "episode_director"))
        roll.line("作画監督", "animation_director", self._crew("character_design", TV), block="OP")
        roll.line(
            "絵コンテ・演出",
            None,
            self._crew("episode_director", TV)[:1],
            block="ED",
            split_roles=("storyboard", "episode_director"),
        )
        for n in range(1, 13):
            roll.line("脚本", "script", on("script", n), episode=n)
            roll.line(
                "絵コンテ", "storyboard", [TBD] if n == 12 else (director if n == 1 else on("storyboard", n)), episode=n
            )
            roll.line("演出", "episode_director", [TBD] if n == 12 else on("episode_director", n), episode=n)
            roll.line("作画監督", "animation_director", on("animation_director", n), episode=n)
            key = on("key_animation", n)
            if n == 6 and key:  # "山田花子ほか": the list was cut short
                key = [*key[:-1], self._name(key[-1], TV)[0] + AND_OTHERS]
            roll.line("原画", "key_animation", key + ([MANILA] if n == 8 else []), episode=n)
            if n != 7:  # episode 7's second-key animators were left off the roll
                roll.line("第二原画", "second_key_animation", on("second_key_animation", n), episode=n)
            roll.line("動画検査", "inbetween_check", on("inbetween_check", n), episode=n)
            ib = on("inbetween", n) + [HANBIT] + ([AND_OTHERS] if n == 10 else [])
            roll.line("動画", "inbetween", ib, episode=n)
            roll.line("仕上げ", "ink_and_paint", on("ink_and_paint", n) + [YUNFAN], episode=n)
            roll.line("仕上検査", "paint_check", on("paint_check", n), episode=n)
            roll.line("背景", "background", on("background", n) + [SAIUN], episode=n)
            roll.line("撮影", "photography", on("photography", n), episode=n)
            roll.line("3DCG", "cg", on("cg", n), episode=n)
            roll.line("制作進行", "production_assistant", on("production_assistant", n), episode=n)
            if n in (5, 9):
                roll.line("制作協力", "production_cooperation", [SEIRAN], episode=n)

    def _film_credits(self) -> None:
        roll = self._Roll(self, FILM)
        la = [m for m in self.members if m.spec.la]
        director = self._crew("director", FILM)
        roll.line("監督・脚本", None, director, split_roles=("director", "script"))
        roll.line("キャラクターデザイン", "character_design", self._crew("character_design", FILM))
        roll.line("絵コンテ", "storyboard", director + [m for m in la if m.spec.code == "storyboard"])
        roll.line("作画監督", "animation_director", self._crew("animation_director", FILM))
        roll.line("美術監督", "art_director", self._crew("art_director", FILM))
        # one of the two LA layout artists is missing from the roll
        roll.line("レイアウト", "layout", [m for m in la if m.spec.code == "layout"][:1])
        keys = [m for m in la if m.spec.code == "key_animation"] + self._crew("key_animation", FILM)
        roll.line("原画", "key_animation", [*keys[:-1], self._name(keys[-1], FILM)[0] + AND_OTHERS, MANILA])
        roll.line("動画", "inbetween", self._crew("inbetween", FILM) + [AND_OTHERS, SAIGON])
        roll.line("背景", "background", self._crew("background", FILM))
        roll.line("撮影監督", "director_of_photography", self._crew("director_of_photography", TV))
        roll.line("制作協力", "production_cooperation", [LA])
        roll.line("アニメーション制作", "animation_production", [MAIN])
        roll.line("製作", "production_committee", [FILM_COMMITTEE])

    def _short_credits(self) -> None:
        # the Dog & Boy pattern: backgrounds credited to "AI (+Human)", the vendor named, the two people who made the
        # backgrounds (the generator's operator and the retoucher) not credited at all
        roll = self._Roll(self, SHORT)
        director = self._crew("director", SHORT)
        roll.line("監督・脚本・絵コンテ", None, director, split_roles=("director", "script", "storyboard"))
        roll.line("キャラクターデザイン", "character_design", self._crew("character_design", TV))
        roll.line("作画監督", "animation_director", director)
        roll.line("原画", "key_animation", self._crew("key_animation", SHORT))
        roll.line("背景", "background", [AI_HUMAN])
        roll.line("背景補正", "background", [HUMAN])
        roll.line("AI技術協力", None, [RINNE])
        roll.line("仕上げ", "ink_and_paint", [YUNFAN])
        roll.line("撮影監督", "director_of_photography", self._crew("director_of_photography", TV))
        roll.line("録音スタジオ", "recording_studio", [HOKKYOKUSEI])
        roll.line("アニメーション制作", "animation_production", [MAIN])

    # -- accounts ------------------------------------------------------------------------------------------------

    def artist_member(self) -> Member:
        """The artist account's person: a credited, freelance TV key animator under their real name."""
        for m in self.members:
            if (
                m.spec.code == "key_animation"
                and m.spec.home == TV
                and not m.employee
                and "pen" not in m.alias_ids
                and "variant" not in m.alias_ids
            ):
                return m
        raise DemoError("the demo crew has no credited key animator for the artist account")

    def accounts(self) -> None:
        artist = self.artist_member()
        for username, role, person_id in (
            ("manager", "manager", None),
            ("advocate", "advocate", None),
            ("artist", "artist", artist.pid),
        ):
            account = create_account(self.session, username, f"{username}-demo", role, person_id=person_id)
            account.created_at = STAMP
        self.session.flush()
        self.out.counts["account"] = 3


def _via_seiran(m: Member) -> bool:
    return m.spec.code == "key_animation" and not m.employee and m.pid % 11 == 0


def _night(a: int, b: int) -> int:
    """Minutes of [a, b) — minutes from the work date's midnight — that fall in 22:00–05:00."""
    total = 0
    for lo in (-120, 1320, 2760):  # 22:00 the evening before, that evening, the next evening
        total += max(0, min(b, lo + 420) - max(a, lo))
    return total


def _jp_weekly_overtime(days: list[dict[str, Any]]) -> dict[dt.date, float]:
    """Weekly overtime (Sun–Sat weeks) beyond 40 h not already counted as daily overtime, keyed by the week's Saturday."""
    weeks: dict[dt.date, list[float]] = {}
    for d in days:
        if d["holiday"]:
            continue
        saturday = d["date"] + dt.timedelta(days=(5 - d["date"].weekday()) % 7)
        weeks.setdefault(saturday, []).append(d["minutes"] / 60.0)
    out = {}
    for saturday, hours in weeks.items():
        daily = sum(max(0.0, h - 8.0) for h in hours)
        extra = max(0.0, sum(hours) - 40.0 - daily)
        if extra:
            out[saturday] = extra
    return out


def _ca_overtime(days: list[dict[str, Any]]) -> dict[dt.date, float]:
    weeks: dict[dt.date, list[float]] = {}
    for d in days:
        saturday = d["date"] + dt.timedelta(days=(5 - d["date"].weekday()) % 7)
        weeks.setdefault(saturday, []).append(d["minutes"] / 60.0)
    out = {}
    for saturday, hours in weeks.items():
        straight = sum(min(h, 8.0) for h in hours)
        if straight > 40:
            out[saturday] = straight - 40.0
    return out


# ---------------------------------------------------------------------------------------------------------------
# Content digest: how tests (and anyone) check that a seed gives the same rows


def _norm(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


# salted hashes and sign-in state are not content
_DIGEST_SKIP = {"account": {"password_hash", "last_login_at", "locked_until"}}


def content_digest(engine: Engine, tables: Iterable[str] = DEMO_TABLES) -> dict[str, str]:
    """SHA-256 per table over every row (ordered by primary key) in a backend-neutral text form."""
    out = {}
    with engine.connect() as conn:
        for name in tables:
            table = Base.metadata.tables[name]
            cols = [c for c in table.columns if c.name not in _DIGEST_SKIP.get(name, set())]
            h = hashlib.sha256()
            result = conn.execute(select(*cols).order_by(*table.primary_key.columns))
            for row in result:
                h.update("\x1f".join(_norm(v) for v in row).encode())
                h.update(b"\x1e")
            out[name] = h.hexdigest()
    return out


# ---------------------------------------------------------------------------------------------------------------
# Command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seed", type=int, default=settings.get("demo_seed"), help="random seed (default: %(default)s)"
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiplies the piece-work crews; 1.0 ≈ 57k work logs, 119 ≈ 5M (default: %(default)s)",
    )
    parser.add_argument("--database-url", default=None, help="database URL (default: DATABASE_URL or the SQLite file)")
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="load only when the database holds no studio data and ENDROLL_DEMO_ON_EMPTY is true (the start command)",
    )
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    if args.if_empty and not settings.get("demo_on_empty"):
        print("ENDROLL_DEMO_ON_EMPTY is false; the demo was not loaded.")
        return 0
    if args.if_empty and not is_empty(engine):
        print("The database already holds studio data; the demo was not loaded.")
        return 0

    def report(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        summary = load_demo(engine, seed=args.seed, scale=args.scale, progress=report)
    except DemoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Loaded the demo studio into {engine.url.render_as_string(hide_password=True)}")
    print("\n".join(summary.lines()))
    print("Accounts: manager / manager-demo, advocate / advocate-demo, artist / artist-demo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
