"""A damaged cache file or a full disk at start: the kiosk and the sync worker (the real
`expresspoint kiosk` / `expresspoint sync` commands, as systemd runs them) stop with one
line that names the file and says what to do, exit 2, leave the file as it was, and say
the same again on every restart (systemd restarts them for ever: the line, not a
traceback, is what the technician finds in the journal)."""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from sync.cache import ActorKind, Cache, CompartmentSpec, EventType
from tests.central_service import REPO_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _config(tmp_path: Path) -> tuple[Path, Path]:
    token = tmp_path / "device.token"
    token.write_text("xpt_dev_not_used\n")
    token.chmod(0o600)
    cache = tmp_path / "cache.db"
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f"""[locker]
id = "XP-DISK-01"

[central]
url = "http://127.0.0.1:9"
token_file = "{token}"
timeout_s = 1
allow_insecure_http = true

[database]
path = "{cache}"
backup_dir = "{tmp_path / 'backups'}"

[board]
port = "{tmp_path / 'no-board'}"
protocol = "cu16"

[[layout.columns]]
name = "A"
board = 0
sizes = ["S", "S", "M"]

[camera]
enabled = false

[ui]
fullscreen = false
""")
    return cfg, cache


def _good_cache(path: Path) -> None:
    with Cache.open(path) as cache:
        cache.replace_layout([CompartmentSpec(f"A{n:02d}", 0, n, "S", 0, n)
                              for n in range(1, 4)])
        for n in range(300):  # a few pages of rows, so one can be damaged
            cache.record_event(EventType.CODE_DENIED, actor_kind=ActorKind.CUSTOMER,
                               data={"n": n, "pad": "x" * 200})
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _run(kind: str, cfg: Path, fsize: int | None = None) -> subprocess.CompletedProcess[str]:
    args = ["kiosk", "--config", str(cfg)] if kind == "kiosk" else \
        ["sync", "--config", str(cfg), "--once"]

    def limit() -> None:  # in the child, before exec: no file may grow past `fsize`
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, resource.RLIM_INFINITY))

    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--log-level", "ERROR", *args], cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=120, preexec_fn=limit,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"},
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_clear_line(run: subprocess.CompletedProcess[str], cache: Path, says: str) -> str:
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, run.stderr
    assert f"cache {cache} {says}" in errors[0]
    assert "To fix:" in errors[0]
    return errors[0]


@pytest.mark.parametrize("kind", ["kiosk", "sync"])
def test_a_cache_file_that_is_not_a_database(tmp_path: Path, kind: str) -> None:
    cfg, cache = _config(tmp_path)
    cache.write_bytes(b"\x00garbage after an SD card failure\x00" * 300)
    before = _digest(cache)
    line = _one_clear_line(_run(kind, cfg), cache, "is damaged")
    assert str(tmp_path / "backups") in line  # where the backups are
    assert _digest(cache) == before  # nothing overwritten, nothing deleted


def test_a_damaged_page_is_found_at_start_not_during_a_pickup(tmp_path: Path) -> None:
    cfg, cache = _config(tmp_path)
    _good_cache(cache)
    data = bytearray(cache.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    data[5 * page:6 * page] = b"\xa5" * page  # one b-tree page overwritten
    cache.write_bytes(bytes(data))
    line = _one_clear_line(_run("kiosk", cfg), cache, "is damaged")
    assert "integrity check failed" in line or "malformed" in line


def test_a_full_disk_at_start(tmp_path: Path) -> None:
    cfg, cache = _config(tmp_path)
    _good_cache(cache)
    before = _digest(cache)
    first = _one_clear_line(_run("kiosk", cfg, fsize=4096), cache, "cannot be written")
    assert "free space" in first
    # The service manager starts it again and again: the same line each time, the file
    # untouched, until someone frees space.
    again = _one_clear_line(_run("kiosk", cfg, fsize=4096), cache, "cannot be written")
    assert again == first
    _one_clear_line(_run("sync", cfg, fsize=4096), cache, "cannot be written")
    assert _digest(cache) == before
