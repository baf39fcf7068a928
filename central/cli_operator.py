"""Operator commands over HTTP: announce, command, events, fleet, courier, cancel, locker.

The operator token comes from `--operator-token-file` or $EXPRESSPOINT_OPERATOR_TOKEN;
it is never accepted on the command line (it would show in `ps` and shell history).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from central.operator_client import OperatorClient

DEFAULT_URL = "http://127.0.0.1:8080"


class _CommandTypes:
    """The `--type` choices, read from the wire models only when `central command` is
    parsed or its help shown: building the models costs ~0.1 s, and every process that
    builds the `expresspoint` parser (the kiosk too) would pay it at start."""

    def _values(self) -> list[str]:
        from contract.wire import CommandType

        return [t.value for t in CommandType]

    def __contains__(self, value: object) -> bool:
        return value in self._values()

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())


class TokenMissing(ValueError):
    pass


def _client(args: argparse.Namespace) -> OperatorClient:
    if args.operator_token_file:
        try:
            token = Path(args.operator_token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise TokenMissing(f"cannot read {args.operator_token_file}: {exc.strerror}") from exc
    else:
        token = os.environ.get("EXPRESSPOINT_OPERATOR_TOKEN", "").strip()
    if not token:
        raise TokenMissing(
            "no operator token: pass --operator-token-file FILE or set EXPRESSPOINT_OPERATOR_TOKEN"
        )
    # Imported here: `requests` is for operator commands only, not for every process
    # that builds the `expresspoint` parser (the kiosk, the sync worker).
    from central.operator_client import OperatorClient

    return OperatorClient(args.url, token)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        default=os.environ.get("EXPRESSPOINT_CENTRAL_URL", DEFAULT_URL),
        help=f"central service URL (default: $EXPRESSPOINT_CENTRAL_URL or {DEFAULT_URL})",
    )
    token_env = os.environ.get("EXPRESSPOINT_OPERATOR_TOKEN_FILE")
    parser.add_argument(
        "--operator-token-file",
        type=Path,
        default=Path(token_env) if token_env else None,
        help="file holding the operator token (default: $EXPRESSPOINT_OPERATOR_TOKEN_FILE, "
        "else $EXPRESSPOINT_OPERATOR_TOKEN holds the token itself)",
    )
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")


def _run(
    action: Callable[[OperatorClient, argparse.Namespace], object],
) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from central.cli import print_json
        from central.operator_client import OperatorApiError

        try:
            client = _client(args)
        except TokenMissing as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        try:
            answer = action(client, args)
        except OperatorApiError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        finally:
            client.close()
        if args.json and answer is not None:
            print_json(answer)
        return 0

    return run


def register_operator(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("announce", help="announce a parcel; prints its pickup code once")
    _common(p)
    p.add_argument("--locker", required=True)
    p.add_argument("--order-ref", required=True)
    p.add_argument("--barcode", required=True, help="the label barcode the courier scans")
    p.add_argument("--size", choices=["S", "M", "L", "XL"], default="M")
    p.add_argument("--recipient-hint")
    p.add_argument("--days", type=int, default=7, help="pickup deadline in days")
    p.set_defaults(func=_run(_announce))

    p = sub.add_parser("command", help="queue a remote command for a locker")
    _common(p)
    p.add_argument("--locker", required=True)
    p.add_argument(
        "--type", required=True, choices=_CommandTypes(), metavar="TYPE", help="one of: %(choices)s"
    )
    p.add_argument("--compartment")
    p.add_argument("--reason", required=True, help="why (support case, maintenance...)")
    p.add_argument("--ttl", type=int, default=3600, help="seconds before it expires")
    p.set_defaults(func=_run(_command))

    p = sub.add_parser("events", help="list a locker's events, oldest first")
    _common(p)
    p.add_argument("--locker", required=True)
    p.add_argument("--type", action="append", help="only this type (repeatable)")
    p.add_argument("--limit", type=int, default=100, help="show at most this many (latest)")
    p.set_defaults(func=_run(_events))

    p = sub.add_parser("fleet", help="every locker: last heartbeat, outbox depth, alarms")
    _common(p)
    p.set_defaults(func=_run(_fleet))

    p = sub.add_parser("courier", help="create or update a courier")
    _common(p)
    p.add_argument("courier_id")
    p.add_argument("--name", required=True)
    p.add_argument("--locker", action="append", default=[], help="assigned locker (repeatable)")
    p.add_argument("--pin-file", type=Path, help="file holding the PIN (kept off the command line)")
    p.add_argument("--badge-file", type=Path, help="file holding the badge payload")
    p.add_argument("--inactive", action="store_true")
    p.set_defaults(func=_run(_courier))

    for verb in ("cancel", "expire"):
        p = sub.add_parser(verb, help=f"{verb} a parcel")
        _common(p)
        p.add_argument("parcel_id")
        p.set_defaults(func=_run(_cancel if verb == "cancel" else _expire))

    p = sub.add_parser("locker", help="register a locker and issue its device token")
    _common(p)
    p.add_argument("locker_id")
    p.add_argument("--name", required=True)
    p.add_argument("--address", default="")
    p.add_argument("--timezone", default="UTC")
    p.add_argument("--kdf-n", type=int, default=16384)
    p.add_argument("--token-out", type=Path, help="write the device token here (mode 0600)")
    p.set_defaults(func=_run(_locker))


def _announce(client: OperatorClient, args: argparse.Namespace) -> object:
    from contract.wire import ParcelAnnounce

    done = client.announce(
        ParcelAnnounce(
            locker_id=args.locker,
            order_ref=args.order_ref,
            barcode=args.barcode,
            size=args.size,
            recipient_hint=args.recipient_hint,
            pickup_days=args.days,
        )
    )
    if not args.json:
        print(f"parcel {done.parcel.parcel_id} announced for {done.locker_id}")
        print(f"  pickup code: {done.pickup_code}   (shown once; send it to the customer)")
        print(f"  QR payload:  {done.qr_payload}")
        print(f"  deadline:    {done.parcel.pickup_deadline.isoformat()}")
    return done.model_dump(mode="json")


def _command(client: OperatorClient, args: argparse.Namespace) -> object:
    from contract.wire import CommandRequest, CommandType

    rec = client.queue_command(
        args.locker,
        CommandRequest(
            type=CommandType(args.type),
            compartment_id=args.compartment,
            reason=args.reason,
            ttl_s=args.ttl,
        ),
    )
    if not args.json:
        print(f"command {rec.command_id} ({rec.type}) queued; expires {rec.expires_at.isoformat()}")
    return rec.model_dump(mode="json")


def _events(client: OperatorClient, args: argparse.Namespace) -> object:
    found = list(client.iter_events(args.locker, types=args.type))[-args.limit :]
    if not args.json:
        for ev in found:
            where = " ".join(x for x in (ev.parcel_id, ev.compartment_id) if x)
            print(
                f"{ev.occurred_at.isoformat()} #{ev.seq:<6} {ev.type:<28} {where:<30} "
                f"{ev.actor.kind}{':' + ev.actor.id if ev.actor.id else ''}"
            )
        print(f"({len(found)} event(s))")
    return [e.model_dump(mode="json") for e in found]


def _fleet(client: OperatorClient, args: argparse.Namespace) -> object:
    view = client.fleet()
    if not args.json:
        for e in view.lockers:
            seen = e.last_heartbeat_at.isoformat() if e.last_heartbeat_at else "never"
            print(
                f"{e.locker_id:<16} {'online' if e.online else 'OFFLINE':<8} last heartbeat {seen}"
                f"  outbox {e.outbox_depth if e.outbox_depth is not None else '-'}"
                f"  sw {e.software_version or '-'}"
            )
            for a in e.alarms:
                where = f" {a.compartment_id}" if a.compartment_id else ""
                print(f"    ! {a.code}{where}: {a.message}")
    return view.model_dump(mode="json")


def _read_secret(path: Path | None) -> str | None:
    return path.read_text(encoding="utf-8").strip() if path else None


def _courier(client: OperatorClient, args: argparse.Namespace) -> object:
    from contract.wire import CourierUpsert

    rec = client.put_courier(
        args.courier_id,
        CourierUpsert(
            name=args.name,
            pin=_read_secret(args.pin_file),
            badge=_read_secret(args.badge_file),
            active=not args.inactive,
            locker_ids=args.locker,
        ),
    )
    if not args.json:
        print(
            f"courier {rec.courier_id} v{rec.version}: lockers {', '.join(rec.locker_ids) or '-'}"
        )
    return rec.model_dump(mode="json")


def _cancel(client: OperatorClient, args: argparse.Namespace) -> object:
    rec = client.cancel(args.parcel_id)
    if not args.json:
        print(f"parcel {rec.parcel_id} is now {rec.state}")
    return rec.model_dump(mode="json")


def _expire(client: OperatorClient, args: argparse.Namespace) -> object:
    rec = client.expire(args.parcel_id)
    if not args.json:
        print(f"parcel {rec.parcel_id} is now {rec.state}")
    return rec.model_dump(mode="json")


def _locker(client: OperatorClient, args: argparse.Namespace) -> object:
    from contract.wire import CodeKdf, LockerCreate

    profile = client.create_locker(
        LockerCreate(
            locker_id=args.locker_id,
            name=args.name,
            address=args.address,
            timezone=args.timezone,
            code_kdf=CodeKdf(n=args.kdf_n),
        )
    )
    token = client.issue_device_token(profile.locker_id)
    if args.token_out:
        args.token_out.parent.mkdir(parents=True, exist_ok=True)
        args.token_out.touch(mode=0o600)
        args.token_out.write_text(token + "\n", encoding="utf-8")
        if not args.json:
            print(f"locker {profile.locker_id} registered; device token in {args.token_out}")
    elif not args.json:
        print(f"locker {profile.locker_id} registered; device token (shown once): {token}")
    return {"profile": profile.model_dump(mode="json"), "device_token": token}
