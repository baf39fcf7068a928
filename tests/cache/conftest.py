"""A real cache file in a temporary folder, with a small layout and a profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cachekit import LAYOUT, ManualClock, seed_profile

from sync.cache import Cache


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "cache.db"


@pytest.fixture
def cache(cache_path: Path, clock: ManualClock) -> Iterator[Cache]:
    c = Cache.open(cache_path, clock=clock)
    c.replace_layout(LAYOUT)
    seed_profile(c)
    yield c
    c.close()
