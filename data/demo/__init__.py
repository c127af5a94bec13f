"""The demo studio: one deterministic generator for the demo, the tests and the benchmarks.

``load_demo(engine, seed=..., scale=...)`` fills an empty database with a believable anime studio — three
productions, about 180 people, a year of work logs, pay on every basis, an AI-usage ledger, credits with the defects
a validator must catch, a leave ledger and three accounts — calibrated to ``shared/facts/synthetic_params.json`` and
labor-and-pay.md §8. ``preset=FIXTURE`` writes the small fixture studio the unit tests load: the same generator, a
handful of people.

Same seed, scale and preset → the same rows, IDs included, on SQLite and PostgreSQL: every random draw comes from a
numpy ``Generator`` seeded with ``(seed, stream, index)``, rows carry explicit IDs, and no date depends on the clock
(the studio's year is 2024-11-01 … 2025-10-31). The labor law the pay follows is :mod:`data.law`'s, with the
parameters of the database being written.

The parts, each one job on the shared :class:`~data.demo.state.Studio` (:mod:`data.demo.load` runs them in order):
:mod:`~data.demo.organizations`, :mod:`~data.demo.productions`, :mod:`~data.demo.cast` and :mod:`~data.demo.people`
(the crew), :mod:`~data.demo.work` (days and work logs), :mod:`~data.demo.pay` and :mod:`~data.demo.payroll`,
:mod:`~data.demo.leave`, :mod:`~data.demo.ai_ledger`, :mod:`~data.demo.credits`, :mod:`~data.demo.accounts`;
:mod:`~data.demo.writer` writes the rows in chunks, :mod:`~data.demo.digest` hashes them.

Usage: ``python -m data.demo [--seed N] [--scale X] [--preset studio|fixture] [--database-url URL] [--if-empty]``.
"""

from data.demo.cli import main
from data.demo.digest import content_digest
from data.demo.errors import DemoError
from data.demo.load import DemoSummary, load_demo, write_studio
from data.demo.presets import FIXTURE, PRESETS, STUDIO, CrewSpec, Preset
from data.demo.spec import AI_HUMAN, AND_OTHERS, COMPOSITE, FIRST_DAY, HUMAN, LAST_DAY, STAMP, TBD, TRAINED
from data.demo.writer import CHUNK_ROWS, DEMO_TABLES

__all__ = [
    "AI_HUMAN",
    "AND_OTHERS",
    "CHUNK_ROWS",
    "COMPOSITE",
    "DEMO_TABLES",
    "FIXTURE",
    "FIRST_DAY",
    "HUMAN",
    "LAST_DAY",
    "PRESETS",
    "STAMP",
    "STUDIO",
    "TBD",
    "TRAINED",
    "CrewSpec",
    "DemoError",
    "DemoSummary",
    "Preset",
    "content_digest",
    "load_demo",
    "main",
    "write_studio",
]
