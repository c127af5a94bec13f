"""No message sends anyone to a page that does not exist.

Every string in the code that is not a docstring (error messages, captions, empty states, help texts) is searched
for "<Name> page"; each name must be the title of a page that app.py's navigation registers for some role.
No database, no Streamlit run: app.py's page table is read from its source.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = [ROOT / "app.py", *(p for pkg in ("app_pages", "services", "analytics", "generation", "data")
                           for p in sorted((ROOT / pkg).rglob("*.py")))]  # fmt: skip
# Words that start a sentence before "page" without naming one ("This page is not available to you").
NOT_NAMES = {"A", "An", "Any", "Another", "Each", "Every", "Its", "No", "One", "That", "The", "This", "Which", "Your"}


def page_titles() -> set[str]:
    """The titles in app.py's ``PAGES`` (every role) and ``SIGN_IN``, read from the source."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    titles: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.AnnAssign):
            target = node.target
        elif isinstance(node, ast.Assign):
            target = node.targets[0]
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "PAGES":
            titles |= {title for specs in ast.literal_eval(node.value).values() for _, title, _ in specs}
        elif isinstance(target, ast.Name) and target.id == "SIGN_IN":
            titles.add(ast.literal_eval(node.value)[1])
    return titles


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant in ``path`` but docstrings; an f-string's literal parts joined with
    a placeholder word, so "on the {x} page" still reads as a sentence."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _docstrings(tree)
    inside_fstrings = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
            found.append((node.lineno, text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip | inside_fstrings:
            found.append((node.lineno, node.value))
    return found


def pages_named(text: str, titles: set[str]) -> set[str]:
    """The page names ``text`` mentions as "<Name> page": a known title ending right before "page", else the last
    capitalized word there (a name that does not exist); lower-case words ("the page") name none."""
    named = set()
    for match in re.finditer(r"\bpage\b", text):
        words = text[: match.start()].split()[-4:]
        suffixes = [" ".join(words[i:]).strip("\"'`*(“「") for i in range(len(words))]
        known = [s for s in suffixes if s in titles]
        if known:
            named.add(known[0])
        elif words and words[-1][:1].isupper() and words[-1] not in NOT_NAMES:
            named.add(words[-1].strip("\"'`*(“「"))
    return named


def test_the_finder_reads_page_names() -> None:
    titles = {"My record", "Admin", "AI use", "Import"}
    assert pages_named("ask a manager on the Admin page or the My record page", titles) == {"Admin", "My record"}
    assert pages_named("Add them on the People page (or import them)", titles) == {"People"}
    assert pages_named("This page is not available to you; the page reloads", titles) == set()
    assert pages_named("see the AI use page", titles) == {"AI use"}


def test_every_page_a_message_names_exists() -> None:
    titles = page_titles()
    assert {"Admin", "Import", "My record", "Credits"} <= titles
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {name!r} in {text!r}"
        for path in CODE
        for line, text in strings(path)
        for name in sorted(pages_named(text, titles) - titles)
    ]
    assert missing == [], "messages name pages app.py does not register:\n" + "\n".join(missing)
