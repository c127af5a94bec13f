"""The credit rules: what a credited name must not be, with the severity of each breach (pure: word lists and patterns;
also what every write path refuses as a person's name, through :func:`data.names.check_person_name`).

The rule table follows the shared research (credits-and-ai-disclosure.md §4). Every test works on whole strings or
whole tokens after NFKC, never on substrings, because the real credits are full of near misses that are fine:
AIC and GAINAX (studios), J.C.STAFF and トライアングルスタッフ (studios), 畑中国明 (a person), "Ai Yazawa" (a given
name), and ほか inside a longer name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "ERROR"  # blocks publishing
    WARN = "WARN"  # needs a recorded reason
    INFO = "INFO"

    @property
    def rank(self) -> int:
        return {"ERROR": 2, "WARN": 1, "INFO": 0}[self.value]


@dataclass(frozen=True)
class Rule:
    id: str
    ref: str  # where the rule comes from
    severity: Severity
    title: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("ai_as_author", "§4 #1", Severity.ERROR, "an AI or a machine credited as the author"),
        Rule("ai_plus_human", "§4 #2", Severity.ERROR, "AI plus an anonymous human (the 'AI (+Human)' pattern)"),
        Rule("tool_credited", "§4 #3", Severity.ERROR, "an AI tool or AI vendor credited in a person's place"),
        Rule("generic_human", "§4 #4", Severity.ERROR, "a generic word (human, staff, スタッフ) instead of a name"),
        Rule("anonymous", "§4 #5", Severity.ERROR, "anonymous or unknown instead of a name"),
        Rule("tbd", "§4 #6", Severity.ERROR, "a to-be-decided placeholder (TBD, 未定, ○○)"),
        Rule("empty_name", "§4 #7", Severity.ERROR, "an empty or punctuation-only name"),
        Rule("glyph_placeholder", "§4 #8", Severity.WARN, "a glyph placeholder (〓, □, �, *) inside a name"),
        Rule("and_others", "§4 #9", Severity.WARN, "an incomplete list (ほか, 他, and others)"),
        Rule("group_blanket", "§4 #10", Severity.WARN, "a group blanket (一同, 全員) instead of names"),
        Rule("org_in_person_role", "§4 #11", Severity.WARN, "an organization alone in a person-only role"),
        Rule("name_is_role", "§4 #12", Severity.ERROR, "the name repeats the role or a department label"),
        Rule("not_a_credit", "§4 #13", Severity.WARN, "a role with no entity, an entity with no role, or a note"),
        Rule("unlinked_variants", "§4 #14", Severity.INFO, "one name under several unlinked spellings"),
        Rule("sentinel_id", "§4 #15", Severity.ERROR, "a sentinel id or null value instead of a name"),
        Rule("mt_residue", "§4 #16", Severity.WARN, "a placeholder in one language while another names a person"),
        Rule("uncredited_worker", "labor", Severity.ERROR, "logged work or was paid on the production, not credited"),
        Rule("credited_without_work", "labor", Severity.WARN, "credited, but no work or pay record on the production"),
        Rule("ai_operator_missing", "ai ledger", Severity.ERROR, "AI usage without a named operator credited"),
    )
}

# Rules meaning "this is not a person's name at all".
PLACEHOLDER_RULE_IDS = frozenset({"ai_as_author", "ai_plus_human", "generic_human", "anonymous", "tbd", "sentinel_id"})

# Latin tokens compare casefolded; "AI" and its Japanese forms compare exactly, so the given name "Ai" never fires.
_AI_EXACT = frozenset({"AI", "A.I.", "A.I", "生成AI", "画像生成AI", "AI生成", "人工知能", "AI画像生成"})
_AI_FOLDED = frozenset({"machine", "machines", "model", "models", "bot", "bots", "algorithm", "algorithms"})
_GENERIC = frozenset(
    {
        "human",
        "humans",
        "人間",
        "artist",
        "artists",
        "animator",
        "animators",
        "staff",
        "staffs",
        "スタッフ",
        "crew",
        "team",
        "チーム",
        "member",
        "members",
        "people",
        "person",
        "人",
    }
)
_ANONYMOUS = frozenset(
    {
        "anonymous",
        "anon",
        "匿名",
        "名無し",
        "無名",
        "unknown",
        "不明",
        "未詳",
        "詳細不明",
        "uncredited",
        "ノンクレジット",
        "non-credited",
        "noncredited",
    }
)
# "TK" is in the research sketch but is also a real musician's credited name, so it is left out on purpose.
_TBD = frozenset(
    {
        "tbd",
        "tba",
        "tbc",
        "未定",
        "調整中",
        "後日発表",
        "予定",
        "○○",
        "〇〇",
        "××",
        "●●",
        "△△",
        "■■",
        "名前",
        "氏名",
        "name",
        "test",
        "テスト",
        "dummy",
        "ダミー",
        "placeholder",
        "仮",
        "仮名",
    }
)
_TBD_PATTERN = re.compile(r"^(x{3,}|○{2,}|〇{2,}|×{2,}|●{2,}|△{2,}|■{2,}|◯{2,}|lorem\b.*)$", re.IGNORECASE)
_COLLECTIVE = frozenset(
    {
        "ほか",
        "他",
        "その他",
        "以下略",
        "等",
        "など",
        "others",
        "various",
        "various artists",
        "and others",
        "et al",
        "et al.",
        "etc",
        "etc.",
        "and more",
        "ほか多数",
        "他多数",
        "多数",
    }
)
_GROUP = frozenset({"全員", "皆さん", "みんな", "皆様", "everyone", "all staff"})
_FILLER = frozenset({"a", "an", "the", "and", "&", "+", "of", "all", "our", "with", "by", "と", "の"})
_MULTIWORD = {
    "not credited": "anonymous",
    "no credit": "anonymous",
    "and others": "and_others",
    "et al.": "and_others",
    "et al": "and_others",
    "and more": "and_others",
    "various artists": "and_others",
    "all staff": "group_blanket",
    "all the staff": "group_blanket",
}
_SENTINELS = frozenset({"0", "-1", "null", "none", "nil", "nan", "n/a", "#n/a", "undefined", "[none]", "[null]"})
_EXPLICIT_SENTINELS = frozenset({"[unknown]", "[anonymous]", "[no artist]"})
_ARCHIVAL_SOURCES = frozenset({"madb", "onscreen", "official_site"})

_AI_PLUS_HUMAN = re.compile(
    r"\bAI\s*\(?\s*(\+|＋|&|and|と|×|x|/|with)\s*(a\s+)?(human|humans|人間|人|staff|スタッフ)(?![a-z])"
    r"|\b(human|humans|人間)\s*\(?\s*(\+|＋|&|and|と|×|/|with)\s*AI\b"
    r"|\bhuman[- ]?assisted\b|\bwith\s+(a\s+)?human\s+(help|assistance|touch[- ]?ups?)\b",
    re.IGNORECASE,
)
_PUNCT_ONLY = re.compile(r"^[\s\u3000\u200b\-‐‑–—―ー－・･…\.\?？/／_＿*＊~〜～()（）\[\]「」『』【】,、。◆◇★☆※♪!！]*$")
_GLYPHS = re.compile(r"[〓□�*＊]")
_TOKEN_SPLIT = re.compile(r"[\s()\[\]{}「」『』【】,、/]+")
_TRAILING_SEPARATED = re.compile(r"[\s、,・]+(ほか|他|ら|等|など|その他|一同)$")
# A name written with a space between every character (く じ ら, 関 智 一) is one name, not a list ending in ら.
_SPACED_OUT = re.compile(r"^\S(?:\s\S)+$")
_TRAILING_LATIN = re.compile(r"[\s,]+(and others|et al\.?|etc\.?|and more)$", re.IGNORECASE)
# Attached ほか/他 count after a kanji, a Latin letter, a digit or a closing bracket (貝澤幸男ほか, kaz14ほか,
# テレビせとうち(TSC)ほか) and after a name in kana (below); ちほか is a name. ら and 等 never count attached
# (宮下あきら, the given name 等).
_TRAILING_ATTACHED = re.compile(
    r"[\u4e00-\u9fff々)\]」』】A-Za-z0-9](ほか|他)$"
    # after a name written in kana: three hiragana or more before ほか (ごとうかずひこほか), two katakana or more
    # before ほか or 他 (スタジオロビン他), two hiragana or more before 他; a short kana name ending in ほか stays one
    r"|[\u3041-\u3096]{3,}ほか$|[\u30a1-\u30fa\u30fc]{2,}(ほか|他)$|[\u3041-\u3096]{2,}他$"
)
_GROUP_SUFFIX = re.compile(r"一同$")
_ANNOTATION_ROLE = re.compile(r"(備考|注記|^注$|^※|資料より|^\*)")
_ANNOTATION_NAME = re.compile(r"^(\*|※)?\s*以下")
_ORG_HINTS = re.compile(
    r"(株式会社|有限会社|合同会社|㈱|㈲|⊂株⊃|\(株\)|\(有\)|スタジオ|studio|プロダクション|production|productions|"
    r"アニメーション|animation|動画$|工房|製作所|制作所|inc\.?$|co\.,?\s*ltd|corporation|委員会|pictures|films?$|社$)",
    re.IGNORECASE,
)
_DEPARTMENT_SUFFIXES = ("部", "班", "課", "チーム", "team", "dept", "dept.", "department", "section", "セクション")

# A starter dictionary of AI tools and vendors; a database adds its Service names and ai_vendor organizations.
BUILTIN_TOOLS = (
    "Stable Diffusion",
    "SDXL",
    "Midjourney",
    "DALL-E",
    "DALL·E",
    "DALLE",
    "Adobe Firefly",
    "ChatGPT",
    "GPT-4",
    "GPT-4o",
    "NovelAI",
    "niji・journey",
    "nijijourney",
    "ComfyUI",
    "AUTOMATIC1111",
    "Runway Gen-2",
    "Runway Gen-3",
    "Flux.1",
)
BUILTIN_VENDORS = ("rinna", "OpenAI", "Stability AI", "Midjourney, Inc.", "Black Forest Labs")


def normalize(text: str | None) -> str:
    """NFKC, trimmed, inner whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN_SPLIT.split(text) if t]


