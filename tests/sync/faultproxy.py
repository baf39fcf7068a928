"""A misbehaving HTTP server on 127.0.0.1 in front of the real central service.

By default it forwards every request to the upstream service unchanged. A test queues
faults; each fault applies to the next request whose path contains `match`:

    proxy.fail("500", match="/parcels")
    proxy.fail("429", retry_after=7)
    proxy.fail("junk"), proxy.fail("wrong_types"), proxy.fail("huge"), proxy.fail("slow"),
    proxy.fail("stall")
    proxy.fail("forward_then_drop", match="/events")    # server applied it, no answer
    proxy.before_forward = callback                     # e.g. change parcels mid-page
    proxy.after_forward = callback                      # answered, not yet delivered

It is a real socket and a real HTTP exchange, so the client's timeouts, size cap and
JSON handling are exercised exactly as in the field.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests


@dataclass
class Fault:
    kind: str
    match: str = ""
    retry_after: int | None = None
    on_forwarded: Callable[[], None] | None = None


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.before_forward: Callable[[str, str], None] | None = None
        # called once the service answered, before the answer goes on: a change made
        # here lands after the service read its data and before the client applies it
        self.after_forward: Callable[[str, str], None] | None = None
        self.seen: list[tuple[str, str, str | None]] = []  # (method, path, fault kind)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                proxy._handle(self, "GET")

            def do_POST(self) -> None:
                proxy._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False  # a trickling handler must not hold up close()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail(self, kind: str, *, match: str = "", times: int = 1, **kw: Any) -> None:
        with self._lock:
            self._faults.extend(Fault(kind, match, **kw) for _ in range(times))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take(self, path: str) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self._faults):
                if fault.match in path:
                    return self._faults.pop(i)
        return None

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        fault = self._take(h.path)
        self.seen.append((method, h.path, fault.kind if fault else None))
        kind = fault.kind if fault else "pass"
        if kind == "500":
            return _send(h, 500, _error("internal", "simulated failure"))
        if kind == "429":
            headers = {"Retry-After": str(fault.retry_after or 1)} if fault else {}
            return _send(h, 429, _error("rate_limited", "slow down"), headers)
        if kind == "junk":
            return _send(h, 200, b"<html>captive portal</html>")
        if kind == "huge":
            # No Content-Length (read until close), so the client's running size cap is
            # what stops it, not a glance at the header.
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Connection", "close")
            h.end_headers()
            h.close_connection = True
            chunk = b" " * 65536
            try:
                for _ in range(160):  # 10 MB of whitespace before any JSON
                    h.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        if kind == "stall":  # accepts the request, never answers
            time.sleep(3)
            h.close_connection = True
            return None
        if kind == "slow":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            try:
                for _ in range(200):  # one byte every 50 ms: no single read ever times out
                    h.wfile.write(b" ")
                    h.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        if self.before_forward is not None:
            self.before_forward(method, h.path)
        headers = {k: v for k, v in h.headers.items() if k.lower() in ("authorization",
                                                                          "content-type")}
        try:
            upstream = requests.request(
                method, self.upstream + h.path, data=body, headers=headers, timeout=60
            )
        except requests.RequestException:
            h.close_connection = True
            return None
        if kind == "forward_then_drop":
            if fault and fault.on_forwarded:
                fault.on_forwarded()
            h.close_connection = True  # the server applied it; the answer never arrives
            return None
        if self.after_forward is not None:
            self.after_forward(method, h.path)
        payload = upstream.content
        if kind == "wrong_types":
            payload = _wrong_types(upstream.json())
        if kind == "stuck_cursor":  # "there is more", but nothing and the same cursor again
            data = upstream.json()
            data.update(parcels=[], has_more=True, next_cursor=_query_cursor(h.path))
            payload = json.dumps(data).encode()
        return _send(h, upstream.status_code, payload,
                     {k: v for k, v in upstream.headers.items() if k.lower() == "retry-after"})


def _error(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode()


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


def _wrong_types(data: Any) -> bytes:
    """The real answer with its types broken the way a buggy server breaks them."""
    if isinstance(data, dict):
        if "has_more" in data:
            data["has_more"] = "no"
        for item in data.get("parcels", []):
            item["version"] = str(item["version"])
        if "accepted" in data:
            data["accepted"] = {"ids": data["accepted"]}
        if "commands" in data:
            data["commands"] = {"count": 0}
        if "code_kdf" in data:
            data["code_kdf"] = "scrypt"
    return json.dumps(data).encode()


def _query_cursor(path: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(path).query).get("cursor", [""])[0]
