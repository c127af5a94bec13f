"""Count credit defects per rule in the shared MADB files and write docs/credit-defects.md.

    .venv/bin/python scripts/credit_defects.py [--madb DIR] [--output docs/credit-defects.md]

DIR defaults to ../shared/data/madb beside the repository (where CI has it).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.credits.rules import RULES, normalize  # noqa: E402
from analytics.credits.validator import validate_credits  # noqa: E402
from data.importers import parse_credits  # noqa: E402


def _shared_madb() -> Path:
    # ENDROLL_MADB_DIR, else the first shared/data/madb above the checkout (a worktree sits one folder deeper).
    if os.environ.get("ENDROLL_MADB_DIR"):
        return Path(os.environ["ENDROLL_MADB_DIR"])
    found = [p / "shared" / "data" / "madb" for p in ROOT.parents if (p / "shared" / "data" / "madb").is_dir()]
    return found[0] if found else ROOT.parent / "shared" / "data" / "madb"


DEFAULT_MADB = _shared_madb()
# The research's false-positive traps, counted where they occur inside a credited name (after NFKC).
TRAPS = (
    "AIC",
    "GAINAX",
    "J.C.STAFF",
    "J.C.スタッフ",
    "トライアングルスタッフ",
    "テレコムスタッフ",
    "スタッフ21",
    "畑中国明",
    "RAI",
    "Ai ",
    "あい",
    "ほか",
)
TRAP_RULES = frozenset({"ai_as_author", "ai_plus_human", "generic_human", "tool_credited", "and_others"})


def _field(source_line_id: str | None) -> str:
    # The reader's source_line_id is "<MADB id>:<field><record>:<n>"; the field says which JSON-LD key held the credit.
    if not source_line_id or source_line_id.count(":") < 2:
        return "?"
    return source_line_id.split(":")[1].rstrip("0123456789") or "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--madb", type=Path, default=DEFAULT_MADB)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "credit-defects.md")
    args = parser.parse_args(argv)
    files = sorted(args.madb.glob("*.json"))
    if not files:
        print(f"error: no MADB JSON files in {args.madb}", file=sys.stderr)
        return 2

    per_file: list[tuple[str, int, int, int, int, int]] = []
    defect_kinds: Counter[str] = Counter()
    defect_examples: dict[str, Counter[str]] = defaultdict(Counter)
    calls: Counter[tuple[bool, str]] = Counter()
    counts: Counter[tuple[str, str]] = Counter()
    productions: dict[tuple[str, str], set[str]] = defaultdict(set)
    examples: dict[str, Counter[str]] = defaultdict(Counter)
    no_role_fields: Counter[str] = Counter()
    trap_counts: dict[str, list[int]] = {trap: [0, 0] for trap in TRAPS}
    total_credits = total_notes = 0
    all_productions: set[str] = set()
    for path in files:
        credits = list(parse_credits(path))
        report = validate_credits(credits)
        all_productions.update(c.source_ref or c.production for c in credits)
        with_error = len({(f.line, f.role, f.name) for f in report.findings if str(f.severity) == "ERROR"})
        flagged = {(f.line, f.role, f.name) for f in report.findings if f.rule in TRAP_RULES}
        for trap in TRAPS:
            for c in credits:
                if c.kind == "credit" and trap in normalize(c.name_as_credited):
                    trap_counts[trap][0] += 1
                    trap_counts[trap][1] += (c.line, c.role_as_credited, c.name_as_credited) in flagged
        orgs = 0
        for c in credits:
            if c.kind == "defect":
                defect_kinds[c.role_as_credited] += 1
                defect_examples[c.role_as_credited][c.name_as_credited] += 1
            elif c.kind == "credit":
                calls[(bool(c.is_organization), c.entity_basis or "")] += 1
                orgs += bool(c.is_organization)
        per_file.append(
            (path.name, report.credits_checked, report.notes_skipped, report.source_defects, orgs, with_error)
        )
        total_credits += report.credits_checked
        total_notes += report.notes_skipped
        by_line = {(c.line, c.role_as_credited, c.name_as_credited): c for c in credits}
        for f in report.findings:
            counts[(f.rule, str(f.severity))] += 1
            productions[(f.rule, str(f.severity))].add(f.source_ref or f.production)
            examples[f.rule][f"[{f.role}]{f.name}"] += 1
            if f.rule == "not_a_credit" and not f.role:
                c = by_line.get((f.line, f.role, f.name))
                no_role_fields[_field(c.source_line_id if c else None)] += 1

    lines = [
        "# Credit defects in real anime credits (MADB)",
        "",
        "How often each rule of the credit validator fires on real, public credits: the Media Arts Database",
        "(メディア芸術データベース, dataset version 1.1, JSON-LD dumps in `../shared/data/madb`). The data was processed",
        "(parsed by `data.importers.parse_credits` and checked by `analytics.credits`); it is freely reusable open data.",
        "",
        "Generated by:",
        "",
        "```",
        ".venv/bin/python scripts/credit_defects.py --madb ../shared/data/madb --output docs/credit-defects.md",
        "```",
        "",
        "| file | credits checked | notes (not credits) | source defects | credits to organizations | credits with an "
        "ERROR |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, n, notes, defects, orgs, err in per_file:
        lines.append(f"| `{name}` | {n:,} | {notes:,} | {defects:,} | {orgs:,} | {err:,} |")
    lines += [
        f"| **all** | **{total_credits:,}** | **{total_notes:,}** | **{sum(defect_kinds.values()):,}** | "
        f"**{sum(f[4] for f in per_file):,}** | |",
        "",
        f"{len(all_productions):,} productions. Rates are per 1,000 credits checked.",
        "",
        "| rule | § | severity | findings | per 1,000 credits | productions | most frequent (`[role]name` × count) |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    order = {rule: i for i, rule in enumerate(RULES)}
    for (rule, severity), n in sorted(counts.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])):
        top = ", ".join(
            f"`{text.replace('|', '¦').replace('`', chr(39)) or '(empty)'}` × {k}"
            for text, k in examples[rule].most_common(3)
        )
        rate = 1000 * n / total_credits if total_credits else 0
        lines.append(
            f"| `{rule}` | {RULES[rule].ref if rule in RULES else ''} | {severity} | {n:,} | {rate:.2f} | "
            f"{len(productions[(rule, severity)]):,} | {top} |"
        )
    silent = [r for r in RULES.values() if not any(rule == r.id for rule, _s in counts) and r.ref.startswith("§")]
    lines += [
        "",
        "Rules that did not fire on these files: "
        + (", ".join(f"`{r.id}` ({r.ref})" for r in silent) or "none")
        + ". The labor cross-checks (`uncredited_worker`, `credited_without_work`, `ai_operator_missing`) need a",
        "studio's own records and do not apply to public data.",
        "",
        "## Reading the numbers",
        "",
        "- `not_a_credit` is mostly an *entity with no role*: MADB lists some credits in JSON-LD keys that carry no role",
        "  string of their own. The importer gives role-less `productionCompany`, `originalWorkCreator` and `actor`",
        "  entries the role their key implies and keeps `publisher` entries (broadcasters, distributors) as notes",
        "  (see docs/import-formats.md). What remains, by key: "
        + ", ".join(f"`{k}` {v:,}" for k, v in no_role_fields.most_common())
        + ". `creator` on old films is the maker (作者:",
        "  director, animator or studio) and `contributor` holds annotations, so no role is guessed; the rule reports",
        "  them as WARN because a roll printed from them would show a name under no role.",
        "- `empty_name` does not fire on MADB any more: separators such as `◆◆◆◆`, `―――――` under a role, and",
        "  fragments cut by the source's length limit (`【店主[`, `[動`) are source defects of the record (below), not",
        "  credits, so they are neither stored as names nor reported as errors a studio could fix.",
        "- `glyph_placeholder` is MADB's `*` marker for a variant glyph (異体字) that the database could not encode;",
        "  the fix is a variant-glyph alias linked to the person, not a new name.",
        "- `and_others` is dominated by voice-cast lists ending in ほか: the people are real but the list is incomplete.",
        "- `unlinked_variants` (INFO) is one spelling of a name next to another that folds to the same key (spacing,",
        "  full-width space, variant glyphs) — candidates for alias linking, not errors.",
        "",
        "## Source defects",
        "",
        "What the records hold that is neither a credit nor a note, by kind (kept as credit notes of kind",
        "`source_defect:<kind>` on import):",
        "",
        "| kind | count | most frequent |",
        "|---|---:|---|",
        *[
            f"| `{kind}` | {n:,} | "
            + ", ".join(
                f"`{t.replace('|', '¦').replace('`', chr(39))}` × {k}" for t, k in defect_examples[kind].most_common(3)
            )
            + " |"
            for kind, n in defect_kinds.most_common()
        ],
        "",
        "## Person or organization",
        "",
        "How each credited name was called (data.credits.organizations), by the evidence the call rests on:",
        "",
        "| call | evidence | credits |",
        "|---|---|---:|",
        *[
            f"| {'organization' if org else 'person'} | `{basis}` | {n:,} |"
            for (org, basis), n in sorted(calls.items(), key=lambda kv: (not kv[0][0], -kv[1]))
        ],
        "",
        "## False-positive traps",
        "",
        "Credited names containing each trap string of the research, and how many of those drew an AI, generic-human,",
        "tool or and-others finding (`ほか` counts the names that merely contain it, so the whole-token ほか lines that",
        "rightly fire are included there):",
        "",
        "| contained string | credits | flagged |",
        "|---|---:|---:|",
        *[f"| `{trap.strip()}` | {n:,} | {k:,} |" for trap, (n, k) in trap_counts.items()],
        "",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.output} ({total_credits:,} credits, {sum(counts.values()):,} findings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
