"""Every setting Endroll reads, with its default and help text.

One table is the single source of truth: the README's configuration section is generated from it
(``python -m data.settings --markdown``) and a test checks the two agree. A value comes from the
environment variable when set, else from the database's ``setting`` table (changed on the Admin page),
else from the default here.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data.i18n import N_

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    key: str
    env: str
    default: str
    help: str
    kind: type = str
    db_editable: bool = False

    def parse(self, raw: str) -> Any:
        if self.kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if self.kind is int:
            return int(raw)
        if self.kind is float:
            return float(raw)
        return raw


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database_url",
        "DATABASE_URL",
        "",
        N_(
            "SQLAlchemy URL of the database. Empty: the embedded SQLite file at ENDROLL_HOME/endroll.sqlite3. "
            "For PostgreSQL use postgresql+psycopg://user:password@host:5432/dbname."
        ),
    ),
    Setting(
        "home", "ENDROLL_HOME", str(ROOT / "var"), N_("Folder for the embedded database, generated assets and keys.")
    ),
    Setting(
        "asset_dir",
        "ENDROLL_ASSET_DIR",
        "",
        N_("Folder where generated images are written. Empty: ENDROLL_HOME/assets."),
    ),
    Setting(
        "key_dir",
        "ENDROLL_KEY_DIR",
        "",
        N_(
            "Folder holding the C2PA signing key and certificate chain, the trust list and the operators' signing "
            "credentials. Empty: ENDROLL_HOME/keys."
        ),
    ),
    Setting(
        "ca_dir",
        "ENDROLL_CA_DIR",
        "",
        N_(
            "Folder holding the studio CA's certificate and private key, kept apart from the signing keys; needed only "
            "to issue operators' signing credentials. Empty: ENDROLL_HOME/ca."
        ),
    ),
    Setting(
        "k_anonymity",
        "ENDROLL_K_ANONYMITY",
        "5",
        N_("Smallest group of people an advocate aggregate may show; smaller groups are suppressed."),
        int,
        db_editable=True,
    ),
    Setting(
        "demo_seed",
        "ENDROLL_DEMO_SEED",
        "42",
        N_("Seed of the demo studio that the start command loads into an empty database."),
        int,
    ),
    Setting(
        "demo_on_empty",
        "ENDROLL_DEMO_ON_EMPTY",
        "true",
        N_(
            "Let the start command (scripts/start.sh) load the demo studio into the embedded SQLite database when it "
            "is empty (never into DATABASE_URL), with passwords generated and printed once."
        ),
        bool,
    ),
    Setting(
        "cache_ttl_seconds",
        "ENDROLL_CACHE_TTL",
        "600",
        N_("How long the dashboard caches query results (cleared after every write)."),
        int,
    ),
    Setting(
        "derived_worker",
        "ENDROLL_DERIVED_WORKER",
        "true",
        N_(
            "Recompute the compliance findings and credit checks in a background worker of the dashboard after each "
            "write (see derived_worker_mode), while pages show the last complete result with the time it was "
            "computed. Off: the first page visit after a write computes them and waits (python -m analytics.derived "
            "runs the worker on its own)."
        ),
        bool,
    ),
    Setting(
        "derived_worker_mode",
        "ENDROLL_DERIVED_WORKER_MODE",
        "process",
        N_(
            "Where the dashboard runs its background worker: process (a process of its own, started and stopped "
            "with the dashboard: its computation does not slow the pages down) or thread (in the dashboard's own "
            "process)."
        ),
    ),
    Setting(
        "login_max_failures",
        "ENDROLL_LOGIN_MAX_FAILURES",
        "5",
        N_("Failed sign-ins for one account before further attempts are slowed down."),
        int,
        db_editable=True,
    ),
    Setting(
        "login_lockout_seconds",
        "ENDROLL_LOGIN_LOCKOUT_SECONDS",
        "60",
        N_("Wait imposed after too many failed sign-ins; doubles with each further failure."),
        int,
        db_editable=True,
    ),
    Setting(
        "login_lockout_max_seconds",
        "ENDROLL_LOGIN_LOCKOUT_MAX_SECONDS",
        "900",
        "Longest wait one account's failed sign-ins can impose (the doubling stops here), so nobody can lock a "
        "colleague out for days.",
        int,
        db_editable=True,
    ),
    Setting(
        "login_client_max_failures",
        "ENDROLL_LOGIN_CLIENT_MAX_FAILURES",
        "20",
        "Failed sign-ins one client (browser address) may make in 10 minutes, whatever usernames it tries; beyond "
        "that its attempts are refused unchecked until the window has passed.",
        int,
    ),
    Setting(
        "session_hours",
        "ENDROLL_SESSION_HOURS",
        "12",
        "How long a sign-in lasts, across browser reloads, before the person signs in again. Signing out, "
        "deactivation, a role change and a password reset end it sooner.",
        float,
    ),
    Setting(
        "server_address",
        "ENDROLL_SERVER_ADDRESS",
        "127.0.0.1",
        "Address the dashboard listens on (scripts/start.sh). The default serves this machine only; 0.0.0.0 opens "
        "it to the network: put HTTPS in front of it first (see docs/security.md).",
    ),
    Setting(
        "auth_mode",
        "ENDROLL_AUTH",
        "local",
        N_(
            "Sign-in method: 'local' (accounts with argon2 password hashes in the database) or 'oidc' "
            "(the studio's identity provider through st.login; configure [auth] in .streamlit/secrets.toml)."
        ),
    ),
    Setting(
        "oidc_role_claim",
        "ENDROLL_OIDC_ROLE_CLAIM",
        "role",
        N_(
            "With auth_mode=oidc: the identity-provider claim that may carry the Endroll role (manager, advocate, "
            "artist) for users without an account, honoured only from ENDROLL_OIDC_ROLE_ISSUER; an account bound to "
            "the user always wins."
        ),
    ),
    Setting(
        "oidc_role_issuer",
        "ENDROLL_OIDC_ROLE_ISSUER",
        "",
        N_(
            "With auth_mode=oidc: the one identity provider (its issuer URL, the id token's iss) whose role claims "
            "Endroll honours. Empty: role claims are ignored and every user needs an account."
        ),
    ),
    Setting(
        "generation_threads",
        "ENDROLL_GENERATION_THREADS",
        "1",
        N_("CPU threads torch may use for image generation, so the dashboard stays responsive."),
        int,
    ),
    Setting(
        "timezone",
        "ENDROLL_TIMEZONE",
        "Asia/Tokyo",
        N_("Time zone assumed for imported times that carry none."),
    ),
)

_BY_KEY = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown setting {key!r}; known: {', '.join(_BY_KEY)}") from None


def get(key: str, session: Any = None) -> Any:
    """Resolve a setting: environment, then the database's ``setting`` table (if a session is given), then default."""
    spec = setting(key)
    raw = os.environ.get(spec.env)
    if raw is None and session is not None and spec.db_editable:
        from data.schema import SettingValue

        row = session.get(SettingValue, key)
        raw = row.value if row is not None else None
    return spec.parse(raw if raw is not None else spec.default)


