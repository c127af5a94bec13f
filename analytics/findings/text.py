"""What a finding says, in the reader's language: a catalog template (marked with :func:`data.i18n.N_`) and the
parameters it fills, kept with the finding, and rendered where it is read.

Each finding carries ``message`` (the English template, the catalog's msgid), ``params`` (its parameters as JSON)
and ``explanation`` (the template rendered in English: the stable text of the command line's and the CSV's output).
:func:`explain` renders a frame of findings in any catalog language: the pages call it with the viewer's translator.

Parameters are JSON values. Numbers fill ``{placeholders}`` with the template's format spec (``{hours:.1f}``);
text and ISO dates as they are; an amount of money is ``{"amount": 1226, "currency": "JPY"}`` (``"per": "h"`` for a
rate per hour) and is written in the currency's own units: yen whole, dollars with cents (``1,226 JPY``,
``16.50 USD/h``; in Japanese ``1,226円``, ``時給16.50ドル``); a nested sentence is ``{"msg": …, "params": {…}}`` and a
list of them ``{"join": "; ", "items": [...]}``.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data.i18n import N_, Translator

# Digits after the decimal point of each currency's own unit: yen have none, dollars have cents.
DIGITS = {"JPY": 0, "USD": 2}
EN = Translator("en")


def money(amount: Any, currency: str, *, per_hour: bool = False, bare: bool = False) -> dict[str, Any]:
    """An amount of money as a finding's parameter (rounded to the currency's unit, as the law reads it);
    ``bare``: written without its currency (where the sentence names it next to it)."""
    digits = DIGITS.get(currency, 2)
    value = round(float(amount), digits)
    param: dict[str, Any] = {"amount": int(value) if digits == 0 else value, "currency": currency}
    if per_hour:
        param["per"] = "h"
    if bare:
        param["bare"] = True
    return param


def moneys(
    amounts: Sequence[Any], currencies: Any, *, per_hour: bool = False, bare: bool = False
) -> list[dict[str, Any]]:
    """:func:`money` of each amount (``currencies``: one per amount, or one for all), one object per distinct
    value: a column of parameters is rendered and encoded once per object (:meth:`Sentences.columns`), and a
    studio's rates and wages repeat a few hundred values over hundreds of thousands of findings."""
    each = [currencies] * len(amounts) if isinstance(currencies, str) else currencies
    made: dict[tuple[Any, str], dict[str, Any]] = {}
    out = []
    for amount, currency in zip(amounts, each, strict=True):
        # By the amount as given (0.0 and -0.0 are equal keys but written apart; NaN is never found again).
        key = (amount, currency) if amount else None
        param = made.get(key) if key is not None else None  # type: ignore[arg-type]
        if param is None:
            param = money(amount, currency, per_hour=per_hour, bare=bare)
            if key is not None:
                made[key] = param
        out.append(param)
    return out


def money_text(amount: Any, currency: str, *, per_hour: bool = False, language: str = "en", bare: bool = False) -> str:
    """``1,226 JPY``, ``16.50 USD/h``; in Japanese ``1,226円``, ``時給16.50ドル``; ``bare``: ``1,226``, ``16.50``."""
    digits = DIGITS.get(currency, 2)
    number = f"{float(amount):,.{digits}f}"
    if bare:
        return number
    if language == "ja":
        unit = {"JPY": "円", "USD": "ドル"}.get(currency, f" {currency}")
        return f"時給{number}{unit}" if per_hour else f"{number}{unit}"
    return f"{number} {currency}/h" if per_hour else f"{number} {currency}"


def sentence(message: str, **params: Any) -> dict[str, Any]:
    """A sentence inside another's parameters (rendered in the same language)."""
    return {"msg": message, "params": params}


def joined(items: Sequence[dict[str, Any]], sep: str = "; ") -> dict[str, Any]:
    """Sentences joined into one parameter."""
    return {"join": sep, "items": list(items)}


def render(message: str, params: Mapping[str, Any], translate: Translator = EN) -> str:
    """``message`` in ``translate``'s language with ``params`` filled (money in its units, nested sentences
    rendered)."""
    return translate(message, **{k: _value(v, translate) for k, v in params.items()})


