"""A big button whose label wraps instead of being cut off.

QPushButton never wraps its text, and Russian labels run ~30 % longer than English
ones, so the label is a word-wrapped QLabel inside the button. Pressed feedback comes
from the style sheet (`:pressed`), which Qt paints on the press itself.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget


class TouchButton(QPushButton):
    """Variants: "primary" (the one main action), "secondary", "key", "quiet"."""

    def __init__(
        self,
        text: str = "",
        variant: str = "secondary",
        parent: QWidget | None = None,
        min_height: int = 60,
    ) -> None:
        super().__init__(parent)
        self.setProperty("variant", variant)
        self._min_height = min_height
        self._label = QLabel(text, self)
        self._label.setWordWrap(variant != "key")
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        # No layout on purpose: Qt's layouts ask a child layout, not our heightForWidth,
        # for the height of a widget that has one.
        self._pad_h = 12
        self._pad_v = 6
        self._fit_height = 0
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        # Keyboard focus (hardware keypads, Tab) but not from touches: a tapped button
        # must not keep a focus frame.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Hardware keypads have Enter, not Space: Enter presses the focused button.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.animateClick()
            return
        super().keyPressEvent(event)

    # QPushButton.text() stays empty: the label holds the text.
    def label_text(self) -> str:
        return self._label.text()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        self._label.setText(text)
        self.setAccessibleName(text)
        self._fit_height = 0
        self.updateGeometry()

    def set_current(self, on: bool) -> None:
        """Mark the chosen one of a group (language, ID, field): drawn filled.

        A dynamic property, not QAbstractButton's own "checked" (which a non-checkable
        button ignores); both the button and its label are re-polished so the style
        sheet's [current="true"] rules apply at once."""
        self.setProperty("current", "true" if on else "false")
        for widget in (self, self._label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    @property
    def is_current(self) -> bool:
        return self.property("current") == "true"

    @property
    def label(self) -> QLabel:
        return self._label

    def set_min_height(self, px: int) -> None:
        self._min_height = px
        self.updateGeometry()

    def set_padding(self, horizontal: int, vertical: int) -> None:
        self._pad_h, self._pad_v = horizontal, vertical
        self._place_label()
        self.updateGeometry()

    def _pad(self) -> tuple[int, int]:
        return 2 * self._pad_h, 2 * self._pad_v

    def _place_label(self) -> None:
        self._label.setGeometry(
            self.rect().adjusted(self._pad_h, self._pad_v, -self._pad_h, -self._pad_v)
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_label()
        # Box layouts estimate a row's height-for-width with widths that can differ from
        # the ones they finally give; if the label needs more room at the real width,
        # ask for it (the width does not depend on the height, so this settles at once).
        needed = self.heightForWidth(self.width())
        if needed > self.height() and needed != self._fit_height:
            self._fit_height = needed
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802
        ph, pv = self._pad()
        fm = self._label.fontMetrics()
        width = fm.horizontalAdvance(self._label.text()) + ph + 8
        return QSize(width, max(self._min_height, self._fit_height, fm.height() + pv))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        ph, _ = self._pad()
        longest = max(
            (self._label.fontMetrics().horizontalAdvance(w) for w in self._label.text().split()),
            default=0,
        )
        if not self._label.wordWrap():
            longest = self._label.fontMetrics().horizontalAdvance(self._label.text())
        return QSize(longest + ph + 8, max(self._min_height, self._fit_height))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        ph, pv = self._pad()
        inner_width = max(1, width - ph)
        inner = self._label.heightForWidth(inner_width)
        if inner < 0:
            inner = self._label.sizeHint().height()
        # QLabel's own layout and the font metrics disagree by a pixel or two on CJK
        # line heights; take the larger so the text never touches the edge.
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        measured = self._label.fontMetrics().boundingRect(
            QRect(0, 0, inner_width, 100000), flags, self._label.text()
        )
        inner = max(inner, measured.height())
        # A few pixels of slack: CJK line heights round differently in the label.
        return max(self._min_height, self._fit_height, inner + pv + 4)
