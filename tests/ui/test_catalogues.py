"""The translation catalogues are complete and compiled from their sources."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kiosk.i18n import qm_path, ts_path

pytestmark = pytest.mark.unit

# Plural forms per language, as Qt counts them.
FORMS = {"en": 2, "ru": 3, "zh_CN": 1}


@pytest.mark.parametrize("language", ["ru", "zh_CN", "en"])
def test_every_string_is_translated(language: str) -> None:
    root = ET.parse(ts_path(language)).getroot()
    messages = list(root.iter("message"))
    assert messages
    for message in messages:
        source = message.findtext("source")
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") is None, f"{language}: {source!r} is unfinished"
        if message.get("numerus") == "yes":
            forms = [f.text or "" for f in translation.iter("numerusform")]
            assert len(forms) == FORMS[language], f"{language}: {source!r} plural forms"
            assert all("%n" in f for f in forms), f"{language}: {source!r} lost %n"
        else:
            assert language == "en" or (translation.text or "").strip(), source
            for marker in ("%1", "%2", "%3"):
                if marker in (source or ""):
                    assert marker in (translation.text or ""), f"{language}: {source!r}"
    assert qm_path(language).stat().st_mtime >= ts_path(language).stat().st_mtime - 5
