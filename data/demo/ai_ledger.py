"""The AI-usage ledger: which service made which asset for which cut, operated and post-edited by whom."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import numpy as np

from data.demo.spec import (
    BG_GENERATOR,
    BG_GENERATOR_13,
    COMPOSITE,
    FRAMEBRIDGE,
    PAINT_ASSIST,
    PRODUCTIONS,
    SHORT,
    TRAINED,
    TV,
    TV_EPISODES,
    tv_delivery,
)
from data.demo.state import Member, Studio, rng


def write_ai_ledger(studio: Studio) -> None:
    """The AI-usage ledger (§8.5): every background of the short generated from hand layouts and retouched; on the
    series, from spring, backgrounds extended by inpainting, cuts colour-filled and in-betweens interpolated; always
    with a named operator and, where someone touched the result up, named post-editors. The film uses no AI."""
    stream = rng(studio.seed, "ai")
    short_bg = [m for m in studio.members if m.spec.home == SHORT and m.spec.code == "background"]
    operator, retoucher = short_bg[0], short_bg[1]
    short_cuts = studio.cut_ids[(SHORT, 1)]
    for i, cut_id in enumerate(short_cuts):
        when = dt.datetime(2024, 12, 2, 10, 0) + dt.timedelta(days=i // 2, minutes=int(stream.integers(0, 480)))
        editors = [retoucher] + ([operator] if stream.random() < 0.3 else [])
        _ai_row(
            studio,
            stream,
            BG_GENERATOR,
            operator,
            "img2img",
            TRAINED,
            SHORT,
            1,
            cut_id,
            "background",
            when,
            f"productions/yuki-no-hi-no-inu/bg/c{i + 1:03d}_bg_v1.png",
            f"snowy village at dusk, hand layout c{i + 1:03d}, soft watercolor background, no characters",
            {
                "steps": 30,
                "strength": round(float(stream.uniform(0.45, 0.7)), 2),
                "guidance": 6.5,
                "width": 1920,
                "height": 1080,
                "layout": f"layout/c{i + 1:03d}.png",
            },
            editors,
        )
    tv = [m for m in studio.members if m.spec.home == TV]
    bg = [m for m in tv if m.spec.code == "background"]
    paint = [m for m in tv if m.spec.code == "ink_and_paint"]
    inbetween = [m for m in tv if m.spec.code == "inbetween"]
    for n in range(1, TV_EPISODES + 1):
        delivery = tv_delivery(n)
        if delivery < dt.date(2025, 4, 20) or delivery > studio.preset.last_day:
            continue
        cuts = studio.cut_ids[(TV, n)]
        service = BG_GENERATOR if delivery < dt.date(2025, 6, 1) else BG_GENERATOR_13
        n_bg = int(stream.integers(*studio.preset.tv_backgrounds) * stream.uniform(0.1, 0.4))
        for j in range(n_bg):
            cut_id = cuts[int(stream.integers(len(cuts)))]
            op = bg[int(stream.integers(len(bg)))]
            editors = [bg[int(stream.integers(len(bg)))]] if stream.random() < 0.5 else []
            when = dt.datetime.combine(delivery - dt.timedelta(days=int(stream.integers(10, 40))), dt.time(11))
            _ai_row(
                studio,
                stream,
                service,
                op,
                "inpaint",
                COMPOSITE,
                TV,
                n,
                cut_id,
                "background",
                when,
                f"productions/hoshiakari/ep{n:02d}/bg/bg{j + 1:03d}_v2.png",
                "extend sky and distant buildings beyond the painted area, evening light",
                {"steps": 25, "mask": f"bg{j + 1:03d}_mask.png", "strength": 0.8},
                editors,
            )
        if delivery >= dt.date(2025, 5, 20):
            for cut_id in cuts:
                if stream.random() < 0.3:
                    op = paint[int(stream.integers(len(paint)))]
                    when = dt.datetime.combine(delivery - dt.timedelta(days=int(stream.integers(5, 25))), dt.time(15))
                    _ai_row(
                        studio,
                        stream,
                        PAINT_ASSIST,
                        op,
                        "colorize",
                        COMPOSITE,
                        TV,
                        n,
                        cut_id,
                        "ink_and_paint",
                        when,
                        f"productions/hoshiakari/ep{n:02d}/paint/cut{cut_id}.tga",
                        None,
                        {"palette": f"ep{n:02d}_palette_v3", "fill": "flat"},
                        [op],
                    )
        if delivery >= dt.date(2025, 7, 1):
            for cut_id in cuts:
                if stream.random() < 0.05:
                    op = inbetween[int(stream.integers(len(inbetween)))]
                    when = dt.datetime.combine(delivery - dt.timedelta(days=int(stream.integers(7, 30))), dt.time(13))
                    _ai_row(
                        studio,
                        stream,
                        FRAMEBRIDGE,
                        op,
                        "interpolation",
                        COMPOSITE,
                        TV,
                        n,
                        cut_id,
                        "inbetween",
                        when,
                        f"productions/hoshiakari/ep{n:02d}/douga/cut{cut_id}_interp.tga",
                        None,
                        {"frames": int(stream.integers(2, 7)), "model": "fb2-lineart"},
                        [op],
                    )
    studio.out.flush()


def _ai_row(
    studio: Studio,
    stream: np.random.Generator,
    service: int,
    operator: Member,
    stage: str,
    source_type: str,
    prod: str,
    n: int,
    cut_id: int,
    role: str,
    when: dt.datetime,
    path: str,
    prompt: str | None,
    params: dict[str, Any],
    editors: list[Member],
) -> None:
    aid = studio.ids("ai_usage")
    studio.out.add(
        "ai_usage",
        dict(
            id=aid,
            asset_path=path,
            asset_sha256=hashlib.sha256(f"{studio.seed}:{path}".encode()).hexdigest(),
            service_id=service,
            operator_id=operator.pid,
            stage=stage,
            digital_source_type=source_type,
            production_id=PRODUCTIONS[prod]["id"],
            episode_id=studio.episode_ids[(prod, n)],
            cut_id=cut_id,
            role_id=studio.roles[role].id,
            prompt=prompt,
            seed=int(stream.integers(0, 2**31)),
            params=params,
            manifest_ref=f"urn:c2pa:{uuid.UUID(bytes=bytes(stream.integers(0, 256, 16, dtype=np.uint8)), version=4)}",
            created_at=when,
            batch_id=None,
            source_key=None,
        ),
    )
    seen: list[int] = []
    for e in editors:
        if e.pid in seen:
            continue
        seen.append(e.pid)
        studio.out.add(
            "ai_usage_post_editor",
            dict(ai_usage_id=aid, person_id=e.pid, edit_kind="humanEdits", edited_at=when + dt.timedelta(hours=3)),
        )
