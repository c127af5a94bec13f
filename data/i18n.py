"""Message catalogs: every string a person reads, in Japanese and English.

English text is the message id; ``data/locale/ja/LC_MESSAGES/endroll.po`` holds the Japanese (gettext PO, read with
Babel, the maintained implementation of the gettext tool chain for Python). Code marks what a person reads:

* in the UI, with the viewer's translator, named ``_`` as gettext's convention has it (so never use ``_`` as a
  throwaway name in UI code): ``_ = _ui.translator()`` then ``_("Hours this month")`` or ``_("{n} people", n=5)``
  (named ``{placeholders}``, filled after translation so a translation may reorder them); plurals with
  ``_.ngettext("{n} finding", "{n} findings", n)``; a word whose meaning depends on where it stands with
  ``_.pgettext("menu", "Import")``;
* below the UI (errors, finding explanations, labels of coded values), with :func:`N_`, which only marks the text for
  extraction; the page renders it in the viewer's language when it is shown (``EndrollError.message(place,
  translate=t)`` does so for errors, and translates the error's marked parameters with it, such as
  ``to=N_("lock a pay period")``); :func:`NC_` marks a word whose translation depends on where it stands
  (``NC_("department", "Production")``, 制作, is not the header ``N_("Production")``, 作品), and the translator reads
  its context back when it is shown.

``python -m data.i18n extract`` rewrites the catalog from the code (new messages added untranslated, obsolete ones
kept as comments); ``tests/data/test_i18n.py`` fails while any message lacks its Japanese.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data.cli import quiet_pipes

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"  # most of Endroll's readers read Japanese first
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}
DOMAIN = "endroll"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# What extraction looks for: the marker below the UI, and the translator's methods in the UI.
KEYWORDS = {"N_": None, "NC_": ((1, "c"), 2), "_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


class Message(str):
    """A marked message: a plain string that remembers it was marked, so a value filled into another message (an
    error's ``{to}``) is translated with it; any other value (a name, a number) is left as it is."""

    __slots__ = ()
    context: str | None = None

    def __reduce__(self):  # pickled as itself (Streamlit's cache pickles errors and their parameters)
        return (_message, (str(self), self.context))


class ContextMessage(Message):
    """A marked message whose translation depends on where it stands (:func:`NC_`)."""

    __slots__ = ("context",)

    def __new__(cls, context: str, message: str) -> ContextMessage:
        obj = super().__new__(cls, message)
        obj.context = context
        return obj


def _message(text: str, context: str | None) -> Message:
    return Message(text) if context is None else ContextMessage(context, text)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it (it is translated where it is shown)."""
    return Message(message)


def NC_(context: str, message: str) -> str:
    """:func:`N_` for a word whose translation depends on where it stands: ``NC_("department", "Production")``
    (制作) is not the column header ``N_("Production")`` (作品)."""
    return ContextMessage(context, message)


def language_of(locale: str | None) -> str:
    """The catalog language for a browser or account locale (``ja-JP`` → ``ja``); Japanese when none is known."""
    if not locale:
        return DEFAULT_LANGUAGE
    base = str(locale).replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


@functools.cache
def _catalog(language: str) -> Mapping[Any, Any]:
    """msgid (or (context, msgid)) → msgstr (or a tuple of plural forms) for ``language``; empty for English."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == "en" or not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    out: dict[Any, Any] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = message.id if message.context is None else (message.context, message.id)
        if isinstance(message.id, tuple):  # plural: keyed by the singular
            key = message.id[0] if message.context is None else (message.context, message.id[0])
            if all(message.string):
                out[key] = tuple(message.string)
        elif message.string:
            out[key] = message.string
    return out


def reload() -> None:
    """Forget the loaded catalogs (after ``extract`` or an edit of a .po file)."""
    _catalog.cache_clear()


@dataclass(frozen=True)
class Translator:
    """Renders marked messages in one language; callable as ``_(message, **params)``."""

    language: str = DEFAULT_LANGUAGE

    def __call__(self, message: str, /, **params: Any) -> str:
        context = getattr(message, "context", None)
        if context is not None:
            return self.pgettext(context, str(message), **params)
        text = _catalog(self.language).get(message, message) if message else message
        return _fill(str(text), params)

    def ngettext(self, singular: str, plural: str, count: int, /, **params: Any) -> str:
        """The form for ``count`` (``{n}`` is ``count`` unless given). Japanese has one form."""
        params.setdefault("n", count)
        forms = _catalog(self.language).get(singular)
        if isinstance(forms, tuple):
            text = forms[0] if len(forms) == 1 else forms[0 if count == 1 else 1]
        else:
            text = singular if count == 1 else plural
        return _fill(text, params)

    def pgettext(self, context: str, message: str, /, **params: Any) -> str:
        """``message`` in ``context`` (for a word whose translation depends on where it stands)."""
        text = _catalog(self.language).get((context, message), message)
        return _fill(text, params)


def translator(language: str | None) -> Translator:
    return Translator(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def _fill(text: str, params: Mapping[str, Any]) -> str:
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        # A translation naming a placeholder the code does not pass must not hide what is being said.
        return text


# ---------------------------------------------------------------------------------------------------------------
# Extraction: the catalog follows the code

SOURCES = ("app.py", "app_pages", "services", "analytics", "generation", "data")
SKIP = ("data/migrations", "data/locale", "data/seed")


def extract(root: Path | None = None) -> Any:
    """Every marked message in the code, as a Babel catalog (the template)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    root = root or LOCALE_DIR.parent.parent
    template = Catalog(domain=DOMAIN, project="Endroll")
    for source in SOURCES:
        path = root / source
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            relative = file.relative_to(root).as_posix()
            if any(relative.startswith(s) for s in SKIP):
                continue
            for lineno, message, comments, context in extract_from_file(
                "python", str(file), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
            ):
                template.add(message, None, [(relative, lineno)], auto_comments=comments, context=context)
    return template


def update_catalog(language: str = "ja", root: Path | None = None) -> tuple[int, int]:
    """Merge the code's messages into ``language``'s catalog: new ones added untranslated, vanished ones made
    obsolete. Returns (messages, untranslated)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="Endroll")
    catalog.update(extract(root), no_fuzzy_matching=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=120, sort_output=False, omit_header=False, ignore_obsolete=True)
    reload()
    missing = sum(1 for m in catalog if m.id and not (all(m.string) if isinstance(m.id, tuple) else m.string))
    return len([m for m in catalog if m.id]), missing


@quiet_pipes
def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m data.i18n", description="Keep the message catalogs in step.")
    parser.add_argument(
        "command", choices=["extract"], help="merge the code's messages into data/locale/*/…/endroll.po"
    )
    args = parser.parse_args(argv)
    if args.command == "extract":
        for language in LANGUAGES:
            if language == "en":
                continue
            total, missing = update_catalog(language)
            print(f"{language}: {total} messages, {missing} without a translation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
