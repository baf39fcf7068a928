"""scripts/install-appliance into throw-away roots: layout, idempotence, uninstall."""

from __future__ import annotations

import shutil
import stat
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import load_config
from tests.appliance.conftest import Installed, Installer, snapshot

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
ETC = "etc/expresspoint"
UNITS = "etc/systemd/system"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_install_lays_out_a_working_appliance(installed_root: Path) -> None:
    root = installed_root
    venv = root / "opt/expresspoint/venv"
    # The product is installed in the venv and importable from there.
    assert (venv / "bin/expresspoint").is_file()
    # -I and a neutral cwd: the modules must come from the venv, not this source tree.
    # (Only dependency-free modules: this venv was installed with --no-deps.)
    probe = subprocess.run(
        [
            str(venv / "bin/python"),
            "-I",
            "-c",
            "import sync.sdnotify, sync.backup; print(sync.sdnotify.__file__)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=root,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.startswith(str(venv)), probe.stdout
    # Scripts name the venv where it will live on the target, not the temp root.
    for script in (venv / "bin").iterdir():
        if script.is_file() and not script.is_symlink():
            assert str(root) not in script.read_text(errors="replace"), script
    assert (venv / "bin/expresspoint").read_text().startswith("#!/opt/expresspoint/venv/bin/python")
    # The config written from the template is valid for the kiosk and says what we asked.
    config = load_config(root / ETC / "kiosk.toml")
    assert config.locker.id == "LCK-0042"
    assert config.central.url == "https://c.example"
    assert config.board.port == "/dev/expresspoint-board"
    assert str(config.central.token_file) == "/etc/expresspoint/device-token"
    assert str(config.database.path) == "/var/lib/expresspoint/cache.db"
    assert config.remote.max_opens_per_hour == 6
    # Secrets and config are not world-readable; the token is the service user's only.
    assert mode(root / ETC) == 0o750
    assert mode(root / ETC / "kiosk.toml") == 0o640
    assert mode(root / ETC / "device-token") == 0o600
    assert mode(root / "var/lib/expresspoint") == 0o750
    for unit in ("kiosk.service", "sync.service", "central.service", "backup.timer"):
        assert mode(root / UNITS / f"expresspoint-{unit}") == 0o644
    for path in (
        "etc/udev/rules.d/70-expresspoint-board.rules",
        "etc/pam.d/expresspoint-kiosk",
        "etc/tmpfiles.d/expresspoint.conf",
        "etc/systemd/journald.conf.d/expresspoint.conf",
    ):
        assert (root / path).is_file(), path


@pytest.mark.skipif(shutil.which("systemctl") is None, reason="systemctl is not installed")
def test_units_are_enabled_for_boot_and_central_is_not(installed_root: Path) -> None:
    wants = installed_root / UNITS
    assert (wants / "graphical.target.wants/expresspoint-kiosk.service").is_symlink()
    assert (wants / "multi-user.target.wants/expresspoint-sync.service").is_symlink()
    assert (wants / "timers.target.wants/expresspoint-backup.timer").is_symlink()
    # The central service runs on a server, not on every kiosk: only with --with-central.
    assert not list(wants.glob("*.wants/expresspoint-central.service"))


def test_what_needs_the_running_system_is_skipped_with_a_reason(installed: Installed) -> None:
    run = installed
    assert "created venv /opt/expresspoint/venv" in run.output
    for step in ("apt-get install", "useradd --system expresspoint", "udevadm control --reload"):
        assert f"skipped (--root): {step}" in run.output


def test_second_run_changes_nothing(tmp_path: Path, run_installer: Installer) -> None:
    first = run_installer(tmp_path, "--locker-id", "LCK-7")
    assert first.returncode == 0, first.output
    before = snapshot(tmp_path)
    second = run_installer(tmp_path, "--locker-id", "LCK-7")
    assert second.returncode == 0, second.output
    assert "nothing changed" in second.output
    assert snapshot(tmp_path) == before


def test_operator_edits_and_the_token_survive_a_reinstall(
    tmp_path: Path, run_installer: Installer
) -> None:
    token = "xpt_" + "s3cr3t" * 8
    token_src = tmp_path / "token.txt"
    token_src.write_text(token + "\n")
    root = tmp_path / "root"
    root.mkdir()
    run = run_installer(root, "--token-file", str(token_src))
    assert run.returncode == 0, run.output
    installed = root / ETC / "device-token"
    assert installed.read_text() == token
    assert mode(installed) == 0o600
    config = root / ETC / "kiosk.toml"
    edited = config.read_text().replace('name = "A"', 'name = "Z"')
    config.write_text(edited)
    installed.chmod(0o644)  # someone loosened it by hand

    again = run_installer(root, "--locker-id", "OTHER")
    assert again.returncode == 0, again.output
    assert config.read_text() == edited
    assert "kept /etc/expresspoint/kiosk.toml" in again.output
    assert installed.read_text() == token
    assert mode(installed) == 0o600
    assert "mode 0600 on /etc/expresspoint/device-token" in again.output
    assert token not in run.output + again.output


def test_an_invalid_existing_config_is_reported(tmp_path: Path, run_installer: Installer) -> None:
    assert run_installer(tmp_path).returncode == 0
    config = tmp_path / ETC / "kiosk.toml"
    config.write_text(config.read_text().replace("protocol =", "protocl ="))
    run = run_installer(tmp_path)
    assert run.returncode == 0
    assert "WARNING: configuration not valid yet" in run.output
    assert "board.protocl: unknown key; did you mean 'protocol'?" in run.output


def test_board_usb_narrows_the_udev_rule_to_one_adapter(
    tmp_path: Path, run_installer: Installer
) -> None:
    run = run_installer(tmp_path, "--board-usb", "0403:6001:A10K5XYZ")
    assert run.returncode == 0, run.output
    rule = (tmp_path / "etc/udev/rules.d/70-expresspoint-board.rules").read_text()
    matches = [line for line in rule.splitlines() if 'GOTO="expresspoint_board"' in line]
    assert matches == [
        'SUBSYSTEMS=="usb", ATTRS{idVendor}=="0403", ATTRS{idProduct}=="6001", '
        'ATTRS{serial}=="A10K5XYZ", GOTO="expresspoint_board"'
    ]
    assert 'SYMLINK+="expresspoint-board"' in rule


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--locker-id", "LCK 1"], "--locker-id: letters, digits"),
        (["--central-url", "central.example.com"], "--central-url must start with http"),
        (["--board-protocol", "modbus"], "--board-protocol: one of cu16, 8a, cu48"),
        (["--board-usb", "0403-6001"], "--board-usb: VID:PID[:SERIAL] in hex"),
        (["--board-tty", "/dev/ttyAMA0"], "--board-tty: a kernel device name"),
        (["--token-file", "/nonexistent/token"], "--token-file /nonexistent/token: missing"),
        (["--purge"], "--purge only goes with --uninstall"),
        (["--frobnicate"], "unknown option --frobnicate"),
    ],
)
def test_bad_options_stop_before_anything_is_touched(
    tmp_path: Path, run_installer: Installer, args: list[str], message: str
) -> None:
    run = run_installer(tmp_path, *args, offline_wheel=False)
    assert run.returncode != 0
    assert f"install-appliance: error: {message}" in run.output
    assert list(tmp_path.iterdir()) == []