def home() -> Path:
    return Path(get("home"))


def markdown_table() -> str:
    lines = ["| Environment variable | Default | Meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "(empty)"
        if s.key == "home":
            default = "`./var` (beside the code)"
        lines.append(f"| `{s.env}` | {default} | {s.help}{' Editable on the Admin page.' if s.db_editable else ''} |")
    return "\n".join(lines)


def _shown(spec: Setting, value: Any) -> str:
    if spec.key == "database_url" and value:
        from sqlalchemy.engine import make_url

        return make_url(str(value)).render_as_string(hide_password=True)  # never print a database password
    return str(value)


def help_text() -> str:
    """Every setting with its environment variable, default and meaning, as ``--help`` shows them."""
    lines = []
    for s in SETTINGS:
        editable = " Editable on the Admin page." if s.db_editable else ""
        lines.append(f"  {s.env} (default: {s.default or 'empty'})\n      {s.help}{editable}")
    return "settings:\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m data.settings``: each setting's current value (``--help``: what each one means)."""
    from data.cli import quiet_pipes

    return quiet_pipes(_main)(argv)


def _main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m data.settings",
        description="Print every Endroll setting as ENV=value (the environment, else a value saved on the Admin page, "
        "else the default).",
        epilog=help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--markdown", action="store_true", help="print the README's settings table instead")
    parser.add_argument("--database-url", help="also read the values saved on the Admin page in this database")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown_table())
        return 0
    if args.database_url:
        from data.engine import make_engine, session_scope

        with session_scope(make_engine(args.database_url)) as session:
            for s in SETTINGS:
                print(f"{s.env}={_shown(s, get(s.key, session))}")
        return 0
    for s in SETTINGS:
        print(f"{s.env}={_shown(s, get(s.key))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
