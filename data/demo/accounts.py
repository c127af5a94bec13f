"""The demo's sign-in accounts: a manager, an advocate, and an artist linked to a credited key animator."""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from data.accounts import create_account
from data.demo.errors import DemoError
from data.demo.spec import STAMP, TV
from data.demo.state import Member, Studio
from data.i18n import N_

DEMO_ACCOUNTS = (("manager", "manager"), ("advocate", "advocate"), ("artist", "artist"))


def artist_member(studio: Studio) -> Member:
    """The artist account's person: a credited, freelance TV key animator under their real name."""
    for m in studio.members:
        if (
            m.spec.code == "key_animation"
            and m.spec.home == TV
            and not m.employee
            and "pen" not in m.alias_ids
            and "variant" not in m.alias_ids
        ):
            return m
    raise DemoError(
        N_("the {preset} crew has no freelance key animator credited under their real name for the artist account"),
        fix=N_("load the demo with another --seed"),
        preset=studio.preset.name,
    )


def write_accounts(session: Session, studio: Studio) -> None:
    """The three demo accounts (password ``<username>-demo``), created the way an administrator creates them."""
    artist = artist_member(studio)
    # The fixture studio's hashes use the cheapest argon2 parameters: tests load it often, and verifying reads the
    # parameters from the hash.
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if studio.preset.cheap_passwords else None
    for username, role in DEMO_ACCOUNTS:
        person_id = artist.pid if role == "artist" else None
        account = create_account(session, username, f"{username}-demo", role, person_id=person_id, hasher=hasher)
        account.created_at = STAMP
    session.flush()
    studio.out.counts["account"] = len(DEMO_ACCOUNTS)
