"""The demo's sign-in accounts: a manager, an advocate, and an artist linked to a credited key animator.

:func:`write_accounts` gives them the well-known passwords ``<username>-demo`` so the tests, benchmarks and
screenshots that load the demo into a throwaway database can sign in. A person loading the demo goes through
``python -m data.demo``, which replaces them at once with :func:`generated_passwords` (printed once to the terminal)
unless ``--demo-passwords`` asks for the well-known ones.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from data.accounts import create_account, hash_password
from data.demo.errors import DemoError
from data.demo.spec import STAMP, TV
from data.demo.state import Member, Studio
from data.engine import session_scope
from data.i18n import N_
from data.schema import Account

DEMO_ACCOUNTS = (("manager", "manager"), ("advocate", "advocate"), ("artist", "artist"))


def well_known_passwords() -> dict[str, str]:
    """``<username>-demo`` for each demo account: only for throwaway databases (tests, screenshots)."""
    return {username: f"{username}-demo" for username, _ in DEMO_ACCOUNTS}


def generated_passwords() -> dict[str, str]:
    """A fresh random password (about 96 bits) for each demo account."""
    return {username: secrets.token_urlsafe(12) for username, _ in DEMO_ACCOUNTS}


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
    """The three demo accounts with :func:`well_known_passwords`, created the way an administrator creates them."""
    artist = artist_member(studio)
    # The fixture studio's hashes use the cheapest argon2 parameters: tests load it often, and verifying reads the
    # parameters from the hash.
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if studio.preset.cheap_passwords else None
    passwords = well_known_passwords()
    for username, role in DEMO_ACCOUNTS:
        person_id = artist.pid if role == "artist" else None
        account = create_account(session, username, passwords[username], role, person_id=person_id, hasher=hasher)
        account.created_at = STAMP
    session.flush()
    studio.out.counts["account"] = len(DEMO_ACCOUNTS)


def set_passwords(engine: Engine, passwords: dict[str, str]) -> None:
    """Give the demo accounts these passwords (argon2 defaults), in one transaction."""
    with session_scope(engine) as session:
        for username, password in passwords.items():
            session.execute(
                update(Account).where(Account.username == username).values(password_hash=hash_password(password))
            )
