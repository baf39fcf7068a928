"""`expresspoint central operator add|remove|list|password`: console accounts.

These work on the database directly (like `token`): they are how the first admin
comes to exist. The password is read from a file (or standard input with `-`), never
from the command line, where `ps` and the shell history would keep it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from central.db import Database


def register_accounts(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg,unused-ignore]
    db_arg: Callable[[argparse.ArgumentParser], None],
) -> None:
    top = sub.add_parser("operator", help="console accounts: add, remove, list, password")
    verbs = top.add_subparsers(dest="operator_command", metavar="VERB")
    top.set_defaults(func=lambda _args: top.print_help() or 2)

    add = verbs.add_parser("add", help="create a console account")
    db_arg(add)
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=["admin", "support", "viewer"])
    add.add_argument(
        "--password-file",
        required=True,
        type=Path,
        help="file holding the password ('-' reads standard input)",
    )
    add.set_defaults(func=_cmd_add)

    pw = verbs.add_parser("password", help="set a new password (also unlocks the account)")
    db_arg(pw)
    pw.add_argument("--name", required=True)
    pw.add_argument("--password-file", required=True, type=Path)
    pw.set_defaults(func=_cmd_password)

    rm = verbs.add_parser("remove", help="delete a console account and end its sessions")
    db_arg(rm)
    rm.add_argument("--name", required=True)
    rm.set_defaults(func=_cmd_remove)

    ls = verbs.add_parser("list", help="every console account with its role")
    db_arg(ls)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_cmd_list)


class PasswordFileError(ValueError):
    pass


def _read_password(path: Path) -> str:
    from central.operators import OperatorError, check_password_rules

    try:
        raw = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PasswordFileError(f"cannot read {path}: {exc.strerror}") from exc
    password = raw.rstrip("\r\n")
    try:
        check_password_rules(password)
    except OperatorError as exc:
        raise PasswordFileError(f"{path}: {exc}") from exc
    return password


def _open(url: str) -> Database:
    from central.db import Database

    db = Database(url)
    db.create_schema()
    return db


def _cmd_add(args: argparse.Namespace) -> int:
    from central import audit, operators
    from central.context import utc_now
    from central.db import DatabaseUnavailable, DatabaseUrlError
    from central.operators import OperatorError, Role

    try:
        password = _read_password(args.password_file)
        db = _open(args.db)
    except (PasswordFileError, DatabaseUrlError, DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    hashed = operators.hash_password(password)
    try:
        with db.write() as conn:
            operators.add(conn, args.name, Role(args.role), hashed, utc_now())
            audit.record(
                conn,
                utc_now(),
                None,
                "operator_added",
                target=args.name,
                client="command line",
                role=args.role,
            )
    except OperatorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"operator {args.name} added ({args.role}); sign in at /console/login")
    return 0


def _cmd_password(args: argparse.Namespace) -> int:
    from central import audit, operators
    from central.context import utc_now

    try:
        password = _read_password(args.password_file)
    except PasswordFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    db = _open(args.db)
    try:
        with db.write() as conn:
            found = operators.set_password(conn, args.name, operators.hash_password(password))
            if found:
                audit.record(
                    conn,
                    utc_now(),
                    None,
                    "operator_password_set",
                    target=args.name,
                    client="command line",
                )
    finally:
        db.dispose()
    if not found:
        print(f"error: no operator named {args.name}", file=sys.stderr)
        return 1
    print(f"new password set for {args.name}; their sessions are ended")
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from central import audit, operators
    from central.context import utc_now

    db = _open(args.db)
    try:
        with db.write() as conn:
            found = operators.remove(conn, args.name)
            if found:
                audit.record(
                    conn,
                    utc_now(),
                    None,
                    "operator_removed",
                    target=args.name,
                    client="command line",
                )
    finally:
        db.dispose()
    if not found:
        print(f"error: no operator named {args.name}", file=sys.stderr)
        return 1
    print(f"operator {args.name} removed")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from central import operators
    from central.cli import print_json

    db = _open(args.db)
    try:
        with db.read() as conn:
            rows = operators.listing(conn)
    finally:
        db.dispose()
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        seen = r["last_login_at"].isoformat() if r["last_login_at"] else "never"  # type: ignore[attr-defined]
        print(f"{r['name']:<24} {r['role']:<8} last sign-in {seen}")
    print(f"({len(rows)} operator(s))")
    return 0
