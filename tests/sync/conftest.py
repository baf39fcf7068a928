"""Sync tests run the real central service as a process on 127.0.0.1 (tests/central_service.py)
and a real cache file; faults the service cannot produce come from faultproxy.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from faultproxy import FaultProxy
from synckit import Kiosk, make_kiosk

from tests.central_service import (  # noqa: F401  (fixtures)
    CentralService,
    central_service,
    central_service_factory,
)


@pytest.fixture
def kiosk(tmp_path: Path, central_service: CentralService) -> Iterator[Kiosk]:  # noqa: F811
    k = make_kiosk(tmp_path / "cache.db", central_service.base_url, central_service)
    yield k
    k.close()


@pytest.fixture
def proxy(central_service: CentralService) -> Iterator[FaultProxy]:  # noqa: F811
    p = FaultProxy(central_service.base_url).start()
    yield p
    p.close()


@pytest.fixture
def proxied_kiosk(
    tmp_path: Path, central_service: CentralService, proxy: FaultProxy  # noqa: F811
) -> Iterator[Kiosk]:
    k = make_kiosk(tmp_path / "cache.db", proxy.url, central_service)
    yield k
    k.close()
