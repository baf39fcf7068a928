"""Typed errors of the cache. Each message says what happened and what to do next."""

from __future__ import annotations


class CacheError(Exception):
    """Base class of everything the cache raises on purpose."""


class ProfileMissing(CacheError):
    """No locker profile yet (the sync worker has not reached the central service once)."""

    def __init__(self) -> None:
        super().__init__(
            "The locker profile (code salt and KDF) is not in the cache yet: codes cannot be "
            "checked until the sync worker has reached the central service once."
        )


class NotFound(CacheError):
    """A compartment, parcel, courier or command the caller named is not in the cache."""


class InvalidTransition(CacheError):
    """The change asked for does not fit the current state (e.g. picking up a parcel twice)."""


class LayoutConflict(CacheError):
    """A new compartment layout would drop a compartment that still holds a parcel."""
