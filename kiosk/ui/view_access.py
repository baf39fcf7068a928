"""Reads the fields the screens need from a flow view snapshot.

Kept in one place so the screens do not depend on the exact shape of the flow's view
dataclasses; a renamed field is fixed here once.
"""

from __future__ import annotations

from typing import Any

from kiosk.ui.widgets.locker_map import MapCell


def screen_id(view: Any) -> str:
    return str(getattr(view, "screen", "idle"))


def doors(view: Any) -> tuple[MapCell, ...]:
    cells = []
    for door in getattr(view, "doors", ()) or ():
        cells.append(MapCell(str(door.label), int(door.column), int(door.row)))
    return tuple(cells)


def current_door(view: Any) -> MapCell | None:
    cells = doors(view)
    if not cells:
        return None
    index = door_index(view)
    return cells[min(max(index, 0), len(cells) - 1)]


def door_index(view: Any) -> int:
    """0-based index of the door being served when several open under one code."""
    return int(getattr(view, "door_index", 0) or 0)


def door_count(view: Any) -> int:
    return int(getattr(view, "door_count", 0) or len(doors(view)) or 0)


def param(view: Any, name: str, default: Any = None) -> Any:
    params = getattr(view, "params", None) or {}
    return params.get(name, default)


def reopen_available(view: Any) -> bool:
    return bool(getattr(view, "reopen_available", False))


def countdown(view: Any) -> int | None:
    value = getattr(view, "countdown_s", None)
    return None if value is None else int(value)


def offline(view: Any) -> bool:
    return bool(getattr(view, "offline", False))
