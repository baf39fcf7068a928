"""Configuration files: TOML read into frozen dataclasses, validated at the edge.

One loader for every room: a dataclass describes a table, and `parse_table` checks
names, types and value rules, so a typo or a wrong type stops start-up with one line
that names the file, the key and what to do (`kiosk.toml: [board] protocl: unknown key;
did you mean 'protocol'?`). The sections the sync worker reads are defined here too;
the kiosk's own sections live in `kiosk.config` and reuse this loader.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import math
import os
import stat
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# Every file a config names is read with a cap: a path to /dev/zero, a log file or a
# disk image must end in one clear line, not in the kernel's out-of-memory killer.
MAX_CONFIG_BYTES = 1024 * 1024
MAX_SECRET_BYTES = 4096


class ConfigError(Exception):
    """A configuration problem a person must fix; the message names file and key."""

    def __init__(self, file: str | Path, key: str, problem: str) -> None:
        self.file = str(file)
        self.key = key
        self.problem = problem
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        # One line whatever the file holds: a key or a path may carry a newline.
        super().__init__(_one_line(where + problem))


def _one_line(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def read_capped(path: Path, limit: int) -> bytes | str:
    """The bytes of a regular file of at most `limit` bytes, or what is wrong with it.

    Opened without blocking (a FIFO would wait forever for a writer) and checked to be a
    regular file before a byte is read (a device such as /dev/zero never ends)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return "does not exist"
    except PermissionError:
        return "is not readable by this user"
    except IsADirectoryError:
        return "is a folder, not a file"
    except OSError as exc:
        return f"cannot be opened ({exc.strerror})"
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return "is a folder, not a file"
        if not stat.S_ISREG(info.st_mode):
            return "is not a regular file (a device, a pipe or a socket)"
        if info.st_size > limit:
            return f"is {info.st_size} bytes, larger than the {limit} bytes expected here"
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:
                return f"is larger than the {limit} bytes expected here"
            chunks.append(chunk)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    finally:
        os.close(fd)


def load_toml(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    raw = read_capped(path, MAX_CONFIG_BYTES)
    if isinstance(raw, str):
        if raw == "does not exist":
            raise ConfigError(path, "", "file not found: create it from config/example.toml")
        if raw == "is not readable by this user":
            raise ConfigError(
                path, "", "permission denied: the service user must be able to read it"
            )
        raise ConfigError(path, "", f"the config file {raw}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = (
            "it looks like UTF-16: save it as UTF-8"
            if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:64]
            else "is it a binary file?"
        )
        raise ConfigError(
            path, "", f"not UTF-8 text (byte {exc.start} cannot be decoded): {hint}"
        ) from None
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML ({exc})") from None
    except RecursionError:
        raise ConfigError(path, "", "not valid TOML (nested too deeply)") from None


@dataclasses.dataclass(frozen=True)
class Range:
    """The values a number of the config may take (`above`: `low` itself excluded).

    Every number has one, so a config file can tune a limit but never switch it off
    (`free_attempts = 1e9`) or give a value the code cannot live with (`= 0`, `inf`)."""

    low: float
    high: float
    above: bool = False

    def problem(self, value: float) -> str | None:
        ok = value > self.low if self.above else value >= self.low
        if ok and value <= self.high:
            return None
        low = f"more than {_num(self.low)}" if self.above else f"at least {_num(self.low)}"
        return f"must be {low} and at most {_num(self.high)}, got {_describe(value)}"


Limits = Mapping[type, Mapping[str, Range]]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is bool:
        return "true or false"
    if tp is int:
        return "an integer"
    if tp is float:
        return "a number"
    if tp in (str, Path):
        return "a string"
    if origin is list or origin is tuple:
        return "a list"
    if origin in (dict, Mapping) or dataclasses.is_dataclass(tp):
        return "a table"
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "one of " + ", ".join(repr(m.value) for m in tp)
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    return str(tp)


