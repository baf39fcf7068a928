"""HTTP client for the locker endpoints of the central order service.

One call, one attempt: retries and backoff belong to the sync worker, which knows the
whole round. Every call has a connect and read timeout plus an overall deadline (a server
that trickles one byte a second never trips a read timeout on its own), and a size cap
on the body. Every answer is validated with the `contract.wire` models. Failures map to
three typed errors:

- `SyncUnavailable`: no usable answer now, try again later (connection refused, timeout,
  408, 429, 5xx); carries `retry_after` when the server sent one.
- `SyncRejected`: the server said no (401, 403, 404, 409, 422...): retrying the same
  request will not help; a person has to act (token, locker id, configuration).
- `MalformedResponse`: a 2xx answer that is not what the API promises (bad JSON, missing
  fields, wrong types, too big).

The device token goes into the Authorization header only; it never appears in an error
message, a repr or a log line.

Transport: redirects are never followed (to any host: a redirected call is refused with
the target named), and a plain `http://` base URL is refused unless the caller opts in
(`allow_http=True`: the demo and tests, on 127.0.0.1); https certificates are always
checked. Every string the central service sends is stripped of Unicode bidirectional
controls before it is validated, so "LBL-1234" can never be made to display as
"4321-LBL" on a screen, in a log or in an export.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import pydantic
import requests
import urllib3

from contract import wire

log = logging.getLogger(__name__)

M = TypeVar("M", bound=pydantic.BaseModel)

MAX_BODY_BYTES = 8 * 1024 * 1024  # a full 1000-parcel page is ~0.5 MB

# Unicode bidirectional formatting characters (embeddings, overrides, isolates, marks).
BIDI_CONTROLS = dict.fromkeys(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def strip_bidi(value: Any) -> Any:
    """`value` (parsed JSON) with every bidi control removed from its strings and keys."""
    if isinstance(value, str):
        return value.translate(BIDI_CONTROLS)
    if isinstance(value, list):
        return [strip_bidi(v) for v in value]
    if isinstance(value, dict):
        return {strip_bidi(k): strip_bidi(v) for k, v in value.items()}
    return value


class SyncError(Exception):
    """Base of the client's errors; `endpoint` names the call (never the token)."""

    def __init__(self, endpoint: str, message: str) -> None:
        self.endpoint = endpoint
        super().__init__(f"{endpoint}: {message}")


