"""The artist's dated report of a reconciled period, as JSON and PDF, with a digest anyone can check later.

The report's content (:func:`build_report`) is plain JSON: when it was generated (UTC), the period, the person as
the artist chose to be named, the day-by-day reconciliation, the money of each month and, for a freelancer, the
Freelance Act facts. Its digest is the SHA-256 of its *canonical* JSON (:func:`canonical_json`: keys sorted, no
whitespace, UTF-8, numbers rounded when the content is built), so the same content gives the same digest wherever
it is recomputed, and a changed number, date or name gives another. The JSON file carries the content and its
digest; the PDF prints the digest and carries the JSON file inside it (an attachment), so the printed report can be
checked too. ``python -m analytics.own_log_report verify FILE.json`` (or :func:`verify_report`) recomputes it.

The digest shows that the file was not changed after it was made; it does not show who made it (anyone can make a
file and its digest). Keep the digest somewhere else as well (send it to a union, a lawyer, yourself by mail) so a
later copy can be compared with it.

Only the artist exports their report: the same check as :func:`analytics.own_log.reconcile`, narrowed to the artist.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from analytics.credits import pdf
from analytics.errors import AccessDenied, AnalyticsError
from analytics.findings.text import money_text
from analytics.own_log import MONEY_COLUMNS, reconcile
from analytics.own_log_freelance import FACT_COLUMNS, freelance_facts
from analytics.scope import Scope
from data.cli import quiet_pipes
from data.i18n import LANGUAGES, N_, NC_, Translator, language_of, translator

FORMAT = "endroll-own-log-report/1"
ALGORITHM = "SHA-256"
ATTACHMENT = "own_log_report.json"
NAME_LIMIT = 200
STATE_LABELS = {"matched": N_("Matched"), "studio_less": N_("Studio shows less"),
                "studio_more": N_("Studio shows more"), "only_own": N_("Only in my log"),
                "only_studio": N_("Only in the studio's record")}  # fmt: skip
DAY_HEADERS = (NC_("own-log report column", "Day"), NC_("own-log report column", "My hours"),
               NC_("own-log report column", "Studio's hours"), NC_("own-log report column", "Difference (h)"),
               NC_("own-log report column", "State"))  # fmt: skip
FREELANCE_HEADERS = (NC_("own-log report column", "Pay item"), NC_("own-log report column", "Commissioned"),
                     NC_("own-log report column", "Terms issued"), NC_("own-log report column", "Delivered"),
                     NC_("own-log report column", "Payment due"), NC_("own-log report column", "Paid"),
                     NC_("own-log report column", "Paid late"), NC_("own-log report column", "Retakes unpaid"))  # fmt: skip
# The canonical form: the one serialization the digest is computed over.
CANONICAL = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False, "allow_nan": False}


def _plain(value: Any) -> Any:
    """A JSON value for ``value``: dates as ISO text, NaN/NaT as null, numpy scalars as Python ones, floats to 4
    decimals (a digest over a float's last binary digits would differ between machines that round differently)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else round(float(value), 4)
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    return value


def _records(frame, columns: list[str]) -> list[dict[str, Any]]:
    return [{c: _plain(getattr(r, c)) for c in columns} for r in frame.itertuples(index=False)]


def build_report(
    session: Session, *, scope: Scope, name: str, generated_at: dt.datetime | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """The content of the report of the scope's one person for the scope's period (the artist themselves only;
    AccessDenied for anyone else, a manager included): ``format``, ``generated_at`` (UTC, ISO, to the second),
    ``person`` (``name``, as the artist chose to be named), ``period`` (``start``, ``end``), ``totals`` (hours),
    ``days`` (:data:`analytics.own_log.DAY_COLUMNS`, ``work_date`` ISO), ``money`` (one object per month,
    :data:`analytics.own_log.MONEY_COLUMNS`), ``freelance_act`` (:data:`analytics.own_log_freelance.FACT_COLUMNS`,
    one object per commission; empty for an employee). ``today`` decides whether an unpaid commission is past due
    (default: the day of ``generated_at``)."""
    viewer = scope.viewer
    if viewer is None or viewer.role != "artist" or viewer.person_id is None or viewer.person_id != scope.person:
        raise AccessDenied(N_("only the artist can export the report of their own log"),
                           fix={"page": N_("ask the artist to export it from their My record page")})  # fmt: skip
    name = (name or "").strip()
    if not name or len(name) > NAME_LIMIT:
        raise AnalyticsError(N_("the report needs the name to print on it, at most {limit} characters"),
                             fix={"page": N_("enter how you want to be named in the report")},
                             limit=NAME_LIMIT)  # fmt: skip
    generated_at = (generated_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    found = reconcile(session, scope=scope)
    facts = freelance_facts(session, scope=scope, today=today or generated_at.date())
    totals = found.totals
    return {
        "format": FORMAT,
        "generated_at": generated_at.isoformat().replace("+00:00", "Z"),
        "person": name,
        "period": {"start": found.start.isoformat(), "end": found.end.isoformat()},
        "totals": {k: _plain(v) for k, v in totals.items()},
        "days": _records(found.days, list(found.days.columns)),
        "money": _records(found.money, MONEY_COLUMNS),
        "freelance_act": _records(facts, FACT_COLUMNS),
    }


def canonical_json(content: dict[str, Any]) -> bytes:
    """The bytes the digest is computed over: ``content`` as JSON with its keys sorted, no whitespace, UTF-8."""
    return json.dumps(content, **CANONICAL).encode("utf-8")


def digest(content: dict[str, Any]) -> str:
    """The SHA-256 of :func:`canonical_json`, 64 lowercase hexadecimal digits."""
    return hashlib.sha256(canonical_json(content)).hexdigest()


def report_json(content: dict[str, Any]) -> bytes:
    """The report file: ``{"report": content, "digest": {"algorithm", "value", "over"}}``, indented to be read."""
    sealed = {
        "report": content,
        "digest": {
            "algorithm": ALGORITHM,
            "value": digest(content),
            "over": "the canonical JSON of \"report\": keys sorted, separators ',' and ':', no spaces, UTF-8",
        },
    }
    return json.dumps(sealed, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")


@dataclass(frozen=True)
class Verification:
    """What checking a report file found: ``matches`` (the recorded digest equals the one recomputed), ``recorded``
    and ``computed`` (hex; None when the file has none or is no report), ``problem`` (a catalog message when the
    file is not a report at all, else None)."""

    matches: bool
    recorded: str | None
    computed: str | None
    problem: str | None = None

    def message(self, t: Translator) -> str:
        """One sentence saying what was found, in ``t``'s language."""
        if self.problem is not None:
            return t(self.problem)
        if self.matches:
            return t(N_("MATCH: the digest recomputed from the report equals the one recorded in it ({digest}). "
                        "The report was not changed since it was made."), digest=self.computed)  # fmt: skip
        return t(N_("MISMATCH: the report records the digest {recorded}, but its content gives {computed}. The "
                    "report was changed after it was made."), recorded=self.recorded, computed=self.computed)  # fmt: skip


def verify_report(data: bytes | str) -> Verification:
    """Recompute the digest of a report file's content and compare it with the one it records."""
    try:
        sealed = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return Verification(False, None, None, N_("This file is not JSON, so it is not an Endroll own-log report."))
    if not isinstance(sealed, dict) or not isinstance(sealed.get("report"), dict):
        return Verification(
            False, None, None, N_("This JSON has no report in it: it is not an Endroll own-log report.")
        )
    recorded = sealed.get("digest", {}).get("value") if isinstance(sealed.get("digest"), dict) else None
    try:
        computed = digest(sealed["report"])
    except ValueError:  # a NaN or Infinity written into the file: no canonical form
        return Verification(False, recorded, None, N_("The report holds a number JSON does not allow: it was changed."))
    if not isinstance(recorded, str):
        return Verification(False, None, computed, N_("The file records no digest, so it cannot be checked."))
    return Verification(recorded.strip().lower() == computed, recorded, computed)


# ---------------------------------------------------------------------------------------------------------------
# The PDF


def _hours(value: Any) -> str:
    return "" if value is None else f"{float(value):,.2f}"


def _money(value: Any, currency: str, lang: str, *, per_hour: bool = False) -> str:
    return "—" if value is None else money_text(value, currency, per_hour=per_hour, language=lang)


def _money_lines(content: dict[str, Any], t: Translator, lang: str) -> list[str]:
    lines = []
    for m in content["money"]:
        cur, month = m["currency"], m["month"][:7]
        if m["basis"] == "employee":
            lines.append(t(N_("{month}: overtime {own} h on my count, {studio} h on the studio's; premiums owed for it "
                              "{own_owed} on my count, {studio_owed} on the studio's."), month=month,
                           own=_hours(m["own_overtime_hours"]), studio=_hours(m["studio_overtime_hours"]),
                           own_owed=_money(m["own_premiums"], cur, lang),
                           studio_owed=_money(m["studio_premiums"], cur, lang)))  # fmt: skip
            if m["mw_per_hour"] is not None:
                lines.append(t(N_("{month}: pay per hour for the minimum wage {own} on my hours, {studio} on the "
                                  "studio's, against {wage}; shortfall {own_short} on my count, {studio_short} on the "
                                  "studio's."), month=month, own=_money(m["own_mw_base"], cur, lang, per_hour=True),
                               studio=_money(m["studio_mw_base"], cur, lang, per_hour=True),
                               wage=_money(m["mw_per_hour"], cur, lang, per_hour=True),
                               own_short=_money(m["own_shortfall"], cur, lang),
                               studio_short=_money(m["studio_shortfall"], cur, lang)))  # fmt: skip
        else:
            lines.append(t(N_("{month}: {pay} of pay is {own} on my hours and {studio} on the studio's."), month=month,
                           pay=_money(m["pay_amount"], cur, lang),
                           own=_money(m["own_per_hour"], cur, lang, per_hour=True),
                           studio=_money(m["studio_per_hour"], cur, lang, per_hour=True)))  # fmt: skip
    return lines


def _yes_no(value: Any, t: Translator) -> str:
    return t(N_("yes")) if value else t(N_("no"))


def _freelance_table(content: dict[str, Any], t: Translator, lang: str) -> pdf.Table:
    headers = tuple(t(h) for h in FREELANCE_HEADERS)
    rows = []
    for f in content["freelance_act"]:
        late = f["days_paid_after_due"] if f["paid_late"] else None
        paid_late = t(N_("yes, {days} days"), days=int(late)) if late else _yes_no(f["unpaid_past_due"], t)
        unpaid = t(N_("{n} retakes"), n=int(f["retake_count"] or 0)) if f["unpaid_retakes"] else t(N_("none"))
        rows.append((f"#{f['pay_item_id']} {_money(f['amount'], f['currency'], lang)}", f["commission_date"] or "—",
                     f["terms_issued_date"] or t(N_("none")), f["delivery_date"] or "—", f["deemed_due_date"] or "—",
                     f["paid_date"] or t(N_("not yet")), paid_late, unpaid))  # fmt: skip
    return pdf.Table(headers=headers, rows=tuple(rows), widths=(30, 22, 22, 22, 22, 22, 22, 22), size=7)


def report_document(content: dict[str, Any], *, lang: str) -> pdf.Document:
    """The printable report of ``content`` in ``lang``: who, the period, when it was generated, the totals, the
    days, the money, the Freelance Act facts (for a freelancer), and the digest with how to check it."""
    if lang not in LANGUAGES:
        raise AnalyticsError(N_("the report's language must be 'ja' or 'en', not {lang!r}"), fix=N_("use ja or en"),
                             lang=lang)  # fmt: skip
    t = translator(lang)
    person, period = content["person"], content["period"]
    totals = content["totals"]
    days = tuple((d["work_date"], _hours(d["own_hours"]), _hours(d["studio_hours"]), _hours(d["difference_hours"]),
                  t(STATE_LABELS.get(d["state"], d["state"]))) for d in content["days"])  # fmt: skip
    blocks: list[pdf.Line | pdf.Table] = [
        pdf.Line(t(N_("My hours beside the studio's record: {name}"), name=person), size=14, align="L"),
        pdf.Line(
            t(
                N_("Period {start} – {end}. Generated at {at} (UTC)."),
                start=period["start"],
                end=period["end"],
                at=content["generated_at"],
            ),
            size=9,
            align="L",
            space_after=2,
        ),  # fmt: skip
        pdf.Line(
            t(
                N_("My hours {own} h, the studio's {studio} h, difference {difference} h."),
                own=_hours(totals["own_hours"]),
                studio=_hours(totals["studio_hours"]),
                difference=_hours(totals["difference_hours"]),
            ),
            size=10,
            align="L",
            space_after=2,
        ),  # fmt: skip
        pdf.Table(headers=tuple(t(h) for h in DAY_HEADERS), rows=days, widths=(30, 30, 30, 30, 60), size=8),
    ]
    blocks += [pdf.Line(text, size=9, align="L", space_before=1) for text in _money_lines(content, t, lang)]
    if content["freelance_act"]:
        blocks.append(pdf.Line(t(N_("Freelance Act: the studio's records of each commission")), size=10, align="L",
                               space_before=3, space_after=1))  # fmt: skip
        blocks.append(_freelance_table(content, t, lang))
    blocks += [
        pdf.Line(
            t(N_("SHA-256 digest of this report: {digest}"), digest=digest(content)), size=9, align="L", space_before=4
        ),  # fmt: skip
        pdf.Line(
            t(
                N_(
                    "The report's JSON is attached to this PDF as {file}. Anyone can check it has not been changed: "
                    "python -m analytics.own_log_report verify {file}"
                ),
                file=ATTACHMENT,
            ),
            size=8,
            align="L",
        ),  # fmt: skip
    ]
    return pdf.Document(title=t(N_("Own-log report — {name}"), name=person), blocks=tuple(blocks),
                        attachments=((ATTACHMENT, report_json(content)),))  # fmt: skip


def report_pdf(content: dict[str, Any], *, lang: str) -> bytes:
    """The PDF of :func:`report_document` (A4, fonts embedded, the JSON attached); FontNotFound or MissingGlyphs
    rather than a character left out."""
    return pdf.render(report_document(content, lang=lang))


def report_pdf_refusal(content: dict[str, Any], *, lang: str) -> AnalyticsError | None:
    """Why the report cannot be printed (no CJK font, or characters no font has), or None."""
    return pdf.refusal(report_document(content, lang=lang))


@quiet_pipes
def main(argv: list[str] | None = None) -> int:
    """``verify FILE.json``: prints MATCH or MISMATCH; exit status 0 on a match, 1 otherwise (2: no such file)."""
    parser = argparse.ArgumentParser(prog="python -m analytics.own_log_report",
                                     description="Check an own-log report (JSON) against its SHA-256 digest.")  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("verify", help="recompute the digest of FILE.json and compare it with the recorded one")
    check.add_argument("file", type=Path)
    check.add_argument("--lang", choices=LANGUAGES, default=language_of(os.environ.get("LANG")))
    args = parser.parse_args(argv)
    t = translator(args.lang)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(t(N_("cannot read {file}: {reason}"), file=str(args.file), reason=exc.strerror or str(exc)),
              file=sys.stderr)  # fmt: skip
        return 2
    found = verify_report(data)
    print(found.message(t))
    return 0 if found.matches else 1


if __name__ == "__main__":
    sys.exit(main())
