"""`expresspoint central seed` and `expresspoint central token`: direct database work."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def register_seed(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg,unused-ignore]
    db_arg: Callable[[argparse.ArgumentParser], None],
) -> None:
    seed = sub.add_parser("seed", help="fill a database with demo lockers, courier, parcels")
    db_arg(seed)
    seed.add_argument("--lockers", type=int, default=1, help="demo lockers (1-3)")
    seed.add_argument("--parcels", type=int, default=6, help="parcels per locker")
    seed.add_argument(
        "--stored",
        default="A01,A02,B01",
        help="compartments of locker 1 that already hold its first parcels ('' for none)",
    )
    seed.add_argument("--kdf-n", type=int, default=16384, help="scrypt n (power of two)")
    seed.add_argument(
        "--deterministic",
        action="store_true",
        help="fixed tokens, salts and codes (demos only: the codes are public)",
    )
    seed.add_argument(
        "--token-dir",
        type=Path,
        help="also write operator.token and <locker>.token (mode 0600) into this folder",
    )
    seed.add_argument("--json", action="store_true", help="print the result as JSON")
    seed.set_defaults(func=_cmd_seed)

    token = sub.add_parser("token", help="issue or revoke tokens directly in the database")
    db_arg(token)
    group = token.add_mutually_exclusive_group(required=True)
    group.add_argument("--operator", action="store_true", help="issue an operator token")
    group.add_argument("--locker", help="issue a device token for this locker")
    group.add_argument("--revoke-locker", help="revoke every device token of this locker")
    group.add_argument(
        "--revoke-token-file",
        type=Path,
        help="revoke the one token held in this file (a leaked operator or device token)",
    )
    token.add_argument("--out", type=Path, help="write the token to this file (mode 0600)")
    token.set_defaults(func=_cmd_token)


def _write_secret(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(value + "\n", encoding="utf-8")


def _cmd_seed(args: argparse.Namespace) -> int:
    from central.cli import print_json
    from central.context import utc_now
    from central.db import Database, DatabaseUnavailable, DatabaseUrlError, redact
    from central.errors import ApiError
    from central.seed import seed_demo
    from contract.codes import KdfParams

    try:
        kdf = KdfParams(n=args.kdf_n)
    except ValueError as exc:
        print(f"error: --kdf-n: {exc}", file=sys.stderr)
        return 2
    stored = tuple(s.strip() for s in args.stored.split(",") if s.strip())
    try:
        db = Database(args.db)
    except DatabaseUrlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        result = seed_demo(
            db,
            utc_now(),
            locker_count=args.lockers,
            parcels_per_locker=args.parcels,
            stored=stored,
            kdf=kdf,
            deterministic=args.deterministic,
        )
    except (ApiError, ValueError, DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    if args.token_dir:
        _write_secret(args.token_dir / "operator.token", result.operator_token)
        for locker in result.lockers:
            _write_secret(args.token_dir / f"{locker.locker_id}.token", locker.device_token)
    if args.json:
        print_json(result.as_dict())
        return 0
    print(f"Seeded {len(result.lockers)} locker(s) into {redact(db.url)}")
    print(f"  operator token: {result.operator_token}")
    for locker in result.lockers:
        layout = ", ".join(f"{n} x {size}" for size, n in locker.layout.items())
        print(f"  locker {locker.locker_id} ({locker.name}): {layout}")
        print(f"    device token: {locker.device_token}")
    c = result.courier
    print(f"  courier {c['courier_id']} ({c['name']}): PIN {c['pin']}, badge {c['badge']}")
    print("  parcels:")
    for p in result.parcels:
        where = f"in {p.compartment_id}" if p.compartment_id else "expected"
        print(
            f"    {p.locker_id} {p.order_ref} {p.size:<2} {where:<8} barcode {p.barcode} "
            f"code {p.pickup_code}  QR {p.qr_payload}"
        )
    return 0


def _cmd_token(args: argparse.Namespace) -> int:
    from central import tokens
    from central.context import utc_now
    from central.db import Database
    from central.errors import ApiError
    from central.tokens import TokenKind

    db = Database(args.db)
    try:
        db.create_schema()
        with db.write() as conn:
            if args.revoke_token_file:
                value = args.revoke_token_file.read_text(encoding="utf-8").strip()
                found = tokens.revoke(conn, value, utc_now())
                print("token revoked" if found else "no active token matches that file")
                return 0 if found else 1
            if args.revoke_locker:
                count = tokens.revoke_device_tokens(conn, args.revoke_locker, utc_now())
                print(f"revoked {count} device token(s) of {args.revoke_locker}")
                return 0
            kind = TokenKind.OPERATOR if args.operator else TokenKind.DEVICE
            value = tokens.issue(conn, kind, utc_now(), args.locker)
    except ApiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    if args.out:
        _write_secret(args.out, value)
        print(f"wrote the new {kind} token to {args.out}")
    else:
        print(value)
    return 0
