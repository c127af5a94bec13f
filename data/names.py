"""Name match keys.

Credits spell the same person many ways (``本田雅也`` / ``本田 雅也`` / ``出渕　裕``, ``髙橋`` / ``高橋``).
The credited text is evidence and is never rewritten; matching uses a separate key built here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Variant glyphs (異体字) folded for matching only. Display always keeps the credited form.
_VARIANT_GLYPHS = str.maketrans(
    {
        "髙": "高",
        "﨑": "崎",
        "嵜": "崎",
        "濵": "浜",
        "濱": "浜",
        "邊": "辺",
        "邉": "辺",
        "齋": "斎",
        "齊": "斉",
        "德": "徳",
        "國": "国",
        "澤": "沢",
        "櫻": "桜",
        "廣": "広",
        "眞": "真",
        "龍": "竜",
        "實": "実",
        "惠": "恵",
        "藏": "蔵",
        "淸": "清",
        "瀨": "瀬",
        "栁": "柳",
        "槗": "橋",
        "桒": "桑",
        "冨": "富",
        "舘": "館",
    }
)

_SPACES = re.compile(r"[\s\u3000\u200b\u00a0・･·]+")
_CORPORATE_MARKS = re.compile(
    r"(株式会社|有限会社|合同会社|合資会社|一般社団法人|⊂株⊃|\(株\)|\(有\)|co\.,?\s*ltd\.?|inc\.?|llc|corp\.?|k\.k\.)",
    re.IGNORECASE,
)
_LOGO = re.compile(r"\[ロゴ\]")
_MACRONS = str.maketrans(
    {"ā": "a", "ē": "e", "ī": "i", "ō": "o", "ū": "u", "Ā": "A", "Ē": "E", "Ī": "I", "Ō": "O", "Ū": "U"}
)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


KEY_MAX = 200  # the match_key columns


def bounded_key(key: str) -> str:
    """``key`` as stored: whole up to KEY_MAX characters; a longer one is its first 150 characters and a SHA-256 of
    the whole, so two long texts sharing a beginning keep distinct keys (the same on every side that compares)."""
    if len(key) <= KEY_MAX:
        return key
    return f"{key[:150]}#{hashlib.sha256(key.encode('utf-8')).hexdigest()[:40]}"


def person_key(text: str) -> str:
    """Match key for a person's name: NFKC, spaces (incl. U+3000) removed, variant glyphs folded, casefolded; at most
    KEY_MAX characters (:func:`bounded_key`)."""
    folded = nfkc(text).translate(_VARIANT_GLYPHS)
    # NFKC maps some compatibility ideographs to the variant again, so fold once more after it.
    folded = unicodedata.normalize("NFKC", folded).translate(_VARIANT_GLYPHS)
    return bounded_key(_SPACES.sub("", folded).translate(_MACRONS).casefold())


def org_key(text: str) -> str:
    """Match key for an organization: like :func:`person_key`, with corporate marks and ``[ロゴ]`` stripped."""
    text = _LOGO.sub("", nfkc(text))
    text = _CORPORATE_MARKS.sub("", text)
    return person_key(text)


def ascii_romaji(text: str) -> str:
    """Romaji without macrons (Ryōtarō → Ryotaro), for plain-ASCII renderings."""
    return nfkc(text).translate(_MACRONS)
