"""Screenshots for docs/courier.md and docs/technician.md, taken from the real screens.

A whole kiosk is built as the UI tests build it (tests/ui/live.py: the real flows on
their runner thread, the cache on a SQLite file, the simulated lock board on a
pseudo-terminal behind the real driver); a courier visit and a technician session are
driven through the screens, and the window is saved at 1280x800 at the interesting
steps. Run from the repository root:

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/images/make_staff_screenshots.py

PNGs go to docs/images/courier/ and docs/images/technician/ (reduced to a small
palette so each stays well under 80 KB).
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QIODevice, QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from kiosk.flows.ports import ParcelState  # noqa: E402
from kiosk.ui.app import ensure_application  # noqa: E402
from sync import cache as c  # noqa: E402
from tests.ui.live import COURIER_BADGE, COURIER_ID, TECH_ID, TECH_PIN, LiveKiosk  # noqa: E402

OUT = Path(__file__).resolve().parent
SIZE = (1280, 800)
WAIT_S = 5.0


def wait_until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if check():
            return
        time.sleep(0.01)
    raise TimeoutError(f"screen did not reach: {what}")


def settle(seconds: float = 0.3) -> None:
    """Let the runner deliver a few more views (door readings, map refresh)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    QApplication.processEvents()


def on(k: LiveKiosk, page: str, screen: str | None = None) -> None:
    def shown() -> bool:
        current = k.window.current_page
        if current is None or current.name != page:
            return False
        return screen is None or str(getattr(current.view, "screen", "")) == screen

    wait_until(shown, f"{page}/{screen}")


def save(k: LiveKiosk, folder: str, name: str) -> Path:
    settle(0.2)
    image = k.window.grab().toImage()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    png = Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")
    # Flat UI colours survive a 64-colour palette; it keeps each file small.
    small = png.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    path = OUT / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    small.save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return path


def build(tmp: Path, before_start: Callable[[LiveKiosk], None] | None = None,
          protocol: str = "8a") -> LiveKiosk:
    tmp.mkdir(parents=True, exist_ok=True)
    k = LiveKiosk(tmp, protocol=protocol)
    if before_start is not None:
        before_start(k)
    k.window.resize(*SIZE)
    k.window.show()
    k.start()
    on(k, "idle")
    return k


def type_digits(keypad, digits: str) -> None:
    for digit in digits:
        click(keypad.keys[digit])


def courier_visit(tmp: Path) -> None:
    k = build(tmp)
    try:
        # Parcels the central service announced for this locker, and two old ones to
        # collect (one expired, one cancelled by the sender).
        k.announce("XP-LBL-7001", size="M")
        k.announce("XP-LBL-7002", size="S")
        k.announce("XP-LBL-7003", size="L")
        k.announce("XP-LBL-7004", size="S")
        k.announce("XP-LBL-7005", size="S")
        k.announce("XP-LBL-7006", size="S")
        k.add_parcel("11112222", "C01", state=ParcelState.EXPIRED, barcode="XP-LBL-5101")
        k.add_parcel("33334444", "C03", state=ParcelState.CANCELLED, barcode="XP-LBL-5102")
        idle = k.window.pages["idle"]
        click(idle.service)
        on(k, "courier_login", "login")
        login = k.window.pages["courier_login"]
        type_digits(login.keypad, COURIER_ID)
        click(login.entry.pin_field)
        type_digits(login.keypad, "1111")  # a wrong PIN first
        click(login.submit)
        on(k, "courier_login", "login_failed")
        save(k, "courier", "en_login_failed")

        k.modes.submit_scan(COURIER_BADGE, k.window.last_screen)  # the badge QR
        on(k, "courier_menu", "menu")
        menu = k.window.pages["courier_menu"]
        save(k, "courier", "en_menu")
        click(menu.deposit)
        on(k, "courier_deposit", "deposit_scan")
        deposit = k.window.pages["courier_deposit"]

        for n, label in enumerate(("XP-LBL-7001", "XP-LBL-7002", "XP-LBL-7003")):
            k.modes.submit_scan(label, k.window.last_screen)
            on(k, "courier_deposit", "deposit_open")
            door = deposit.door.door_label.text()
            if n == 2:
                save(k, "courier", "en_deposit_open")
            k.close_door(door)
            on(k, "courier_deposit", "deposit_scan")
            wait_until(lambda n=n: deposit.tally.rowCount() == n + 1, "tally row")
        save(k, "courier", "en_deposit_tally")

        k.modes.submit_scan("XP-LBL-9999", k.window.last_screen)
        on(k, "courier_deposit", "deposit_refused")
        save(k, "courier", "en_deposit_refused")

        # A label that will not scan, typed on the keyboard; it takes the last free S.
        click(deposit.second)
        for ch in "XP-LBL-7004":
            click(deposit.keyboard.keys[ch])
        save(k, "courier", "en_deposit_typing")
        click(deposit.keyboard.submit)
        on(k, "courier_deposit", "deposit_open")
        k.close_door(deposit.door.door_label.text())
        on(k, "courier_deposit", "deposit_scan")
        # Until no S is left: then the larger door is offered.
        k.modes.submit_scan("XP-LBL-7005", k.window.last_screen)
        on(k, "courier_deposit", "deposit_open")
        k.close_door(deposit.door.door_label.text())
        on(k, "courier_deposit", "deposit_scan")
        k.modes.submit_scan("XP-LBL-7006", k.window.last_screen)
        on(k, "courier_deposit", "deposit_fallback")
        save(k, "courier", "en_deposit_fallback")
        click(deposit.primary)  # yes, use M
        on(k, "courier_deposit", "deposit_open")
        k.close_door(deposit.door.door_label.text())
        on(k, "courier_deposit", "deposit_scan")

        click(deposit.primary)  # done depositing
        on(k, "courier_menu", "menu")
        click(menu.collect)
        on(k, "courier_collect", "collect_list")
        save(k, "courier", "en_collect_list")
        collect = k.window.pages["courier_collect"]
        k.window.set_language("ru")
        click(collect.primary)  # start opening doors
        on(k, "courier_collect", "collect_open")
        save(k, "courier", "ru_collect_open")
        k.window.set_language("en")
        click(collect.primary)  # parcels taken
        k.close_door("C01")
        wait_until(lambda: k.door_is_open("C03"), "door C03 open")
        on(k, "courier_collect", "collect_open")
        click(collect.primary)
        k.close_door("C03")
        on(k, "courier_collect", "collect_done")
        click(collect.primary)  # Menu
        on(k, "courier_menu", "menu")
        click(menu.logout)
        on(k, "idle")
    finally:
        k.stop()


