"""The two sizes of the one generator: the full demo studio and the small fixture studio the unit tests load.

A preset says who is in the crew and how big the productions are; everything else (the calendar, the pay, the law,
the defects planted for the rules and the credit validator) is the same code, so a test on the fixture studio reads
rows made exactly as the demo's are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from data.demo.spec import FILM, LAST_DAY, SHORT, TV


@dataclass(frozen=True)
class CrewSpec:
    """A line of the crew: ``n`` people of role ``code`` whose first production is ``home``."""

    code: str
    n: int
    home: str
    bulk: bool = False  # piece-work crews, which --scale multiplies
    employee_share: float = 0.0
    light: bool = False  # writers, editors: fewer logged hours on this studio's work
    la: bool = False  # the Los Angeles unit (US-CA employees)
    # (regular, contract, part-time) shares of this line's employees; None: the role's usual mix
    employment_mix: tuple[float, float, float] | None = None


# Headcounts per labor-and-pay.md §8.1; "bulk" crews grow with --scale.
CREW = (
    CrewSpec("director", 1, TV),
    CrewSpec("series_composition", 1, TV, light=True),
    CrewSpec("script", 2, TV, light=True),
    CrewSpec("character_design", 1, TV),
    CrewSpec("chief_animation_director", 1, TV, employee_share=1.0),
    CrewSpec("storyboard", 2, TV),
    CrewSpec("episode_director", 3, TV),
    CrewSpec("animation_director", 4, TV),
    CrewSpec("art_director", 1, TV),
    CrewSpec("color_design", 1, TV, employee_share=1.0),
    CrewSpec("director_of_photography", 1, TV, employee_share=1.0),
    CrewSpec("cg_director", 1, TV, employee_share=1.0),
    CrewSpec("editing", 1, TV, light=True),
    CrewSpec("producer", 2, TV, employee_share=1.0),
    CrewSpec("production_desk", 1, TV, employee_share=1.0),
    CrewSpec("setting_production", 1, TV, employee_share=1.0),
    CrewSpec("production_assistant", 7, TV, employee_share=1.0),
    CrewSpec("key_animation", 30, TV, bulk=True, employee_share=0.17),
    CrewSpec("second_key_animation", 15, TV, bulk=True),
    CrewSpec("inbetween_check", 3, TV, employee_share=0.6),
    CrewSpec("inbetween", 26, TV, bulk=True, employee_share=0.45),
    CrewSpec("ink_and_paint", 12, TV, bulk=True, employee_share=0.2),
    CrewSpec("paint_check", 2, TV, employee_share=1.0),
    CrewSpec("background", 8, TV, bulk=True, employee_share=0.3),
    CrewSpec("photography", 6, TV, bulk=True, employee_share=1.0),
    CrewSpec("cg", 5, TV, bulk=True, employee_share=1.0),
    # the film
    CrewSpec("director", 1, FILM),
    CrewSpec("character_design", 1, FILM),
    CrewSpec("animation_director", 2, FILM),
    CrewSpec("art_director", 1, FILM),
    CrewSpec("key_animation", 12, FILM, bulk=True, employee_share=0.1),
    CrewSpec("inbetween", 9, FILM, bulk=True, employee_share=0.45),
    CrewSpec("background", 4, FILM, bulk=True, employee_share=0.3),
    CrewSpec("storyboard", 1, FILM, employee_share=1.0, la=True),
    CrewSpec("layout", 2, FILM, employee_share=1.0, la=True),
    CrewSpec("key_animation", 1, FILM, employee_share=1.0, la=True),
    # the short: a director, three key animators, and the two people behind the "AI (+Human)" backgrounds
    CrewSpec("director", 1, SHORT),
    CrewSpec("key_animation", 3, SHORT),
    CrewSpec("background", 2, SHORT),
)


@dataclass(frozen=True)
class Preset:
    """One size of the studio. ``crew`` lines are (role, headcount, home production, …); ``pen_name_slots`` are the
    (crew line, person) pairs given a pen name whatever the draw; cut counts are drawn per episode: the series'
    Normal(mean, sd) clipped to [low, high], the film's and the short's uniformly in [low, high). ``tv_backgrounds``
    is the range of backgrounds per series episode, of which 10–40 % are extended by the AI generator. The studio
    starts on ``FIRST_DAY`` and ends on ``last_day``: what is delivered later is planned but neither worked on nor
    paid.
    ``cheap_passwords`` hashes the demo accounts' passwords with the cheapest argon2 parameters (tests only)."""

    name: str
    crew: tuple[CrewSpec, ...]
    pen_name_slots: frozenset[tuple[int, int]]
    tv_cuts: tuple[float, float, int, int]
    film_cuts: tuple[int, int]
    short_cuts: tuple[int, int]
    tv_backgrounds: tuple[int, int]
    last_day: dt.date = LAST_DAY
    cheap_passwords: bool = False


STUDIO = Preset(
    name="studio",
    crew=CREW,
    pen_name_slots=frozenset({(5, 1), (7, 2), (17, 3), (20, 4)}),
    tv_cuts=(300, 40, 220, 420),
    film_cuts=(1150, 1300),
    short_cuts=(38, 46),
    tv_backgrounds=(200, 261),
)

# The fixture studio: one or two people per kind of row the demo writes. Every line is a fixed headcount (not
# bulk), and the employment terms are pinned, so every seed has JP employees on each contract type (a salaried
# regular with bonuses, a contract in-betweener, an hourly part-timer), Californian employees, and freelancers on
# every piece and fee basis. The three TV key animators come 11th to 13th, so one has the person ID the demo credits
# through the subcontract studio (ID divisible by 11).
FIXTURE_CREW = (
    CrewSpec("director", 1, TV),
    CrewSpec("producer", 1, TV, employee_share=1.0, employment_mix=(1.0, 0.0, 0.0)),
    CrewSpec("second_key_animation", 1, TV),
    CrewSpec("inbetween", 1, TV, employee_share=1.0, employment_mix=(0.0, 1.0, 0.0)),
    CrewSpec("ink_and_paint", 1, TV),
    CrewSpec("paint_check", 1, TV, employee_share=1.0, employment_mix=(0.0, 0.0, 1.0)),
    CrewSpec("background", 1, TV),
    CrewSpec("photography", 1, TV, employee_share=1.0, employment_mix=(0.5, 0.5, 0.0)),
    CrewSpec("director", 1, FILM),
    CrewSpec("key_animation", 1, FILM),
    CrewSpec("key_animation", 3, TV),
    CrewSpec("layout", 2, FILM, employee_share=1.0, la=True),
    CrewSpec("background", 2, SHORT),
    CrewSpec("director", 1, SHORT),
)
FIXTURE = Preset(
    name="fixture",
    crew=FIXTURE_CREW,
    pen_name_slots=frozenset({(4, 0)}),
    tv_cuts=(6, 1, 4, 8),
    film_cuts=(10, 14),
    short_cuts=(5, 8),
    tv_backgrounds=(10, 16),
    last_day=dt.date(2025, 4, 30),
    cheap_passwords=True,
)
PRESETS = {p.name: p for p in (STUDIO, FIXTURE)}