def tool_key(text: str) -> tuple[str, ...]:
    """Casefolded tokens of a tool name, compared as a contiguous run inside a credited name."""
    return tuple(t.casefold() for t in tokens(normalize(text).replace("-", " ").replace("·", " ").replace("・", " ")))


@dataclass(frozen=True)
class Hit:
    """A rule that fired on one name, before the line's context (role, source, links) adjusts it."""

    rule: str
    severity: Severity
    message: str


def _token_class(token: str) -> str | None:
    if token in _AI_EXACT:
        return "ai"
    folded = token.casefold()
    if folded in _AI_FOLDED:
        return "ai"
    if folded in _GENERIC:
        return "generic"
    if folded in _ANONYMOUS:
        return "anonymous"
    if folded in _TBD or _TBD_PATTERN.match(folded):
        return "tbd"
    if folded in _COLLECTIVE:
        return "collective"
    if folded in _GROUP:
        return "group"
    if folded in _FILLER:
        return "filler"
    return None


def name_hits(name: str, *, source: str = "internal") -> list[Hit]:
    """The rules a credited name breaks on its own, whatever its role. ``name`` is verbatim; it is normalized here."""
    text = normalize(name)
    if _PUNCT_ONLY.match(text):
        shown = "empty" if not text else f"only punctuation ({text!r})"
        return [Hit("empty_name", Severity.ERROR, f"the name is {shown}: credit the person by name")]
    folded = text.casefold()
    if folded in _SENTINELS:
        return [
            Hit("sentinel_id", Severity.ERROR, f"{text!r} is a null or sentinel value left by a system, not a name")
        ]
    if folded in _EXPLICIT_SENTINELS:
        if source in _ARCHIVAL_SOURCES:
            return [
                Hit(
                    "anonymous",
                    Severity.WARN,
                    f"{text!r} is an explicit archival sentinel: acceptable for a "
                    "historical record only; name the person if the source allows",
                )
            ]
        return [
            Hit("anonymous", Severity.ERROR, f"{text!r} is a sentinel: a production's own credits must name the person")
        ]
    if _AI_PLUS_HUMAN.search(text):
        return [
            Hit(
                "ai_plus_human",
                Severity.ERROR,
                f"{text!r} credits an AI and an anonymous human: record the tool "
                "in the AI-usage ledger and credit the people who did the work "
                "by name",
            )
        ]
    hits: list[Hit] = []
    multi = _MULTIWORD.get(folded)
    if multi is None and _TBD_PATTERN.match(folded):
        multi = "tbd"
    if multi is not None:
        classes = {multi.replace("and_others", "collective").replace("group_blanket", "group")}
    else:
        parts = tokens(text)
        classes = {_token_class(t) for t in parts}
        if None in classes:
            classes = set()
        classes.discard("filler")
    if classes:
        if "ai" in classes and "generic" in classes:
            return [
                Hit(
                    "ai_plus_human",
                    Severity.ERROR,
                    f"{text!r} credits an AI and an anonymous human: credit the people by name",
                )
            ]
        if "ai" in classes:
            hits.append(
                Hit(
                    "ai_as_author",
                    Severity.ERROR,
                    f"{text!r} credits an AI as the author: an AI tool is "
                    "recorded in the AI-usage ledger with its named operator, "
                    "never credited",
                )
            )
        if "anonymous" in classes:
            hits.append(
                Hit(
                    "anonymous",
                    Severity.ERROR,
                    f"{text!r} is not a name: credit the person, or use the "
                    "explicit sentinel [unknown] for an archival record",
                )
            )
        if "tbd" in classes:
            hits.append(Hit("tbd", Severity.ERROR, f"{text!r} is a placeholder for a name that was never filled in"))
        if "generic" in classes:
            hits.append(
                Hit(
                    "generic_human",
                    Severity.ERROR,
                    f"{text!r} is a generic word, not a name: credit each person by name",
                )
            )
        if "collective" in classes:
            hits.append(
                Hit(
                    "and_others",
                    Severity.WARN,
                    f"{text!r} stands for people left unnamed: give the full list or record a reason",
                )
            )
        if "group" in classes:
            hits.append(Hit("group_blanket", Severity.WARN, f"{text!r} is a group blanket: credit the people by name"))
        if hits:
            return hits
    separated = _TRAILING_SEPARATED.search(text) and not _SPACED_OUT.match(text)
    if separated or _TRAILING_LATIN.search(text) or _TRAILING_ATTACHED.search(text):
        hits.append(
            Hit(
                "and_others",
                Severity.WARN,
                f"{text!r} ends a list with 'and others': give the full list or record a reason",
            )
        )
    elif _GROUP_SUFFIX.search(text):
        hits.append(
            Hit("group_blanket", Severity.WARN, f"{text!r} is a group blanket (一同): credit the people by name")
        )
    if _GLYPHS.search(text):
        hits.append(
            Hit(
                "glyph_placeholder",
                Severity.WARN,
                f"{text!r} holds a placeholder glyph: fix the character or "
                "link the line to the person through a variant-glyph "
                "alias",
            )
        )
    return hits


