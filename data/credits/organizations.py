"""Person or organization: the call on each credited name, from evidence that can be explained, and the evidence.

A credit names a person or an organization, and the sources rarely say which. The call is made from evidence, in
this order, and the evidence is kept with the call (``ParsedCredit.entity_basis`` and ``entity_reason``, stored on
the credit line) so a manager can see why and override it:

==================  =============================================================================================
basis               evidence
==================  =============================================================================================
``override``        a manager's call on this name (the ``entity_call`` table): wins over everything
``column``          the file says so (the canonical credits ``is_organization`` column)
``marker``          the record marks the name as a logo (MADB ``[ロゴ]``)
``legal_form``      a legal-form word: 株式会社, 有限会社, ㈱, Inc., Co., Ltd., LLC, GmbH, 公司 …
``person_record``   a person of this database has this name (beats the evidence below, never the above)
``lexicon``         ``data/seed/organizations.csv``: studios, broadcasters, distributors, committees, labels
``org_word``        a word only organizations carry: スタジオ, プロダクション, アニメーション, 製作委員会, フィルム …
``known_org``       an organization alias of this database already has this name
``import``          the same name is called an organization elsewhere in this import, from the evidence above
``default``         none of the above: a person
==================  =============================================================================================

"A name seen as an organization anywhere is one everywhere" (``import``) is what makes GAINAX an organization in
the credit where it is not marked ``[ロゴ]`` as well as in the one where it is. Names compare by
:func:`data.names.org_key` (NFKC, spaces, corporate marks and ``[ロゴ]`` removed).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from data.credit_records import ParsedCredit, with_changes
from data.names import nfkc, org_key, person_key

LEXICON_PATH = Path(__file__).resolve().parent.parent / "seed" / "organizations.csv"
LEXICON_KINDS = frozenset(
    {
        "animation_studio",
        "subcontract_studio",
        "background_studio",
        "finishing_studio",
        "compositing_studio",
        "cg_studio",
        "production_committee",
        "broadcaster",
        "distributor",
        "publisher",
        "music_label",
        "talent_agency",
        "sound_studio",
        "other",
    }
)
BASES = (
    "override",
    "column",
    "marker",
    "legal_form",
    "person_record",
    "lexicon",
    "org_word",
    "known_org",
    "import",
    "default",
)

_LEGAL_FORM = re.compile(
    r"(株式会社|有限会社|合同会社|合資会社|合名会社|社団法人|財団法人|独立行政法人|学校法人|有限公司|股份|[^\s]{3,}公司|㈱|㈲|⊂株⊃|"
    r"\(株\)|\(有\)|\(社\)|\(財\)|\bInc\b\.?|\bCo\b\.,?\s*Ltd\b|\bLtd\b\.?|\bL\.?L\.?C\b\.?|\bCorp\b\.?|"
    r"\bCorporation\b|\bK\.K\.|\bGmbH\b|\bS\.A\.|\bPLC\b|\bLimited\b|\bCompany\b|\bCo\.$)",
    re.IGNORECASE,
)
# Words that name an organization and no person: studio words, the committee, the film company, media houses.
# A person's name carries none of them (checked on the labelled sample, tests/fixtures/madb/entity_labels.csv).
_ORG_WORD_JA = re.compile(
    r"(スタジオ|スタヂオ|プロダクション|アニメーション|製作委員会|委員会|フィルム|ピクチャーズ|ピクチュアズ|"
    r"エンタテインメント|エンターテインメント|エンターテイメント|エンタテイメント|パートナーズ|プロジェクト|"
    r"レコード|ミュージック|サウンド|レーベル|映画|映劇|映像|キネマ|動画|放送|テレビ|新聞|出版|書店|書房|工房|"
    r"製作所|制作所|研究所|研究会|協会|連盟|組合|事業部|事業本部|企画室|商事|商会|興業|興行|販売|シネマ|センター|"
    r"グループ|ラボ|ワークス|コーポレーション|カンパニー|オフィス|ハウス|ジャパン|アーツ|メディア|デジタル|システム|"
    r"エージェンシー|プロモーション|クリエイティブ|アソシエイツ|集団|楽団|樂團|合唱団|社中|週刊|月刊|委託|後援|"
    r"総督府|制作チーム|製作チーム|(文部|逓信|海軍|陸軍|内務|外務|農林|厚生|通産|郵政)省|[^\s]{2,}社$|"
    r"[^\s]{2,}プロ$|[^\s]{2,}企画$|[^\s]{2,}館$|[^\s]+団(\s|$)|[^\s]{2,}劇団$|^劇団|[^\s]{2,}座$|[^\s]{2,}部$|"
    r"[^\s]{2,}局$|^(テレビ|TV)|[A-Za-z0-9]+系$)"
)
_SHORT_KATAKANA = frozenset({"ラボ", "アーツ", "ハウス"})  # found inside foreign names (ブラボー, デラボルト)
_KATAKANA_LETTER = re.compile(r"^[ァ-ヺー]$")
_ORG_WORD_LATIN = re.compile(
    r"(\b(animations?|pictures|films?|entertainment|productions?|works|records|music|media|group|committee|partners|"
    r"project|broadcasting|television|tv|digital|publishing|press|labs?|systems?|creative|graphics|visual|sound|"
    r"company|international|japan|agency|associates|network|channel|cinema|factory|office|center|centre)\b|"
    r"studio|house$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Call:
    """One call: ``organization`` True or False, on ``basis`` (one of :data:`BASES`) with the evidence itself in
    ``reason`` (the legal-form word, the lexicon's kind, the record where the name was seen …)."""

    organization: bool
    basis: str
    reason: str

    def as_tuple(self) -> tuple[bool, str, str]:
        return self.organization, self.basis, self.reason


@dataclass(frozen=True, eq=False)  # compared (and cached on) by identity: one lexicon object per file read
class Lexicon:
    """Known organizations by match key: ``kinds[key]`` is the lexicon's kind (``animation_studio``, ``broadcaster``
    …) and ``names[key]`` the name as the lexicon spells it."""

    kinds: Mapping[str, str]
    names: Mapping[str, str]

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        """The lexicon in ``path`` (CSV: ``name``, ``kind``, ``evidence``)."""
        kinds: dict[str, str] = {}
        names: dict[str, str] = {}
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                key = entity_key(row["name"])
                if key:
                    kinds.setdefault(key, row["kind"])
                    names.setdefault(key, row["name"])
        return cls(kinds, names)

    @classmethod
    def empty(cls) -> Lexicon:
        return cls({}, {})

    def kind(self, name: str) -> str | None:
        """The lexicon's kind of ``name``, or None when the lexicon does not know it."""
        return self.kinds.get(entity_key(name))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon of the repository (``data/seed/organizations.csv``), read once."""
    return Lexicon.load()


@lru_cache(maxsize=300_000)
def entity_key(name: str) -> str:
    """The key names are compared by: :func:`data.names.org_key`, or the person key of a name that is all corporate
    marks."""
    return org_key(name) or person_key(name)


def legal_form(name: str) -> str | None:
    """The legal-form word in ``name`` (株式会社, Inc. …), or None."""
    m = _LEGAL_FORM.search(nfkc(name))
    return m.group(0) if m else None


def org_word(name: str) -> str | None:
    """The organization word in ``name`` (スタジオ, Pictures …), or None. A short katakana word (ラボ, ハウス) counts
    only where a katakana word ends: ラボ in デジタル・メディア・ラボ, not in ブラボー or デラボルト (a person's name)."""
    text = nfkc(name).replace("[ロゴ]", "").strip()
    for m in _ORG_WORD_JA.finditer(text):
        word = m.group(0)
        if word in _SHORT_KATAKANA and _KATAKANA_LETTER.match(text[m.end() : m.end() + 1]):
            continue  # a short katakana word inside a longer one: ブラボー, デラボルト
        return word
    m = _ORG_WORD_LATIN.search(text)
    return m.group(0) if m else None


def looks_like_org(name: str) -> bool:
    """Whether ``name`` carries a legal-form or organization word (the evidence a name holds by itself)."""
    return legal_form(name) is not None or org_word(name) is not None


@lru_cache(maxsize=300_000)
def _evidence(name: str, is_logo: bool, lexicon: Lexicon) -> Call | None:
    if is_logo:
        return Call(True, "marker", "[ロゴ]")
    word = legal_form(name)
    if word:
        return Call(True, "legal_form", word)
    kind = lexicon.kind(name)
    if kind:
        return Call(True, "lexicon", kind)
    word = org_word(name)
    if word:
        return Call(True, "org_word", word)
    return None


def name_evidence(name: str, *, is_logo: bool = False, lexicon: Lexicon | None = None) -> Call | None:
    """The organization evidence ``name`` carries by itself (a logo marker, a legal form, the lexicon, an
    organization word), or None when it carries none."""
    return _evidence(name, is_logo, lexicon if lexicon is not None else default_lexicon())


_STRONG = frozenset({"override", "column", "marker", "legal_form"})
_EVIDENCE = frozenset({"column", "marker", "legal_form", "lexicon", "org_word"})
NO_EVIDENCE = "no organization evidence"


_DEFAULT = Call(False, "default", NO_EVIDENCE)


class EntityDecider:
    """The calls on every credit of one import (or one file check): see the module's table for the order.

    ``overrides`` are the managers' calls by :func:`entity_key`, ``person_keys`` the :func:`data.names.person_key`
    of the database's people (display names, pen names, linked aliases), ``known_orgs`` the keys of its organization
    aliases. Reading a file without a database passes none of them, so a file check and an import into a database
    without people or organizations make the same calls.
    """

    def __init__(
        self,
        *,
        overrides: Mapping[str, bool] | None = None,
        person_keys: Collection[str] = (),
        known_orgs: Collection[str] = (),
        lexicon: Lexicon | None = None,
    ) -> None:
        self.overrides = dict(overrides or {})
        self.person_keys = frozenset(person_keys)
        self.known_orgs = frozenset(known_orgs)
        self.lexicon = lexicon if lexicon is not None else default_lexicon()

    def first_call(self, credit: ParsedCredit) -> Call | None:
        """The call on one credit from what it and the database say, before the import-wide consistency pass; None
        when nothing says anything (a person, unless the name is an organization elsewhere in the import)."""
        name = credit.name_as_credited
        key = entity_key(name)
        if key in self.overrides:
            return Call(self.overrides[key], "override", "a manager's call on this name")
        if credit.entity_basis == "column" and credit.is_organization is not None:
            return Call(credit.is_organization, "column", credit.entity_reason or "is_organization")
        found = name_evidence(name, is_logo=credit.is_logo, lexicon=self.lexicon)
        if found is None and not self.person_keys and not self.known_orgs:
            return None
        if found is not None and found.basis in _STRONG:
            return found
        if person_key(name) in self.person_keys:
            return Call(False, "person_record", "a person of this database has this name")
        if found is not None:
            return found
        if key in self.known_orgs:
            return Call(True, "known_org", "an organization of this database has this name")
        return None

    def _parser_knew_it_all(self) -> bool:
        # With no database evidence and the repository's lexicon, a parser's call (data.credits.parts.Builder makes
        # one from the name's own evidence) is already the first call: it need not be made twice.
        return not (self.overrides or self.person_keys or self.known_orgs) and self.lexicon is default_lexicon()

    def decide(self, credits: Iterable[ParsedCredit]) -> list[ParsedCredit]:
        """``credits`` with every credit's ``is_organization``, ``entity_basis`` and ``entity_reason`` set; notes
        and source defects pass unchanged. Two passes: each credit's own evidence, then consistency (a name called
        an organization on evidence anywhere in ``credits`` is one everywhere, unless a person record says it is a
        person)."""
        items = list(credits)
        first: list[Call | None] = []
        seen_org: dict[str, tuple[Call, ParsedCredit]] = {}
        reuse = self._parser_knew_it_all()
        for credit in items:
            if credit.kind != "credit":
                call = None
            elif reuse and credit.entity_basis in _EVIDENCE:
                call = Call(bool(credit.is_organization), credit.entity_basis, credit.entity_reason or "")
            elif reuse and credit.entity_basis == "default":
                call = None
            else:
                call = self.first_call(credit)
            first.append(call)
            if call is not None and call.organization and call.basis != "column":
                seen_org.setdefault(entity_key(credit.name_as_credited), (call, credit))
        out: list[ParsedCredit] = []
        for credit, call in zip(items, first, strict=True):
            if credit.kind != "credit":
                out.append(credit)
                continue
            if call is None:
                seen = seen_org.get(entity_key(credit.name_as_credited)) if seen_org else None
                if seen is not None:
                    origin_call, origin = seen
                    where = origin.source_ref or origin.production
                    call = Call(True, "import", f"{origin_call.basis}: {origin_call.reason} ({where})")
                else:
                    call = _DEFAULT
            if (credit.is_organization, credit.entity_basis, credit.entity_reason) == call.as_tuple():
                out.append(credit)  # the parser made the same call: no copy
            else:
                out.append(with_changes(credit, is_organization=call.organization, entity_basis=call.basis,
                                        entity_reason=call.reason))  # fmt: skip
        return out
