"""A central service of the tests' own that speaks the locker contract and lies.

A real HTTP server on 127.0.0.1 answering the five locker calls (profile, parcels,
couriers, events, heartbeat) from plain Python state a test sets up and then turns
hostile: parcels minted into doors, a weakened or excessive KDF, a changed salt, pages
that never end, floods of commands, redirects to another host, text with bidi controls.

    liar = LyingCentral().start()
    liar.add_parcel("P1", state="expected", code="12345678")
    liar.profile["code_kdf"]["n"] = 2                # weaken the KDF
    liar.endless = True                              # has_more forever, new parcels each page
    liar.commands = [liar.command("open_compartment", "A01") for _ in range(10_001)]
    liar.redirect = "http://127.0.0.1:9"             # every call answers 302 there

Everything it received is in `requests` and `events`.
"""

from __future__ import annotations

import itertools
import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from contract.codes import KdfParams, hash_code, hash_secret

FAST_KDF = KdfParams(n=1024)
SALT = "a1" * 16
LOCKER = "XP-LIAR"


def _time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


class LyingCentral:
    def __init__(self, locker_id: str = LOCKER) -> None:
        self.locker_id = locker_id
        self.profile: dict[str, Any] = {
            "locker_id": locker_id, "name": "Liar Street", "address": "", "timezone": "UTC",
            "code_salt": SALT, "code_kdf": FAST_KDF.as_profile(), "layout_version": 1,
        }
        # Change logs in change order: a pull pages through them by offset, so a parcel
        # changed again is sent again later, as the real service does.
        self.parcels: list[dict[str, Any]] = []
        self.couriers: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] = []  # answered with every heartbeat
        self.page_profile: dict[str, Any] | None = None  # code_salt/code_kdf on pages
        self.endless = False
        self.redirect: str | None = None
        self.requests: list[tuple[str, str]] = []
        self.events: list[dict[str, Any]] = []
        self.heartbeats: list[dict[str, Any]] = []
        self._minted = itertools.count(1)
        self._lock = threading.Lock()
        liar = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def do_GET(self) -> None:
                liar._handle(self, "GET")

            def do_POST(self) -> None:
                liar._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> LyingCentral:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- what it says ------------------------------------------------------------------

    @property
    def salt(self) -> str:
        return str(self.profile["code_salt"])

    @property
    def kdf(self) -> KdfParams:
        return KdfParams.from_profile(self.profile["code_kdf"])

    def add_parcel(self, parcel_id: str, *, state: str = "expected", door: str | None = None,
                   code: str | None = None, size: str = "S", **extra: Any) -> dict[str, Any]:
        """A parcel as the next pull will send it (replacing one with the same id, with
        a higher version: a change)."""
        with self._lock:
            old = [p for p in self.parcels if p["parcel_id"] == parcel_id]
            version = old[-1]["version"] + 1 if old else 1
            parcel = {
                "parcel_id": parcel_id, "order_ref": f"ORD-{parcel_id}", "state": state,
                "size": size, "compartment_id": door, "barcode": f"BC-{parcel_id}",
                "pickup_code_hash": hash_code(code, self.salt, self.kdf) if code else None,
                "pickup_deadline": _time(datetime.now(UTC) + timedelta(days=7)),
                "recipient_hint": None, "version": version, **extra,
            }
            self.parcels.append(parcel)
            return parcel

    def add_courier(self, courier_id: str, pin: str) -> None:
        with self._lock:
            self.couriers.append({
                "courier_id": courier_id, "name": courier_id,
                "pin_hash": hash_secret(pin, self.salt, self.kdf), "badge_hash": None,
                "active": True, "version": len(self.couriers) + 1})

    def command(self, type: str, compartment_id: str | None = None, *,
                expires_at: datetime | None = None) -> dict[str, Any]:
        return {"command_id": str(uuid.uuid4()), "type": type,
                "compartment_id": compartment_id, "reason": "support",
                "expires_at": _time(expires_at or datetime.now(UTC) + timedelta(hours=1))}

    def event_types(self) -> list[str]:
        return [e["type"] for e in self.events]

    def count(self, path_part: str) -> int:
        return sum(1 for _m, path in self.requests if path_part in path)

    # -- the calls -----------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = json.loads(h.rfile.read(length) or b"null") if length else None
        split = urlsplit(h.path)
        self.requests.append((method, split.path))
        if self.redirect is not None:
            return _send(h, 302, b"{}", {"Location": self.redirect + h.path})
        base = f"/v1/lockers/{self.locker_id}"
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        if method == "GET" and split.path == base:
            return _send(h, 200, json.dumps(self.profile).encode())
        if method == "GET" and split.path == base + "/parcels":
            return _send(h, 200, json.dumps(self._parcel_page(query)).encode())
        if method == "GET" and split.path == base + "/couriers":
            return _send(h, 200, json.dumps(self._page(self.couriers, "couriers",
                                                       query)).encode())
        if method == "POST" and split.path == base + "/events":
            events = body["events"] if isinstance(body, dict) else []
            self.events.extend(events)
            return _send(h, 200, json.dumps(
                {"accepted": [e["event_id"] for e in events]}).encode())
        if method == "POST" and split.path == base + "/heartbeat":
            self.heartbeats.append(body or {})
            return _send(h, 200, json.dumps({
                "server_time": _time(datetime.now(UTC)), "commands": self.commands}).encode())
        return _send(h, 404, b'{"error": {"code": "not_found", "message": "no such call"}}')

    def _parcel_page(self, query: dict[str, str]) -> dict[str, Any]:
        if not self.endless:
            return self._page(self.parcels, "parcels", query)
        limit = int(query.get("limit", "500"))
        cursor = int(query.get("cursor", "0") or 0)
        minted = []
        for _ in range(limit):  # new parcels every page, and always more of them
            pid = f"E{next(self._minted):07d}"
            minted.append({
                "parcel_id": pid, "order_ref": pid, "state": "expected", "size": "S",
                "compartment_id": None, "barcode": pid, "pickup_code_hash": None,
                "pickup_deadline": _time(datetime.now(UTC) + timedelta(days=7)),
                "version": 1})
        return {"parcels": minted, "next_cursor": str(cursor + limit), "has_more": True}

    def _page(self, rows: list[dict[str, Any]], key: str, query: dict[str, str]
              ) -> dict[str, Any]:
        with self._lock:
            limit = int(query.get("limit", "500"))
            start = int(query.get("cursor", "0") or 0)
            chunk = rows[start:start + limit]
            page: dict[str, Any] = {key: chunk, "next_cursor": str(start + len(chunk)),
                                    "has_more": start + len(chunk) < len(rows)}
        if self.page_profile is not None:
            page.update(self.page_profile)
        return page


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes,
          headers: dict[str, str] | None = None) -> None:
    try:
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass
