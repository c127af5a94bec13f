"""Workplaces as a contract names them, resolved to the regions the ``minimum_wage`` table knows.

The rollups look up a day's minimum wage by ``(jurisdiction, region)`` exactly (:func:`data.rollup.workplace_timelines`),
so a prefecture written ``東京都`` or ``tokyo`` must be stored as the table's ``Tokyo``, or the wage is silently
missing and the minimum-wage rules never run for that person.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.importers.errors import RowError
from data.names import person_key
from data.schema import MinimumWage

# The 47 prefectures in their Japanese names, by the romaji name the minimum_wage table (data/seed) stores them
# under. Only used to read what a Japanese HR export writes; a region missing from the table is still refused.
JP_PREFECTURES_JA: dict[str, str] = {
    "Hokkaido": "北海道",
    "Aomori": "青森県",
    "Iwate": "岩手県",
    "Miyagi": "宮城県",
    "Akita": "秋田県",
    "Yamagata": "山形県",
    "Fukushima": "福島県",
    "Ibaraki": "茨城県",
    "Tochigi": "栃木県",
    "Gunma": "群馬県",
    "Saitama": "埼玉県",
    "Chiba": "千葉県",
    "Tokyo": "東京都",
    "Kanagawa": "神奈川県",
    "Niigata": "新潟県",
    "Toyama": "富山県",
    "Ishikawa": "石川県",
    "Fukui": "福井県",
    "Yamanashi": "山梨県",
    "Nagano": "長野県",
    "Gifu": "岐阜県",
    "Shizuoka": "静岡県",
    "Aichi": "愛知県",
    "Mie": "三重県",
    "Shiga": "滋賀県",
    "Kyoto": "京都府",
    "Osaka": "大阪府",
    "Hyogo": "兵庫県",
    "Nara": "奈良県",
    "Wakayama": "和歌山県",
    "Tottori": "鳥取県",
    "Shimane": "島根県",
    "Okayama": "岡山県",
    "Hiroshima": "広島県",
    "Yamaguchi": "山口県",
    "Tokushima": "徳島県",
    "Kagawa": "香川県",
    "Ehime": "愛媛県",
    "Kochi": "高知県",
    "Fukuoka": "福岡県",
    "Saga": "佐賀県",
    "Nagasaki": "長崎県",
    "Kumamoto": "熊本県",
    "Oita": "大分県",
    "Miyazaki": "宮崎県",
    "Kagoshima": "鹿児島県",
    "Okinawa": "沖縄県",
}
# Suffixes a romanised prefecture may carry ("Tokyo-to", "Osaka-fu", "Kanagawa Prefecture"), tried only when the
# whole name is not a prefecture already: "Kyoto" itself ends in "to".
_ROMAJI_SUFFIXES = ("prefecture", "ken", "fu", "to")
_JA_SUFFIXES = ("都", "府", "県")
CITY_MAX = 80  # employment.city
PREFECTURE_MAX = 40  # employment.prefecture


def place_key(text: str) -> str:
    """Match key of a place name: NFKC, macrons folded (Tōkyō), spaces, hyphens and dots removed, casefolded."""
    return person_key(text).replace("-", "").replace(".", "").replace(",", "")


class Places:
    """The workplaces the minimum-wage table knows: JP prefectures and US-CA cities with a local minimum wage."""

    def __init__(self, regions: Iterable[tuple[str, str]]) -> None:
        self.prefectures: dict[str, str] = {}
        self.cities: dict[str, str] = {}
        for jurisdiction, region in regions:
            if jurisdiction == "JP":
                self.prefectures[place_key(region)] = region
                ja = JP_PREFECTURES_JA.get(region)
                if ja:
                    self.prefectures[place_key(ja)] = region
                    if ja[-1] in _JA_SUFFIXES:  # 東京 for 東京都; 北海道 is only ever written whole
                        self.prefectures[place_key(ja[:-1])] = region
            elif jurisdiction == "US-CA" and region != "state":
                self.cities[place_key(region)] = region

    @classmethod
    def of(cls, session: Session) -> Places:
        """The workplaces of the minimum_wage table."""
        return cls(session.execute(select(MinimumWage.jurisdiction, MinimumWage.region).distinct()).tuples())

    def prefecture(self, text: str, column: str = "prefecture") -> str:
        """The stored region of a JP prefecture written in romaji (Tokyo, Tōkyō, tokyo-to) or Japanese (東京都, 東京)."""
        key = place_key(text)
        region = self.prefectures.get(key)
        if region is None:
            for suffix in _ROMAJI_SUFFIXES:
                if key.endswith(suffix) and key[: -len(suffix)] in self.prefectures:
                    region = self.prefectures[key[: -len(suffix)]]
                    break
        if region is None:
            known = ", ".join(sorted(set(self.prefectures.values()))[:5])
            raise RowError(
                "unknown_prefecture",
                f"{text!r} is not a prefecture of the minimum-wage table (romaji like {known} …, or 東京都)",
                column=column,
                value=text,
            )
        return region

    def city(self, text: str, column: str = "city") -> str:
        """A US-CA workplace city: spelt as the minimum-wage table spells it when the city has a local minimum wage
        there (``los angeles`` → ``Los Angeles``); any other city is kept as written, and the state minimum applies."""
        name = text.strip()
        if len(name) > CITY_MAX:
            raise RowError("out_of_range", f"{column} is longer than {CITY_MAX} characters", column=column, value=text)
        return self.cities.get(place_key(name), name)
