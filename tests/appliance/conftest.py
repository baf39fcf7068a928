"""Fixtures for the appliance tests: a wheel of this tree and installs into temp roots.

Nothing here touches the real `/`: the installer always runs with `--root` pointing
at a temporary directory, offline (`--wheel`, `--no-deps`, `PIP_NO_INDEX=1`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "scripts" / "install-appliance"
PACKAGES = ("kiosk", "locker_driver", "sync", "contract", "central")
VENV = "opt/expresspoint/venv"


@dataclass(frozen=True)
class InstallRun:
    returncode: int
    output: str


Installer = Callable[..., InstallRun]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of the current tree, built offline from a private copy of the sources."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    for pkg in PACKAGES:
        shutil.copytree(REPO / pkg, src / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheelhouse")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(out),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        "building the wheel failed (the dev extras bring setuptools>=68 and wheel: "
        f"pip install -e '.[dev]'):\n{result.stderr}"
    )
    (built,) = out.glob("expresspoint-*.whl")
    return built


@pytest.fixture(scope="session")
def run_installer(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installer:
    """Runs the installer into a root. The first install creates its venv from scratch;
    later ones start from a copy of that venv (creating a venv with pip takes seconds),
    and the installer still installs the package into it with pip."""
    template: list[Path] = []

    def run(root: Path, *args: str, offline_wheel: bool = True) -> InstallRun:
        argv = [str(INSTALLER), "--root", str(root), *args]
        installing = offline_wheel and "--uninstall" not in args
        if installing:
            argv += ["--wheel", str(wheel), "--no-deps", "--python", sys.executable]
            venv = root / VENV
            if template and not venv.exists():
                shutil.copytree(template[0], venv, symlinks=True)
                (venv / ".expresspoint-source").unlink()
        env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=180, env=env, stdin=subprocess.DEVNULL
        )
        if installing and result.returncode == 0 and not template:
            template.append(tmp_path_factory.mktemp("venv-template") / "venv")
            shutil.copytree(root / VENV, template[0], symlinks=True)
            _borrow_dependencies(template[0])
        return InstallRun(result.returncode, result.stdout + result.stderr)

    return run


def _borrow_dependencies(venv: Path) -> None:
    """Let a test venv import ExpressPoint's dependencies (pyserial, SQLModel, ...) from
    the project's own venv, since the tests install offline with --no-deps.

    A plain path entry: the project venv's own .pth files (its editable install of
    this tree) are not processed, so `kiosk`, `sync` and `locker_driver` still come
    from the wheel installed in the test venv, which comes first on sys.path."""
    (site,) = venv.glob("lib/python3*/site-packages")
    dev_site = sysconfig.get_paths()["purelib"]
    (site / "zz-expresspoint-test-deps.pth").write_text(dev_site + "\n")


@dataclass(frozen=True)
class Installed:
    root: Path
    output: str


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory, run_installer: Installer) -> Installed:
    """One appliance installed from scratch into a temp root, shared by read-only tests."""
    root = tmp_path_factory.mktemp("root")
    run = run_installer(root, "--locker-id", "LCK-0042", "--central-url", "https://c.example")
    assert run.returncode == 0, run.output
    return Installed(root, run.output)


@pytest.fixture(scope="session")
def installed_root(installed: Installed) -> Path:
    return installed.root


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every path under root with its type, mode, size, mtime and content hash."""
    state: dict[str, tuple[object, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            rel = str(path.relative_to(root))
            if path.is_symlink():
                state[rel] = ("link", os.readlink(path))
            elif path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                state[rel] = ("file", st.st_mode, st.st_size, st.st_mtime_ns, digest)
            else:
                state[rel] = ("dir", st.st_mode)
    return state
