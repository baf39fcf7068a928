"""The conventions' lint and type checks, run with the suite so they stay true."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.unit

PACKAGES = ("kiosk", "locker_driver", "sync", "central", "contract")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    done = _run("ruff", "check", *PACKAGES, "bench", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing_in_the_packages() -> None:
    done = _run("mypy", *PACKAGES)
    assert done.returncode == 0, done.stdout + done.stderr
