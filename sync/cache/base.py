"""What every part of the cache API shares: the engines, the clock, one read or write
transaction at a time, and the look-ups that raise `NotFound`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Self

from sqlmodel import Session

from sync.cache.engine import Engines
from sync.cache.errors import NotFound
from sync.cache.models import (
    Compartment,
    Parcel,
    ParcelState,
    utcnow,
)

Clock = Callable[[], datetime]

# States in which a parcel is physically inside its compartment.
INSIDE = frozenset({ParcelState.STORED, ParcelState.EXPIRED, ParcelState.CANCELLED})


class CacheBase:
    """Engines, clock and transactions; the API lives in the mixins `Cache` combines."""

    def __init__(self, engines: Engines, path: Path, clock: Clock = utcnow) -> None:
        self._engines = engines
        self.path = path
        self._clock = clock


    def close(self) -> None:
        self._engines.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def engines(self) -> Engines:
        return self._engines

    @property
    def clock(self) -> Clock:
        return self._clock

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One BEGIN IMMEDIATE transaction; committed on normal exit, rolled back on error."""
        with Session(self._engines.writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self._engines.reader, expire_on_commit=False) as session, session.begin():
            yield session


def get_compartment(s: Session, compartment_id: str) -> Compartment:
    comp = s.get(Compartment, compartment_id)
    if comp is None:
        raise NotFound(f"compartment {compartment_id!r} is not in the configured layout")
    return comp


def get_parcel(s: Session, parcel_id: str) -> Parcel:
    parcel = s.get(Parcel, parcel_id)
    if parcel is None:
        raise NotFound(f"parcel {parcel_id!r} is not in the cache; wait for the next sync")
    return parcel
