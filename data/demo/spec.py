"""What the demo studio is: its calendar, organizations, AI services, productions, and how each role is paid.

These are the studio's facts, calibrated to ``shared/facts/synthetic_params.json`` and labor-and-pay.md §8; the law
they are checked against is not here (it is read from the rule_parameter table through :mod:`data.law`). Who is in
the crew, and how big the productions are, is the preset's (:mod:`data.demo.presets`).
"""

from __future__ import annotations

import datetime as dt
import functools

# The studio's year: Tokyo's 2025-10-03 minimum-wage change falls inside it, and every freelance commission is under
# the Freelance Act in force from 2024-11-01.
FIRST_DAY = dt.date(2024, 11, 1)
LAST_DAY = dt.date(2025, 10, 31)
LEDGER_FROM = dt.date(2023, 4, 1)  # the demo studio's leave ledger starts with the grants due from then
# Part-timers are granted a flat 7 days a year: the proportional grant of a four-day week in its first year (the
# ledger does not model the later years' increase).
PART_TIME_LEAVE_DAYS = 7
MONTHS_PER_YEAR = 12
STATUTORY_DAY_OFF = 6  # Sunday: the day off the studio designates for its employees (LSA Art. 35)
FIXED_OT_ALLOWANCE_H = 30.0  # a fixed overtime allowance (固定残業代) of 30 h, paid whatever was worked
SHORT_BREAK_MINUTES = 30  # the break some employees take on a long day: shorter than the law asks
STAMP = dt.datetime(2025, 10, 31, 18, 0)  # created_at/updated_at of every demo row: never the wall clock
TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"

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
def tv_delivery(number: int) -> dt.date:
    # An episode every 20 days from mid-March; broadcast starts in July, so deliveries run ahead of air dates.
    return dt.date(2025, 3, 14) + dt.timedelta(days=20 * (number - 1))


TV, FILM, SHORT = "tv", "film", "short"
TV_EPISODES = 12
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
        end_date=tv_delivery(TV_EPISODES),
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