def _value(value: Any, translate: Translator) -> Any:
    if isinstance(value, dict):
        if "msg" in value:
            return render(value["msg"], value.get("params", {}), translate)
        if "join" in value:
            return value["join"].join(_value(item, translate) for item in value["items"])
        if "currency" in value:
            return money_text(
                value["amount"],
                value["currency"],
                per_hour=value.get("per") == "h",
                language=translate.language,
                bare=bool(value.get("bare")),
            )
    return value


@dataclass
class Sentences:
    """The sentences of many findings of one template: ``params`` holds a column (a sequence of ``n`` values) or one
    value for all, per placeholder."""

    message: str
    params: Mapping[str, Any]

    def rows(self, n: int) -> list[dict[str, Any]]:
        """The parameters of each of the ``n`` findings, as plain JSON values."""
        keys = list(self.params)
        columns = [_column(self.params[k], n) for k in keys]
        return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)] if keys else [{}] * n

    def english(self, rows: list[dict[str, Any]]) -> list[str]:
        """Each finding's sentence in English (the stable explanation of the exports)."""
        return [render(self.message, row) for row in rows]

    def columns(self, n: int) -> tuple[list[str], list[str]]:
        """``(english, params)`` of the ``n`` findings: the same strings as ``english(rows(n))`` and
        ``dumps(rows(n))``, built a parameter at a time. A whole studio has hundreds of thousands of findings, and
        rendering each through the translator and the JSON encoder row by row was a large part of evaluating them."""
        keys = list(self.params)
        if not keys:
            return [self.english([{}])[0]] * n, ["{}"] * n
        plain = [_column(self.params[k], n) for k in keys]
        # The template once (a message translated with no parameters is its catalog text), then each row filled
        # as the translator fills it, nested sentences and money rendered a column at a time.
        template = str(EN(self.message))
        shown = [_shown(values, n) for values in plain]
        positional = _positional(template, keys)
        if positional is not None:
            english = [_fill_positional(positional, template, values) for values in zip(*shown, strict=True)]
        else:
            english = [_fill_row(template, dict(zip(keys, values, strict=True))) for values in zip(*shown, strict=True)]
        encoded = [_encoded(key, values, n) for key, values in zip(keys, plain, strict=True)]
        return english, ["{" + ",".join(values) + "}" for values in zip(*encoded, strict=True)]


def _column(values: Any, n: int) -> list[Any]:
    if isinstance(values, (str, dict)) or np.isscalar(values) or values is None:
        return [_plain(values)] * n
    if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
        out = values.tolist()  # Python numbers already: nothing for _plain to change
    else:
        out = [
            v if type(v) in _AS_THEY_ARE else _plain(v)
            for v in (values.tolist() if hasattr(values, "tolist") else list(values))
        ]
    if len(out) != n:
        raise ValueError(f"a parameter column of {len(out)} values for {n} findings")
    return out


def _positional(template: str, keys: list[str]) -> str | None:
    """``template`` with its named fields numbered by their place in ``keys`` (``{hours:.1f}`` → ``{0:.1f}``), which
    fills the same text from a row's values without a dict per row; None where it might not: a field it is not given
    (the template is then shown as it is), a nested field in a format spec, a template the parser refuses."""
    out = []
    try:
        for literal, field, spec, conversion in string.Formatter().parse(template):
            out.append(literal.replace("{", "{{").replace("}", "}}"))
            if field is None:
                continue
            name, dot, rest = field.partition(".") if "[" not in field else (field, "", "")
            if name not in keys or "{" in (spec or "") or not field or "[" in field:
                return None
            out.append("{" + str(keys.index(name)) + dot + rest + (f"!{conversion}" if conversion else ""))
            out.append((f":{spec}" if spec else "") + "}")
    except ValueError:
        return None
    return "".join(out)


def _fill_positional(positional: str, template: str, values: tuple[Any, ...]) -> str:
    try:
        return positional.format(*values)
    except (KeyError, IndexError, ValueError):  # as _fill_row: what the translator shows when filling fails
        return template


