"""sync.sdnotify against real AF_UNIX datagram sockets bound by the test."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.sdnotify import SystemdNotifier, socket_address, watchdog_interval

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]


def _receiver(address: str | bytes) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.settimeout(5)
    return sock


def _messages(sock: socket.socket) -> list[dict[str, str]]:
    """Every datagram waiting on the socket, each parsed into its KEY=value lines."""
    out = []
    sock.setblocking(False)
    try:
        while True:
            data = sock.recv(4096)
            out.append(dict(line.split("=", 1) for line in data.decode().split("\n")))
    except BlockingIOError:
        pass
    finally:
        sock.settimeout(5)
    return out


@pytest.fixture
def path_socket(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    address = str(tmp_path / "notify")
    sock = _receiver(address)
    yield address, sock
    sock.close()


@pytest.fixture
def abstract_socket() -> Iterator[tuple[str, socket.socket]]:
    name = f"expresspoint-test-{os.getpid()}-{id(object())}"
    sock = _receiver(b"\0" + name.encode())
    yield "@" + name, sock
    sock.close()


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_messages_arrive_on_a_filesystem_socket(path_socket: tuple[str, socket.socket]) -> None:
    address, sock = path_socket
    with SystemdNotifier.from_environ({"NOTIFY_SOCKET": address}) as notifier:
        assert notifier.enabled
        assert notifier.ready("serving LCK-0001")
        assert notifier.status("outbox 3 events")
        assert notifier.watchdog()
        assert notifier.extend_timeout(90)
        assert notifier.stopping()
    assert _messages(sock) == [
        {"READY": "1", "STATUS": "serving LCK-0001"},
        {"STATUS": "outbox 3 events"},
        {"WATCHDOG": "1"},
        {"EXTEND_TIMEOUT_USEC": "90000000"},
        {"STOPPING": "1"},
    ]


def test_messages_arrive_on_an_abstract_socket(abstract_socket: tuple[str, socket.socket]) -> None:
    address, sock = abstract_socket
    with SystemdNotifier.from_environ({"NOTIFY_SOCKET": address}) as notifier:
        assert notifier.ready()
    assert _messages(sock) == [{"READY": "1"}]


def test_without_systemd_every_call_is_a_quiet_no_op() -> None:
    notifier = SystemdNotifier.from_environ({})
    assert not notifier.enabled
    assert notifier.watchdog_interval_s is None
    assert notifier.ready("x") is False
    assert notifier.watchdog() is False
    assert notifier.ping_if_due() is False
    assert notifier.stopping() is False


def test_unsupported_socket_kinds_disable_notification(caplog: pytest.LogCaptureFixture) -> None:
    notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": "vsock:2:1234"})
    assert not notifier.enabled
    assert "not an AF_UNIX socket" in caplog.text
    assert socket_address("relative/path") is None
    assert socket_address("@") is None


def test_watchdog_pings_follow_half_the_watchdog_period(
    path_socket: tuple[str, socket.socket],
) -> None:
    address, sock = path_socket
    clock = FakeClock()
    env = {"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}
    notifier = SystemdNotifier.from_environ(env, clock=clock)
    assert notifier.watchdog_interval_s == 15.0
    sent = []
    for _ in range(61):  # one minute of a loop ticking every second
        sent.append(notifier.ping_if_due())
        clock.now += 1.0
    assert [i for i, s in enumerate(sent) if s] == [0, 15, 30, 45, 60]
    assert _messages(sock) == [{"WATCHDOG": "1"}] * 5
    notifier.close()


def test_watchdog_belongs_to_the_main_process_or_its_parent() -> None:
    env = {"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "4242"}
    assert watchdog_interval(env, pid=4242, parent_pid=1) == 10.0
    # The kiosk is cage's child: cage is the unit's main process.
    assert watchdog_interval(env, pid=5000, parent_pid=4242) == 10.0
    # A grandchild (e.g. a helper the kiosk spawned) must not keep the unit alive.
    assert watchdog_interval(env, pid=6000, parent_pid=5000) is None
    assert watchdog_interval({"WATCHDOG_USEC": "0"}, 1, 1) is None
    assert watchdog_interval({"WATCHDOG_USEC": "soon"}, 1, 1) is None
    assert watchdog_interval({}, 1, 1) is None


def test_a_vanished_socket_is_logged_once_and_recovers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sync.sdnotify")
    address = str(tmp_path / "notify")
    notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": address})
    assert notifier.watchdog() is False
    assert notifier.watchdog() is False
    assert caplog.text.count("could not notify systemd") == 1
    sock = _receiver(address)
    assert notifier.watchdog() is True
    assert "works again" in caplog.text
    assert _messages(sock) == [{"WATCHDOG": "1"}]
    sock.close()
    notifier.close()


def test_multi_line_values_are_refused(path_socket: tuple[str, socket.socket]) -> None:
    address, _sock = path_socket
    notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": address})
    with pytest.raises(ValueError, match="one line"):
        notifier.status("first\nREADY=1")
    notifier.close()


def test_a_child_process_notifies_the_parents_socket(
    path_socket: tuple[str, socket.socket],
) -> None:
    """The cage case: the app is a child of the unit's main process (here: this test)."""
    address, sock = path_socket
    code = (
        "from sync.sdnotify import SystemdNotifier\n"
        "n = SystemdNotifier.from_environ()\n"
        "assert n.watchdog_interval_s == 2.5, n.watchdog_interval_s\n"
        "n.ready('kiosk up'); n.ping_if_due(); n.stopping()\n"
    )
    env = {
        **os.environ,
        "NOTIFY_SOCKET": address,
        "WATCHDOG_USEC": "5000000",
        "WATCHDOG_PID": str(os.getpid()),
        "PYTHONPATH": str(REPO),
    }
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=30)
    assert _messages(sock) == [
        {"READY": "1", "STATUS": "kiosk up"},
        {"WATCHDOG": "1"},
        {"STOPPING": "1"},
    ]
