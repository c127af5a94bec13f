"""``python -m data.accounts``: manage sign-in accounts from a shell.

    python -m data.accounts bootstrap --username U [--password-stdin]   (the first manager of a new database)
    python -m data.accounts create --username U --role manager|advocate|artist [--person ID] [--password-stdin]
    python -m data.accounts list
    python -m data.accounts set-password --username U [--password-stdin]
    python -m data.accounts deactivate --username U          (activate, unlock alike)

An entry point, so it may call :mod:`services.accounts` (docs/architecture.md): every change goes through the same
role check and audit trail as the Admin page, with the shell user as the actor (``cli:<user>`` in the audit log).
Exit status 2 with the message on anything refused. ``--database-url`` may stand before or after the command.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.accounts import list_accounts
from data.cli import quiet_pipes
from data.engine import DatabaseError, get_engine, session_scope
from data.errors import EndrollError
from data.i18n import N_
from data.identity import Identity
from data.schema import ACCOUNT_ROLES, Account
from services import accounts
from services.access import command_line_actor


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != password:
        raise accounts.AccountError(N_("the two passwords differ"), fix=N_("type the same password twice"))
    return password


def _parser() -> argparse.ArgumentParser:
    url_help = "database (default: DATABASE_URL or the embedded SQLite file)"
    parser = argparse.ArgumentParser(prog="python -m data.accounts", description="Manage Endroll sign-in accounts.")
    parser.add_argument("--database-url", help=url_help)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--database-url", default=argparse.SUPPRESS, help=url_help)
        return p

    boot = command("bootstrap", "create the first manager of a new database (refused once a manager exists)")
    boot.add_argument("--username")
    boot.add_argument("--password-stdin", action="store_true", help="read the password from the first stdin line")
    boot.add_argument("--check", action="store_true", help="only say whether a first manager is still needed")
    create = command("create", "create an account")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=ACCOUNT_ROLES)
    create.add_argument("--person", type=int, help="person id (required for artists)")
    create.add_argument("--oidc-email", help="email the identity provider sends for this user")
    create.add_argument("--password-stdin", action="store_true", help="read the password from the first stdin line")
    create.add_argument("--no-password", action="store_true", help="identity-provider sign-in only")
    command("list", "list accounts (never shows hashes)")
    setpw = command("set-password", "set a new password (also unlocks, and signs the account out everywhere)")
    setpw.add_argument("--username", required=True)
    setpw.add_argument("--password-stdin", action="store_true")
    for name in ("deactivate", "activate", "unlock"):
        p = command(name, f"{name} an account")
        p.add_argument("--username", required=True)
    return parser


def _bootstrap(session: Session, args: argparse.Namespace, actor: Identity) -> None:
    has_manager = session.scalar(select(Account.id).where(Account.role == "manager").limit(1)) is not None
    if args.check:
        if not has_manager:
            print("No manager yet: create the first one with\n"
                  "  .venv/bin/python -m data.accounts bootstrap --username NAME", file=sys.stderr)  # fmt: skip
        return
    if not args.username:
        raise accounts.AccountError("a username is required", fix={"cli": "pass --username NAME"})
    if has_manager:  # say so before asking for a password
        accounts.bootstrap_manager(session, actor, username=args.username, password="")
    account = accounts.bootstrap_manager(session, actor, username=args.username, password=_read_password(args))
    print(f"created the first manager {account.username!r} (id {account.id}); sign in with it on the dashboard")


@quiet_pipes
def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status (0 done, 2 refused)."""
    args = _parser().parse_args(argv)
    actor = command_line_actor()
    try:
        with session_scope(get_engine(args.database_url)) as session:
            if args.command == "bootstrap":
                _bootstrap(session, args, actor)
            elif args.command == "create":
                password = None if args.no_password else _read_password(args)
                account = accounts.create_account(session, actor, username=args.username, password=password,
                                                  role=args.role, person_id=args.person, oidc_email=args.oidc_email)  # fmt: skip
                print(f"created {account.role} account {account.username!r} (id {account.id})")
            elif args.command == "list":
                print(f"{'username':<24} {'role':<9} {'person':>6} {'active':<6} {'password':<8} oidc_email")
                for row in list_accounts(session):
                    print(
                        f"{row['username']:<24} {row['role']:<9} {row['person_id'] or '':>6} "
                        f"{'yes' if row['is_active'] else 'no':<6} {'set' if row['password_set'] else '-':<8} "
                        f"{row['oidc_email'] or ''}"
                    )
            elif args.command == "set-password":
                accounts.set_password(session, actor, username=args.username, password=_read_password(args))
                print(f"password changed for {args.username!r}")
            elif args.command in ("deactivate", "activate"):
                accounts.set_active(session, actor, username=args.username, active=args.command == "activate")
                print(f"{args.command}d {args.username!r}")
            elif args.command == "unlock":
                accounts.unlock(session, actor, username=args.username)
                print(f"unlocked {args.username!r}")
    except (EndrollError, DatabaseError) as exc:
        print(f"error: {exc.message('cli')}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
