"""A map of the locker bank with the open door(s) highlighted.

Cells are drawn from (column, row) positions, row 0 at the top, like the doors a
customer sees. The highlighted cell carries its label and a thick frame as well as a
colour, so the map also reads in black and white.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui import theme


@dataclass(frozen=True)
class MapCell:
    label: str
    column: int
    row: int


class LockerMap(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cells: tuple[MapCell, ...] = ()
        self._grid = (1, 1)
        self._highlight: frozenset[str] = frozenset()
        self._current: str | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_doors(
        self,
        bank: Iterable[MapCell],
        opened: Iterable[MapCell],
        current: str | None = None,
        grid: tuple[int, int] | None = None,
    ) -> None:
        """Draw `bank` (every door) with `opened` highlighted and `current` filled."""
        opened = tuple(opened)
        known = {c.label: c for c in bank}
        for cell in opened:  # a door missing from the bank map is still drawn
            known.setdefault(cell.label, cell)
        self._cells = tuple(known.values())
        self._highlight = frozenset(c.label for c in opened)
        self._current = current
        columns = max((c.column for c in self._cells), default=0) + 1
        rows = max((c.row for c in self._cells), default=0) + 1
        if grid is not None:
            columns, rows = max(columns, grid[0]), max(rows, grid[1])
        self._grid = (columns, rows)
        self.update()

    @property
    def highlighted(self) -> frozenset[str]:
        return self._highlight

    @property
    def current(self) -> str | None:
        return self._current

    def grid_size(self) -> tuple[int, int]:
        return self._grid

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, 300)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(120, 120)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        columns, rows = self.grid_size()
        area = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        cell_w = area.width() / columns
        cell_h = area.height() / rows
        # Keep cells roughly door-shaped rather than stretched.
        cell_w = min(cell_w, cell_h * 1.6)
        x0 = area.x() + (area.width() - cell_w * columns) / 2
        y0 = area.y() + (area.height() - cell_h * rows) / 2
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(9, int(min(cell_w / 3.2, cell_h / 2.2))))
        p.setFont(font)
        thin = QPen(QColor(theme.INK), 1.5)
        for cell in self._cells:
            rect = QRectF(x0 + cell.column * cell_w, y0 + cell.row * cell_h, cell_w, cell_h)
            rect = rect.adjusted(2, 2, -2, -2)
            if cell.label in self._highlight:
                is_current = cell.label == self._current
                p.fillRect(rect, QColor(theme.HIGHLIGHT if is_current else theme.PAPER_ALT))
                p.setPen(QPen(QColor(theme.INK), max(3.0, cell_w / 14)))
                p.drawRect(rect)
                p.setPen(QColor(theme.PAPER if is_current else theme.INK))
                p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), cell.label)
            else:
                p.fillRect(rect, QColor(theme.PAPER))
                p.setPen(thin)
                p.drawRect(rect)


class Arrow(QWidget):
    """A big arrow pointing at the camera ("scan your code here")."""

    def __init__(self, direction: str = "top", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._direction = direction
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedSize(80, 80)

    @property
    def direction(self) -> str:
        return self._direction

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        from PySide6.QtGui import QPainterPath, QTransform

        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = min(self.width(), self.height())
        path = QPainterPath()
        # Arrow pointing up, then rotated towards the camera.
        path.moveTo(s * 0.5, s * 0.05)
        path.lineTo(s * 0.92, s * 0.5)
        path.lineTo(s * 0.64, s * 0.5)
        path.lineTo(s * 0.64, s * 0.95)
        path.lineTo(s * 0.36, s * 0.95)
        path.lineTo(s * 0.36, s * 0.5)
        path.lineTo(s * 0.08, s * 0.5)
        path.closeSubpath()
        angle = {"top": 0, "right": 90, "bottom": 180, "left": 270}.get(self._direction, 0)
        t = QTransform().translate(s / 2, s / 2).rotate(angle).translate(-s / 2, -s / 2)
        p.fillPath(t.map(path), QColor(theme.PRIMARY))
