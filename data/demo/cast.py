"""The crew: who works at the studio, on which terms, on which productions and episodes, and how each is paid.

Each person's decisions come from their own random stream ``(seed, "person", crew line, index)``, so ``--scale``
adds people after the base crew without changing it.
"""

from __future__ import annotations

import datetime as dt

from data.demo.name_pool import LA_NAMES, PEN_NAMES
from data.demo.people import jp_person, la_person, write_person
from data.demo.presets import CrewSpec
from data.demo.spec import (
    EPISODE_SHARE,
    FILM,
    FILM_DELIVERY,
    FIRST_DAY,
    PER_EPISODE,
    PER_EPISODE_STAFF,
    PIECE,
    SALARY_YEN,
    SHORT,
    SHORT_DELIVERY,
    TV,
    TV_EPISODES,
    tv_delivery,
)
from data.demo.state import Member, Studio, rng, tri

EMPLOYMENT_TYPES = ("employee_regular", "employee_contract", "employee_parttime")
FILM_LEADS = ("director", "character_design", "animation_director", "art_director")
PEN_NAME_SHARE = 0.08


def cast_crew(studio: Studio) -> None:
    """Decide every member of the crew (``studio.members``) and the series' original creator, assign the series'
    episodes, and write their person, alias, employment and affiliation rows."""
    slots: list[tuple[int, int, CrewSpec]] = []
    crew = studio.preset.crew
    for si, spec in enumerate(crew):
        for k in range(min(_headcount(spec, studio.scale), spec.n)):
            slots.append((si, k, spec))
    for si, spec in enumerate(crew):  # extra people for --scale come after the base crew, so IDs stay put
        for k in range(spec.n, _headcount(spec, studio.scale)):
            slots.append((si, k, spec))
    la_index = 0
    pen_index = 0
    for si, k, spec in slots:
        m = _member(studio, studio.ids("person"), si, k, spec)
        if spec.la:
            la_person(m, LA_NAMES[la_index % len(LA_NAMES)])
            la_index += 1
        else:
            pen = None
            if m.rng.random() < PEN_NAME_SHARE or (si, k) in studio.preset.pen_name_slots:
                pen = PEN_NAMES[pen_index % len(PEN_NAMES)] + ("" if pen_index < len(PEN_NAMES) else str(pen_index))
                pen_index += 1
            jp_person(m, pen)
        studio.members.append(m)
    _assign_episodes(studio)
    creator = Member(
        pid=studio.ids("person"),
        spec=CrewSpec("original_creator", 1, TV),
        role=studio.roles["original_creator"],
        rng=rng(studio.seed, "creator"),
        employee=False,
        employment_type="freelancer",
        prefecture=None,
        stints=[],
    )
    jp_person(creator, "朝霧しずく", visibility="pen_name_only")
    studio.creator = creator
    for m in [*studio.members, creator]:
        write_person(studio, m)
    studio.out.flush()


def _headcount(spec: CrewSpec, scale: float) -> int:
    return max(2, round(spec.n * scale)) if spec.bulk else spec.n


def _employment_mix(code: str) -> tuple[float, float, float]:
    # regular 45 / contract 45 / part-time 10 overall (§8.2), tilted by role
    if code in ("production_assistant", "producer", "production_desk", "director_of_photography"):
        return (0.7, 0.3, 0.0)
    return {
        "paint_check": (0.2, 0.3, 0.5),
        "inbetween": (0.2, 0.7, 0.1),
        "ink_and_paint": (0.2, 0.4, 0.4),
        "inbetween_check": (0.4, 0.5, 0.1),
        "photography": (0.4, 0.45, 0.15),
        "cg": (0.4, 0.45, 0.15),
    }.get(code, (0.45, 0.45, 0.1))


