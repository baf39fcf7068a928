"""The few fields every flow view shares (pickup, courier, technician).

The main window only needs these to pick a page, show the offline badge and the
countdown; each screen reads its own view type directly.
"""

from __future__ import annotations

from typing import Any


def screen_id(view: Any) -> str:
    return str(getattr(view, "screen", "idle"))


def countdown(view: Any) -> int | None:
    """Seconds until the flow times the screen out, while the countdown is visible."""
    value = getattr(view, "timeout_remaining_s", None)
    return None if value is None else int(value)


def offline(view: Any) -> bool:
    return bool(getattr(view, "offline", False))


def kind(view: Any) -> str:
    """Which flow a view comes from: "pickup", "courier" or "technician"."""
    name = type(view).__name__.lower()
    return name[: -len("view")] if name.endswith("view") else name