def _convert(tp: Any, value: Any, file: Path | str, key: str, limits: Limits | None = None) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        last: ConfigError | None = None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _convert(arg, value, file, key, limits)
            except ConfigError as exc:
                last = exc
        assert last is not None
        raise last
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(file, key, f"expected a table, got {_describe(value)}")
        return parse_table(tp, value, file=file, prefix=key, limits=limits)  # type: ignore[arg-type]
    if origin is typing.Literal:
        if value not in typing.get_args(tp):
            raise ConfigError(file, key, f"expected {_type_name(tp)}, got {_describe(value)}")
        return value
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(value)
        except ValueError:
            raise ConfigError(
                file, key, f"expected {_type_name(tp)}, got {_describe(value)}"
            ) from None
    if origin in (list, tuple):
        if not isinstance(value, list):
            raise ConfigError(file, key, f"expected a list, got {_describe(value)}")
        (item_tp, *_rest) = typing.get_args(tp) or (Any,)
        items = [_convert(item_tp, v, file, f"{key}[{i}]", limits) for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin in (dict, Mapping):
        if not isinstance(value, dict):
            raise ConfigError(file, key, f"expected a table, got {_describe(value)}")
        _k, val_tp = typing.get_args(tp) or (str, Any)
        return {k: _convert(val_tp, v, file, f"{key}.{k}", limits) for k, v in value.items()}
    if tp is Any:
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(file, key, f"expected true or false, got {_describe(value)}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(file, key, f"expected an integer, got {_describe(value)}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(file, key, f"expected a number, got {_describe(value)}")
        if not math.isfinite(value):
            raise ConfigError(file, key, f"expected a finite number, got {_describe(value)}")
        try:
            return float(value)
        except OverflowError:
            raise ConfigError(file, key, f"expected a number, got {_describe(value)}") from None
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(file, key, f"expected a string, got {_describe(value)}")
        return value
    if tp is Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(file, key, f"expected a file path, got {_describe(value)}")
        path = Path(value).expanduser()
        # Relative paths are relative to the config file, so a shipped config works from
        # any current directory.
        return path if path.is_absolute() else (Path(file).parent / path).resolve()
    raise TypeError(f"unsupported config field type {tp!r} at {key}")


def parse_table(
    cls: type[T],
    table: Mapping[str, Any],
    *,
    file: str | Path,
    prefix: str = "",
    limits: Limits | None = None,
) -> T:
    """Build dataclass `cls` from a TOML table, refusing unknown keys and wrong types.

    A field's metadata may hold `check`: a callable returning an error text or None,
    and `range`: the Range of a number (or of each number of a list). `limits` gives
    the ranges of dataclasses defined elsewhere (`limits[cls][field_name]`), for
    settings classes that belong to another room.
    """
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    hints = typing.get_type_hints(cls)
    fields = {
        f.name: f for f in dataclasses.fields(cls) if f.init and not f.metadata.get("internal")
    }
    for name in table:
        if name not in fields:
            close = difflib.get_close_matches(name, list(fields), n=1)
            hint = (
                f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(fields)}"
            )
            raise ConfigError(file, _join(prefix, name), "unknown key" + hint)
    kwargs: dict[str, Any] = {}
    for name, field in fields.items():
        key = _join(prefix, name)
        if name not in table:
            if (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            ):
                raise ConfigError(file, key, "required key is missing")
            continue
        value = _convert(hints[name], table[name], file, key, limits)
        bounds = field.metadata.get("range") or (limits or {}).get(cls, {}).get(name)
        if bounds is not None:
            for number in value if isinstance(value, list | tuple) else [value]:
                if isinstance(number, int | float) and not isinstance(number, bool):
                    problem = bounds.problem(number)
                    if problem:
                        raise ConfigError(file, key, problem)
        check = field.metadata.get("check")
        if check is not None:
            problem = check(value)
            if problem:
                raise ConfigError(file, key, problem)
        kwargs[name] = value
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as exc:
        # A rule across keys names its key first ("url: ..."): the error then names it.
        name, sep, rest = str(exc).partition(": ")
        if sep and name in fields:
            raise ConfigError(file, _join(prefix, name), rest) from None
        raise ConfigError(file, prefix or "(top level)", str(exc)) from None


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def positive(value: float) -> str | None:
    return None if value > 0 else "must be greater than 0"


def at_least(minimum: float) -> typing.Callable[[float], str | None]:
    def check(value: float) -> str | None:
        return None if value >= minimum else f"must be at least {minimum}"

    return check


def field(
    default: Any = dataclasses.MISSING,
    *,
    check: Any = None,
    range: Range | None = None,  # noqa: A002 - reads as the config key's range
    **kw: Any,
) -> Any:
    """`dataclasses.field` with a value check and a number range stored in metadata."""
    meta: dict[str, Any] = {"check": check} if check else {}
    if range is not None:
        meta["range"] = range
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata=meta, **kw)
    return dataclasses.field(default=default, metadata=meta, **kw)