def is_ai_plus_human(text: str) -> bool:
    return bool(_AI_PLUS_HUMAN.search(normalize(text)))


def looks_like_organization(name: str) -> bool:
    """A fallback guess when the source does not say: corporate marks and studio words."""
    return bool(_ORG_HINTS.search(normalize(name)))


def is_annotation_role(role: str) -> bool:
    return bool(_ANNOTATION_ROLE.search(normalize(role)))


def is_annotation_name(name: str) -> bool:
    return bool(_ANNOTATION_NAME.match(normalize(name)))


def department_forms(role_labels: list[str]) -> set[str]:
    """Casefolded, space-free labels a name must not equal: the role itself and role + 部/班/team."""
    out: set[str] = set()
    for label in role_labels:
        key = normalize(label).casefold().replace(" ", "")
        if not key:
            continue
        out.add(key)
        out.update(key + suffix for suffix in _DEPARTMENT_SUFFIXES)
    return out


def name_profile(name: str) -> tuple[bool, str, bool]:
    """``(is an annotation, comparison form, looks like an organization)`` from one normalization of the name."""
    text = normalize(name)
    return (
        bool(text) and bool(_ANNOTATION_NAME.match(text)),
        text.casefold().replace(" ", ""),
        bool(_ORG_HINTS.search(text)),
    )


def name_form(name: str) -> str:
    return normalize(name).casefold().replace(" ", "")
