"""The message catalogs: every message the code marks has its Japanese; the translator fills, plurals and contexts."""

from __future__ import annotations

from pathlib import Path

from data import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_every_marked_message_has_a_japanese_translation() -> None:
    template = i18n.extract(ROOT)
    japanese = i18n._catalog("ja")
    missing = []
    for message in template:
        if not message.id:
            continue
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        key = singular if message.context is None else (message.context, singular)
        if key not in japanese:
            missing.append(f"{message.locations[0][0]}:{message.locations[0][1]}: {singular!r}")
    assert not missing, (
        f"{len(missing)} messages have no Japanese in data/locale/ja (run python -m data.i18n extract):\n"
        + "\n".join(missing[:50])
    )


def test_translator_fills_after_translating(monkeypatch) -> None:
    monkeypatch.setattr(i18n, "_catalog", lambda lang: {"{n} people": "{n}人", ("menu", "Import"): "取り込み"})
    ja = i18n.translator("ja")
    assert ja("{n} people", n=3) == "3人"
    assert ja.pgettext("menu", "Import") == "取り込み"
    assert ja("Unknown message {x}", x=1) == "Unknown message 1"
    assert i18n.translator("fr").language == i18n.DEFAULT_LANGUAGE


def test_english_plurals_and_language_of() -> None:
    en = i18n.translator("en")
    assert en.ngettext("{n} finding", "{n} findings", 1) == "1 finding"
    assert en.ngettext("{n} finding", "{n} findings", 2) == "2 findings"
    assert (i18n.language_of("ja-JP"), i18n.language_of("en_US"), i18n.language_of(None), i18n.language_of("de")) == (
        "ja",
        "en",
        "ja",
        "en",
    )
