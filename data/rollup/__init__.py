"""Rollup tables that keep dashboard queries fast at millions of work-log rows.

Writers (importers, the demo generator, edit operations) call :func:`refresh` inside the same transaction as
their writes, for the people and dates they touched, so rollups are never stale.

What is kept (see the ``Rollup*`` models in :mod:`data.schema`), one module per job:

* ``rollup_person_day`` (:mod:`.days`) — per person and date: seconds, night, statutory-holiday and AI-assisted
  seconds, sessions, sessions with a too-short break, Japanese daily overtime and the weekly overtime that arose that
  day (in the week of the rule parameter ``hours.week_start_default``: Sunday), the employment in force and the
  minimum wage at its workplace that day (:mod:`.workplace`). The law's arithmetic is :mod:`data.law`'s.
* ``rollup_person_week`` and ``rollup_person_month`` (:mod:`.months`) — the day rollup summed, seconds under an
  employee contract, the minimum wage owed for the hours worked and its shortfall, pay by kind in the
  workplace currency, the month's main role, department and production.
* ``rollup_work_month`` / ``rollup_pay_month`` (:mod:`.months`, :mod:`.pay`) — per month × person × production ×
  episode × role (× basis × currency for pay): the grain of the workload, AI-share and cost charts; the person-free
  ``rollup_pay_cell`` (:mod:`.pay`) and ``rollup_cut_month`` (:mod:`.cuts`).
* ``rollup_production_month`` / ``rollup_department_month`` (:mod:`.groups`) — the work rollup at the grain of the
  month × production and month × department charts, with the distinct people (and cuts) counted at refresh.

A refresh (:mod:`.rebuild`) recomputes whole weeks and whole months around the requested dates, because weekly
overtime and monthly totals depend on every day of their week or month. Pay items count in the month of their
``period_end``. :mod:`.reading` holds how a refresh reads the work log (chunks of people, the table-scan choice),
:mod:`.rows` how rows computed in Python are written. What the rollups read is declared in :mod:`.reads`.

Employment and minimum-wage rows are resolved when a day is refreshed: after editing ``employment`` or
``minimum_wage`` call ``refresh(session)`` for the people concerned (no arguments: everyone), or run
``python -m data.rollup --database-url URL``.
"""

from data.law.wages import PREMIUM_BASES
from data.rollup.days import day_overtime_frame, hours, week_start
from data.rollup.months import UNASSIGNED, main_group_columns
from data.rollup.reads import ROLLUPS
from data.rollup.rebuild import refresh
from data.rollup.workplace import employment_segments, workplace_timelines

__all__ = [
    "PREMIUM_BASES",
    "ROLLUPS",
    "UNASSIGNED",
    "day_overtime_frame",
    "employment_segments",
    "hours",
    "main_group_columns",
    "refresh",
    "week_start",
    "workplace_timelines",
]