def _member(studio: Studio, pid: int, si: int, k: int, spec: CrewSpec) -> Member:
    last_day = studio.preset.last_day
    stream = rng(studio.seed, "person", si, k)
    employee = bool(stream.random() < spec.employee_share)
    if spec.home == SHORT and spec.code == "background":
        employee = k == 0  # the AI operator is on staff; the retoucher is a freelancer
    if spec.la:
        etype = "employee_regular" if k % 2 == 0 else "employee_contract"
    elif employee:
        etype = str(stream.choice(list(EMPLOYMENT_TYPES), p=spec.employment_mix or _employment_mix(spec.code)))
    else:
        etype = "sole_proprietor_with_staff" if stream.random() < 0.06 else "freelancer"
    if spec.la:
        prefecture = None
    elif employee:
        prefecture = "Saitama" if stream.random() < 0.05 else "Tokyo"
    else:
        prefecture = str(stream.choice(["Tokyo", "Saitama", "Kanagawa", "Osaka"], p=[0.8, 0.08, 0.07, 0.05]))
    if spec.home == TV:
        stints = [(TV, FIRST_DAY, last_day)]
    elif spec.home == FILM and spec.code in FILM_LEADS:
        stints = [(FILM, FIRST_DAY, FILM_DELIVERY)]  # the film's leads leave when it is delivered
    elif spec.home == SHORT and spec.code == "director":
        stints = [(SHORT, FIRST_DAY, SHORT_DELIVERY)]
    elif spec.home == FILM:
        stints = [(FILM, FIRST_DAY, FILM_DELIVERY), (TV, FILM_DELIVERY + dt.timedelta(days=1), last_day)]
    else:
        start = dt.date(2024, 12, 2) if spec.code == "background" else FIRST_DAY
        stints = [(SHORT, start, SHORT_DELIVERY), (TV, SHORT_DELIVERY + dt.timedelta(days=1), last_day)]
    m = Member(
        pid=pid,
        spec=spec,
        role=studio.roles[spec.code],
        rng=stream,
        employee=employee,
        employment_type=etype,
        prefecture=prefecture,
        stints=stints,
    )
    # New in-betweeners join in April (the Japanese hiring season); a few contracts end in summer.
    if spec.code == "inbetween" and spec.home == TV and stream.random() < 0.15:
        m.employment_start = dt.date(2025, 4, 1)
    elif spec.bulk and stream.random() < 0.04:
        m.employment_end = dt.date(2025, 6, 30)
    m.stints = [(p, max(a, m.employment_start), min(b, m.employment_end or last_day)) for p, a, b in m.stints]
    m.stints = [s for s in m.stints if s[1] <= s[2]]
    _pay_plan(m)
    m.no_rest_in_crunch = bool(stream.random() < (0.04 if employee else 0.08))
    m.premium_mode = str(stream.choice(["ok", "fixed_30h", "no_premium_rate", "no_night"], p=[0.35, 0.4, 0.15, 0.1]))
    return m