class SyncUnavailable(SyncError):
    def __init__(self, endpoint: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(endpoint, message)
        self.retry_after = retry_after


class SyncRejected(SyncError):
    def __init__(self, endpoint: str, status: int, code: str, message: str) -> None:
        hint = _REJECT_HINTS.get(status, "")
        super().__init__(endpoint, f"HTTP {status} {code}: {message}{hint}")
        self.status, self.code = status, code


class MalformedResponse(SyncError):
    pass


_REJECT_HINTS = {
    401: " (the device token is missing, wrong or revoked: put a valid one in the token file)",
    403: " (the token belongs to another locker: check locker.id against the token)",
    404: " (unknown locker or endpoint: check locker.id and central.url)",
}


def parse_retry_after(value: str | None, now: Callable[[], datetime]) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


class CentralClient:
    """Calls for one locker. `timeout` is (connect, read) seconds; `deadline_s` caps a
    whole call including the body."""

    def __init__(
        self,
        base_url: str,
        locker_id: str,
        token: str,
        *,
        timeout: tuple[float, float] = (3.05, 10.0),
        deadline_s: float = 30.0,
        max_body_bytes: int = MAX_BODY_BYTES,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        allow_http: bool = False,
    ) -> None:
        if not base_url.startswith("https://") and not (
                allow_http and base_url.startswith("http://")):
            raise ValueError(f"central URL {base_url!r} must start with https:// (plain "
                             "http:// only where the caller allows it: demo and tests)")
        self._base = base_url.rstrip("/") + f"/v1/lockers/{locker_id}"
        self._session = session or requests.Session()
        self._session.verify = True  # certificates are always checked
        self._session.headers["Authorization"] = f"Bearer {token}"
        self._session.headers["Accept"] = "application/json"
        self._timeout = timeout
        self._deadline_s = deadline_s
        self._max_body = max_body_bytes
        self._clock = clock

    def __repr__(self) -> str:
        return f"CentralClient({self._base!r})"

    def set_token(self, token: str) -> None:
        """Use a new device token from the next call on (after the file was replaced)."""
        self._session.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self._session.close()

    def profile(self) -> wire.LockerProfile:
        profile = self._call("GET", "", "profile", wire.LockerProfile)
        try:
            profile.code_kdf.to_params()  # unusable parameters must not reach the kiosk
        except ValueError as exc:
            raise MalformedResponse("GET profile", f"code_kdf: {exc}") from None
        return profile

    def parcels(self, cursor: str | None, limit: int) -> wire.ParcelPage:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        return self._call("GET", "/parcels", "parcels", wire.ParcelPage, params=params)

    def couriers(self, cursor: str | None, limit: int) -> wire.CourierPage:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        return self._call("GET", "/couriers", "couriers", wire.CourierPage, params=params)

    def push_events(self, events: Sequence[Mapping[str, Any]]) -> wire.EventResult:
        return self._call("POST", "/events", "events", wire.EventResult, body={"events": events})

    def heartbeat(self, body: Mapping[str, Any]) -> wire.HeartbeatReply:
        return self._call("POST", "/heartbeat", "heartbeat", wire.HeartbeatReply, body=body)

    def _call(
        self,
        method: str,
        path: str,
        name: str,
        model: type[M],
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> M:
        endpoint = f"{method} {name}"
        started = time.monotonic()
        try:
            resp = self._session.request(
                method, self._base + path, params=params, json=body,
                timeout=self._timeout, stream=True, allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise SyncUnavailable(endpoint, f"timed out ({type(exc).__name__})") from None
        except requests.ConnectionError as exc:
            raise SyncUnavailable(endpoint, f"cannot connect: {_short(exc)}") from None
        except requests.RequestException as exc:
            raise SyncUnavailable(endpoint, f"request failed: {_short(exc)}") from None
        with resp:
            raw = self._read_body(resp, endpoint, started)
            status = resp.status_code
            if status in (408, 429) or status >= 500:
                retry_after = parse_retry_after(resp.headers.get("Retry-After"), self._clock)
                code, message = _error_fields(raw)
                raise SyncUnavailable(endpoint, f"HTTP {status} {code}: {message}", retry_after)
            if 300 <= status < 400:
                # A redirected locker could take its profile and parcels from anybody.
                target = urllib3.util.parse_url(resp.headers.get("Location") or "")
                raise SyncRejected(endpoint, status, "redirect",
                                   f"the central service redirects to "
                                   f"{target.host or '(no address)'}; redirects are never "
                                   "followed: point central.url at the service itself")
            if status >= 400:
                code, message = _error_fields(raw)
                raise SyncRejected(endpoint, status, code, message)
            if status != 200:
                raise MalformedResponse(endpoint, f"unexpected HTTP {status}")
        try:
            data = strip_bidi(json.loads(raw))
        except ValueError:
            raise MalformedResponse(endpoint, "answer is not valid JSON") from None
        except RecursionError:
            raise MalformedResponse(endpoint, "answer is nested too deeply") from None
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            raise MalformedResponse(endpoint, _describe_validation(exc)) from None

    def _read_body(self, resp: requests.Response, endpoint: str, started: float) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self._max_body:
            raise MalformedResponse(
                endpoint, f"answer of {int(declared)} bytes exceeds the {self._max_body} limit"
            )
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                # read1 returns whatever one recv() brings, so the deadline is checked
                # even while a server trickles bytes (iter_content would block per chunk).
                chunk = resp.raw.read1(65536, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > self._max_body:
                    raise MalformedResponse(
                        endpoint, f"answer exceeds the {self._max_body}-byte limit"
                    )
                if time.monotonic() - started > self._deadline_s:
                    raise SyncUnavailable(endpoint, f"answer took over {self._deadline_s:.0f} s")
                chunks.append(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise SyncUnavailable(endpoint, f"answer cut off: {_short(exc)}") from None
        return b"".join(chunks)


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:197] + "..."


def _error_fields(raw: bytes) -> tuple[str, str]:
    try:
        err = wire.ErrorBody.model_validate_json(raw).error
        return err.code, err.message[:300]
    except (pydantic.ValidationError, ValueError):
        snippet = raw[:120].decode("utf-8", "replace").replace("\n", " ")
        return "unknown", snippet or "(empty body)"


def _describe_validation(exc: pydantic.ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "invalid answer"
    first = errors[0]
    if first["type"] == "json_invalid":
        return "answer is not valid JSON"
    where = ".".join(str(p) for p in first["loc"]) or "(body)"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"invalid answer at {where}: {first['msg']}{more}"


def event_body(event: Any) -> dict[str, Any]:
    """The wire form of a cache outbox row."""
    return {
        "event_id": event.event_id,
        "seq": event.seq,
        "type": str(event.type),
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "parcel_id": event.parcel_id,
        "compartment_id": event.compartment_id,
        "actor": {"kind": str(event.actor_kind), "id": event.actor_id},
        "data": json.loads(event.data or "{}"),
    }
