"""The three productions, their episodes and their cuts (seconds, frames at 24 fps, sheets)."""

from __future__ import annotations

import numpy as np

from data.demo.spec import (
    EPISODE_TITLES,
    FILM,
    FILM_DELIVERY,
    MAIN,
    PRODUCTIONS,
    SHORT,
    SHORT_DELIVERY,
    TV,
    TV_EPISODES,
    tv_delivery,
)
from data.demo.state import Studio, rng

FRAMES_PER_SECOND = 24


def write_productions(studio: Studio) -> None:
    """Productions, episodes and cuts; remembers each episode's ID and its cuts' IDs for the parts that follow."""
    stream = rng(studio.seed, "productions")
    out, ids, preset = studio.out, studio.ids, studio.preset
    for key in (TV, FILM, SHORT):
        out.add("production", dict(**PRODUCTIONS[key], studio_id=MAIN, external_ref=None))
    ids.skip_to("production", len(PRODUCTIONS) + 1)
    specs: list[tuple[str, int, str, str | None, object, int, float, float]] = []
    mean, sd, low, high = preset.tv_cuts
    for n in range(1, TV_EPISODES + 1):
        # Normal(300, 40) cuts and LogNormal(median 4,000, p90 7,000) sheets per TV episode (labor-and-pay.md §8.1)
        cuts = int(np.clip(round(stream.normal(mean, sd)), low, high))
        sheets = float(np.clip(stream.lognormal(np.log(4000), 0.4367), 2000, 12000))
        specs.append((TV, n, str(n), EPISODE_TITLES[n - 1], tv_delivery(n), cuts, sheets, 1290.0))
    film_cuts = int(stream.integers(*preset.film_cuts))
    specs.append((FILM, 1, "film", None, FILM_DELIVERY, film_cuts, 52000.0, 6300.0))
    short_cuts = int(stream.integers(*preset.short_cuts))
    specs.append((SHORT, 1, "short", None, SHORT_DELIVERY, short_cuts, 420.0, 180.0))
    for prod, number, label, title, delivery, cuts, sheets, seconds in specs:
        eid = ids("episode")
        studio.episode_ids[(prod, number)] = eid
        out.add(
            "episode",
            dict(
                id=eid,
                production_id=PRODUCTIONS[prod]["id"],
                number=number,
                label=label,
                title=title,
                delivery_date=delivery,
            ),
        )
        weights = stream.gamma(2.0, 1.0, cuts)
        secs = np.maximum(0.5, np.round(weights / weights.sum() * seconds * 2) / 2)
        sheet_w = weights * stream.lognormal(0, 0.5, cuts)
        cut_sheets = np.maximum(1, np.round(sheet_w / sheet_w.sum() * sheets)).astype(int)
        cut_ids = []
        for i in range(cuts):
            cid = ids("cut")
            cut_ids.append(cid)
            out.add(
                "cut",
                dict(
                    id=cid,
                    episode_id=eid,
                    cut_number=f"{i + 1:03d}",
                    seconds=float(secs[i]),
                    frames=int(round(secs[i] * FRAMES_PER_SECOND)),
                    sheets=int(cut_sheets[i]),
                ),
            )
        studio.cut_ids[(prod, number)] = cut_ids
    out.flush()
