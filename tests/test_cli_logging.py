"""Log lines reach journald with their priority, and terminals with a timestamp."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit

SCRIPT = (
    "import logging; from kiosk.cli import configure_logging; configure_logging('INFO');"
    "log = logging.getLogger('t'); log.info('hello'); log.warning('careful');"
    "log.error('two\\nlines')"
)


def _stderr(env: dict[str, str]) -> list[str]:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=60)
    return done.stderr.splitlines()


def test_under_systemd_every_line_carries_its_syslog_priority() -> None:
    env = {**os.environ, "JOURNAL_STREAM": "8:12345"}
    assert _stderr(env) == ["<6>INFO t: hello", "<4>WARNING t: careful", "<3>ERROR t: two",
                            "<3>lines"]


def test_in_a_terminal_lines_have_a_timestamp_and_no_prefix() -> None:
    env = {k: v for k, v in os.environ.items() if k != "JOURNAL_STREAM"}
    lines = _stderr(env)
    assert lines[0].endswith("INFO t: hello") and lines[0][:4].isdigit()
