"""What each compliance rule is, in words a reader of the dashboard can use: its name, what it measures and the
statute or criteria it applies (the rules table of docs/analytics.md, shortened for a page).

Every text is marked for the message catalogs; a page translates it when it shows it. ``tests/analytics/
test_glossary.py`` checks that every rule id the findings engine can emit has an entry here, and no other. The
numbers are the seeded values, as in docs/analytics.md; the engine reads them from the rule parameters, and the
findings' own sentences print the values in force.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data.i18n import N_


@dataclass(frozen=True)
class Rule:
    """One compliance rule: ``rule_id`` (``JP-OW-01``), ``name`` (a short title), ``measures`` (what is checked,
    one sentence), ``statute`` (the law or criteria it applies), ``severity`` (violation / advocacy_flag /
    warning)."""

    rule_id: str
    name: str
    measures: str
    statute: str
    severity: str


RULES: tuple[Rule, ...] = (
    Rule("JP-MW-01", N_("Minimum wage (employees)"),
         N_("Base hourly pay of the month (hourly, salary and piece pay ÷ hours worked) against the prefectural "
            "minimum wage in force on every day worked."),
         N_("Minimum Wage Act, Art. 4"), "violation"),
    Rule("JP-MW-02", N_("Minimum wage (freelancers)"),
         N_("All pay ÷ hours logged for a freelancer, against the same minimum wage: an indicator, since the Act "
            "covers employees only."),
         N_("Minimum Wage Act (indicator)"), "advocacy_flag"),
    Rule("JP-HRS-01", N_("Overtime without an Article 36 agreement"),
         N_("Any overtime or statutory-holiday work in a month no filed Article 36 agreement covers."),
         N_("Labor Standards Act, Art. 32 and 36"), "violation"),
    Rule("JP-HRS-02", N_("Overtime over the agreement's normal limits"),
         N_("Monthly overtime over 45 h or yearly over 360 h (42 h and 320 h under one-year variable hours) where "
            "the agreement has no special clause."),
         N_("Labor Standards Act, Art. 36(4)"), "violation"),
    Rule("JP-HRS-03", N_("Overtime over the special clause's limits"),
         N_("Yearly overtime over 720 h, or more than six months over 45 h in the agreement year."),
         N_("Labor Standards Act, Art. 36(5)"), "violation"),
    Rule("JP-HRS-04", N_("100 h in one month"),
         N_("Overtime plus statutory-holiday work of 100 h or more in a month."),
         N_("Labor Standards Act, Art. 36(6)(ii)"), "violation"),
    Rule("JP-HRS-05", N_("80 h on average over 2–6 months"),
         N_("Overtime plus statutory-holiday work averaging over 80 h a month over any 2, 3, 4, 5 or 6 months."),
         N_("Labor Standards Act, Art. 36(6)(iii)"), "violation"),
    Rule("JP-HRS-06", N_("Statutory days off"),
         N_("A 28-day window with fewer than 4 days off."),
         N_("Labor Standards Act, Art. 35"), "violation"),
    Rule("JP-HRS-07", N_("Breaks"),
         N_("A session of over 6 h with less than 45 minutes' break, or over 8 h with less than an hour."),
         N_("Labor Standards Act, Art. 34"), "violation"),
    Rule("JP-PAY-01", N_("Overtime premium"),
         N_("Overtime premium paid against 25 % of the base rate up to 60 h a month and 50 % beyond."),
         N_("Labor Standards Act, Art. 37(1)"), "violation"),
    Rule("JP-PAY-02", N_("Statutory-holiday premium"),
         N_("Premium for work on statutory holidays paid against 35 % of the base rate."),
         N_("Labor Standards Act, Art. 37(1)"), "violation"),
    Rule("JP-PAY-03", N_("Late-night premium"),
         N_("Premium for work between 22:00 and 5:00 paid against 25 % of the base rate."),
         N_("Labor Standards Act, Art. 37(4)"), "violation"),
    Rule("JP-PAY-04", N_("Piece-rate guarantee"),
         N_("Employees paid mainly by the piece: a guaranteed wage per hour is recorded and reaches 60 % of their "
            "average hourly pay."),
         N_("Labor Standards Act, Art. 27"), "warning"),
    Rule("JP-DISC-01", N_("Discretionary work"),
         N_("Discretionary-work contracts: hours in roles the arrangement does not cover, or no written consent "
            "recorded."),
         N_("Labor Standards Act, Art. 38-3 and 38-4"), "warning"),
    Rule("JP-LEAVE-01", N_("Annual paid leave"),
         N_("Days granted by each statutory grant date, and at least 5 days taken in each grant year of 10 days "
            "or more."),
         N_("Labor Standards Act, Art. 39"), "violation"),
    Rule("JP-FL-01", N_("Freelance terms in writing"),
         N_("Written terms of a freelance commission missing, or issued after the commission date."),
         N_("Freelance Act, Art. 3"), "violation"),
    Rule("JP-FL-02", N_("Freelance payment date"),
         N_("Payment due date missing or over 60 days after delivery, or paid after it, or unpaid past it."),
         N_("Freelance Act, Art. 4"), "violation"),
    Rule("JP-FL-03", N_("Fee cuts and unpaid retakes"),
         N_("Commissions of a month or more: the fee paid below the agreed amount, or retakes requested and not "
            "paid for."),
         N_("Freelance Act, Art. 5"), "violation"),
    Rule("JP-FL-05", N_("Freelancer who may be an employee"),
         N_("A freelancer's year with full-time months (140 h or more) or pay for time rather than output."),
         N_("Labor Standards Act, Art. 9 (who is a worker)"), "advocacy_flag"),
    Rule("JP-OW-01", N_("Over 45 h of overtime in a month"),
         N_("Overtime plus holiday work over 45 h in a month, where health risk starts to rise."),
         N_("MHLW criteria for overwork-related illness"), "advocacy_flag"),
    Rule("JP-OW-02", N_("80 h on average (karoshi line)"),
         N_("Overtime plus holiday work averaging 80 h or more a month over 2–6 months."),
         N_("MHLW criteria for overwork-related illness"), "advocacy_flag"),
    Rule("JP-OW-03", N_("100 h in one month (karoshi line)"),
         N_("Overtime plus holiday work of 100 h or more in a single month."),
         N_("MHLW criteria for overwork-related illness"), "advocacy_flag"),
    Rule("JP-OW-04", N_("55-hour weeks"),
         N_("A week of 55 h or more."),
         N_("WHO/ILO estimate of deaths from long working hours (2021)"), "advocacy_flag"),
    Rule("JP-OW-05", N_("No day off in 14 days"),
         N_("14 or more consecutive working days."),
         N_("MHLW criteria for work-related mental disorders"), "advocacy_flag"),
    Rule("JP-OW-06", N_("Few days off in four weeks"),
         N_("Fewer than 4 days off in a 28-day window, for everyone (freelancers included)."),
         N_("Labor Standards Act, Art. 35 (as an indicator)"), "advocacy_flag"),
    Rule("JP-OW-07", N_("Mental-disorder lines"),
         N_("Overtime plus holiday work of 160 h in a month, 120 h in each of 2 months or 100 h in each of 3; or "
            "120 h beyond 40 h a week over 3 weeks."),
         N_("MHLW criteria for work-related mental disorders"), "advocacy_flag"),
    Rule("CA-OW-04", N_("55-hour weeks (California)"),
         N_("A week of 55 h or more under a Californian contract (the MHLW lines are Japan's and are not applied)."),
         N_("WHO/ILO estimate of deaths from long working hours (2021)"), "advocacy_flag"),
    Rule("CA-MW-01", N_("Minimum wage (California)"),
         N_("Base hourly pay of the month against the higher of the state and city minimum wage on every day "
            "worked."),
         N_("California Labor Code §1182.12 and city ordinances"), "violation"),
    Rule("CA-OT-01", N_("Overtime premium (California)"),
         N_("Overtime premium paid for daily (over 8 h, over 12 h), weekly (over 40 h) and seventh-day hours."),
         N_("California Labor Code §510"), "violation"),
    Rule("CA-EX-01", N_("Exempt salary floor (California)"),
         N_("Salary of an employee marked exempt against the year's floor; under it, the hours are checked as "
            "non-exempt."),
         N_("California Labor Code §515"), "violation"),
    Rule("CA-IC-01", N_("Independent contractor test (California)"),
         N_("A freelancer's year against the ABC test: work in the studio's usual business, full-time months, pay "
            "for time."),
         N_("California Labor Code §2775"), "advocacy_flag"),
)  # fmt: skip
BY_ID = {rule.rule_id: rule for rule in RULES}


def rule(rule_id: str) -> Rule | None:
    """The glossary entry of ``rule_id``, or None for an id it does not know."""
    return BY_ID.get(rule_id)


def glossary() -> pd.DataFrame:
    """Every rule, in the order above. Columns: ``rule_id``, ``rule_name`` (:attr:`Rule.name`), ``measures``,
    ``statute``, ``severity`` (the texts untranslated: a page renders them in the reader's language)."""
    rows = [(r.rule_id, r.name, r.measures, r.statute, r.severity) for r in RULES]
    return pd.DataFrame(rows, columns=["rule_id", "rule_name", "measures", "statute", "severity"])