# --- sections shared by the kiosk and the sync worker ---------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class LockerSection:
    id: str = field(
        check=lambda v: (
            None
            if v and v.replace("-", "").replace("_", "").isalnum()
            else "letters, digits, '-' and '_' only"
        )
    )
    name: str = ""
    support_contact: str = ""
    timezone: str = "UTC"


@dataclasses.dataclass(frozen=True, kw_only=True)
class CentralSection:
    url: str = field(
        check=lambda v: (
            None if v.startswith(("http://", "https://")) else "must start with https://"
        )
    )
    token_file: Path = field()
    timeout_s: float = field(10.0, range=Range(0.1, 120))
    # Plain http sends the device token and every parcel in the clear; only the demo and
    # the tests (on 127.0.0.1) opt in, explicitly.
    allow_insecure_http: bool = False

    def __post_init__(self) -> None:
        if self.url.startswith("http://") and not self.allow_insecure_http:
            raise ValueError("url: plain http:// is refused: the device token and every "
                             "parcel would travel unencrypted; use https:// (certificates "
                             "are checked), or for the demo and tests only set "
                             "central.allow_insecure_http = true")

    def read_token(self, config_file: str | Path) -> str:
        """The device token; the error names the file, never the token."""
        return read_secret(self.token_file, config_file, "central.token_file")

    def token_file_warning(self, config_file: str | Path) -> str | None:
        return secret_file_warning(self.token_file, config_file, "central.token_file")


@dataclasses.dataclass(frozen=True, kw_only=True)
class DatabaseSection:
    path: Path = field()
    backup_dir: Path | None = None

    @property
    def sync_request_path(self) -> Path:
        """The file the kiosk creates to ask the sync worker for a round now."""
        return self.path.with_name(self.path.name + ".sync-now")

    def take_sync_request(self) -> bool:
        """True (once) when the kiosk has asked for a round since the last call."""
        try:
            self.sync_request_path.unlink()
        except FileNotFoundError:
            return False
        return True


@dataclasses.dataclass(frozen=True, kw_only=True)
class SyncSection:
    pull_interval_s: float = field(10.0, range=Range(0.1, 3600))
    push_interval_s: float = field(2.0, range=Range(0.1, 3600))
    heartbeat_interval_s: float = field(30.0, range=Range(0.1, 3600))
    page_size: int = field(1000, range=Range(1, 1000))
    push_batch: int = field(200, range=Range(1, 500))
    backoff_max_s: float = field(300.0, range=Range(1, 3600))
    # The weakest code KDF the kiosk accepts from the central service (scrypt n). Only
    # the demo and tests lower it, and never below 1024.
    kdf_min_n: int = field(16384, range=Range(1024, 2**20), check=lambda v: (
        None if 1024 <= v <= 2**20 and v & (v - 1) == 0
        else "must be a power of two from 1024 to 1048576 (16384 in production)"))


def read_secret(path: Path, config_file: str | Path, key: str) -> str:
    """A token or password from the file a config key names; errors never show it."""
    raw = read_capped(path, MAX_SECRET_BYTES)
    if isinstance(raw, str):
        if raw == "does not exist":
            raw += ": put the device token there"
        raise ConfigError(config_file, key, f"{path} {raw}")
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ConfigError(
            config_file, key, f"{path} is not UTF-8 text: is it the right file?"
        ) from None
    if not text:
        raise ConfigError(config_file, key, f"{path} is empty")
    if not text.isprintable():
        raise ConfigError(
            config_file, key, f"{path} holds more than one line or control characters"
        )
    return text


def secret_file_warning(path: Path, config_file: str | Path, key: str) -> str | None:
    """A warning when a secret file can be read by users other than its owner."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # read_secret says what is wrong with it
    if mode & 0o044:
        return (
            f"{config_file}: {key}: {path} is readable by other users (mode "
            f"{stat.S_IMODE(mode):04o}): run chmod 600 {path}"
        )
    return None
