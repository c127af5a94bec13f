"""What the rollups are computed from (see :class:`data.snapshots.Derived`); ``tests/data/rollup`` traces a refresh to
keep it true."""

from __future__ import annotations

from data.snapshots import Derived

ROLLUPS = Derived(
    name="rollups",
    stores=frozenset(
        {
            "rollup_person_day",
            "rollup_person_week",
            "rollup_person_month",
            "rollup_work_month",
            "rollup_pay_month",
            "rollup_pay_cell",
            "rollup_cut_month",
            "rollup_production_month",
            "rollup_department_month",
            "rollup_work_cell",
            "rollup_cut_total",
        }
    ),
    # Minimum wages and rule parameters change without a refresh of their own (the rollups read them when a day is
    # refreshed): a write to them is studio-wide.
    # The employer's week (organization.week_start) decides where weekly overtime arises.
    reads=frozenset({"work_log", "pay_item", "employment", "minimum_wage", "rule_parameter", "role", "organization"}),
    # Every writer of these calls data.rollup.refresh for the people concerned, in the same transaction.
    per_person=frozenset({"work_log", "pay_item", "employment"}),
    names_people=True,
    # A new organization has no contracts yet: its week reaches no day until a contract names it.
    inserts_change_nothing=frozenset({"organization"}),
    # A person-month's main production: ties between productions go to the first title.
    labels={"production": "rollup_person_month.main_production_id"},
)
