"""Read models of the console pages: the fleet table and one locker's picture.

The compartment map is drawn as the kiosk draws it (kiosk/ui/widgets/locker_map.py):
one column per letter of the compartment id, rows top down by number. The central
service knows a locker's doors from its last heartbeat; parcels come from its own
tables, so a door shows the parcel the central service believes is in it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from central import commands, fleet
from central.schema import events, locker_status, lockers, parcels
from contract.wire import FleetEntry

PAGE_SIZE = 50
# The whole fleet's derived state (alarms above all) takes about a second to build for
# 5,000 lockers on the development machine. A first look at the fleet page builds it;
# sorting, filtering and paging from there reuse that copy while it is younger than
# this, so they answer at once. The alarms and locker pages always read fresh.
FLEET_CACHE_S = 5.0


class FleetCache:
    """The last fleet view of this process, reused while younger than FLEET_CACHE_S."""

    def __init__(
        self, max_age_s: float = FLEET_CACHE_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_age_s = max_age_s
        self.clock = clock
        self._lock = threading.Lock()
        self._at = float("-inf")
        self._entries: list[FleetEntry] = []

    def entries(self, conn: Connection, now: datetime) -> list[FleetEntry]:
        with self._lock:
            if self.clock() - self._at < self.max_age_s:
                return self._entries
        return self.refresh(conn, now)

    def refresh(self, conn: Connection, now: datetime) -> list[FleetEntry]:
        fresh = fleet.view(conn, now).lockers
        with self._lock:
            self._entries, self._at = fresh, self.clock()
        return fresh


SORTS = ("locker_id", "name", "online", "heartbeat", "version", "outbox", "skew", "alarms")
STATUSES = ("all", "online", "offline", "alarms")


@dataclass
class FleetPage:
    rows: list[FleetEntry]
    total: int
    matching: int
    online: int
    with_alarms: int
    page: int
    pages: int


def _sort_key(sort: str) -> Any:
    keys = {
        "locker_id": lambda e: e.locker_id,
        "name": lambda e: (e.name.lower(), e.locker_id),
        "online": lambda e: (e.online, e.locker_id),
        "heartbeat": lambda e: (e.last_heartbeat_at is not None, e.last_heartbeat_at or 0),
        "version": lambda e: (e.software_version or "", e.locker_id),
        "outbox": lambda e: (e.outbox_depth or 0, e.locker_id),
        "skew": lambda e: (abs(e.clock_skew_s or 0.0), e.locker_id),
        "alarms": lambda e: (len(e.alarms), e.locker_id),
    }
    return keys.get(sort, keys["locker_id"])


def fleet_page(
    conn: Connection,
    now: datetime,
    *,
    cache: FleetCache | None = None,
    fresh: bool = True,
    q: str = "",
    status: str = "all",
    sort: str = "locker_id",
    desc: bool = False,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> FleetPage:
    if cache is None:
        everything = fleet.view(conn, now).lockers
    else:
        everything = cache.refresh(conn, now) if fresh else cache.entries(conn, now)
    needle = q.strip().lower()
    rows = [
        e
        for e in everything
        if (not needle or needle in e.locker_id.lower() or needle in e.name.lower())
        and (
            status == "all"
            or (status == "online" and e.online)
            or (status == "offline" and not e.online)
            or (status == "alarms" and e.alarms)
        )
    ]
    rows.sort(key=_sort_key(sort), reverse=desc)
    pages = max(1, -(-len(rows) // page_size))
    page = min(max(1, page), pages)
    return FleetPage(
        rows=rows[(page - 1) * page_size : page * page_size],
        total=len(everything),
        matching=len(rows),
        online=sum(1 for e in everything if e.online),
        with_alarms=sum(1 for e in everything if e.alarms),
        page=page,
        pages=pages,
    )


@dataclass
class Cell:
    compartment_id: str
    column: int
    row: int
    state: str
    door: str
    occupied: bool | None
    parcel: Any | None = None
    alarm: str | None = None


@dataclass
class LockerPicture:
    locker: Any
    status: Any
    entry: FleetEntry | None
    columns: list[list[Cell]] = field(default_factory=list)
    parcels: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    commands: list[Any] = field(default_factory=list)


_ID = re.compile(r"^([A-Za-z]*)(\d*)(.*)$")


def _position(compartment_id: str) -> tuple[str, int]:
    match = _ID.match(compartment_id)
    assert match is not None  # the pattern matches every string
    letters, digits, rest = match.groups()
    return letters + rest, int(digits) if digits else 0


def compartment_columns(
    compartments: list[dict[str, Any]], stored: dict[str, Any], alarms: dict[str, str]
) -> list[list[Cell]]:
    by_column: dict[str, list[Cell]] = {}
    names = sorted({_position(c.get("compartment_id", ""))[0] for c in compartments})
    for comp in compartments:
        cid = str(comp.get("compartment_id", ""))
        column, row = _position(cid)
        by_column.setdefault(column, []).append(
            Cell(
                compartment_id=cid,
                column=names.index(column),
                row=row,
                state=str(comp.get("state", "unknown")),
                door=str(comp.get("door", "unknown")),
                occupied=comp.get("occupied"),
                parcel=stored.get(cid),
                alarm=alarms.get(cid),
            )
        )
    return [sorted(by_column[name], key=lambda c: c.row) for name in names]


# What an event says about a door before the next heartbeat confirms it, so the map
# moves within a second of the event instead of waiting up to a heartbeat interval.
DOOR_EVENTS: dict[str, dict[str, Any]] = {
    "compartment.opened": {"door": "open"},
    "compartment.forced_open": {"door": "open"},
    "compartment.closed": {"door": "closed"},
    "compartment.out_of_service": {"state": "out_of_service"},
    "compartment.in_service": {"state": "free"},
    "parcel.deposited": {"state": "occupied", "occupied": True},
    "parcel.picked_up": {"state": "free", "occupied": False},
    "parcel.collected": {"state": "free", "occupied": False},
}


def _events_since(conn: Connection, locker_id: str, since: datetime) -> list[Any]:
    return list(
        conn.execute(
            select(events.c.type, events.c.compartment_id)
            .where(
                events.c.locker_id == locker_id,
                events.c.received_at > since,
                events.c.type.in_(list(DOOR_EVENTS)),
            )
            .order_by(events.c.change_seq)
            .limit(200)
        )
    )


def overlay_events(compartments: list[dict[str, Any]], later: list[Any]) -> list[dict[str, Any]]:
    by_id = {c.get("compartment_id"): dict(c) for c in compartments}
    for ev in later:
        comp = by_id.get(ev.compartment_id)
        if comp is not None:
            comp.update(DOOR_EVENTS[ev.type])
    return [by_id[c.get("compartment_id")] for c in compartments]


def locker_picture(conn: Connection, locker_id: str, now: datetime) -> LockerPicture | None:
    row = conn.execute(select(lockers).where(lockers.c.locker_id == locker_id)).first()
    if row is None:
        return None
    status = conn.execute(
        select(locker_status).where(locker_status.c.locker_id == locker_id)
    ).first()
    entry = next((e for e in fleet.view(conn, now, locker_id=locker_id).lockers), None)
    active = list(
        conn.execute(
            select(parcels)
            .where(
                parcels.c.locker_id == locker_id,
                parcels.c.state.in_(("expected", "stored", "expired")),
            )
            .order_by(parcels.c.compartment_id, parcels.c.created_at)
            .limit(500)
        )
    )
    stored = {p.compartment_id: p for p in active if p.compartment_id and p.state != "expected"}
    alarms = {a.compartment_id: a.code for a in (entry.alarms if entry else []) if a.compartment_id}
    timeline = list(
        conn.execute(
            select(events)
            .where(events.c.locker_id == locker_id)
            .order_by(events.c.change_seq.desc())
            .limit(40)
        )
    )
    compartments = list(status.compartments or []) if status else []
    since = status.last_heartbeat_at if status else None
    if compartments and since is not None:
        compartments = overlay_events(compartments, _events_since(conn, locker_id, since))
    return LockerPicture(
        locker=row,
        status=status,
        entry=entry,
        columns=compartment_columns(compartments, stored, alarms),
        parcels=active,
        events=timeline,
        commands=commands.listing(conn, locker_id, limit=15).commands,
    )
