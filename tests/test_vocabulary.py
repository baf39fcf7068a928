"""One vocabulary for the house: every stored or sent state is defined once.

The driver keeps what a board can say (it imports nothing of ours); the contract holds
everything stored or sent. Where the two meet (a door's state, the outcome of watching
a door) the contract's enum must carry the driver's values exactly, or a reading stored
in the cache would be refused or mean something else at the central service.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import pytest

import locker_driver
from contract import vocabulary, wire
from kiosk.flows import ports
from sync import cache

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("kiosk", "sync", "central", "locker_driver", "contract")
# The one enum the walls make us define twice: the driver's word and the stored one.
MIRRORED = {"DoorState": ("contract/vocabulary.py", "locker_driver/states.py")}


def _values(enum: type[StrEnum]) -> dict[str, str]:
    return {m.name: m.value for m in enum}


def test_the_stored_door_state_mirrors_the_drivers() -> None:
    assert _values(vocabulary.DoorState) == _values(locker_driver.DoorState)
    for reading in locker_driver.DoorState:
        assert vocabulary.DoorState(reading) == reading


def test_every_driver_open_outcome_can_be_recorded() -> None:
    for outcome in locker_driver.OpenOutcome:
        assert vocabulary.OpeningOutcome(outcome).name == outcome.name


def test_every_room_sees_the_same_enums() -> None:
    """Re-exports are the same objects, so `is` comparisons work across the walls."""
    for name in ("ActorKind", "CompartmentState", "EventType", "ParcelState", "DoorState"):
        assert getattr(wire, name) is getattr(vocabulary, name)
    for name in ("ActorKind", "AuditKind", "CommandType", "CompartmentState", "DoorState",
                 "EventType", "ParcelState"):
        assert getattr(cache, name) is getattr(vocabulary, name)
    for name in ("ActorKind", "AuditKind", "CompartmentState", "EventType", "ParcelState",
                 "OpeningOutcome"):
        assert getattr(ports, name) is getattr(vocabulary, name)
    for name in ("DoorState", "OpenOutcome", "UnlockResult"):
        assert getattr(ports, name) is getattr(locker_driver, name)


@lru_cache(maxsize=1)
def _enum_classes() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for room in ROOMS:
        for path in sorted((ROOT / room).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and any(
                        isinstance(b, ast.Name) and b.id in {"StrEnum", "Enum", "IntEnum"}
                        for b in node.bases):
                    found[node.name].append(str(path.relative_to(ROOT)))
    return found


def test_no_enum_is_defined_twice() -> None:
    twice = {name: paths for name, paths in _enum_classes().items()
             if len(paths) > 1 and tuple(sorted(paths)) != tuple(sorted(MIRRORED.get(name, ())))}
    assert not twice, f"one enum per concept; defined more than once: {twice}"


def test_the_duplicate_finder_sees_both_definitions_of_the_mirror() -> None:
    """The checker itself finds enums where they are, the mirrored pair included."""
    found = _enum_classes()
    assert found["ParcelState"] == ["contract/vocabulary.py"]
    assert sorted(found["DoorState"]) == sorted(MIRRORED["DoorState"])