def _fill_row(template: str, params: dict[str, Any]) -> str:
    # As data.i18n fills a message: a template naming a placeholder it is not given is shown as it is.
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def _shown(values: list[Any], n: int) -> list[Any]:
    """A parameter column as :func:`render` fills it in English (sentences and money rendered; the rest as is)."""
    if n and all(v is values[0] for v in values):  # one value for all, as _column repeats it
        return [_value(values[0], EN)] * n
    # A sentence shared by many findings (one object, as a rule builds it once) is rendered once.
    done: dict[int, Any] = {}
    return [(done.get(id(v)) or done.setdefault(id(v), _value(v, EN))) if type(v) is dict else v for v in values]


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# Exact types whose JSON the encoder writes as below (bool before int: True is an int); anything else, a str
# subclass included, goes through the encoder itself.
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: json.encoder.encode_basestring,
    bool: lambda v: "true" if v else "false",
    int: int.__repr__,
    float: lambda v: float.__repr__(v) if v == v and v not in (_INF, -_INF) else _ENCODE(v),
    type(None): lambda v: "null",
}
# Columns of one type whose every value the encoder writes so (floats: when all are finite).
_PLAIN_COLUMNS: dict[type, Callable[[Any], str]] = {
    str: json.encoder.encode_basestring,
    int: int.__repr__,
    float: float.__repr__,
    type(None): lambda v: "null",
}
_INF = float("inf")


def _encoded(key: str, values: list[Any], n: int) -> list[str]:
    """``"key":value`` as the JSON encoder writes each of a parameter column's values (:func:`dumps`)."""
    prefix = _ENCODE(key) + ":"
    if n and all(v is values[0] for v in values):
        return [prefix + _ENCODE(values[0])] * n
    done: dict[int, str] = {}

    def encode(value: Any) -> str:
        # A dict (money, a sentence) shared by many findings is encoded once.
        if type(value) is not dict:
            return _ENCODE(value)
        if id(value) not in done:
            done[id(value)] = _encode_dict(value)
        return done[id(value)]

    kinds = set(map(type, values))
    kind = kinds.pop() if len(kinds) == 1 else None
    if kind in _PLAIN_COLUMNS and (kind is not float or np.isfinite(np.fromiter(values, float, len(values))).all()):
        # One plain type throughout (the usual column): its encoding applied without looking at each value's type.
        return [prefix + text for text in map(_PLAIN_COLUMNS[kind], values)]
    return [prefix + _SCALARS.get(type(v), encode)(v) for v in values]


_C_ENCODER = json.encoder.c_make_encoder


def _encode_dict(value: dict[str, Any]) -> str:
    # The C encoder the JSON encoder itself runs, made once rather than for every value (the circular-reference
    # check only ever raises, and a finding's parameters are a tree).
    if _ITERENCODE is None:
        return _ENCODE(value)
    return "".join(_ITERENCODE(value, 0))


_ITERENCODE = (
    None
    if _C_ENCODER is None
    else _C_ENCODER(
        None, json.JSONEncoder().default, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
)


# Values _plain returns unchanged (exact types: a subclass may be a NumPy scalar or a date).
_AS_THEY_ARE = frozenset({str, int, float, bool, dict, list, type(None)})


def _plain(value: Any) -> Any:
    # JSON values only: NumPy scalars, dates and timestamps as Python numbers and ISO dates.
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def dumps(rows: list[dict[str, Any]]) -> list[str]:
    """Each finding's parameters as compact JSON (what the snapshot stores)."""
    encode: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return [encode(row) for row in rows]


def explain(frame: pd.DataFrame, translate: Translator) -> pd.DataFrame:
    """``frame`` (findings with ``message`` and ``params``, as :func:`analytics.findings.findings` returns them) with
    its ``explanation`` rendered in ``translate``'s language, and without the ``message`` and ``params`` columns.
    What the pages show; English gives the stored explanation back."""
    if "message" not in frame.columns:
        return frame
    out = frame.drop(columns=["message", "params"])
    if translate.language != "en" and len(frame):
        out["explanation"] = [
            render(m, json.loads(p) if p else {}, translate) if m else e
            for m, p, e in zip(frame["message"], frame["params"], frame["explanation"], strict=True)
        ]
    return out


# The sentence a data finding about the minimum-wage table ends with, shared by the rules and the staleness report.
STALE_NOTE = N_(
    "{place}'s latest rate on record is {rate} from {since} (revision {revision}); a new one was due from "
    "{expected} and is not in the table, so this rate may be out of date"
)
UNCERTAIN_NOTE = N_(
    "{place}'s revision {revision} of {announced} was announced without an effective date that the table knows; "
    "from {cycle} it may already apply instead of {rate}"
)
