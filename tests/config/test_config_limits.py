"""A config file cannot switch a safety limit off, and no file it names or is can end in
a traceback: every number has a range, every file read a cap, every mistake one line."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import types
import typing
from pathlib import Path

import pytest

from kiosk.config import LIMITS, KioskConfig, load_config
from sync.settings import MAX_CONFIG_BYTES, ConfigError, load_toml
from sync.worker_cli import load_worker_config
from tests.config.test_config_file import EXAMPLE, example_with, write

pytestmark = pytest.mark.unit

REPO_ROOT = Path(__file__).resolve().parents[2]


def one_line_error(path: Path, key: str) -> str:
    with pytest.raises(ConfigError) as err:
        load_config(path)
    text = str(err.value)
    assert "\n" not in text, text
    assert text.startswith(f"{path}: {key}: "), text
    return text


@pytest.mark.parametrize(
    "section,line,key",
    [
        ("[pickup]", "free_attempts = 1e9", "pickup.free_attempts"),
        ("[pickup]", "free_attempts = 1000000000", "pickup.free_attempts"),
        ("[pickup]", "free_attempts = 0", "pickup.free_attempts"),
        ("[pickup]", "lockout_base_s = 0", "pickup.lockout_base_s"),
        ("[pickup]", "lockout_base_s = inf", "pickup.lockout_base_s"),
        ("[pickup]", "failure_memory_s = 1", "pickup.failure_memory_s"),
        ("[pickup]", "lockout_factor = nan", "pickup.lockout_factor"),
        ("[courier]", "free_attempts = 0", "courier.free_attempts"),
        ("[courier]", "lockout_max_s = 1e12", "courier.lockout_max_s"),
        ("[remote]", "max_opens_per_hour = 1000000", "remote.max_opens_per_hour"),
        ("[remote]", "max_opens_per_hour = -1", "remote.max_opens_per_hour"),
        ("[central]", "timeout_s = inf", "central.timeout_s"),
        ("[central]", "timeout_s = 0", "central.timeout_s"),
        ("[sync]", "push_batch = 100000", "sync.push_batch"),
        ("[sync]", "pull_interval_s = -inf", "sync.pull_interval_s"),
        ("[board.timeouts]", "reply_s = 1e308", "board.timeouts.reply_s"),
        ("[board]", "status_retries = 1000000", "board.status_retries"),
        ("[board]", "baudrate = 0", "board.baudrate"),
        ("[ui]", "idle_timeout_s = 0", "ui.idle_timeout_s"),
    ],
)
def test_a_number_out_of_its_range_is_one_line_naming_file_and_key(
    tmp_path: Path, section: str, line: str, key: str
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    name = line.split(" = ")[0]
    # drop the example's own line for that key, then set it in its section
    lines = [
        ln for ln in text.splitlines() if not (ln.startswith(name + " ") and section != "[ui]")
    ]
    text = "\n".join(lines) + "\n"
    if section in text:
        text = text.replace(section, f"{section}\n{line}", 1)
    else:
        text += f"\n{section}\n{line}\n"
    if section == "[ui]":
        text = text.replace("idle_timeout_s = 60\n", "")
    message = one_line_error(write(tmp_path, text), key)
    assert "must be" in message or "expected" in message


def test_the_refusal_stops_check_and_start_of_both_processes(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("a-token\n")
    token.chmod(0o600)
    path = example_with(
        tmp_path, 'token_file = "/etc/expresspoint/device-token"', f'token_file = "{token}"'
    )
    path.write_text(path.read_text().replace("timeout_s = 10", "timeout_s = inf"))
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "QT_QPA_PLATFORM": "offscreen"}
    for args in (["kiosk", "--check"], ["kiosk"], ["sync", "--once"]):
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", *args[:1], "--config", str(path), *args[1:]],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=REPO_ROOT,
        )
        assert done.returncode == 2, (args, done.stderr)
        errors = [ln for ln in done.stderr.splitlines() if not ln.startswith("20")]  # log lines
        assert errors == [
            f"error: {path}: central.timeout_s: expected a finite number, got inf"
        ], (args, done.stderr)


def test_lockout_max_below_base_is_refused(tmp_path: Path) -> None:
    path = example_with(tmp_path, "lockout_max_s = 900", "lockout_max_s = 60\nlockout_base_s = 120")
    path.write_text(path.read_text().replace("lockout_base_s = 30 ", "", 1))
    one_line_error(path, "pickup.lockout_max_s")


def test_a_technician_pin_record_no_login_could_afford_is_refused(tmp_path: Path) -> None:
    salt, digest = "00" * 16, "11" * 32
    for record in (f"scrypt$1073741824$8$1${salt}${digest}", f"scrypt$16384$8$1$zz${digest}"):
        text = EXAMPLE.read_text() + f'\n[[technicians]]\nid = "T1"\npin_hash = "{record}"\n'
        one_line_error(write(tmp_path, text), "technicians[0].pin_hash")


def token_config(tmp_path: Path, token_path: Path | str) -> Path:
    return example_with(
        tmp_path, 'token_file = "/etc/expresspoint/device-token"', f'token_file = "{token_path}"'
    )


@pytest.mark.parametrize(
    "target,problem",
    [
        ("/dev/zero", "is not a regular file"),
        ("folder", "is a folder"),
        ("fifo", "is not a regular file"),
        ("big", "larger than the 4096 bytes"),
        ("binary", "is not UTF-8 text"),
        ("two-lines", "more than one line"),
        ("empty", "is empty"),
    ],
)
def test_a_token_file_that_is_not_a_token_is_one_line(
    tmp_path: Path, target: str, problem: str
) -> None:
    where = Path(target) if target.startswith("/") else tmp_path / target
    if target == "folder":
        where.mkdir()
    elif target == "fifo":
        os.mkfifo(where)  # opening it for reading must not wait for a writer
    elif target == "big":
        where.write_bytes(b"x" * 10_000)
    elif target == "binary":
        where.write_bytes(b"\xff\xfe\x00\x01token")
    elif target == "two-lines":
        where.write_text("secret-one\nsecret-two\n")
    elif target == "empty":
        where.write_text("  \n")
    path = token_config(tmp_path, where)
    config = load_config(path)
    with pytest.raises(ConfigError) as err:
        config.central.read_token(path)
    text = str(err.value)
    assert "\n" not in text and text.startswith(f"{path}: central.token_file: {where}")
    assert problem in text
    assert "secret" not in text and "token" not in text.split(": ", 2)[2].replace(
        "token_file", ""
    ).replace(str(where), "").replace("device token", "")


def test_a_token_file_readable_by_others_gets_a_warning(tmp_path: Path) -> None:
    token = tmp_path / "device-token"
    token.write_text("a-token\n")
    path = token_config(tmp_path, token)
    config = load_config(path)
    token.chmod(0o644)
    warning = config.central.token_file_warning(path)
    assert warning is not None and "\n" not in warning
    assert warning.startswith(f"{path}: central.token_file: {token} is readable by other users")
    assert "chmod 600" in warning and "a-token" not in warning
    token.chmod(0o600)
    assert config.central.token_file_warning(path) is None


@pytest.mark.parametrize(
    "content,problem",
    [
        ("utf16", "it looks like UTF-16: save it as UTF-8"),
        ("binary", "not UTF-8 text"),
        ("huge", f"larger than the {MAX_CONFIG_BYTES} bytes"),
        ("folder", "is a folder"),
        ("device", "is not a regular file"),
        ("nested", "not valid TOML"),
    ],
)
def test_a_config_file_that_is_not_text_is_one_line(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "kiosk.toml"
    if content == "utf16":
        path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("utf-16"))
    elif content == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    elif content == "huge":
        path.write_bytes(b"# " + b"x" * MAX_CONFIG_BYTES + b"\n")
    elif content == "folder":
        path.mkdir()
    elif content == "device":
        path = Path("/dev/zero")
    elif content == "nested":
        path.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    for loader in (load_config, load_worker_config, load_toml):
        with pytest.raises(ConfigError) as err:
            loader(path)
        text = str(err.value)
        assert "\n" not in text and text.startswith(f"{path}: ")
        assert problem in text, text


def _number_fields(cls: type, prefix: str = "") -> list[tuple[type, str, str]]:
    """(owning class, field name, key) of every int or float the config can set."""
    found = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if not f.init or f.metadata.get("internal"):
            continue
        tp = hints[f.name]
        args = typing.get_args(tp)
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType, list, tuple):
            inner = [a for a in args if a is not type(None) and a is not Ellipsis]
        else:
            inner = [tp]
        for arg in inner:
            if arg in (int, float):
                found.append((cls, f.name, prefix + f.name))
            elif dataclasses.is_dataclass(arg):
                found += _number_fields(arg, prefix + f.name + ".")  # type: ignore[arg-type]
    return found


def test_every_number_of_the_config_has_a_range() -> None:
    missing = [
        key
        for cls, name, key in _number_fields(KioskConfig)
        if "range" not in {f.name: f for f in dataclasses.fields(cls)}[name].metadata
        and name not in LIMITS.get(cls, {})
    ]
    assert missing == [], (
        f"give these keys a range (field(range=...) or kiosk.config.LIMITS): {missing}"
    )
