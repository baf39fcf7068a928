"""Refresh the translation catalogues after UI strings changed.

    python -m kiosk.i18n.refresh            # lupdate (.py -> .ts) then lrelease (.ts -> .qm)
    python -m kiosk.i18n.refresh --release  # only compile the .ts files to .qm

lupdate keeps existing translations and marks new or changed strings "unfinished";
translate those in the .ts files (Qt Linguist: `pyside6-linguist`), then run again.
English has a catalogue too, holding only plural forms ("1 second" / "2 seconds").
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.i18n import I18N_DIR, ts_path

LANGUAGES: tuple[str, ...] = ("en", "ru", "zh_CN")
SOURCE_ROOT = I18N_DIR.parent / "ui"


class ToolMissing(RuntimeError):
    """pyside6-lupdate / pyside6-lrelease is not installed next to this Python."""


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ToolMissing(f"{name} not found: install PySide6-Essentials in this environment")
    return found


def sources() -> list[str]:
    return sorted(str(p) for p in SOURCE_ROOT.rglob("*.py"))


def update(languages: tuple[str, ...] = LANGUAGES) -> None:
    for lang in languages:
        args = [_tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete", *sources(),
                "-target-language", lang, "-ts", str(ts_path(lang))]
        if lang == "en":
            args.insert(1, "-pluralonly")
        subprocess.run(args, check=True)


def release(languages: tuple[str, ...] = LANGUAGES) -> None:
    for lang in languages:
        ts = ts_path(lang)
        subprocess.run(
            [_tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="only compile .ts to .qm")
    args = parser.parse_args(argv)
    if not args.release:
        update()
    release()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
