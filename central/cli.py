"""`expresspoint central ...`: run, seed and operate the reference central service.

Server-side commands (`serve`, `seed`, `token`) open the database directly; operator
commands (`announce`, `command`, `events`, `fleet`, `courier`, `cancel`) talk to a
running service over HTTP with the operator token, exactly as any operator tool would.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_DB = "sqlite:///expresspoint-central.db"
DEFAULT_URL = "http://127.0.0.1:8080"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    central = subparsers.add_parser(
        "central", help="reference central order service: serve, seed, operate"
    )
    sub = central.add_subparsers(dest="central_command", metavar="ACTION")
    central.set_defaults(func=lambda _args: central.print_help() or 2)

    serve = sub.add_parser("serve", help="run the HTTP service")
    _db_arg(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    token_env = os.environ.get("EXPRESSPOINT_OPERATOR_TOKEN_FILE")
    serve.add_argument(
        "--operator-token-file",
        type=Path,
        default=Path(token_env) if token_env else None,
        help="operator token; the file is created (mode 0600) with a new token if missing "
        "(default: $EXPRESSPOINT_OPERATOR_TOKEN_FILE)",
    )
    serve.add_argument(
        "--sweep-interval",
        type=float,
        default=60.0,
        help="seconds between deadline sweeps over all lockers (0 = only on pull)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request line")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes on one socket (default 1; more helps on PostgreSQL)",
    )
    key_env = os.environ.get("EXPRESSPOINT_CENTRAL_KEY_FILE")
    serve.add_argument(
        "--secret-key-file",
        type=Path,
        default=Path(key_env) if key_env else None,
        help="key that seals pickup codes waiting for the customer's notification; created "
        "(mode 0600) if missing (default: $EXPRESSPOINT_CENTRAL_KEY_FILE; without it, parcels "
        "announced with an e-mail or phone are refused)",
    )
    serve.add_argument("--smtp", metavar="HOST:PORT", help="SMTP server for customer e-mail")
    serve.add_argument("--mail-from", default="ExpressPoint <no-reply@localhost>")
    serve.add_argument("--smtp-starttls", action="store_true")
    serve.add_argument("--sms-gateway", metavar="URL", help="HTTP SMS gateway (JSON POST)")
    serve.add_argument("--sms-token-file", type=Path, help="bearer token of the SMS gateway")
    serve.add_argument(
        "--worker-interval",
        type=float,
        default=1.0,
        help="seconds between background passes (notices, webhooks); 0 turns them off",
    )
    serve.add_argument(
        "--retry-first",
        type=float,
        default=30.0,
        help="seconds before the first retry of a failed notice or webhook (doubles each time)",
    )
    serve.add_argument("--json-logs", action="store_true", help="one JSON object per log line")
    serve.set_defaults(func=_cmd_serve)

    migrate = sub.add_parser(
        "migrate", help="bring the database schema to this release (serve does it too)"
    )
    _db_arg(migrate)
    migrate.set_defaults(func=_cmd_migrate)

    from central.cli_accounts import register_accounts
    from central.cli_operator import register_operator
    from central.cli_seed import register_seed

    register_seed(sub, _db_arg)
    register_operator(sub)
    register_accounts(sub, _db_arg)
    _name_the_extra(central)


# What only the `central` extra installs: the appliance's base install has none of it, so
# `expresspoint central ...` registers everywhere and says what to install when needed.
CENTRAL_EXTRA = frozenset({"fastapi", "starlette", "uvicorn", "psycopg", "psycopg_binary", "jinja2",
                           "cryptography"})
CENTRAL_EXTRA_HINT = ("this command needs the central service's libraries, which a locker's "
                      "base install leaves out: pip install 'expresspoint[central]'")


def _name_the_extra(parser: argparse.ArgumentParser) -> None:
    """Every command under `parser`: a library of the central extra that is missing is
    one clear line, never a traceback."""
    func = parser.get_default("func")
    if func is not None:
        parser.set_defaults(func=_needing_extra(func))
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                _name_the_extra(child)


def _needing_extra(func: Any) -> Any:
    def run(args: argparse.Namespace) -> Any:
        try:
            return func(args)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] not in CENTRAL_EXTRA:
                raise
            print(f"error: {CENTRAL_EXTRA_HINT} ({exc.name} is not installed)",
                  file=sys.stderr)
            return 2

    return run


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=os.environ.get("EXPRESSPOINT_CENTRAL_DB", DEFAULT_DB),
        help="SQLAlchemy URL or SQLite file path (default: $EXPRESSPOINT_CENTRAL_DB or "
        f"{DEFAULT_DB}); postgresql://... uses psycopg 3",
    )


def _cmd_serve(args: argparse.Namespace) -> int:
    from central.db import DatabaseUnavailable, DatabaseUrlError
    from central.server import PortUnavailable, TokenFileError, serve
    from central.service_options import OptionError, ServiceOptions

    if args.json_logs:
        from central.jsonlog import use_json_logs

        use_json_logs()
    options = ServiceOptions(
        secret_key_file=str(args.secret_key_file) if args.secret_key_file else None,
        smtp=args.smtp,
        mail_from=args.mail_from,
        smtp_starttls=args.smtp_starttls,
        sms_gateway=args.sms_gateway,
        sms_token_file=str(args.sms_token_file) if args.sms_token_file else None,
        worker_interval_s=max(0.0, args.worker_interval),
        retry_first_s=max(0.1, args.retry_first),
    )
    try:
        return serve(
            args.db,
            args.host,
            args.port,
            operator_token_file=args.operator_token_file,
            sweep_interval_s=args.sweep_interval,
            access_log=args.access_log,
            workers=max(1, args.workers),
            options=options,
        )
    except (
        DatabaseUrlError,
        DatabaseUnavailable,
        PortUnavailable,
        TokenFileError,
        OptionError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _cmd_migrate(args: argparse.Namespace) -> int:
    from central.db import Database, DatabaseUnavailable, DatabaseUrlError, redact
    from central.migrate import upgrade

    try:
        db = Database(args.db)
    except DatabaseUrlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        before, after = upgrade(db)
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    if before == after:
        print(f"{redact(db.url)}: schema already at {after}")
    else:
        print(f"{redact(db.url)}: schema migrated {before or '(empty)'} -> {after}")
    return 0


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")