def test_uninstall_keeps_data_and_purge_removes_everything(
    tmp_path: Path, run_installer: Installer
) -> None:
    assert run_installer(tmp_path).returncode == 0
    cache = tmp_path / "var/lib/expresspoint/cache.db"
    cache.write_bytes(b"parcels")

    run = run_installer(tmp_path, "--uninstall")
    assert run.returncode == 0, run.output
    remaining = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if not p.is_dir()}
    assert remaining == {
        "etc/expresspoint/kiosk.toml",
        "etc/expresspoint/device-token",
        "var/lib/expresspoint/cache.db",
    }
    assert "kept /etc/expresspoint, /var/lib/expresspoint" in run.output

    purge = run_installer(tmp_path, "--uninstall", "--purge")
    assert purge.returncode == 0, purge.output
    assert not [p for p in tmp_path.rglob("*") if not p.is_dir()]
    assert "skipped (--root): userdel expresspoint" in purge.output
    # Uninstalling what is not there is fine too.
    assert run_installer(tmp_path, "--uninstall").returncode == 0


def test_the_cursor_theme_is_fully_transparent(installed_root: Path) -> None:
    cursors = installed_root / "opt/expresspoint/share/icons/expresspoint-blank/cursors"
    data = (cursors / "default").read_bytes()
    magic, header, _version, ntoc = struct.unpack_from("<4sIII", data, 0)
    assert (magic, header, ntoc) == (b"Xcur", 16, 1)
    chunk_type, _nominal, position = struct.unpack_from("<III", data, 16)
    assert chunk_type == 0xFFFD0002  # image
    size, ctype, _sub, _ver, width, height, _xhot, _yhot, _delay = struct.unpack_from(
        "<9I", data, position
    )
    assert (size, ctype) == (36, 0xFFFD0002)
    pixels = struct.unpack_from(f"<{width * height}I", data, position + 36)
    assert len(data) == position + 36 + 4 * width * height
    assert all(argb >> 24 == 0 for argb in pixels)  # alpha 0 everywhere
    for name in ("left_ptr", "pointer", "text"):
        assert (cursors / name).resolve() == (cursors / "default").resolve()


