"""Switches the UI language at run time with a QTranslator.

Installing or removing a translator makes Qt send LanguageChange to every widget; the
screens retranslate themselves in `changeEvent`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator, Signal

from kiosk.i18n import qm_path

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"


class MissingTranslation(RuntimeError):
    """A configured language has no compiled catalogue."""


class LanguageSwitcher(QObject):
    language_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translator: QTranslator | None = None
        self._current = ""

    @property
    def current(self) -> str:
        return self._current

    def set_language(self, code: str) -> None:
        if code == self._current:
            return
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before switching languages")
        translator: QTranslator | None = None
        path = qm_path(code)
        # The source language has a catalogue too, for its plural forms only.
        if code != SOURCE_LANGUAGE or path.exists():
            translator = QTranslator(self)
            if not translator.load(str(path)):
                raise MissingTranslation(
                    f"no compiled translation for {code!r} at {path}: "
                    "run `python -m kiosk.i18n.refresh` or remove it from the languages setting"
                )
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator.deleteLater()
        self._translator = translator
        if translator is not None:
            app.installTranslator(translator)
        QLocale.setDefault(QLocale(code))
        self._current = code
        log.info("UI language is now %s", code)
        self.language_changed.emit(code)
