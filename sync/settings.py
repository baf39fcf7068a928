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
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class ConfigError(Exception):
    """A configuration problem a person must fix; the message names file and key."""

    def __init__(self, file: str | Path, key: str, problem: str) -> None:
        self.file = str(file)
        self.key = key
        self.problem = problem
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(where + problem)


def load_toml(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found: create it from config/example.toml") from None
    except PermissionError:
        raise ConfigError(
            path, "", "permission denied: the service user must be able to read it"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML ({exc})") from None


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


def _convert(tp: Any, value: Any, file: Path | str, key: str) -> Any:
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
                return _convert(arg, value, file, key)
            except ConfigError as exc:
                last = exc
        assert last is not None
        raise last
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(file, key, f"expected a table, got {_describe(value)}")
        return parse_table(tp, value, file=file, prefix=key)  # type: ignore[arg-type]
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
        items = [_convert(item_tp, v, file, f"{key}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin in (dict, Mapping):
        if not isinstance(value, dict):
            raise ConfigError(file, key, f"expected a table, got {_describe(value)}")
        _k, val_tp = typing.get_args(tp) or (str, Any)
        return {k: _convert(val_tp, v, file, f"{key}.{k}") for k, v in value.items()}
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
        return float(value)
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


def parse_table(cls: type[T], table: Mapping[str, Any], *, file: str | Path, prefix: str = "") -> T:
    """Build dataclass `cls` from a TOML table, refusing unknown keys and wrong types.

    A field's metadata may hold `check`: a callable returning an error text or None.
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
        value = _convert(hints[name], table[name], file, key)
        check = field.metadata.get("check")
        if check is not None:
            problem = check(value)
            if problem:
                raise ConfigError(file, key, problem)
        kwargs[name] = value
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as exc:
        raise ConfigError(file, prefix or "(top level)", str(exc)) from None


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def positive(value: float) -> str | None:
    return None if value > 0 else "must be greater than 0"


def at_least(minimum: float) -> typing.Callable[[float], str | None]:
    def check(value: float) -> str | None:
        return None if value >= minimum else f"must be at least {minimum}"

    return check


def field(default: Any = dataclasses.MISSING, *, check: Any = None, **kw: Any) -> Any:
    """`dataclasses.field` with a value check stored in metadata."""
    meta = {"check": check} if check else {}
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
            None if v.startswith(("http://", "https://")) else "must start with http:// or https://"
        )
    )
    token_file: Path = field()
    timeout_s: float = field(10.0, check=positive)

    def read_token(self, config_file: str | Path) -> str:
        """The device token; the error names the file, never the token."""
        try:
            token = self.token_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise ConfigError(
                config_file,
                "central.token_file",
                f"{self.token_file} does not exist: put the device token there",
            ) from None
        except PermissionError:
            raise ConfigError(
                config_file, "central.token_file", f"{self.token_file} is not readable by this user"
            ) from None
        if not token:
            raise ConfigError(config_file, "central.token_file", f"{self.token_file} is empty")
        return token


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
    pull_interval_s: float = field(10.0, check=positive)
    push_interval_s: float = field(2.0, check=positive)
    heartbeat_interval_s: float = field(30.0, check=positive)
    page_size: int = field(1000, check=lambda v: None if 1 <= v <= 1000 else "must be 1..1000")
    push_batch: int = field(200, check=lambda v: None if 1 <= v <= 500 else "must be 1..500")
    backoff_max_s: float = field(300.0, check=positive)
