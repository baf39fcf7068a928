"""The installed systemd units, udev rule, tmpfiles and journald drop-ins, checked by
systemd's own tools.

`systemd-analyze verify --root` loads the units exactly as installed (the installer's
temp root) next to the host's own systemd units, so it checks every key name and
value, the dependencies and that each ExecStart binary exists where the unit says.
It reports problems as warnings with exit status 0, so any output is a failure here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNIT_SRC = REPO / "systemd"
SERVICES = [
    "expresspoint-kiosk.service",
    "expresspoint-sync.service",
    "expresspoint-central.service",
    "expresspoint-backup.service",
]
UNITS = [*SERVICES, "expresspoint-backup.timer"]
LONG_RUNNING = SERVICES[:3]
# Exposure as printed by `systemd-analyze security` (0 = locked down, 10 = exposed).
# The kiosk needs the GPU, input devices, a tty, the serial port and the camera.
MAX_EXPOSURE = {
    "expresspoint-kiosk.service": 2.0,
    "expresspoint-sync.service": 1.5,
    "expresspoint-central.service": 1.5,
    "expresspoint-backup.service": 0.5,
}
# Ordering-only dependencies that need not be installed (plymouth, a local PostgreSQL).
OPTIONAL_UNITS = {"plymouth-quit-wait.service", "postgresql.service"}

ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(
    ANALYZE is None, reason="systemd-analyze is not installed (Debian package systemd)"
)
HOST_UNIT_DIRS = [Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")]


def host_unit_dir() -> Path:
    for d in HOST_UNIT_DIRS:
        if (d / "sysinit.target").exists():
            return d
    pytest.skip("this host has no systemd unit directory to verify against")


def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def exec_binaries(unit: Path) -> list[str]:
    return [
        value.split()[0].lstrip("-@:+!")
        for key, values in parse_unit(unit).get("Service", {}).items()
        if key.startswith("Exec")
        for value in values
    ]


@pytest.fixture(scope="module")
def verify_root(installed_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The installed units beside the host's systemd units, with stand-ins for binaries.

    Stand-ins only where the real file cannot be used inside another root: the venv's
    interpreter links to the host Python by absolute path, and cage is a Debian
    package of the target. Each stand-in's real counterpart is checked first.
    """
    root = tmp_path_factory.mktemp("verify")
    (root / "usr/lib/systemd").mkdir(parents=True)
    shutil.copytree(host_unit_dir(), root / "usr/lib/systemd/system", symlinks=True)
    shutil.copytree(
        installed_root / "etc/systemd/system", root / "etc/systemd/system", symlinks=True
    )
    for unit in UNITS:
        for binary in exec_binaries(root / "etc/systemd/system" / unit):
            real = installed_root / binary.lstrip("/")
            if binary.startswith("/opt/expresspoint/"):
                assert real.exists(), f"{unit}: the installer did not install {binary}"
            stand_in = root / binary.lstrip("/")
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.write_text("#!/bin/sh\nexit 0\n")
            stand_in.chmod(0o755)
    return root


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    return subprocess.run(
        [ANALYZE, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


@needs_analyze
@pytest.mark.integration
def test_systemd_analyze_verify_accepts_every_installed_unit(verify_root: Path) -> None:
    result = analyze("verify", f"--root={verify_root}", *UNITS)
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == ""


@needs_analyze
@pytest.mark.integration
def test_verify_would_catch_a_broken_unit(verify_root: Path, tmp_path: Path) -> None:
    """The check above is only worth something if verify speaks up on mistakes."""
    broken = shutil.copytree(verify_root, tmp_path / "broken", symlinks=True)
    unit = broken / "etc/systemd/system/expresspoint-sync.service"
    unit.write_text(
        unit.read_text()
        .replace("WatchdogSec=60", "WatchdogSecs=60")
        .replace("RestartSec=5", "RestartSec=5x")
    )
    (broken / "opt/expresspoint/venv/bin/expresspoint").unlink()
    result = analyze("verify", f"--root={broken}", "expresspoint-sync.service")
    output = result.stdout + result.stderr
    assert "Unknown key 'WatchdogSecs'" in output
    assert "Failed to parse sec value" in output
    assert "/opt/expresspoint/venv/bin/expresspoint is not executable" in output


@needs_analyze
@pytest.mark.integration
def test_security_exposure_stays_low(verify_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = []
    for unit, limit in MAX_EXPOSURE.items():
        result = analyze("security", "--offline=yes", f"--root={verify_root}", "--no-pager", unit)
        assert result.returncode == 0, result.stderr
        match = re.search(r"Overall exposure level for \S+: ([\d.]+) (\w+)", result.stdout)
        assert match, result.stdout
        exposure = float(match.group(1))
        report.append(f"{unit:32} {exposure:4.1f} {match.group(2)}")
        assert exposure <= limit, f"{unit}: exposure {exposure} > {limit}\n{result.stdout}"
    artifacts = REPO / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "appliance-security.txt").write_text("\n".join(report) + "\n")
    with capsys.disabled():
        print("\nsystemd-analyze security --offline=yes:\n  " + "\n  ".join(report))


@pytest.mark.unit
def test_every_dependency_names_a_real_unit() -> None:
    known = {p.name for d in HOST_UNIT_DIRS if d.is_dir() for p in d.iterdir()}
    if "sysinit.target" not in known:
        pytest.skip("this host has no systemd unit directory")
    known |= set(UNITS) | OPTIONAL_UNITS
    for unit in UNITS:
        spec = parse_unit(UNIT_SRC / unit)
        for key in ("After", "Before", "Wants", "Requires", "Conflicts"):
            for value in spec.get("Unit", {}).get(key, []):
                for dep in value.split():
                    template = re.sub(r"@[^.]+\.", "@.", dep)
                    assert dep in known or template in known, f"{unit}: {key}={dep} unknown"


@pytest.mark.unit
def test_services_restart_forever_and_report_readiness() -> None:
    for unit in LONG_RUNNING:
        spec = parse_unit(UNIT_SRC / unit)
        assert spec["Service"]["Restart"] == ["always"], unit
        # No start-rate give-up: an unattended kiosk has nobody to reset a failed unit.
        assert spec["Unit"]["StartLimitIntervalSec"] == ["0"], unit
        assert spec["Service"]["ProtectSystem"] == ["strict"], unit
        assert spec["Service"]["NoNewPrivileges"] == ["yes"], unit
    for unit in ("expresspoint-kiosk.service", "expresspoint-sync.service"):
        service = parse_unit(UNIT_SRC / unit)["Service"]
        assert service["Type"] == ["notify"], unit
        assert service["WatchdogSec"], unit
        assert service["StateDirectory"] == ["expresspoint"], unit
        assert service["User"] == ["expresspoint"], unit


@pytest.mark.unit
def test_kiosk_runs_under_cage_on_wayland_with_child_notifications() -> None:
    spec = parse_unit(UNIT_SRC / "expresspoint-kiosk.service")
    service = spec["Service"]
    (exec_start,) = service["ExecStart"]
    argv = exec_start.split()
    assert argv[0] == "/usr/bin/cage" and "-s" not in argv  # no VT switching
    assert argv[argv.index("--") + 1 :] == [
        "/opt/expresspoint/venv/bin/expresspoint",
        "kiosk",
        "--config",
        "/etc/expresspoint/kiosk.toml",
    ]
    assert "QT_QPA_PLATFORM=wayland" in service["Environment"]
    assert service["NotifyAccess"] == ["all"]
    assert service["PAMName"] == ["expresspoint-kiosk"]
    assert service["TTYPath"] == ["/dev/tty1"]
    assert "getty@tty1.service" in spec["Unit"]["Conflicts"]
    # The sync worker, not the kiosk, waits for the network: the kiosk works offline.
    assert not any("network-online" in v for v in spec["Unit"].get("After", []))
    allowed = " ".join(service["DeviceAllow"])
    for device in ("char-ttyUSB", "char-video4linux", "char-drm", "char-input"):
        assert device in allowed
    assert service["DevicePolicy"] == ["closed"]


@pytest.mark.unit
def test_journald_drop_in_keys_are_known_to_this_journald() -> None:
    journald = next(
        (
            p
            for p in (
                Path("/usr/lib/systemd/systemd-journald"),
                Path("/lib/systemd/systemd-journald"),
            )
            if p.exists()
        ),
        None,
    )
    if journald is None:
        pytest.skip("systemd-journald is not installed")
    # journald's parser table holds "Journal.<Key>" for every key it accepts.
    binary = journald.read_bytes()
    spec = parse_unit(UNIT_SRC / "journald.conf.d/expresspoint.conf")
    assert "SystemMaxUse" in spec["Journal"]
    for key in spec["Journal"]:
        assert f"Journal.{key}".encode() in binary, f"journald does not know {key}"


@pytest.mark.integration
def test_tmpfiles_entry_parses_and_touches_nothing_else(installed_root: Path) -> None:
    tmpfiles = shutil.which("systemd-tmpfiles")
    if tmpfiles is None:
        pytest.skip("systemd-tmpfiles is not installed")
    conf = installed_root / "etc/tmpfiles.d/expresspoint.conf"
    result = subprocess.run(
        [tmpfiles, f"--root={installed_root}", "--create", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert not (installed_root / "sys").exists()  # `w` only writes to an existing file
    assert "/sys/module/kernel/parameters/consoleblank" in conf.read_text()


UDEV_MATCH = {"ACTION", "SUBSYSTEM", "SUBSYSTEMS", "KERNEL", "DRIVER", "ATTR", "ATTRS", "ENV"}
UDEV_ASSIGN = {"SYMLINK", "GROUP", "MODE", "OWNER", "ENV", "TAG", "ATTR", "GOTO", "LABEL"}
UDEV_TOKEN = re.compile(
    r'^(?P<key>[A-Z]+)(\{(?P<attr>[^}]+)\})?(?P<op>==|!=|\+=|:=|=)"(?P<value>[^"]*)"$'
)


@pytest.mark.unit
def test_udev_rule_is_well_formed() -> None:
    rules = (REPO / "config/udev/70-expresspoint-board.rules").read_text()
    labels, gotos, adapters = set(), set(), 0
    for line in rules.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        tokens = [t.strip() for t in line.split(",")]
        for token in tokens:
            m = UDEV_TOKEN.match(token)
            assert m, f"not a udev token: {token!r} in {line!r}"
            key, op = m["key"], m["op"]
            if op in ("==", "!="):
                assert key in UDEV_MATCH, f"{key} cannot be matched: {line!r}"
            else:
                assert key in UDEV_ASSIGN, f"{key} cannot be assigned: {line!r}"
            if key == "LABEL":
                labels.add(m["value"])
            if key == "GOTO":
                gotos.add(m["value"])
        if 'GOTO="expresspoint_board"' in line:
            adapters += 1
    assert gotos <= labels, f"GOTO without LABEL: {gotos - labels}"
    assert adapters >= 3
    assert 'SYMLINK+="expresspoint-board"' in rules
    assert 'ENV{ID_MM_DEVICE_IGNORE}="1"' in rules