@pytest.mark.unit
@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_appliance_scripts_pass_shellcheck() -> None:
    scripts = [REPO / "scripts/install-appliance", REPO / "scripts/check-appliance-boot"]
    result = subprocess.run(
        ["shellcheck", "-x", "-S", "warning", *map(str, scripts)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout


def test_offline_install_from_a_wheelhouse(
    tmp_path: Path, run_installer: Installer, wheel: Path
) -> None:
    house = tmp_path / "wheelhouse"
    house.mkdir()
    shutil.copy(wheel, house)
    root = tmp_path / "root"
    root.mkdir()
    run = run_installer(
        root,
        "--wheelhouse",
        str(house),
        "--no-deps",
        "--python",
        sys.executable,
        offline_wheel=False,
    )
    assert run.returncode == 0, run.output
    assert "installed ExpressPoint into /opt/expresspoint/venv" in run.output
    assert list(
        (root / "opt/expresspoint/venv").glob("lib/python3*/site-packages/sync/sdnotify.py")
    )

    empty = tmp_path / "empty"
    empty.mkdir()
    bad = run_installer(root, "--wheelhouse", str(empty), offline_wheel=False)
    assert bad.returncode != 0
    assert "holds no expresspoint-*.whl" in bad.output


def test_the_central_unit_gets_the_central_extra(
    tmp_path: Path, run_installer: Installer, wheel: Path
) -> None:
    """Offline with only ExpressPoint's own wheel, pip stops at the first dependency it
    cannot find and says whose it is: the base package for a kiosk, the `central` extra
    when the central unit is set up too."""
    house = tmp_path / "wheelhouse"
    house.mkdir()
    shutil.copy(wheel, house)
    outputs = {}
    for name, extra in (("kiosk", []), ("central", ["--with-central"])):
        root = tmp_path / name
        root.mkdir()
        run = run_installer(root, "--wheelhouse", str(house), "--python", sys.executable,
                            *extra, offline_wheel=False)
        assert run.returncode != 0  # the dependencies are not in the wheelhouse
        outputs[name] = run.output
    assert "expresspoint[central]" in outputs["central"], outputs["central"]
    assert "expresspoint[central]" not in outputs["kiosk"], outputs["kiosk"]
    assert "could not install ExpressPoint's dependencies" in outputs["kiosk"]
