"""Alarms read from a locker's own event stream: history that does not add up, and
guessing at its keypad.

A stolen device token can push any event, so the stream itself is checked. The kiosk
records every door opening (`compartment.opened`, written before the unlock frame
leaves) and every parcel taken out, so in an honest stream:

- a `parcel.picked_up` or `parcel.collected` follows an opening of the same
  compartment that listed that parcel (or listed none: a technician or a courier
  emptying a door): otherwise `pickup_without_opening`;
- an opening has a reason the central service can check: a customer's opening lists
  parcels stored in that compartment (their code matched), an operator's opening names
  an `open_compartment` command queued for that compartment, a courier's opening is by
  a courier assigned to this locker, a technician's follows that technician's login:
  otherwise `opening_without_command_or_code`.

Keypad guessing: DENIED_CODES_ALARM or more `code.denied` within any hour is
`denied_codes`, whatever the kiosk itself reports; the kiosk's own `security.alarm`
events show as `denied_codes`, `courier_lockout` or `technician_lockout` by their
`data.subject`.

These are derived when the fleet view is read (nothing is stored), from the events
received in the alarm window (plus LOOKBACK for the openings a pickup refers to).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from contract.wire import Alarm, EventType

LOOKBACK = timedelta(hours=2)
DENIED_CODES_ALARM = 10
DENIED_CODES_WINDOW = timedelta(hours=1)

# The kiosk's remote openings say "remote command <id>: <reason>".
_COMMAND_IN_REASON = re.compile(r"^remote command ([A-Za-z0-9._-]+):")

TAKEN_OUT = {EventType.PARCEL_PICKED_UP.value, EventType.PARCEL_COLLECTED.value}
OPENED = EventType.COMPARTMENT_OPENED.value
DENIED = EventType.CODE_DENIED.value
SECURITY_ALARM = EventType.SECURITY_ALARM.value
TECHNICIAN_LOGIN = EventType.TECHNICIAN_LOGIN.value
# The event types this module reads.
TYPES = (*TAKEN_OUT, OPENED, DENIED, SECURITY_ALARM, TECHNICIAN_LOGIN)

SUBJECT_ALARMS = {
    "pickup_code": ("denied_codes", "the kiosk raised an alarm: repeated wrong pickup codes"),
    "courier_login": ("courier_lockout", "the kiosk raised an alarm: courier login locked out"),
    "technician_login": (
        "technician_lockout",
        "the kiosk raised an alarm: technician login locked out",
    ),
}


@dataclass(frozen=True)
class LockerFacts:
    """What the central service knows that an event must agree with."""

    parcel_compartments: Mapping[str, str | None]  # parcel id -> compartment it was stored in
    open_commands: Mapping[str, str | None]  # open_compartment command id -> compartment
    couriers: frozenset[str]  # couriers assigned to the locker


@dataclass
class _Walk:
    opened: dict[str, list[set[str]]] = field(default_factory=dict)  # compartment -> parcels
    technicians: set[str] = field(default_factory=set)
    denied_at: list[datetime] = field(default_factory=list)
    alarms: list[Alarm] = field(default_factory=list)


def parcels_of(ev: Any) -> set[str]:
    listed = (ev.data or {}).get("parcel_ids")
    ids = {p for p in listed if isinstance(p, str)} if isinstance(listed, list) else set()
    if ev.parcel_id:
        ids.add(ev.parcel_id)
    return ids


def _opening_is_explained(ev: Any, facts: LockerFacts, walk: _Walk) -> bool:
    kind = ev.actor_kind
    if kind == "customer":
        parcels = parcels_of(ev)
        return bool(parcels) and all(
            facts.parcel_compartments.get(p, "") == ev.compartment_id for p in parcels
        )
    if kind == "operator":
        data = ev.data or {}
        command_id = data.get("command_id")
        if not isinstance(command_id, str):
            found = _COMMAND_IN_REASON.match(str(data.get("reason", "")))
            command_id = found.group(1) if found else None
        return command_id is not None and facts.open_commands.get(command_id, "") == (
            ev.compartment_id
        )
    if kind == "courier":
        return ev.actor_id in facts.couriers
    if kind == "technician":
        return ev.actor_id in walk.technicians
    return False


def find(events: Iterable[Any], facts: LockerFacts, report_after: datetime) -> list[Alarm]:
    """Alarms of one locker's events (rows in change order); only those of events
    received after `report_after` are reported, the earlier ones are context."""
    walk = _Walk()
    for ev in events:
        reported = ev.received_at > report_after
        if ev.type == TECHNICIAN_LOGIN and ev.actor_id:
            walk.technicians.add(ev.actor_id)
        elif ev.type == OPENED and ev.compartment_id:
            walk.opened.setdefault(ev.compartment_id, []).append(parcels_of(ev))
            if reported and not _opening_is_explained(ev, facts, walk):
                walk.alarms.append(
                    Alarm(
                        code="opening_without_command_or_code",
                        message=f"door opened by {ev.actor_kind} {ev.actor_id or ''}".rstrip()
                        + " with no code, command or login the central service knows of",
                        compartment_id=ev.compartment_id,
                        since=ev.occurred_at,
                    )
                )
        elif ev.type in TAKEN_OUT:
            openings = walk.opened.get(ev.compartment_id or "", [])
            if reported and not any(not ids or ev.parcel_id in ids for ids in openings):
                walk.alarms.append(
                    Alarm(
                        code="pickup_without_opening",
                        message=f"parcel {ev.parcel_id} reported {ev.type.split('.')[1]} "
                        "with no opening of its door in the event stream",
                        compartment_id=ev.compartment_id,
                        since=ev.occurred_at,
                    )
                )
        elif ev.type == DENIED and reported:
            walk.denied_at.append(ev.occurred_at)
        elif ev.type == SECURITY_ALARM and reported:
            subject = str((ev.data or {}).get("subject", ""))
            code, message = SUBJECT_ALARMS.get(
                subject, ("security_alarm", "the kiosk raised a security alarm")
            )
            walk.alarms.append(Alarm(code=code, message=message, since=ev.occurred_at))
    burst = _densest_hour(walk.denied_at)
    if burst is not None:
        count, since = burst
        walk.alarms.append(
            Alarm(
                code="denied_codes",
                message=f"{count} wrong codes within an hour at the keypad: someone may be "
                "guessing codes",
                since=since,
            )
        )
    return walk.alarms


def _densest_hour(times: list[datetime]) -> tuple[int, datetime] | None:
    """(count, start) of the busiest hour of denied codes, if it reaches the alarm."""
    times = sorted(times)
    best: tuple[int, datetime] | None = None
    start = 0
    for end, at in enumerate(times):
        while at - times[start] > DENIED_CODES_WINDOW:
            start += 1
        count = end - start + 1
        if count >= DENIED_CODES_ALARM and (best is None or count > best[0]):
            best = (count, times[start])
    return best
