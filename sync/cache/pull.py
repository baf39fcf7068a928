"""How a pulled parcel meets what the kiosk knows: one decision per parcel.

A door's contents are the kiosk's own knowledge. `stored`, and the compartment a parcel
is in, come from the kiosk's deposits and its own start-up recovery, never from a pull.
What the central service may change is the rest: a parcel announced (`expected`),
cancelled or expired (also while it is inside: it stays where it is, waiting for a
courier), its deadline, code hash, label.

`decide` applies these rules to one pulled parcel (the kiosk knows -> the pull says:
outcome):

- nothing -> not inside a door: stored as sent (`stored` without a door reads
  `expected`).
- nothing -> inside door X: while the cache is being built from nothing, an unverified
  claim on X (the parcel reads `expected` until a sensor or the technician confirms
  it); afterwards refused, with an alarm.
- a local change the central service has not seen yet -> anything: data fields only
  (the state waits).
- inside door X -> stored/expired/cancelled in X or in no door: the new state; the
  parcel stays in X.
- inside door X -> another door, `expected`, picked up, collected: refused, alarm.
- taken out (picked up, collected) -> taken out: the new state; -> inside a door:
  refused, alarm; -> anything else: kept.
- not arrived -> not inside a door: the new state (a claim it had is withdrawn);
  -> inside door X: an unverified claim while building, else refused, alarm.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract import wire
from sync.cache.base import INSIDE
from sync.cache.models import ParcelState

GONE = frozenset({ParcelState.PICKED_UP, ParcelState.COLLECTED})


@dataclass(frozen=True)
class Local:
    """What the cache holds for a parcel before the pull."""

    state: ParcelState
    compartment_id: str | None
    local_base_version: int | None
    pending: bool  # an outbox event about it is not acknowledged yet
    claim: str | None  # the door of its unverified claim, if any


@dataclass(frozen=True)
class Decision:
    state: ParcelState | None  # None: keep the local state (data fields only)
    compartment_id: str | None = None  # for a new row only; a pull never moves a parcel
    claim: str | None = None  # an unverified claim on this door
    refuse: str | None = None  # why the pull contradicts the kiosk (alarm)
    withdraw: bool = False  # an unverified claim of this parcel is withdrawn


def claimed_door(remote: wire.Parcel) -> str | None:
    """The door the central service says the parcel is inside, if any."""
    if ParcelState(remote.state.value) in INSIDE and remote.compartment_id:
        return remote.compartment_id
    return None


def _not_inside_state(remote: wire.Parcel) -> ParcelState:
    state = ParcelState(remote.state.value)
    # "stored" is the kiosk's word: a parcel it did not put in a door has not arrived.
    return ParcelState.EXPECTED if state == ParcelState.STORED else state


def decide(local: Local | None, remote: wire.Parcel, *, building: bool) -> Decision:
    place = claimed_door(remote)
    remote_state = ParcelState(remote.state.value)
    if local is None:
        state = _not_inside_state(remote)
        if place is None:
            return Decision(state, compartment_id=remote.compartment_id if state in GONE
                            else None)
        if building:
            return Decision(state, claim=place)
        return Decision(state, refuse=f"the central service says it is in {place}, but "
                                      "this kiosk never put it there")
    if local.local_base_version is not None and (
            local.pending or remote.version <= local.local_base_version):
        return Decision(None)  # the central side has not seen the local change yet
    if local.state in INSIDE and local.compartment_id:
        if remote_state in INSIDE and place in (None, local.compartment_id):
            return Decision(remote_state)
        said = f"in {place}" if place else remote_state.value
        return Decision(None, refuse=f"it is in {local.compartment_id} by this kiosk's own "
                                     f"record; the central service says {said}")
    if local.state in GONE:
        if remote_state in GONE:
            return Decision(remote_state)
        if place is not None:
            return Decision(None, refuse=f"it was taken out ({local.state.value}); the "
                                         f"central service says it is in {place}")
        return Decision(None)
    # Not arrived here (expected, or cancelled/expired before it came).
    if place is None:
        return Decision(_not_inside_state(remote), withdraw=local.claim is not None)
    if local.claim == place or building:
        return Decision(_not_inside_state(remote), claim=place)
    return Decision(None, refuse=f"the central service says it is in {place}, but this "
                                 "kiosk never put it there")
