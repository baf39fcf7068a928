"""The console in a real browser (Playwright driving Debian's Chromium) against the
demo world: the seeded central service, the simulated lock board, the sync worker and
a kiosk process without a screen (the crash harness's child: the real KioskApp).

Each role signs in and finds what it may do; a viewer's forged post is refused; the
demo admin opens a door from the console and the simulated board fires that lock; an
alarm raised by a door forced at the board is acknowledged; a parcel is found.
Screenshots of every page land in artifacts/console/ to be looked at.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.demo_world import DemoWorld
from tests.central_service import REPO_ROOT
from tests.crash.world import KioskChild

pytestmark = [pytest.mark.integration, pytest.mark.ui]

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO_ROOT / "artifacts" / "console"
WAIT_MS = 60_000

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWorld]:
    with DemoWorld(tmp_path_factory.mktemp("console-demo"), auto_close_s=4.0, kdf_n=1024) as demo:
        yield demo


@pytest.fixture(scope="module")
def kiosk(world: DemoWorld, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskChild]:
    child = KioskChild(world.config_path, tmp_path_factory.mktemp("kiosk") / "kiosk.log")
    try:
        yield child
    finally:
        child.quit()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: ./scripts/test installs it (apt-get install chromium)")
    with sync_api.sync_playwright() as play:
        chrome = play.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield chrome
        finally:
            chrome.close()


def _operator(world: DemoWorld, role: str) -> tuple[str, str]:
    """A console account of that role in the demo's database (made once)."""
    name, password = f"{role}-user", f"{role}-password-long"
    secret = world.workdir / f"{name}.pw"
    if secret.exists():
        return name, password
    secret.write_text(password + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "central",
            "operator",
            "add",
            "--db",
            f"sqlite:///{world.workdir / 'central.db'}",
            "--name",
            name,
            "--role",
            role,
            "--password-file",
            str(secret),
        ],
        check=True,
        capture_output=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    return name, password


def _page(
    browser: Any, world: DemoWorld, name: str, password: str, width: int = 1280, height: int = 860
) -> Any:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(WAIT_MS)
    page.goto(world.central_url + "/console/")
    assert "/console/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_url("**/console/fleet")
    return page


def _shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _locker(world: DemoWorld) -> str:
    return str(world.seed["lockers"][0]["locker_id"])


def test_admin_opens_a_door_and_the_kiosk_opens_it(
    world: DemoWorld, kiosk: KioskChild, browser: Any
) -> None:
    name, password = world.console_login
    page = _page(browser, world, name, password)
    _shot(page, "fleet")
    locker = _locker(world)
    page.click(f"text={locker}")
    page.wait_for_selector("#cell-A03", timeout=WAIT_MS)  # the first heartbeat is in
    _shot(page, "locker")
    board, lock = world.address("A03")
    assert world.sim is not None
    assert world.sim.command(f"fired {board} {lock}").strip() == "0"
    page.click("#cell-A03")  # fills the compartment fields
    assert page.input_value("form[action$='/open'] input[name=compartment_id]") == "A03"
    page.fill("form[action$='/open'] input[name=reason]", "case 4711: customer at the locker")
    page.click("form[action$='/open'] button.primary")
    page.wait_for_selector("text=Yes, open A03")
    _shot(page, "confirm-open")
    page.click("text=Yes, open A03")
    page.wait_for_selector(".flash.ok")
    # The kiosk gets the command with the next heartbeat and the board fires the lock...
    deadline = time.monotonic() + 60
    while world.sim.command(f"fired {board} {lock}").strip() != "1":
        assert time.monotonic() < deadline, "the door never opened at the kiosk"
        time.sleep(0.2)
    # ...and the console's live map shows it open, then the command done.
    page.wait_for_selector("#cell-A03.door-open", timeout=WAIT_MS)
    _shot(page, "locker-door-open")
    page.wait_for_selector("tr.cmd-completed", timeout=WAIT_MS)
    audit = page.goto(world.central_url + "/console/audit")
    assert audit is not None and "open_compartment" in page.content()
    _shot(page, "audit")
    page.close()


