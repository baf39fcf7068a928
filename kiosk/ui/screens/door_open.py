"""The door screen: which door, where it is on the locker, and "close it when done".

Renders three flow screens: door_opening (unlock sent), door_open (take the parcel) and
door_left_open (the door has stood open too long).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.flows.pickup_view import DoorProblem, PickupScreen, PickupView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets.door_panel import Grid, position_text
from kiosk.ui.widgets.locker_map import LockerMap
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.touch_button import TouchButton


class DoorOpenScreen(Screen):
    name = "door_open"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._grid = Grid((), ())
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.DOOR)
        self.count = make_label("body", self)
        self.count.setObjectName("door_count")
        self.door_label = make_label("door", self)
        self.door_label.setObjectName("door_label")
        self.door_label.setWordWrap(False)
        self.door_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.position = make_label("body", self)
        self.position.setObjectName("door_position")
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.instruction = make_label("body", self)
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.instruction.setObjectName("instruction")
        self.map = LockerMap(self)
        self.map.setObjectName("locker_map")

        left = QVBoxLayout()
        left.addWidget(self.count)
        left.addStretch(1)
        left.addWidget(self.door_label)
        left.addWidget(self.position)
        left.addWidget(self.instruction)
        left.addStretch(1)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.addLayout(left, 1)
        self.body.addWidget(self.map, 1)
        # Something wrong at the door: "Problem?" in the title row shows the three
        # reports in place of the door and map; each tells the central service and the
        # next screen says what happens next.
        self.problem_toggle = TouchButton("", "secondary", self)
        self.problem_toggle.setObjectName("problem_toggle")
        self.problem_toggle.clicked.connect(lambda: self.show_problems(True))
        title_row.addWidget(self.problem_toggle, 0, Qt.AlignmentFlag.AlignTop)
        self.door_area = QWidget(self)
        self.door_area.setLayout(self.body)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.problem_panel = QWidget(self)
        self.problem_panel.setObjectName("problem_panel")
        panel = QVBoxLayout(self.problem_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.setProperty("gapped", True)
        panel.addStretch(1)
        self.problems: dict[DoorProblem, TouchButton] = {}
        for problem in DoorProblem:
            button = TouchButton("", "secondary", self.problem_panel)
            button.setObjectName(f"problem_{problem}")
            button.clicked.connect(lambda _=False, p=problem: self._report(p))
            panel.addWidget(button)
            self.problems[problem] = button
        self.problem_back = TouchButton("", "primary", self.problem_panel)
        self.problem_back.setObjectName("problem_back")
        self.problem_back.clicked.connect(lambda: self.show_problems(False))
        panel.addWidget(self.problem_back)
        self.problem_panel.setVisible(False)
        outer.addLayout(title_row)
        outer.addWidget(self.door_area, 1)
        outer.addWidget(self.problem_panel, 1)
        self.retranslate()

    def show_problems(self, on: bool) -> None:
        self.problem_panel.setVisible(on)
        self.door_area.setVisible(not on)
        self.problem_toggle.setVisible(not on and self._at_door())

    def _report(self, problem: DoorProblem) -> None:
        self.show_problems(False)
        self.ctx.actions.report_problem(str(problem))

    def _at_door(self) -> bool:
        view: PickupView | None = self.view
        return view is not None and view.screen in (PickupScreen.door_open,
                                                    PickupScreen.door_left_open)

    def on_leave(self) -> None:
        self.show_problems(False)

    def show_view(self, view: PickupView) -> None:
        door = view.door
        grid = Grid(view.locker_map.doors, view.doors + ((door,) if door else ()))
        self.map.show_doors(
            [grid.cell(d) for d in view.locker_map.doors],
            [grid.cell(d) for d in view.doors],
            door.label if door else None,
            (grid.columns, grid.rows),
        )
        self._grid = grid
        super().show_view(view)

    def retranslate(self) -> None:
        view: PickupView | None = self.view
        screen = view.screen if view else PickupScreen.door_open
        door = view.door if view else None
        label = door.label if door else ""
        self.door_label.setText(label)
        if door is not None and view is not None:
            grid = self._grid
            self.position.setText(position_text(grid.place(door), grid.columns, grid.rows))
        else:
            self.position.setText("")
        many = view is not None and view.door_count > 1
        self.count.setVisible(many)
        if many and view is not None:
            self.count.setText(
                self.tr("Door %1 of %2 for your code")
                .replace("%1", str(view.door_number)).replace("%2", str(view.door_count))
            )
        if screen is PickupScreen.door_opening:
            self.icon.set_kind(IconKind.DOOR)
            self.title.setText(self.tr("Opening door %1…").replace("%1", label))
            self.instruction.setText(self.tr("The door will spring open in a moment."))
        elif screen is PickupScreen.door_left_open:
            self.icon.set_kind(IconKind.WARNING)
            self.title.setText(self.tr("Door %1 is still open").replace("%1", label))
            if view is not None and view.left_open_alarm:
                self.instruction.setText(
                    self.tr("Please close the door firmly. Staff have been notified.")
                )
            else:
                self.instruction.setText(self.tr("Please take your parcel and close the door."))
        else:
            self.icon.set_kind(IconKind.SUCCESS)
            self.title.setText(self.tr("Door %1 is open").replace("%1", label))
            self.instruction.setText(
                self.tr("Take your parcel and close the door when you are done.")
            )
        self.map.setAccessibleName(self.tr("Map of the locker with your door marked"))
        texts = {DoorProblem.door_didnt_open: self.tr("Door didn't open"),
                 DoorProblem.parcel_missing: self.tr("Parcel is not here"),
                 DoorProblem.parcel_damaged: self.tr("Parcel is damaged")}
        for problem, button in self.problems.items():
            button.setText(texts[problem])
        self.problem_toggle.setText(self.tr("Problem?"))
        self.problem_back.setText(self.tr("Back to my door"))
        if not self._at_door():
            self.show_problems(False)
        self.problem_toggle.setVisible(self._at_door() and not self.problem_panel.isVisibleTo(
            self))

    def apply_metrics(self, m: Metrics) -> None:
        super().apply_metrics(m)
        self.body.setSpacing(m.gap)
        # The door label is the one thing to read from a step back: as big as the
        # height allows next to the title, the map and the instruction.
        # Larger text elsewhere leaves less height for the label on short screens.
        factor = 0.18 if m.text_scale == 1.0 else 0.16
        if m.height < 600:
            factor -= 0.015  # the help line takes its share of a short screen
        size = min(m.huge, int(m.height * factor))
        self.door_label.setStyleSheet(f"font-size: {size}px;")
        instruction = m.px(34) if m.height >= 700 else m.body
        self.instruction.setStyleSheet(f"font-size: {instruction}px; font-weight: bold;")
        if m.portrait:
            self.body.setDirection(QBoxLayout.Direction.TopToBottom)
            self.body.setStretch(0, 0)
            self.body.setStretch(1, 1)
        else:
            self.body.setDirection(QBoxLayout.Direction.LeftToRight)
            # A short screen gives the words more width, so they keep to one line each.
            self.body.setStretch(0, 2 if m.height < 600 else 3)
            self.body.setStretch(1, 1 if m.height < 600 else 2)
