"""The technician's live map: every compartment with its door, lock state and occupancy.

Each cell spells its states in words (and an open door is drawn with a gap in its frame),
so nothing depends on colour alone. A tap selects a cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui import theme


@dataclass(frozen=True)
class GridCell:
    label: str
    column: int
    row: int
    lines: tuple[str, ...]  # already translated: door state, compartment state, occupancy
    door_open: bool
    attention: bool  # fault / out of service / unknown door


class CompartmentGrid(QWidget):
    """Cells sized to the bank; each cell's text shrinks until its widest line fits."""

    selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cells: tuple[GridCell, ...] = ()
        self._selected: str | None = None
        self._rects: dict[str, QRectF] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def current(self) -> str | None:
        return self._selected

    def set_cells(self, cells: tuple[GridCell, ...]) -> None:
        self._cells = cells
        if self._selected not in {c.label for c in cells}:
            self._selected = None
        self.update()

    def select(self, label: str | None) -> None:
        self._selected = label
        self.update()
        if label is not None:
            self.selected.emit(label)

    def cell_rect(self, label: str) -> QRectF | None:
        self._layout()
        return self._rects.get(label)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(400, 300)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(160, 120)

    def _layout(self) -> None:
        self._rects = {}
        if not self._cells:
            return
        c0 = min(c.column for c in self._cells)
        r0 = min(c.row for c in self._cells)
        columns = max(c.column for c in self._cells) - c0 + 1
        rows = max(c.row for c in self._cells) - r0 + 1
        w = self.width() / columns
        h = self.height() / rows
        for cell in self._cells:
            self._rects[cell.label] = QRectF(
                (cell.column - c0) * w, (cell.row - r0) * h, w, h).adjusted(2, 2, -2, -2)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._layout()
        for label, rect in self._rects.items():
            if rect.contains(event.position()):
                self.select(label)
                return
        super().mousePressEvent(event)

    def _fitting_font(self, lines: tuple[str, ...], rect: QRectF) -> QFont:
        font = QFont(self.font())
        size = max(8, int(rect.height() / 2))
        while size > 8:
            font.setPixelSize(size)
            font.setBold(True)
            widest = max(QFontMetricsF(font).horizontalAdvance(t) for t in lines)
            if widest <= rect.width() - 10:
                break
            size -= 1
        font.setPixelSize(size)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self._layout()
        if not self._cells:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        # One type size for the whole map: the largest at which every cell's text fits.
        depth = max(len(c.lines) + 1 for c in self._cells)
        every_line = tuple({t for c in self._cells for t in (c.label, *c.lines)})
        sample = self._rects[self._cells[0].label]
        shared = self._fitting_font(every_line, sample)
        rows_fit = max(8, int(sample.height() / (1.25 * depth + 0.4)))
        shared.setPixelSize(min(shared.pixelSize(), rows_fit))
        for cell in self._cells:
            rect = self._rects[cell.label]
            chosen = cell.label == self._selected
            background = theme.HIGHLIGHT if chosen else (
                theme.WARNING_BG if cell.attention else theme.PAPER)
            ink = theme.PAPER if chosen else theme.INK
            p.fillRect(rect, QColor(background))
            pen = QPen(QColor(theme.INK), 4 if chosen else 1.5)
            if cell.door_open:
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setWidthF(3)
            p.setPen(pen)
            p.drawRect(rect)
            lines = (cell.label, *cell.lines)
            font = QFont(shared)
            size = font.pixelSize()
            p.setPen(QColor(ink))
            y = rect.y() + (rect.height() - size * 1.25 * len(lines)) / 2
            for i, text in enumerate(lines):
                font.setBold(i == 0)
                p.setFont(font)
                line = QRectF(rect.x() + 2, y + i * size * 1.25, rect.width() - 4, size * 1.25)
                p.drawText(line, int(Qt.AlignmentFlag.AlignCenter), text)
