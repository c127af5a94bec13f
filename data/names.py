"""Name match keys.

Credits spell the same person many ways (``本田雅也`` / ``本田 雅也`` / ``出渕　裕``, ``髙橋`` / ``高橋``).
The credited text is evidence and is never rewritten; matching uses a separate key built here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from data.credit_rules import PLACEHOLDER_RULE_IDS, Severity, name_hits
from data.errors import DataError
from data.i18n import N_

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


# ---------------------------------------------------------------------------------------------------------------
# What a person's name must not be, however it is entered


class NameRefused(DataError):
    """A person's name, display name, pen name or alias is a placeholder, not a name."""


# The credit validator's placeholder rules (AI as author, "AI (+Human)", human/staff, anonymous, 未定/TBD, sentinels)
# and an empty name: the same words the validator blocks on an end roll, refused before they are stored.
_REFUSED_RULES = PLACEHOLDER_RULE_IDS | {"empty_name"}
NAME_FIX = {
    "cli": "write the person's own name in that column (a placeholder credit is fixed on the Credits page by linking "
    "it to the person)",
    "page": "enter the person's own name; a placeholder in the credits is fixed on the Credits page by linking it to "
    "the person",
}


def check_person_name(text: str | None, *, field: str = "name") -> str:
    """``text`` trimmed when it can stand for a person (display name, pen name, real name, alias, operator);
    :class:`NameRefused` when the credit validator's placeholder rules (``data.credit_rules``) block it."""
    for hit in name_hits(text or ""):
        if hit.rule in _REFUSED_RULES and hit.severity is Severity.ERROR:
            raise NameRefused(
                N_("{field} {name!r} is not a person's name ({rule})"),
                fix=NAME_FIX,
                field=field,
                name=(text or "").strip(),
                rule=hit.rule,
            )
    return (text or "").strip()


def is_placeholder_name(text: str | None) -> bool:
    """True when :func:`check_person_name` refuses ``text``."""
    try:
        check_person_name(text)
    except NameRefused:
        return True
    return False


# ---------------------------------------------------------------------------------------------------------------
# Usernames: one spelling, and no two that look alike

# A documented skeleton map (after NFKC and case folding): letters of other scripts drawn like Latin ones, and the
# digit/letter pairs people mistake, each mapped to the Latin letter it passes for. It covers the confusables of
# Unicode's UTS #39 table between Latin, Cyrillic and Greek lower case, which is what a look-alike of an existing
# (Latin) username uses; together with the one-script rule below, a mixed-script name such as "mаnager" (Cyrillic
# а) is refused outright and an all-Cyrillic look-alike meets the existing name's skeleton.
_SKELETON = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m",
        "н": "h", "о": "o", "р": "p", "с": "c", "ԛ": "q", "ѕ": "s", "т": "t", "у": "y", "ԝ": "w", "х": "x",
        "ү": "y", "ӏ": "l", "ɡ": "g", "ԁ": "d", "ԍ": "g", "ь": "b", "ы": "bl", "п": "n", "г": "r", "ш": "w",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "ω": "w", "γ": "y", "μ": "u", "ϲ": "c", "ϳ": "j",
        # Latin look-alikes within Latin, and digits
        "ı": "i", "ł": "l", "0": "o", "1": "l", "|": "l", "5": "s", "$": "s", "@": "a",
        # Separators that read the same
        "-": "", "_": "", ".": "",
    }
)  # fmt: skip
_MULTI = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("ii", "u"))
USERNAME_CHARS = re.compile(r"^[\w.\-@]+$")


def normalize_username(text: str | None) -> str:
    """The one stored spelling of a username: NFKC, case folded, surrounding blanks removed."""
    return unicodedata.normalize("NFKC", (text or "").strip()).casefold()


def _script(char: str) -> str | None:
    if char.isdigit() or not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA")):
        return "japanese"  # 漢字, ひらがな and カタカナ are one writing system in a Japanese name
    return name.split(" ")[0]


def username_scripts(text: str) -> set[str]:
    """The writing systems whose letters ``text`` uses (LATIN, CYRILLIC, GREEK, japanese, …)."""
    return {s for s in map(_script, text) if s}


def username_skeleton(text: str | None) -> str:
    """What a username looks like: :func:`normalize_username`, then the skeleton map above (Cyrillic а → a, 0 → o,
    rn → m, separators dropped). Two usernames with one skeleton would be mistaken for each other."""
    folded = normalize_username(text)
    folded = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    skeleton = folded.translate(_SKELETON)
    for many, one in _MULTI:
        skeleton = skeleton.replace(many, one)
    return skeleton
