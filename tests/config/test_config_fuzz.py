"""Generated config files: every one is either a valid config or one clean error line
naming the file, never a traceback (hypothesis)."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config import KioskConfig, load_config
from sync.settings import ConfigError
from sync.worker_cli import load_worker_config
from tests.config.test_config_file import EXAMPLE

pytestmark = pytest.mark.unit

BASE: dict[str, Any] = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def toml_value(value: Any) -> str:
    """TOML text of a value, tables inline (enough for any generated document)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON escapes are TOML ones too
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_value(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def toml_document(table: dict[str, Any]) -> str:
    return "".join(f"{toml_value(k)} = {toml_value(v)}\n" for k, v in table.items())


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
numbers = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-2, max_value=100),
    st.sampled_from([0, 1, -1, 2**31, 10**9, 2**63 - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1, max_value=100),
    st.sampled_from([0.0, 1e-9, 1e308, float("inf"), float("-inf"), float("nan")]),
)
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 1, -1, 2**31, 10**9, 2**63 - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1e-9, 1e308, float("inf"), float("-inf"), float("nan")]),
    texts,
    st.sampled_from(["", "/dev/zero", "/", "cu16", "S", "\x00", "../../etc/passwd"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def paths(table: dict[str, Any], prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = []
    for key, value in table.items():
        out.append((*prefix, key))
        if isinstance(value, dict):
            out += paths(value, (*prefix, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    out += paths(item, (*prefix, key, i))
    return out


ALL_PATHS = paths(BASE)


@st.composite
def mutated_configs(draw: st.DrawFn) -> dict[str, Any]:
    """The shipped example with a few values replaced, removed or added."""
    doc = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent: Any = doc
        try:
            for part in path[:-1]:
                parent = parent[part]
            action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
            if action == "replace":
                was = parent[path[-1]]
                numeric = isinstance(was, int | float) and not isinstance(was, bool)
                # a number is mostly replaced by another number: that is where limits live
                parent[path[-1]] = draw(numbers if numeric and draw(st.booleans()) else values)
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[draw(texts.filter(bool))] = draw(values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the way there
    return doc


def clean_outcome(path: Path) -> KioskConfig | None:
    """Load with both loaders; any failure must be one ConfigError line naming the file."""
    result: KioskConfig | None = None
    for loader in (load_config, load_worker_config):
        try:
            loaded = loader(path)
        except ConfigError as exc:
            text = str(exc)
            assert "\n" not in text and "\r" not in text, text
            assert text.startswith(f"{path}: "), text
            continue
        if isinstance(loaded, KioskConfig):
            result = loaded
    return result


@FUZZ
@given(doc=mutated_configs())
def test_mutated_configs_are_valid_or_one_clean_line(tmp_path: Path, doc: dict[str, Any]) -> None:
    path = tmp_path / "kiosk.toml"
    try:
        text = toml_document(doc)
    except TypeError:
        return
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    config = clean_outcome(path)
    if config is not None:
        # a config that loads has every limit in force
        assert config.pickup.free_attempts >= 1 and config.pickup.lockout_base_s >= 5
        assert config.courier.free_attempts >= 1 and config.remote.max_opens_per_hour <= 60
        assert math.isfinite(config.central.timeout_s) and config.central.timeout_s > 0


@FUZZ
@given(data=st.binary(max_size=2000), cut=st.integers(0, 4000))
def test_damaged_files_are_one_clean_line(tmp_path: Path, data: bytes, cut: int) -> None:
    path = tmp_path / "kiosk.toml"
    original = EXAMPLE.read_bytes()
    # the example with a stretch of random bytes in it, or cut short
    path.write_bytes(original[:cut] + data + original[cut + len(data) // 2 :])
    clean_outcome(path)
