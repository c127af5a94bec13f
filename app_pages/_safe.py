"""Text that people typed, made inert before a page renders it: the one place pages escape what they did not write.

Streamlit renders Markdown in ``st.markdown``, ``st.caption``, ``st.title``/``header``/``subheader``, every alert
(``st.error``, ``st.warning``, ``st.info``, ``st.success``), ``st.toast``, progress and spinner texts and widget,
tab and expander labels — with GitHub's extensions (bare URLs and e-mail addresses become links), KaTeX between
``$`` signs and Streamlit's own ``:color[…]`` directives. A display name ``![x](https://evil.example/p.png)`` would
make a manager's browser fetch that image; ``[Reset your password](https://evil.example)`` would be a link.

* :func:`md` — a *value* put into a page's own Markdown (a name, a production title, a file name, a header):
  every ASCII punctuation character is backslash-escaped (CommonMark shows it as typed) and line breaks and tabs
  become spaces, so it reads exactly as typed and can be nothing but text.
* :func:`message` — a *whole message* that carries such values (an error's text, a verification summary): only
  what can make a link, an image, HTML, a directive or a formula is escaped (``\\ [ ] < > $ @``, ``://`` and
  ``www.``), so ordinary punctuation in the sentence stays as written; lines are kept as Markdown line breaks.
* :func:`figure` — a Plotly figure whose categories, hover texts or axis tick labels are names: Plotly renders ``<a href>`` in
  labels, so ``<`` and ``>`` become entities (Plotly shows them as the characters).

Tables (``st.dataframe``) and the options of select boxes show plain text and need none of this.
"""

from __future__ import annotations

import re
import string
from typing import Any

_PUNCTUATION = frozenset(string.punctuation)
_BREAKS = re.compile(r"[\r\n\t\v\f\u0085\u2028\u2029]+")
_LINK_CHARACTERS = frozenset("\\[]<>$@")
_BARE_LINK = re.compile(r"(://|(?i:www)\.)")


def md(value: Any) -> str:
    """``value`` as text for a Markdown element: shown exactly as typed, never markup. None is ''."""
    text = _BREAKS.sub(" ", "" if value is None else str(value))
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in text)


def message(value: Any) -> str:
    """A whole message for a Markdown element, with anything that could become a link, an image, HTML, a directive
    or a formula escaped; other punctuation and the line breaks kept."""
    lines = []
    for line in str("" if value is None else value).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        escaped = "".join("\\" + ch if ch in _LINK_CHARACTERS else ch for ch in line.replace("\t", " "))
        # "https\://" and "www\." are no longer the start of a bare link; they still read as typed.
        lines.append(_BARE_LINK.sub(lambda m: "\\://" if m.group(0) == "://" else m.group(0)[:-1] + "\\.", escaped))
    return "  \n".join(lines)


def error(exc: Any, translate: Any = None) -> str:
    """The page's wording of an :class:`~data.errors.EndrollError` (in the reader's language when ``translate`` is
    given), through :func:`message`."""
    return message(exc.message("page", translate=translate))


_PLOTLY_TEXT = ("x", "y", "text", "hovertext", "customdata", "labels", "name")


def figure(fig: Any) -> Any:
    """``fig`` with every text value of its traces (categories, names, hover texts) made inert for Plotly's
    HTML-like labels; returns the same figure."""
    for trace in fig.data:
        for attribute in _PLOTLY_TEXT:
            if attribute not in trace:
                continue
            value = trace[attribute]
            if isinstance(value, str):
                trace[attribute] = _entities(value)
            elif value is not None and hasattr(value, "__len__") and _has_text(value):
                trace[attribute] = _map(value)
    # Axis tick labels set by hand (a heat map's rows of names) are rendered the same way.
    for name in fig.layout:
        axis = fig.layout[name]
        if name.startswith(("xaxis", "yaxis")) and axis is not None and axis.ticktext is not None:
            axis.ticktext = _map(axis.ticktext)
    return fig


def _entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _has_text(values: Any) -> bool:
    try:
        return any(isinstance(v, str) or _has_text_row(v) for v in values)
    except TypeError:
        return False


def _has_text_row(value: Any) -> bool:
    return hasattr(value, "__len__") and not isinstance(value, str | bytes) and any(isinstance(v, str) for v in value)


def _map(values: Any) -> list[Any]:
    out = []
    for v in values:
        if isinstance(v, str):
            out.append(_entities(v))
        elif hasattr(v, "__len__") and not isinstance(v, str | bytes):
            out.append([_entities(x) if isinstance(x, str) else x for x in v])
        else:
            out.append(v)
    return out
