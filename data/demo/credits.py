"""End-roll credits: every production's internal credit lines, with the real-world defects on purpose."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from data.demo.people import via_seiran
from data.demo.spec import (
    AI_HUMAN,
    AND_OTHERS,
    FILM,
    FILM_COMMITTEE,
    HANBIT,
    HOKKYOKUSEI,
    HUMAN,
    LA,
    MAIN,
    MANILA,
    ORGS,
    PRODUCTIONS,
    RINNE,
    SAIGON,
    SAIUN,
    SEIRAN,
    SHORT,
    TBD,
    TV,
    TV_COMMITTEE,
    TV_EPISODES,
    YUNFAN,
)
from data.demo.state import Member, Studio
from data.names import person_key


def write_credits(studio: Studio) -> None:
    """The internal credit lines of the three productions, carrying the defects a validator must catch (the
    placeholders are unlinked aliases, never invented people): 「AI (+Human)」 and 「human」 on the short, 「未定」,
    standalone and trailing 「ほか」, studios in person-only roles, and people who worked and were paid but are not
    credited."""
    for text_ in (AI_HUMAN, HUMAN, TBD, AND_OTHERS):
        studio.placeholder_alias[text_] = _unlinked(studio, text_)
    _tv_credits(studio)
    _film_credits(studio)
    _short_credits(studio)
    studio.out.flush()


def _unlinked(studio: Studio, text_: str) -> int:
    aid = studio.ids("person_alias")
    studio.out.add(
        "person_alias",
        dict(
            id=aid,
            person_id=None,
            text=text_,
            kind="real_name",
            match_key=person_key(text_),
            public=True,
            source="demo",
        ),
    )
    return aid


def credited_name(m: Member, prod: str) -> tuple[str, int]:
    """(name as credited, its alias ID) of ``m`` on ``prod``: the pen name where the person uses it, the variant
    glyph on the series, else the registered name."""
    texts = m.person["_texts"]
    if "pen" in m.alias_ids and (m.person["visibility"] == "pen_name_only" or m.pid % 2 == 0):
        return texts["pen"], m.alias_ids["pen"]
    if "variant" in m.alias_ids and prod == TV:
        return texts["variant"], m.alias_ids["variant"]
    return texts["real"], m.alias_ids["real"]


class _Roll:
    """The lines of one production's end roll, in order."""

    def __init__(self, studio: Studio, prod: str) -> None:
        self.studio, self.prod, self.order = studio, prod, 0

    def line(
        self,
        role_text: str,
        role: str | None,
        entries: list[Any],
        *,
        block: str = "main",
        episode: int | None = None,
        split_roles: Sequence[str] = (),
    ) -> None:
        """One role line; entries are Members, org IDs (int) or placeholder strings."""
        self.order += 1
        studio = self.studio
        roles = [role] if not split_roles else list(split_roles)
        for code in roles:
            role_row = studio.roles[code] if code else None
            for pos, e in enumerate(entries):
                row = dict(
                    id=studio.ids("credit_line"),
                    production_id=PRODUCTIONS[self.prod]["id"],
                    episode_scope=f"第{episode}話" if episode else None,
                    episode_from=episode,
                    episode_to=episode,
                    role_as_credited=role_text,
                    role_id=role_row.id if role_row else None,
                    role_person_only=role_row.person_only if role_row else None,
                    person_alias_id=None,
                    org_alias_id=None,
                    via_org_id=None,
                    individuals_uncredited=False,
                    uncredited_reason=None,
                    block=block,
                    line_order=self.order,
                    position_in_line=pos,
                    source="internal",
                    source_ref=None,
                    source_line_id=f"{self.prod}-{block}-{self.order}" if split_roles else None,
                    note=None,
                    batch_id=None,
                    content_hash=None,
                )
                if isinstance(e, Member):
                    row["name_as_credited"], row["person_alias_id"] = credited_name(e, self.prod)
                    if via_seiran(e):
                        row["via_org_id"] = SEIRAN
                elif isinstance(e, int):
                    row["name_as_credited"] = next(o[1] for o in ORGS if o[0] == e)
                    row["org_alias_id"] = studio.org_alias_ids[e]
                    if role_row is not None and role_row.person_only:
                        row["individuals_uncredited"] = True
                        if e in (HANBIT, YUNFAN):
                            row["uncredited_reason"] = "subcontracted overseas; the studio sent no staff list"
                else:
                    row["name_as_credited"] = e
                    row["person_alias_id"] = studio.placeholder_alias.get(e) or _trailing(studio, e)
                studio.out.add("credit_line", row)


