"""A console user over real HTTP: accounts made with the real CLI, a requests session
that keeps the cookies a browser would, and the CSRF token read from each page."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.central_service import REPO_ROOT, CentralService

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def add_operator(
    service: CentralService, role: str, workdir: Path, name: str | None = None
) -> tuple[str, str]:
    """A new console account through `expresspoint central operator add`."""
    name = name or f"{role}-{uuid.uuid4().hex[:8]}"
    password = f"pw-{uuid.uuid4().hex}"
    secret = workdir / f"{name}.pw"
    secret.write_text(password + "\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "central",
            "operator",
            "add",
            "--db",
            service.db_url,
            "--name",
            name,
            "--role",
            role,
            "--password-file",
            str(secret),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0, done.stderr
    return name, password


@dataclass
class ConsoleUser:
    base_url: str
    http: requests.Session = field(default_factory=requests.Session)
    csrf: str = ""

    def get(self, path: str, **params: Any) -> requests.Response:
        resp = self.http.get(self.base_url + path, params=params, timeout=30)
        found = CSRF.search(resp.text)
        if found:
            self.csrf = found.group(1)
        return resp

    def post(
        self, path: str, *, csrf: str | None = None, follow: bool = False, **fields: str
    ) -> requests.Response:
        body = {"csrf": self.csrf if csrf is None else csrf, **fields}
        resp = self.http.post(self.base_url + path, data=body, timeout=30, allow_redirects=follow)
        found = CSRF.search(resp.text)
        if found:
            self.csrf = found.group(1)
        return resp

    def sign_in(self, name: str, password: str) -> requests.Response:
        self.get("/console/login")
        return self.post("/console/login", name=name, password=password)

    def close(self) -> None:
        self.http.close()
