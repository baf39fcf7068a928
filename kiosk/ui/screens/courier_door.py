"""What the courier's deposit and collection screens share: a title with its icon, a line
of text, the door panel (at a door) or a table (between doors), up to three buttons that
call the courier flow, and the on-screen keyboard for a label that will not scan."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.flows.courier_view import CourierView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.door_panel import DoorPanel
from kiosk.ui.widgets.label_keyboard import LabelEntry
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.table import TouchTable
from kiosk.ui.widgets.touch_button import TouchButton

# (button text, courier flow method) or None for a hidden button.
ButtonSpec = tuple[str, str] | None


class CourierDoorScreen(Screen):
    """Subclasses fill `retranslate` with `_buttons(...)`, title and body text."""

    table_name = "table"
    # Flow screens on which the keyboard may be open; any other view closes it.
    typing_screens: frozenset[str] = frozenset()

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        self.main = QWidget(self)
        main = QVBoxLayout(self.main)
        main.setContentsMargins(0, 0, 0, 0)
        self._main_layout = main
        title_row, self.title, self.icon = self.make_title_row(IconKind.INFO)
        self.body = make_label("body", self)
        self.body.setObjectName(f"{self.name.removeprefix('courier_')}_body")
        self.door = DoorPanel(self)
        self.table = TouchTable(self)
        self.table.setObjectName(self.table_name)
        main.addLayout(title_row)
        main.addWidget(self.body)
        main.addWidget(self.door, 1)
        main.addWidget(self.table, 1)
        self.first = TouchButton("", "secondary", self)
        self.first.setObjectName("first")
        self.second = TouchButton("", "secondary", self)
        self.second.setObjectName("second")
        self.primary = TouchButton("", "primary", self)
        self.primary.setObjectName("primary")
        self.row = self.make_actions_row(self.first, self.second, self.primary)
        main.addLayout(self.row)
        outer.addWidget(self.main, 1)
        self.keyboard = LabelEntry(self)
        self.keyboard.setObjectName("label_entry")
        self.keyboard.setVisible(False)
        outer.addWidget(self.keyboard, 1)
        self._actions: dict[str, str] = {}
        for key, button in (("first", self.first), ("second", self.second),
                            ("primary", self.primary)):
            button.clicked.connect(lambda _=False, k=key: self._act(k))
        self.keyboard.submitted.connect(self._typed_label)
        self.keyboard.cancelled.connect(lambda: self.show_keyboard(False))
        self.keyboard.typed.connect(self._keep_alive)

    # -- buttons -----------------------------------------------------------------------
    def _act(self, which: str) -> None:
        name = self._actions.get(which)
        if name == "type_label":
            self.show_keyboard(True)
        elif name and self.ctx.modes is not None:
            self.ctx.modes.call(name)

    def _buttons(self, first: ButtonSpec, second: ButtonSpec, primary: ButtonSpec) -> None:
        for key, button, spec in (("first", self.first, first),
                                  ("second", self.second, second),
                                  ("primary", self.primary, primary)):
            button.setVisible(spec is not None)
            if spec is not None:
                button.setText(spec[0])
                self._actions[key] = spec[1]
            else:
                self._actions.pop(key, None)

    def _show_door(self, at_door: bool) -> None:
        self.door.setVisible(at_door)
        self.table.setVisible(not at_door)
        self.door.retranslate()

    # -- the keyboard ------------------------------------------------------------------
    @property
    def typing(self) -> bool:
        return self.keyboard.isVisibleTo(self)

    def show_keyboard(self, on: bool) -> None:
        self.main.setVisible(not on)
        self.keyboard.setVisible(on)
        if on:
            self.keyboard.setFocus()
        else:
            self.setFocus()

    def _typed_label(self, text: str) -> None:
        # The flow checks a typed label exactly like a scanned one.
        self.show_keyboard(False)
        if self.ctx.modes is not None:
            self.ctx.modes.call("read_label", text)

    def _keep_alive(self) -> None:
        if self.ctx.modes is not None:
            self.ctx.modes.call("touch")

    def show_view(self, view: CourierView) -> None:
        if self.typing and str(view.screen) not in self.typing_screens:
            self.show_keyboard(False)
        if view.door is not None and view.screen != getattr(self.view, "screen", None):
            # A door opened for the typed label: it was right, start afresh next time.
            self.keyboard.set_text("")
        super().show_view(view)

    def on_leave(self) -> None:
        self.show_keyboard(False)
        self.keyboard.set_text("")

    def on_timeout(self) -> None:
        self.on_leave()

    def retranslate(self) -> None:
        self.keyboard.retranslate()
        self.keyboard.set_submit_text(self.tr("Use this label"))

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.door.apply_metrics(m)
        self.table.apply_row_height(max(40, m.px(56)))
        self._main_layout.setSpacing(m.px(24))
        layout = self.layout()
        if layout is not None:
            layout.setSpacing(0)
        # Four rows of keys between the label and the buttons, as big as the height
        # leaves room for (the header takes about 70 px at 1080 lines).
        spacing = m.px(12)
        room = m.height - m.px(70) - m.margin - m.target - m.px(64) - 3 * spacing
        key_gap = max(4, m.px(10))
        key = max(60, min(m.key, (room - 3 * key_gap) // 4))
        self.keyboard.apply_metrics(key, key_gap, m.gap, m.target, spacing)
        self.keyboard.display.setStyleSheet(
            f"font-size: {m.px(44)}px; padding: {m.px(4)}px {m.px(16)}px;")
        self.row.setDirection(QBoxLayout.Direction.TopToBottom if m.portrait
                              else QBoxLayout.Direction.LeftToRight)
