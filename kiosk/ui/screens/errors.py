"""Every pickup error: what happened, what to do next, and who can help.

One page renders all error screen ids of the pickup flow: the layout is the same and
only the words, the icon and the offered actions differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.flows.pickup_view import DoorProblem, MalformedReason, PickupScreen, PickupView
from kiosk.ui.screens.base import Screen, ScreenContext, make_label
from kiosk.ui.widgets.status_icon import IconKind
from kiosk.ui.widgets.touch_button import TouchButton

ERROR_SCREENS: tuple[str, ...] = (
    PickupScreen.unknown_code,
    PickupScreen.malformed_code,
    PickupScreen.not_yet_arrived,
    PickupScreen.expired,
    PickupScreen.already_picked_up,
    PickupScreen.cancelled,
    PickupScreen.wrong_locker,
    PickupScreen.door_failed,
    PickupScreen.locked_out,
    PickupScreen.problem_reported,
)


@dataclass(frozen=True)
class Message:
    icon: IconKind
    title: str
    body: str
    # Primary action: (label, action name on PickupActions).
    primary: tuple[str, str]
    secondary: tuple[str, str] | None = None
    show_help: bool = True


class ErrorScreen(Screen):
    name = "error"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QVBoxLayout(self)
        title_row, self.title, self.icon = self.make_title_row(IconKind.ERROR)
        self.body = make_label("body", self)
        self.body.setObjectName("error_body")
        self.help = make_label("body", self)
        self.help.setObjectName("help")
        self.secondary = TouchButton("", "secondary", self)
        self.secondary.setObjectName("secondary")
        self.primary = TouchButton("", "primary", self)
        self.primary.setObjectName("primary")
        outer.addLayout(title_row)
        outer.addWidget(self.body)
        outer.addWidget(self.help)
        outer.addStretch(1)
        row = self.make_actions_row(self.secondary, self.primary)
        row.setStretch(0, 1)
        row.setStretch(1, 2)
        outer.addLayout(row)
        self._primary_action = "cancel"
        self._secondary_action = "cancel"
        self.primary.clicked.connect(lambda: self._act(self._primary_action))
        self.secondary.clicked.connect(lambda: self._act(self._secondary_action))
        self.retranslate()

    def _act(self, name: str) -> None:
        getattr(self.ctx.actions, name)()

    def support_contact(self) -> str:
        view: PickupView | None = self.view
        if view is not None and view.support_contact:
            return view.support_contact
        s = self.ctx.settings
        return " · ".join(part for part in (s.support_phone, s.support_site) if part)

    def message(self) -> Message:
        view: PickupView | None = self.view
        screen = view.screen if view is not None else PickupScreen.unknown_code
        again = (self.tr("Try again"), "start_code_entry")
        done = (self.tr("Done"), "cancel")
        label = view.door.label if view is not None and view.door else ""
        if screen is PickupScreen.malformed_code:
            reason = view.malformed_reason if view is not None else None
            if reason is MalformedReason.foreign_qr:
                return Message(
                    IconKind.ERROR,
                    self.tr("This QR code is not a pickup code"),
                    self.tr("Scan the QR code from your “parcel is ready” message, "
                            "or type the 8-digit code."),
                    again, done, show_help=False)
            return Message(
                IconKind.ERROR,
                self.tr("That is not a pickup code"),
                self.tr("A pickup code has 8 digits. You find it in your parcel message."),
                again, done, show_help=False)
        if screen is PickupScreen.not_yet_arrived:
            return Message(
                IconKind.INFO,
                self.tr("Your parcel has not arrived yet"),
                self.tr("We will send you a message as soon as it is in the locker."),
                done)
        if screen is PickupScreen.expired:
            if view is not None and view.deadline is not None:
                # The date pattern is translated with the words around it
                # (Qt date format: "d MMMM yyyy", Chinese "yyyy年M月d日").
                pattern = self.tr("d MMMM yyyy", "date format of the expiry date")
                when = view.deadline.date()
                day = QLocale().toString(QDate(when.year, when.month, when.day), pattern)
                body = self.tr(
                    "The pickup time ended on %1. The parcel goes back to the sender."
                ).replace("%1", day)
            else:
                body = self.tr("The pickup time has ended. The parcel goes back to the sender.")
            return Message(IconKind.CLOCK, self.tr("This code has expired"), body, done)
        if screen is PickupScreen.already_picked_up:
            return Message(
                IconKind.INFO,
                self.tr("This parcel was already picked up"),
                self.tr("If it was not you, please contact support."),
                done)
        if screen is PickupScreen.cancelled:
            return Message(
                IconKind.INFO,
                self.tr("This delivery was cancelled"),
                self.tr("The parcel is not in this locker. Please contact the sender."),
                done)
        if screen is PickupScreen.wrong_locker:
            other = ""
            if view is not None:
                other = view.other_locker_name or view.other_locker_id or ""
                if view.other_locker_name and view.other_locker_id:
                    other = f"{view.other_locker_name} ({view.other_locker_id})"
            return Message(
                IconKind.INFO,
                self.tr("Your parcel is in another locker"),
                self.tr("Please go to the locker %1 to pick it up.").replace("%1", other),
                done, show_help=False)
        if screen is PickupScreen.door_failed:
            if view is not None and view.retry_available:
                return Message(
                    IconKind.WARNING,
                    self.tr("Door %1 did not open").replace("%1", label),
                    self.tr("Please try once more."),
                    (self.tr("Try the door again"), "retry_door"), done, show_help=False)
            more = view is not None and view.door_number < view.door_count
            body = self.tr("We have reported the fault. Your parcel is safe.")
            if more:
                return Message(
                    IconKind.ERROR, self.tr("Door %1 did not open").replace("%1", label),
                    body, (self.tr("Open my next door"), "next_door"), done)
            return Message(
                IconKind.ERROR, self.tr("Door %1 did not open").replace("%1", label),
                body, done)
        if screen is PickupScreen.locked_out:
            seconds = view.lockout_remaining_s if view is not None else None
            seconds = seconds or 0
            clock = f"{seconds // 60}:{seconds % 60:02d}"
            return Message(
                IconKind.LOCK,
                self.tr("Too many wrong codes"),
                self.tr("For your security, code entry is paused after several wrong codes. "
                        "You can try again in %1. If you cannot find your code, call "
                        "support.").replace("%1", clock),
                done)
        if screen is PickupScreen.problem_reported:
            return self._problem_message(view, label, done)
        body = self.tr("Check the 8 digits in your parcel message and try again.")
        left = view.attempts_left if view is not None else None
        if left is not None:
            body += " " + self.tr("%n more wrong code(s) before a short pause.", "", left)
        if view is not None and view.retry_entry:
            again = (self.tr("Try again"), "retry_entry")
        return Message(
            IconKind.ERROR,
            self.tr("We could not find this code"),
            body, again, done)

    def _problem_message(self, view: PickupView | None, label: str,
                         done: tuple[str, str]) -> Message:
        problem = view.problem if view is not None else None
        ref = view.problem_reference if view is not None else ""
        if problem is DoorProblem.door_didnt_open:
            title = self.tr("Thank you: we were told door %1 did not open").replace(
                "%1", label)
            body = self.tr("Your parcel stays in the locker. Support will contact you to "
                           "arrange a new pickup. Your reference: %1").replace("%1", ref)
        elif problem is DoorProblem.parcel_missing:
            title = self.tr("Thank you: we were told your parcel is not in door %1").replace(
                "%1", label)
            body = self.tr("Please close the door. Support will look into it and contact "
                           "you. Your reference: %1").replace("%1", ref)
        else:
            title = self.tr("Thank you: we were told your parcel is damaged")
            body = self.tr("Take the parcel if you want it, or leave it inside, and close "
                           "the door. Support will contact you about a claim. Your "
                           "reference: %1").replace("%1", ref)
        return Message(IconKind.INFO, title, body, done)

    def retranslate(self) -> None:
        msg = self.message()
        self.icon.set_kind(msg.icon)
        self.title.setText(msg.title)
        self.body.setText(msg.body)
        # The help contact is on every customer screen (this page has it in its text).
        self.help.setVisible(True)
        self.help.setText(self.tr("Need help? %1").replace("%1", self.support_contact()))
        self.primary.setText(msg.primary[0])
        self._primary_action = msg.primary[1]
        self.secondary.setVisible(msg.secondary is not None)
        if msg.secondary is not None:
            self.secondary.setText(msg.secondary[0])
            self._secondary_action = msg.secondary[1]
