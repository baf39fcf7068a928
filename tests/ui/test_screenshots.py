"""Every screen in every language at every kiosk resolution: no text cut off.

Screenshots land in artifacts/screenshots/<language>/<width>x<height>/<screen>.png for a
person to look at; the test itself checks that every label's text fits its box, that
every widget lies inside the window and that touch targets are big enough.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.ui import theme
from kiosk.ui.main_window import MainWindow
from tests.ui.layout_check import clipped_texts, small_targets
from tests.ui.samples import COURIER_SAMPLES, SAMPLES, TECH_SAMPLES

pytestmark = pytest.mark.ui

SIZES = ((800, 480), (1280, 800), (1920, 1080), (1080, 1920))
LANGUAGES = ("en", "ru", "zh_CN")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


ALL_SAMPLES = {**SAMPLES, **COURIER_SAMPLES, **TECH_SAMPLES}
UI_PAGES = ("scan", "camera_test")
# The label keyboard, open over a courier screen (UI state inside the page).
TYPING = {"deposit_typing": ("deposit_scan", "courier_deposit"),
          "collect_typing": ("collect_list", "courier_collect")}


def _render(window: MainWindow, name: str) -> None:
    if name in UI_PAGES:
        window.show_view(SAMPLES["idle"])
        window.show_page(name)
    elif name in TYPING:
        sample, page = TYPING[name]
        window.show_view(COURIER_SAMPLES[sample])
        window.pages[page].show_keyboard(True)
        window.pages[page].keyboard.set_text("XP-LBL-70")
    else:
        window.show_view(ALL_SAMPLES[name])
        if name == "checking":
            window._show_working()  # the working screen is due once 300 ms have passed
    QApplication.processEvents()
    QApplication.processEvents()


# Renders every screen at four sizes: minutes of CPU on a loaded 2-core box, so the
# default 120 s guard against a hang is too tight here.
@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_fits_in_every_size(qtbot, window, language) -> None:
    window.set_language(language)
    problems: list[str] = []
    shots = 0
    for width, height in SIZES:
        window.resize(width, height)
        window.show_page("idle")
        QApplication.processEvents()
        minimum_target = theme.Metrics.for_size(width, height).target
        folder = SHOTS / language / f"{width}x{height}"
        folder.mkdir(parents=True, exist_ok=True)
        for name in (*ALL_SAMPLES, *UI_PAGES, *TYPING):
            _render(window, name)
            assert window.size().width() == width and window.size().height() == height
            image = window.grab()
            assert image.width() == width and image.height() == height
            image.save(str(folder / f"{name}.png"))
            shots += 1
            where = f"{language} {width}x{height} {name}:"
            problems += [f"{where} {p}" for p in clipped_texts(window)]
            problems += [f"{where} {p}" for p in small_targets(window, min(60, minimum_target))]
    assert shots == len(SIZES) * (len(ALL_SAMPLES) + len(UI_PAGES) + len(TYPING))
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_large_text_still_fits(qtbot, window) -> None:
    """The attract screen's larger-text toggle, in Russian (the longest strings)."""
    window.set_language("ru")
    qtbot.mouseClick(window.pages["idle"].large_text, _left())
    assert window.large_text
    assert window.pages["idle"].large_text.is_current
    problems: list[str] = []
    for width, height in SIZES:
        window.resize(width, height)
        window.show_page("idle")
        QApplication.processEvents()
        big = theme.Metrics.for_size(width, height, large_text=True)
        assert window.metrics.body == big.body > theme.Metrics.for_size(width, height).body
        folder = SHOTS / "ru-large" / f"{width}x{height}"
        folder.mkdir(parents=True, exist_ok=True)
        for name in (*SAMPLES, "scan"):
            _render(window, name)
            window.grab().save(str(folder / f"{name}.png"))
            problems += [f"{width}x{height} {name}: {p}" for p in clipped_texts(window)]
    assert not problems, "\n".join(problems)
    window.time_out()  # the next customer gets the default size and language back
    assert not window.large_text and window.languages.current == "en"


def test_language_buttons_retranslate_visible_screens(qtbot, window) -> None:
    idle = window.pages["idle"]
    assert idle.type_code.label_text() == "Type your code"
    qtbot.mouseClick(idle.languages.buttons["ru"], _left())
    QApplication.processEvents()  # Qt posts LanguageChange to the windows
    assert idle.type_code.label_text() == "Ввести код"
    # The chosen language is marked by more than its words: its button is filled.
    assert idle.languages.buttons["ru"].is_current
    assert not idle.languages.buttons["en"].is_current
    assert window.offline_badge.label.text() == "Нет связи: выдача работает"
    # Pages not on screen are retranslated too, so the next one appears in Russian.
    assert window.pages["code_entry"].submit.label_text() == "Открыть ячейку"
    qtbot.mouseClick(idle.languages.buttons["zh_CN"], _left())
    QApplication.processEvents()
    assert idle.type_code.label_text() == "输入取件码"
    qtbot.mouseClick(idle.languages.buttons["en"], _left())
    QApplication.processEvents()
    assert idle.type_code.label_text() == "Type your code"


def test_plural_forms_follow_the_language(qtbot, window) -> None:
    window.show_view(SAMPLES["unknown_code"])  # 3 more wrong codes before a pause
    page = window.pages["error"]
    assert "3 more wrong codes before a short pause." in page.body.text()
    window.set_language("ru")
    QApplication.processEvents()
    assert "Ещё 3 неверных кода" in page.body.text()
    window.set_language("zh_CN")
    QApplication.processEvents()
    assert "再输错 3 次" in page.body.text()
    window.set_language("en")


def test_the_pause_counts_down_in_minutes_and_seconds(qtbot, window) -> None:
    window.show_view(SAMPLES["locked_out"])  # 270 s
    page = window.pages["error"]
    assert "try again in 4:30" in page.body.text()
    assert page.help.isVisible() and "+1 555 0100" in page.help.text()


def _left() -> Qt.MouseButton:
    return Qt.MouseButton.LeftButton
