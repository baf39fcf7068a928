"""Finds text that does not fit: labels and buttons whose words overflow their box.

For every visible QLabel, the text's bounding rectangle (with word wrap when the label
wraps) must fit inside the label's contents rectangle, and every visible widget must lie
inside the window. Buttons carry their text in a wrapped QLabel, so they are covered.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def _visible(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.width() > 0 and widget.height() > 0


def clipped_texts(window: QWidget) -> list[str]:
    problems: list[str] = []
    window_rect = window.rect()
    for label in window.findChildren(QLabel):
        if not _visible(label, window) or not label.text():
            continue
        rect = label.contentsRect()
        fm = label.fontMetrics()
        flags = int(label.alignment())
        if label.wordWrap():
            flags |= int(Qt.TextFlag.TextWordWrap)
            needed = fm.boundingRect(QRect(0, 0, rect.width(), 100000), flags, label.text())
        else:
            needed = fm.boundingRect(QRect(0, 0, 100000, 100000), flags, label.text())
        # One pixel of rounding slack.
        if needed.width() > rect.width() + 1 or needed.height() > rect.height() + 1:
            problems.append(
                f"{_path(label)} {label.text()!r}: needs {needed.width()}x{needed.height()},"
                f" has {rect.width()}x{rect.height()}"
            )
    for widget in window.findChildren(QWidget):
        if not _visible(widget, window):
            continue
        if not isinstance(widget, QLabel | QAbstractButton) and not widget.objectName():
            continue
        top_left = widget.mapTo(window, QPoint(0, 0))
        box = QRect(top_left, widget.size())
        if not window_rect.contains(box):
            problems.append(f"{_path(widget)} lies outside the window: {box} vs {window_rect}")
    return problems


def small_targets(window: QWidget, minimum: int) -> list[str]:
    """Visible buttons smaller than `minimum` pixels in either direction."""
    small = []
    for button in window.findChildren(QAbstractButton):
        if _visible(button, window) and min(button.width(), button.height()) < minimum:
            small.append(f"{_path(button)} is {button.width()}x{button.height()}")
    return small


def _path(widget: QWidget) -> str:
    names = []
    w: QWidget | None = widget
    while w is not None:
        names.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(names))
