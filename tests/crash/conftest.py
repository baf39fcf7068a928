"""One world (central service, simulated board, sync worker) for the crash tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.crash.world import CrashWorld


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrashWorld]:
    w = CrashWorld(tmp_path_factory.mktemp("crash")).start()
    try:
        yield w
    finally:
        w.stop()


@pytest.fixture(autouse=True)
def sync_running(world: CrashWorld) -> None:
    """A test that killed the sync worker and failed does not take the next one down."""
    if world.sync is None or world.sync.poll() is not None:
        world.start_sync()
