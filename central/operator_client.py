"""A small HTTP client for the operator endpoints (CLI, test fixture, benchmarks).

It is not the kiosk's sync client: that one lives in sync/client.py with its own
retry policy. This one makes one attempt per call and raises `OperatorApiError` with
the service's error code and message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests
from pydantic import BaseModel

from contract.wire import (
    CommandList,
    CommandRecord,
    CommandRequest,
    CourierRecord,
    CourierUpsert,
    DeviceToken,
    EventLog,
    EventRecord,
    Fleet,
    LockerCreate,
    LockerProfile,
    ParcelAnnounce,
    ParcelAnnounced,
    ParcelRecord,
)


class OperatorApiError(RuntimeError):
    """The service answered with an error (or could not be reached)."""

    def __init__(self, status: int | None, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}" + (f" (HTTP {status})" if status else ""))
        self.status = status
        self.code = code
        self.message = message


class OperatorClient:
    def __init__(self, base_url: str, token: str, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    def __repr__(self) -> str:  # keep the token out of reprs and logs
        return f"OperatorClient({self.base_url!r})"

    def close(self) -> None:
        self._session.close()

    def _request(
        self,
        method: str,
        path: str,
        body: BaseModel | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        try:
            resp = self._session.request(
                method,
                self.base_url + path,
                json=body.model_dump(mode="json", exclude_none=True) if body else None,
                params=params,
                timeout=self.timeout_s,
            )
        except requests.RequestException as exc:
            raise OperatorApiError(
                None, "unreachable", f"cannot reach {self.base_url}: {exc}; is the service up?"
            ) from exc
        if resp.status_code >= 400:
            try:
                err = resp.json()["error"]
                code, message = str(err["code"]), str(err["message"])
            except (ValueError, KeyError, TypeError):
                code, message = "http_error", resp.text[:200]
            raise OperatorApiError(resp.status_code, code, message)
        return resp.json() if resp.content else None

    def create_locker(self, spec: LockerCreate) -> LockerProfile:
        return LockerProfile.model_validate(self._request("POST", "/v1/lockers", spec))

    def profile(self, locker_id: str) -> LockerProfile:
        return LockerProfile.model_validate(self._request("GET", f"/v1/lockers/{locker_id}"))

    def issue_device_token(self, locker_id: str) -> str:
        data = self._request("POST", f"/v1/lockers/{locker_id}/tokens")
        return DeviceToken.model_validate(data).token

    def revoke_device_tokens(self, locker_id: str) -> None:
        self._request("DELETE", f"/v1/lockers/{locker_id}/tokens")

    def announce(self, spec: ParcelAnnounce) -> ParcelAnnounced:
        return ParcelAnnounced.model_validate(self._request("POST", "/v1/parcels", spec))

    def parcel(self, parcel_id: str) -> ParcelRecord:
        return ParcelRecord.model_validate(self._request("GET", f"/v1/parcels/{parcel_id}"))

    def cancel(self, parcel_id: str) -> ParcelRecord:
        data = self._request("POST", f"/v1/parcels/{parcel_id}/cancel")
        return ParcelRecord.model_validate(data)

    def expire(self, parcel_id: str) -> ParcelRecord:
        data = self._request("POST", f"/v1/parcels/{parcel_id}/expire")
        return ParcelRecord.model_validate(data)

    def put_courier(self, courier_id: str, spec: CourierUpsert) -> CourierRecord:
        data = self._request("PUT", f"/v1/couriers/{courier_id}", spec)
        return CourierRecord.model_validate(data)

    def queue_command(self, locker_id: str, spec: CommandRequest) -> CommandRecord:
        data = self._request("POST", f"/v1/lockers/{locker_id}/commands", spec)
        return CommandRecord.model_validate(data)

    def commands(self, locker_id: str) -> CommandList:
        return CommandList.model_validate(self._request("GET", f"/v1/lockers/{locker_id}/commands"))

    def fleet(self) -> Fleet:
        return Fleet.model_validate(self._request("GET", "/v1/lockers"))

    def event_page(
        self,
        locker_id: str,
        cursor: str | None = None,
        limit: int = 1000,
        types: list[str] | None = None,
    ) -> EventLog:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        if types:
            params["type"] = types
        data = self._request("GET", f"/v1/lockers/{locker_id}/events", params=params)
        return EventLog.model_validate(data)

    def iter_events(self, locker_id: str, types: list[str] | None = None) -> Iterator[EventRecord]:
        """Every stored event of the locker, oldest first, following the cursor."""
        cursor: str | None = None
        while True:
            page = self.event_page(locker_id, cursor, types=types)
            yield from page.events
            cursor = page.next_cursor
            if not page.has_more:
                return
