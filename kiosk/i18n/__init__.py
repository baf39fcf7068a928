"""Translations of the kiosk screens: Qt Linguist `.ts` sources and compiled `.qm` files.

Refresh after changing strings: `python -m kiosk.i18n.refresh` (runs pyside6-lupdate on
kiosk/ui, then pyside6-lrelease). See docs/kiosk.md, "Adding a language".
"""

from __future__ import annotations

from pathlib import Path

I18N_DIR = Path(__file__).resolve().parent
CATALOG = "expresspoint"


def qm_path(language: str) -> Path:
    """The compiled catalogue of `language` (Qt locale name such as "ru" or "zh_CN")."""
    return I18N_DIR / f"{CATALOG}_{language}.qm"


def ts_path(language: str) -> Path:
    return I18N_DIR / f"{CATALOG}_{language}.ts"
