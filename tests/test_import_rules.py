"""The walls between the rooms: every import of the product, read from the source, goes
downhill. A room that imports uphill fails here with the file, the line and the rule.

    kiosk          → sync, locker_driver, contract
    sync           → contract            (never kiosk, never central)
    central        → contract            (never kiosk, sync or the driver)
    locker_driver  → nothing of ours
    contract       → nothing of ours
    kiosk/flows    → never Qt, never SQL
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("kiosk", "sync", "central", "locker_driver", "contract")

# room -> rooms of ours it must never import
FORBIDDEN: dict[str, set[str]] = {
    "kiosk": {"central"},
    "sync": {"kiosk", "central"},
    "central": {"kiosk", "sync", "locker_driver"},
    "locker_driver": {"kiosk", "sync", "central", "contract"},
    "contract": {"kiosk", "sync", "central", "locker_driver"},
}
# folder -> third-party top-level packages it must never import
FORBIDDEN_LIBRARIES: dict[str, set[str]] = {
    "kiosk/flows": {"PySide6", "shiboken6", "sqlalchemy", "sqlmodel", "sqlite3"},
    "sync": {"PySide6", "shiboken6", "fastapi", "starlette", "uvicorn"},
    "locker_driver": {"PySide6", "shiboken6", "sqlalchemy", "sqlmodel", "requests"},
    "contract": {"PySide6", "sqlalchemy", "sqlmodel", "fastapi", "requests"},
}


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def _sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_every_room_exists() -> None:
    for room in ROOMS:
        assert (ROOT / room / "__init__.py").is_file(), f"{room}/ is not a package"


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_no_room_imports_uphill(room: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _sources(room)
        for line, name in _imports(path)
        if name.split(".")[0] in FORBIDDEN[room]
    ]
    assert not wrong, f"{room} must not import {sorted(FORBIDDEN[room])}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("folder", sorted(FORBIDDEN_LIBRARIES))
def test_rooms_keep_their_libraries_out(folder: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _sources(folder)
        for line, name in _imports(path)
        if name.split(".")[0] in FORBIDDEN_LIBRARIES[folder]
    ]
    banned = sorted(FORBIDDEN_LIBRARIES[folder])
    assert not wrong, f"{folder} must not import {banned}:\n" + "\n".join(wrong)


def test_the_rule_reader_sees_an_uphill_import(tmp_path: Path) -> None:
    """The checker itself: a file that imports uphill is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom kiosk.flows import pickup\nif True:\n    import central.app\n")
    assert [name for _, name in _imports(bad)] == ["os", "kiosk.flows", "central.app"]
