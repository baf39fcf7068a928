"""The kiosk and the sync worker are two processes on one file: writes from both at once
must neither fail on a lock nor hand out the same event number twice."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from sync.cache import Cache, OutboxEvent

pytestmark = pytest.mark.integration

WRITER = """
import sys
from sync.cache import Cache, EventType
cache = Cache.open(sys.argv[1])
for i in range(int(sys.argv[2])):
    cache.record_event(EventType.CODE_DENIED, data={"writer": sys.argv[3], "i": i})
cache.close()
"""


def test_two_processes_writing_at_once_get_distinct_gapless_seqs(cache: Cache) -> None:
    path = str(cache.path)
    per_writer = 150
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, path, str(per_writer), name])
        for name in ("kiosk", "worker")
    ]
    for i in range(per_writer):  # and this process too, at the same time
        cache.record_event("code.denied", data={"writer": "test", "i": i})  # type: ignore[arg-type]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    with cache.read() as s:
        seqs = list(s.exec(select(OutboxEvent.seq).order_by(OutboxEvent.seq)))
    assert seqs == list(range(1, 3 * per_writer + 1))
    assert cache.sync_status().last_event_seq == 3 * per_writer
    assert Path(path).exists()