def _trailing(studio: Studio, text_: str) -> int:
    if text_ not in studio.placeholder_alias:
        studio.placeholder_alias[text_] = _unlinked(studio, text_)
    return studio.placeholder_alias[text_]


def _crew(studio: Studio, code: str, home: str, *, employee: bool | None = None) -> list[Member]:
    return [
        m
        for m in studio.members
        if m.spec.code == code and m.spec.home == home and (employee is None or m.employee == employee)
    ]


def _tv_credits(studio: Studio) -> None:
    roll = _Roll(studio, TV)
    tv_people = [m for m in studio.members if any(s[0] == TV for s in m.stints)]
    # worked and paid on the series, never credited: one in-betweener, one painter, one second-key animator
    uncredited = []
    for code in ("inbetween", "ink_and_paint", "second_key_animation"):
        pool = [m for m in tv_people if m.spec.code == code and m.spec.home == TV]
        uncredited.append(pool[len(pool) // 2].pid)

    def on(code: str, n: int) -> list[Member]:
        return [m for m in tv_people if m.spec.code == code and n in m.tv_episodes and m.pid not in uncredited]

    director = _crew(studio, "director", TV)
    roll.line("原作", "original_creator", [studio.creator])
    roll.line("監督", "director", director)
    roll.line("シリーズ構成", "series_composition", _crew(studio, "series_composition", TV))
    roll.line("キャラクターデザイン", "character_design", _crew(studio, "character_design", TV))
    roll.line("総作画監督", "chief_animation_director", _crew(studio, "chief_animation_director", TV))
    roll.line("美術監督", "art_director", _crew(studio, "art_director", TV))
    roll.line("色彩設計", "color_design", _crew(studio, "color_design", TV))
    roll.line("撮影監督", "director_of_photography", _crew(studio, "director_of_photography", TV))
    roll.line("CG監督", "cg_director", _crew(studio, "cg_director", TV))
    roll.line("編集", "editing", _crew(studio, "editing", TV))
    roll.line("プロデューサー", "producer", _crew(studio, "producer", TV))
    roll.line("アニメーション制作", "animation_production", [MAIN])
    roll.line("製作", "production_committee", [TV_COMMITTEE])
    roll.line("絵コンテ・演出", None, director, block="OP", split_roles=("storyboard", "episode_director"))
    roll.line("作画監督", "animation_director", _crew(studio, "character_design", TV), block="OP")
    roll.line(
        "絵コンテ・演出",
        None,
        _crew(studio, "episode_director", TV)[:1],
        block="ED",
        split_roles=("storyboard", "episode_director"),
    )
    for n in range(1, TV_EPISODES + 1):
        roll.line("脚本", "script", on("script", n), episode=n)
        roll.line(
            "絵コンテ",
            "storyboard",
            [TBD] if n == TV_EPISODES else (director if n == 1 else on("storyboard", n)),
            episode=n,
        )
        roll.line("演出", "episode_director", [TBD] if n == TV_EPISODES else on("episode_director", n), episode=n)
        roll.line("作画監督", "animation_director", on("animation_director", n), episode=n)
        key = on("key_animation", n)
        if n == 6 and key:  # "山田花子ほか": the list was cut short
            key = [*key[:-1], credited_name(key[-1], TV)[0] + AND_OTHERS]
        roll.line("原画", "key_animation", key + ([MANILA] if n == 8 else []), episode=n)
        if n != 7:  # episode 7's second-key animators were left off the roll
            roll.line("第二原画", "second_key_animation", on("second_key_animation", n), episode=n)
        roll.line("動画検査", "inbetween_check", on("inbetween_check", n), episode=n)
        ib = on("inbetween", n) + [HANBIT] + ([AND_OTHERS] if n == 10 else [])
        roll.line("動画", "inbetween", ib, episode=n)
        roll.line("仕上げ", "ink_and_paint", on("ink_and_paint", n) + [YUNFAN], episode=n)
        roll.line("仕上検査", "paint_check", on("paint_check", n), episode=n)
        roll.line("背景", "background", on("background", n) + [SAIUN], episode=n)
        roll.line("撮影", "photography", on("photography", n), episode=n)
        roll.line("3DCG", "cg", on("cg", n), episode=n)
        roll.line("制作進行", "production_assistant", on("production_assistant", n), episode=n)
        if n in (5, 9):
            roll.line("制作協力", "production_cooperation", [SEIRAN], episode=n)


def _film_credits(studio: Studio) -> None:
    roll = _Roll(studio, FILM)
    la = [m for m in studio.members if m.spec.la]
    director = _crew(studio, "director", FILM)
    roll.line("監督・脚本", None, director, split_roles=("director", "script"))
    roll.line("キャラクターデザイン", "character_design", _crew(studio, "character_design", FILM))
    roll.line("絵コンテ", "storyboard", director + [m for m in la if m.spec.code == "storyboard"])
    roll.line("作画監督", "animation_director", _crew(studio, "animation_director", FILM))
    roll.line("美術監督", "art_director", _crew(studio, "art_director", FILM))
    # one of the two LA layout artists is missing from the roll
    roll.line("レイアウト", "layout", [m for m in la if m.spec.code == "layout"][:1])
    keys = [m for m in la if m.spec.code == "key_animation"] + _crew(studio, "key_animation", FILM)
    roll.line("原画", "key_animation", [*keys[:-1], credited_name(keys[-1], FILM)[0] + AND_OTHERS, MANILA])
    roll.line("動画", "inbetween", _crew(studio, "inbetween", FILM) + [AND_OTHERS, SAIGON])
    roll.line("背景", "background", _crew(studio, "background", FILM))
    roll.line("撮影監督", "director_of_photography", _crew(studio, "director_of_photography", TV))
    roll.line("制作協力", "production_cooperation", [LA])
    roll.line("アニメーション制作", "animation_production", [MAIN])
    roll.line("製作", "production_committee", [FILM_COMMITTEE])


def _short_credits(studio: Studio) -> None:
    # the Dog & Boy pattern: backgrounds credited to "AI (+Human)", the vendor named, the two people who made the
    # backgrounds (the generator's operator and the retoucher) not credited at all
    roll = _Roll(studio, SHORT)
    director = _crew(studio, "director", SHORT)
    roll.line("監督・脚本・絵コンテ", None, director, split_roles=("director", "script", "storyboard"))
    roll.line("キャラクターデザイン", "character_design", _crew(studio, "character_design", TV))
    roll.line("作画監督", "animation_director", director)
    roll.line("原画", "key_animation", _crew(studio, "key_animation", SHORT))
    roll.line("背景", "background", [AI_HUMAN])
    roll.line("背景補正", "background", [HUMAN])
    roll.line("AI技術協力", None, [RINNE])
    roll.line("仕上げ", "ink_and_paint", [YUNFAN])
    roll.line("撮影監督", "director_of_photography", _crew(studio, "director_of_photography", TV))
    roll.line("録音スタジオ", "recording_studio", [HOKKYOKUSEI])
    roll.line("アニメーション制作", "animation_production", [MAIN])