def test_each_role_sees_what_it_may_do(world: DemoWorld, browser: Any) -> None:
    locker = _locker(world)
    viewer = _page(browser, world, *_operator(world, "viewer"))
    viewer.goto(f"{world.central_url}/console/lockers/{locker}")
    viewer.wait_for_selector("#cell-A01")
    assert viewer.locator("form[action$='/open']").count() == 0
    # A forged post with the viewer's own session and a valid CSRF token is refused.
    csrf = viewer.locator("input[name=csrf]").first.get_attribute("value")
    forged = viewer.request.post(
        f"{world.central_url}/console/lockers/{locker}/open/confirmed",
        form={"csrf": csrf or "", "compartment_id": "A01", "reason": "forged"},
        max_redirects=0,
    )
    assert forged.status == 403
    assert viewer.goto(f"{world.central_url}/console/tokens").status == 403
    _shot(viewer, "viewer-tokens-refused")
    viewer.close()
    support = _page(browser, world, *_operator(world, "support"))
    support.goto(f"{world.central_url}/console/lockers/{locker}")
    assert support.locator("form[action$='/open']").count() == 1
    assert support.goto(f"{world.central_url}/console/tokens").status == 403
    support.goto(f"{world.central_url}/console/parcels")
    assert support.locator("form[action='/console/parcels/announce']").count() == 0
    support.close()


def test_support_acknowledges_an_alarm_and_finds_a_parcel(
    world: DemoWorld, kiosk: KioskChild, browser: Any
) -> None:
    page = _page(browser, world, *_operator(world, "support"))
    world.door("open", "C02")  # forced at the board: nobody asked for it
    page.goto(world.central_url + "/console/alarms")
    deadline = time.monotonic() + 60
    while "forced open" not in page.content():
        assert time.monotonic() < deadline, "the forced opening never became an alarm"
        time.sleep(1)
        page.reload()
    _shot(page, "alarms")
    row = page.locator("tr.open", has_text="forced open").first
    row.locator("input[name=note]").fill("called the site: a cleaner bumped the door")
    row.locator("button").click()
    page.wait_for_selector("text=a cleaner bumped the door")
    _shot(page, "alarms-acknowledged")
    world.door("close", "C02")
    parcel = next(p for p in world.parcels if p.compartment_id)
    page.goto(world.central_url + "/console/parcels")
    page.fill("input[name=q]", parcel.barcode)
    page.click("button.primary")
    page.wait_for_selector(f"a[href='/console/parcels/{parcel.parcel_id}']")
    _shot(page, "parcels-search")
    page.click(f"a[href='/console/parcels/{parcel.parcel_id}']")
    page.wait_for_selector("#parcel-state")
    _shot(page, "parcel")
    page.close()


def test_every_page_on_a_tablet_and_in_russian(world: DemoWorld, browser: Any) -> None:
    name, password = world.console_login
    page = _page(browser, world, name, password, width=820, height=1180)
    page.goto(world.central_url + "/console/lang/ru?next=/console/fleet")
    locker = _locker(world)
    for path, shot in (
        ("/console/fleet", "tablet-ru-fleet"),
        (f"/console/lockers/{locker}", "tablet-ru-locker"),
        ("/console/parcels", "tablet-ru-parcels"),
        ("/console/alarms", "tablet-ru-alarms"),
        ("/console/couriers", "tablet-ru-couriers"),
        ("/console/tokens", "tablet-ru-tokens"),
        ("/console/webhooks", "tablet-ru-webhooks"),
        ("/console/audit", "tablet-ru-audit"),
    ):
        assert page.goto(world.central_url + path).status == 200
        assert page.locator("html[lang=ru]").count() == 1
        # Nothing sticks out sideways on a tablet: the page is as wide as the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 820 + 1, path
        _shot(page, shot)
    page.goto(world.central_url + "/console/lang/en?next=/console/fleet")
    page.close()
