"""Build data/seed/organizations.csv: the organizations the Media Arts Database credits, for telling them from people.

    .venv/bin/python scripts/build_org_lexicon.py [--madb DIR] [--output data/seed/organizations.csv]

How the lexicon is built (the same every run, from the same files):

1. Candidates from the MADB's organization data in the shared JSON-LD files: every ``publisher`` (the broadcaster
   or the distributor), every name credited in an organization role (アニメーション制作, 制作協力, 製作, 録音スタジオ:
   the roles of data/seed/roles.csv that allow an organization), and every name marked ``[ロゴ]``.
2. Names that already carry their own evidence (a legal form such as 株式会社, a word such as スタジオ or 映画) are left
   out: the rules find them without a lexicon (data.credits.organizations).
3. What remains was reviewed by hand, name by name, on 2026-12-06: the people credited in those roles (a company's
   president credited as 製作, an animator credited as アニメーション制作 on an early film), and texts that are no
   name at all (``イベント``, ``劇場未公開``, a cut title), are listed in data/seed/organizations_review.csv
   (``person`` / ``not_a_name``) and left out. Companies whose names read like a person's (三井物産, 木下工務店)
   were kept.
4. The organizations named in issue #15 as missed (サンライズ, ボンズ, ufotable …) are added if the files lack them.
5. Each entry's kind comes from where it was credited most: a TV or radio station → ``broadcaster``, a publisher
   entry → ``distributor``, アニメーション制作 or a logo → ``animation_studio``, 制作協力 → ``subcontract_studio``,
   録音スタジオ → ``sound_studio``; only ever 製作 → ``production_committee`` (a committee) or ``other`` (a member
   company). The kind is information for a reader: any kind makes the name an organization.

Source: メディア芸術データベース (dataset version 1.1), processed; freely reusable open data.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data.credits.organizations import entity_key, legal_form, org_word  # noqa: E402
from data.importers import parse_credits  # noqa: E402

REVIEW = ROOT / "data" / "seed" / "organizations_review.csv"  # the names the review left out, and why
ORG_ROLES = {"animation_production", "production_cooperation", "production_committee", "recording_studio"}
BROADCASTER = re.compile(
    r"(テレビ|テレ|放送|ラジオ|TV|tv|NHK|FM|^(MBS|TBS|ABC|YTV|CX|MX|NTV|ANB|TX|OTV|CBC|RCC|NET|BS\S*|AT-X|WOWOW|KBS\S*|"
    r"tvk|YTE|メ[～ー]テレ|チバテレ|テレ玉)$)"
)
# Named in issue #15 as organizations the calls missed.
FROM_THE_ISSUE = {
    "サンライズ": "animation_studio", "ボンズ": "animation_studio", "BONES": "animation_studio",
    "シャフト": "animation_studio", "ufotable": "animation_studio", "バンダイビジュアル": "other", "東宝": "distributor",
    "博報堂": "other", "ポニーキャニオン": "other", "キネマシトラス": "animation_studio", "GAINAX": "animation_studio",
    "XEBEC": "animation_studio", "TRIGGER": "animation_studio", "OLM": "animation_studio", "東映": "distributor",
}  # fmt: skip


def _kind(name: str, seen: Counter[str]) -> str:
    if BROADCASTER.search(name):
        return "broadcaster"
    by_role = {
        "animation_studio": seen["animation_production"] + seen["logo"],
        "subcontract_studio": seen["production_cooperation"],
        "sound_studio": seen["recording_studio"],
        "distributor": seen["publisher"],
    }
    kind, n = max(by_role.items(), key=lambda kv: kv[1])
    if n:
        return kind
    if re.search(r"(委員会|Partners|PARTNERS|パートナーズ|Project|プロジェクト)", name):
        return "production_committee"
    return "other"


def candidates(madb: Path) -> tuple[dict[str, str], dict[str, Counter[str]]]:
    """(a name for each key, where each key was credited as an organization) in every file of ``madb``."""
    names: dict[str, str] = {}
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for path in sorted(madb.glob("*.json")):
        for node in json.loads(path.read_text(encoding="utf-8"))["@graph"]:
            value = node.get("publisher")
            if isinstance(value, str):
                for name in re.split(r"\s*／\s*", value):
                    if name.strip():
                        names.setdefault(entity_key(name.strip()), name.strip())
                        seen[entity_key(name.strip())]["publisher"] += 1
        for c in parse_credits(path):
            if c.kind != "credit" or not (c.is_logo or c.role_code in ORG_ROLES):
                continue
            key = entity_key(c.name_as_credited)
            names.setdefault(key, c.name_as_credited)
            seen[key]["logo" if c.is_logo else c.role_code] += 1
    return names, seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(os.environ.get("ENDROLL_MADB_DIR") or ROOT.parent / "shared" / "data" / "madb")
    parser.add_argument("--madb", type=Path, default=default)
    parser.add_argument("--output", type=Path, default=ROOT / "data" / "seed" / "organizations.csv")
    args = parser.parse_args(argv)
    if not list(args.madb.glob("*.json")):
        print(f"error: no MADB JSON files in {args.madb}", file=sys.stderr)
        return 2
    # An empty lexicon while reading: the candidates must not depend on the lexicon being built.
    args.output.write_text("name,kind,evidence\n", encoding="utf-8")
    from data.credits.organizations import default_lexicon

    default_lexicon.cache_clear()
    names, seen = candidates(args.madb)
    with REVIEW.open(encoding="utf-8", newline="") as fh:
        left_out = {entity_key(row["name"]) for row in csv.DictReader(fh)}
    rows = []
    for key, name in names.items():
        if key in left_out or legal_form(name) or org_word(name):
            continue
        if len(key) < 2 or key.isdigit():
            continue
        evidence = "; ".join(f"{k} ×{n}" for k, n in seen[key].most_common())
        rows.append((name, _kind(name, seen[key]), f"MADB {evidence}"))
    present = {entity_key(r[0]) for r in rows}
    for name, kind in FROM_THE_ISSUE.items():
        if entity_key(name) not in present:
            rows.append((name, kind, "issue #15 (named as missed)"))
    rows.sort(key=lambda r: (r[1], entity_key(r[0])))
    with args.output.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "kind", "evidence"])
        w.writerows(rows)
    print(f"wrote {len(rows)} organizations to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
