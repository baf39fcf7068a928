"""The kiosk's notification path under the real cage compositor.

The kiosk unit's main process is cage; the app is cage's child. This runs cage on its
headless backend (as an unprivileged user: cage refuses root) with the environment
systemd would give it, and checks that the child's READY/WATCHDOG/STOPPING datagrams
reach the notification socket and that the child accepts the watchdog as its own.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CAGE = shutil.which("cage")
SYSTEM_PYTHON = "/usr/bin/python3"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        CAGE is None, reason="cage is not installed (Debian packages cage, xwayland)"
    ),
    pytest.mark.skipif(not os.path.exists(SYSTEM_PYTHON), reason="no /usr/bin/python3"),
]

APP = """
import os, sys
sys.path.insert(0, os.environ["PKG"])
from sync.sdnotify import SystemdNotifier
n = SystemdNotifier.from_environ()
assert os.environ.get("WAYLAND_DISPLAY"), "not started by a compositor"
assert n.watchdog_interval_s == 15.0, n.watchdog_interval_s
n.ready("kiosk up"); n.ping_if_due(); n.stopping()
"""


@pytest.fixture
def world_tmp() -> Iterator[Path]:
    """A temp dir the unprivileged user can reach (pytest's own is root-only)."""
    with tempfile.TemporaryDirectory(prefix="xp-cage-", dir="/tmp") as name:
        path = Path(name)
        path.chmod(0o755)
        yield path


def test_the_app_under_cage_notifies_the_units_socket(world_tmp: Path) -> None:
    tmp_path = world_tmp
    pkg = tmp_path / "pkg" / "sync"
    pkg.mkdir(parents=True)
    shutil.copy(REPO / "sync" / "sdnotify.py", pkg / "sdnotify.py")
    (pkg / "__init__.py").write_text("")
    (tmp_path / "app.py").write_text(APP)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    for path in tmp_path.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    runtime.chmod(0o700)

    prefix: list[str] = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(runtime, nobody.pw_uid, nobody.pw_gid)
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("setpriv (util-linux) is needed to run cage as a non-root user")
        prefix = [setpriv, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]

    address = tmp_path / "notify"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(address))
    address.chmod(0o777)
    receiver.settimeout(30)
    env = {
        "PATH": "/usr/bin:/bin",
        "XDG_RUNTIME_DIR": str(runtime),
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
        "NOTIFY_SOCKET": str(address),
        "WATCHDOG_USEC": "30000000",
        "PKG": str(tmp_path / "pkg"),
    }
    # As systemd does, WATCHDOG_PID names the unit's main process: cage itself.
    script = f"export WATCHDOG_PID=$$; exec {CAGE} -d -- {SYSTEM_PYTHON} {tmp_path / 'app.py'}"
    try:
        result = subprocess.run(
            [*prefix, "/bin/sh", "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        messages = []
        receiver.setblocking(False)
        while True:
            try:
                messages.append(receiver.recv(4096).decode())
            except BlockingIOError:
                break
    finally:
        receiver.close()
    assert "Traceback" not in result.stderr, result.stderr
    assert messages == ["READY=1\nSTATUS=kiosk up", "WATCHDOG=1", "STOPPING=1"], result.stderr