def occupancy_check(tmp: Path) -> None:
    """A CU16 board (occupancy sensors): one parcel the records place in A02 that the
    sensor does not see, and something the sensor sees in the free B03."""
    k = build(tmp, synced, protocol="cu16")
    try:
        k.add_parcel("12121212", "A02")
        k.sim.set_occupied(k.board, k.lock["B03"].lock, True)
        click(k.window.pages["idle"].service)
        on(k, "courier_login", "login")
        k.modes.submit_scan(COURIER_BADGE, k.window.last_screen)
        on(k, "courier_menu", "menu")
        settle(0.5)  # a few door polls, so the flow has every sensor's reading
        click(k.window.pages["courier_menu"].check)
        on(k, "courier_check", "check_result")
        wait_until(lambda: k.window.pages["courier_check"].table.rowCount() == 2,
                   "two mismatches")
        save(k, "courier", "en_check_result")
        click(k.window.pages["courier_check"].menu)
        on(k, "courier_menu", "menu")
        click(k.window.pages["courier_menu"].logout)
        on(k, "idle")
    finally:
        k.stop()


def synced(k: LiveKiosk) -> None:
    """The sync worker's health as it writes it after a round (it does not run here);
    written before the flows start, so the offline badge agrees with the sync page."""
    now = datetime.now(UTC)
    with k.cache.write() as s:
        st = s.get(c.models.SyncState, 1)
        st.last_success_at = now - timedelta(seconds=42)
        st.last_heartbeat_at = now - timedelta(seconds=42)
        st.clock_skew_s = 0.4
        s.add(st)


def technician_session(tmp: Path) -> None:
    k = build(tmp, synced)
    try:
        k.add_parcel("55556666", "A02")
        k.add_parcel("77778888", "B04")
        for _ in range(k.window.settings.technician_taps):
            click(k.window.brand)
        on(k, "technician_login", "login")
        login = k.window.pages["technician_login"]
        click(login.id_buttons[TECH_ID])
        type_digits(login.keypad, TECH_PIN)
        save(k, "technician", "en_login")
        click(login.submit)
        on(k, "technician_map", "map")
        page = k.window.pages["technician_map"]

        def tap_cell(label: str) -> None:
            wait_until(lambda: page.grid.cell_rect(label) is not None, f"cell {label}")
            rect = page.grid.cell_rect(label)
            QTest.mouseClick(page.grid, Qt.MouseButton.LeftButton,
                             pos=QPoint(int(rect.center().x()), int(rect.center().y())))
            QApplication.processEvents()

        # C04 out of service, then B02 opened so the map shows an open door.
        tap_cell("C04")
        wait_until(lambda: page.detail.text().startswith("C04"), "C04 selected")
        click(page.buttons["service"])
        wait_until(lambda: "out of service" in page.detail.text(), "C04 out of service")
        tap_cell("B02")
        wait_until(lambda: page.detail.text().startswith("B02, size M: door closed"),
                   "B02 read closed")
        click(page.buttons["open_one"])
        on(k, "technician_doors", "confirm")
        doors = k.window.pages["technician_doors"]
        click(doors.confirm)
        on(k, "technician_doors", "opened")
        click(doors.confirm)  # back to the map
        on(k, "technician_map", "map")
        tap_cell("B02")
        wait_until(lambda: page.detail.text().startswith("B02, size M: door open"),
                   "B02 reads open")
        save(k, "technician", "en_map")

        click(page.buttons["open_column"])
        on(k, "technician_doors", "confirm")
        save(k, "technician", "en_confirm_column")
        click(doors.cancel)
        on(k, "technician_map", "map")

        info = k.window.pages["technician_info"]
        click(page.buttons["bus"])
        on(k, "technician_info", "bus_scan")
        wait_until(lambda: info.table.rowCount() >= 1, "bus scan rows")
        save(k, "technician", "en_bus_scan")
        click(info.back)
        on(k, "technician_map", "map")

        click(page.buttons["frames"])
        on(k, "technician_info", "frame_log")
        save(k, "technician", "en_frame_log")
        click(info.back)
        on(k, "technician_map", "map")

        click(page.buttons["sync"])
        on(k, "technician_info", "sync_status")
        save(k, "technician", "en_sync_status")
        click(info.back)
        on(k, "technician_map", "map")

        k.window.set_language("zh_CN")
        tap_cell("B02")
        settle(0.3)
        save(k, "technician", "zh_CN_map")
        k.window.set_language("en")
        k.close_door("B02")
        click(page.buttons["logout"])
        on(k, "idle")
    finally:
        k.stop()


def main() -> int:
    ensure_application()
    with tempfile.TemporaryDirectory() as tmp:
        courier_visit(Path(tmp) / "courier")
        occupancy_check(Path(tmp) / "check")
        technician_session(Path(tmp) / "technician")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