def _pay_plan(m: Member) -> None:
    """How ``m`` is paid: an hourly rate, a salary, piece rates (rate and hours per unit), fees."""
    stream, code = m.rng, m.spec.code
    if m.spec.la:
        base = {"storyboard": 52.0, "layout": 41.0, "key_animation": 46.0}[code]
        m.hourly = round(base * float(stream.uniform(0.95, 1.1)), 2)
        return
    if m.employment_type == "employee_parttime":
        # some part-timers sit at ¥1,200/h, which Tokyo's ¥1,226 minimum overtakes on 2025-10-03
        m.hourly = float(stream.choice([1200, 1250, 1300, 1350], p=[0.4, 0.3, 0.2, 0.1]))
        m.scheduled_hours = float(stream.choice([80.0, 100.0, 120.0]))
        if code in ("paint_check", "ink_and_paint"):  # finishing part-timers are paid by the day (日給), 6 h days
            m.daily_hours = 6.0
        return
    if m.employee:
        m.scheduled_hours = float(stream.choice([160.0, 163.3, 168.0], p=[0.3, 0.4, 0.3]))
        if code == "key_animation" and m.spec.home == TV and stream.random() < 0.5:
            # a piece-rate employee (歩合給): hovers around the minimum wage, clearing it some months only
            rate = float(stream.choice([4000, 4200, 4500]))
            m.piece[TV] = ("per_cut", "cut", rate, rate / float(stream.uniform(1140, 1300)))
            return
        if code == "background" and m.spec.home == SHORT:
            m.salary = 250_000
            return
        low, high = SALARY_YEN.get(code, (220_000, 300_000))
        m.salary = int(round(stream.uniform(low, high), -3))
        return
    # freelancers
    for prod in (TV, FILM, SHORT):
        spec = PIECE.get((prod, code))
        if spec:
            basis, kind, rates, hpu = spec
            m.piece[prod] = (basis, kind, round(tri(stream, rates), -1), float(hpu * stream.lognormal(0, 0.22)))
    if code in PER_EPISODE:
        m.episode_fee = int(round(tri(stream, PER_EPISODE[code][0]), -3))
    if code == "character_design" and m.spec.home == TV:
        m.fixed_fees.append((TV, FIRST_DAY, dt.date(2025, 1, 31), 1_200_000))
    if m.spec.home == FILM and code in FILM_LEADS:
        m.monthly_fee[FILM] = int(round(stream.uniform(320_000, 420_000), -3))
        m.episode_fee = m.episode_fee if code in PER_EPISODE else None
    if m.spec.home == SHORT and code == "director":
        m.fixed_fees.append((SHORT, FIRST_DAY, SHORT_DELIVERY, 900_000))
    if m.spec.home == SHORT and code == "background":
        # retouching the generated backgrounds, paid as one flat job
        m.fixed_fees.append((SHORT, m.stints[0][1], SHORT_DELIVERY, 250_000))
        basis, kind, rates, hpu = PIECE[(TV, "background")]
        m.piece[TV] = (basis, kind, round(tri(stream, rates), -1), hpu)


def _assign_episodes(studio: Studio) -> None:
    """The series' episodes each member works on; per-episode roles get one window of work per episode."""
    stream = rng(studio.seed, "assign")
    by_code: dict[str, list[Member]] = {}
    episodes = range(1, TV_EPISODES + 1)
    for m in studio.members:
        tv = [s for s in m.stints if s[0] == TV]
        if not tv:
            continue
        eligible = [n for n in episodes if tv_delivery(n) >= tv[0][1]] or [TV_EPISODES]
        if m.spec.code in PER_EPISODE and m.spec.home == TV and not m.employee:
            by_code.setdefault(m.spec.code, []).append(m)
            continue
        share = EPISODE_SHARE.get(m.spec.code, 1.0)
        if m.spec.code == "production_assistant":
            idx = sum(1 for x in studio.members if x.spec.code == "production_assistant" and x.pid < m.pid)
            eps = [n for n in eligible if (n - 1) % 7 == idx % 7]
        else:
            eps = [n for n in eligible if m.rng.random() < share]
        m.tv_episodes = eps or [eligible[int(m.rng.integers(len(eligible)))]]
    for code, people in by_code.items():
        _fee, weeks, lead = PER_EPISODE[code]
        if weeks is None:  # the whole series, one window per episode, back to back
            for m in people:
                m.tv_episodes = list(episodes)
                prev = FIRST_DAY
                for n in episodes:
                    end = tv_delivery(n)
                    m.windows.append((n, prev, end))
                    prev = end + dt.timedelta(days=1)
            continue
        free = {m.pid: FIRST_DAY for m in people}
        need = PER_EPISODE_STAFF[code]
        for n in episodes:
            end = tv_delivery(n) - dt.timedelta(days=lead)
            start = max(FIRST_DAY, end - dt.timedelta(weeks=weeks) + dt.timedelta(days=1))
            ranked = sorted(people, key=lambda x: (max(0, (free[x.pid] - start).days), float(stream.random())))
            for m in ranked[:need]:
                m.tv_episodes.append(n)
                m.windows.append((n, start, end))
                free[m.pid] = end + dt.timedelta(days=1)
