"""Console accounts, sessions, CSRF and roles against the real service (SQLite and
PostgreSQL): what each role may and may not do, and forged posts refused."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from central import operators
from central.db import Database
from central.operators import LoginResult, Role
from tests.central_service import REPO_ROOT, CentralService
from tests.console.conftest import Locker, doors
from tests.console.console_client import ConsoleUser, add_operator

pytestmark = pytest.mark.integration


def _cli(
    service: CentralService, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "central", "operator", *args, "--db", service.db_url],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
        input=stdin,
    )


def test_operator_cli_add_list_remove(service: CentralService, tmp_path: Path) -> None:
    name, password = add_operator(service, "viewer", tmp_path)
    listed = _cli(service, "list")
    assert listed.returncode == 0 and name in listed.stdout and "viewer" in listed.stdout
    again = tmp_path / "again.pw"
    again.write_text("another long password\n")
    dup = _cli(service, "add", "--name", name, "--role", "admin", "--password-file", str(again))
    assert dup.returncode == 1 and "already exists" in dup.stderr
    short = tmp_path / "short.pw"
    short.write_text("short\n")
    weak = _cli(
        service, "add", "--name", "x-weak", "--role", "admin", "--password-file", str(short)
    )
    assert weak.returncode == 2 and "at least 10 characters" in weak.stderr
    missing = _cli(
        service,
        "add",
        "--name",
        "x-miss",
        "--role",
        "admin",
        "--password-file",
        str(tmp_path / "nope"),
    )
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    user = ConsoleUser(service.base_url)
    assert user.sign_in(name, password).status_code == 303
    removed = _cli(service, "remove", "--name", name)
    assert removed.returncode == 0
    # Removing the account ends its sessions at once.
    assert user.get("/console/fleet").url.endswith("/console/login?next=/console/fleet")
    assert _cli(service, "remove", "--name", name).returncode == 1


def test_password_is_stored_only_as_a_slow_hash(service: CentralService, tmp_path: Path) -> None:
    name, password = add_operator(service, "viewer", tmp_path)
    db = Database(service.db_url, pool_size=1)
    try:
        with db.read() as conn:
            stored = operators.fetch_hash(conn, name)
    finally:
        db.dispose()
    assert password not in stored
    kind, n, *_ = stored.split("$")
    assert kind == "scrypt" and int(n) >= 1 << 14
    assert operators.verify_password(password, stored)
    assert not operators.verify_password(password + "x", stored)


def test_sign_in_cookie_flags_and_sign_out(service: CentralService, tmp_path: Path) -> None:
    name, password = add_operator(service, "support", tmp_path)
    user = ConsoleUser(service.base_url)
    resp = user.sign_in(name, password)
    assert resp.status_code == 303 and resp.headers["location"] == "/console/fleet"
    cookie = resp.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    page = user.get("/console/fleet")
    assert page.status_code == 200 and name in page.text
    assert page.headers["x-frame-options"] == "DENY"
    stolen = dict(user.http.cookies)
    out = user.post("/console/logout")
    assert out.status_code == 303
    # The old cookie is dead on the server, not just deleted in this browser.
    replay = ConsoleUser(service.base_url)
    replay.http.cookies.update(stolen)
    assert replay.get("/console/fleet").url.endswith("/console/login?next=/console/fleet")


def test_wrong_password_then_lockout(service: CentralService, tmp_path: Path) -> None:
    name, password = add_operator(service, "admin", tmp_path)
    user = ConsoleUser(service.base_url)
    for _ in range(operators.MAX_FAILED_LOGINS - 1):
        assert user.sign_in(name, "not the password").status_code == 401
    locked = user.sign_in(name, "still not it")
    assert locked.status_code == 403 and "locked" in locked.text
    # The right password does not get in while the lock lasts.
    assert user.sign_in(name, password).status_code == 403
    unknown = user.sign_in("nobody-" + name, password)
    assert unknown.status_code == 401 and "Wrong name or password" in unknown.text
    # An admin's new password unlocks it.
    new_pw = tmp_path / "new.pw"
    new_pw.write_text("a brand new password\n")
    assert _cli(service, "password", "--name", name, "--password-file", str(new_pw)).returncode == 0
    assert user.sign_in(name, "a brand new password").status_code == 303
    audit_page = user.get("/console/audit")
    assert "sign_in_failed" in audit_page.text and "sign_in" in audit_page.text


def test_login_form_needs_its_csrf_cookie(service: CentralService, tmp_path: Path) -> None:
    name, password = add_operator(service, "viewer", tmp_path)
    forged = ConsoleUser(service.base_url)
    resp = forged.post("/console/login", csrf="made-up", name=name, password=password)
    assert resp.status_code == 403


def test_each_role_and_forged_posts(
    service: CentralService, locker: Locker, sign_in: Callable[[str], ConsoleUser]
) -> None:
    locker.heartbeat(doors(occupied=("A02",)))
    page = f"/console/lockers/{locker.locker_id}"
    viewer, support, admin = sign_in("viewer"), sign_in("support"), sign_in("admin")
    for user in (viewer, support, admin):
        seen = user.get(page)
        assert seen.status_code == 200 and 'id="cell-A02"' in seen.text
    # The viewer sees no door forms, and a forged post with its own valid CSRF is refused.
    assert "/open" not in viewer.get(page).text
    forged = viewer.post(f"{page}/open/confirmed", compartment_id="A02", reason="forged case")
    assert forged.status_code == 403 and "support" in forged.text
    # Without the CSRF token even an admin's post is refused.
    no_csrf = admin.post(f"{page}/open/confirmed", csrf="", compartment_id="A02", reason="case 1")
    assert no_csrf.status_code == 403
    assert service.commands(locker.locker_id) == []
    # Support: the first step only asks for confirmation...
    ask = support.post(f"{page}/open", compartment_id="A02", reason="case 4711 customer")
    assert ask.status_code == 200 and "Yes, open A02" in ask.text
    assert service.commands(locker.locker_id) == []
    # ...the confirmation queues the command.
    done = support.post(f"{page}/open/confirmed", compartment_id="A02", reason="case 4711 customer")
    assert done.status_code == 303
    queued = service.commands(locker.locker_id)
    assert [(c.type, c.compartment_id) for c in queued] == [("open_compartment", "A02")]
    assert "case 4711 customer" in queued[0].reason
    # No reason, or a door the locker does not have: one clear error, nothing queued.
    assert (
        support.post(f"{page}/open/confirmed", compartment_id="A02", reason="").status_code == 422
    )
    assert (
        support.post(f"{page}/open/confirmed", compartment_id="Z99", reason="case 1").status_code
        == 422
    )
    assert len(service.commands(locker.locker_id)) == 1
    audit_page = admin.get("/console/audit")
    assert "open_compartment" in audit_page.text and locker.locker_id in audit_page.text


def test_live_fragment_follows_heartbeats(
    locker: Locker, sign_in: Callable[[str], ConsoleUser]
) -> None:
    viewer = sign_in("viewer")
    live = f"/console/lockers/{locker.locker_id}/live"
    locker.heartbeat(doors())
    before = viewer.get(live)
    assert before.status_code == 200 and "door-open" not in before.text
    locker.heartbeat(doors(open_=("B03",)))
    after = viewer.get(live).text
    assert 'class="cell state-free door-open' in after and 'id="cell-B03"' in after
    locker.push("compartment.forced_open", compartment_id="B03")
    assert "forced open" in viewer.get(live).text


def test_unknown_locker_and_unsigned_requests(
    service: CentralService, sign_in: Callable[[str], ConsoleUser]
) -> None:
    anonymous = ConsoleUser(service.base_url)
    assert anonymous.get("/console/lockers/XP-NOPE").url.endswith(
        "/console/login?next=/console/lockers/XP-NOPE"
    )
    resp = anonymous.post(
        "/console/lockers/XP-NOPE/open/confirmed", compartment_id="A01", reason="case 1"
    )
    assert resp.status_code == 303 and "/console/login" in resp.headers["location"]
    viewer = sign_in("viewer")
    missing = viewer.get("/console/lockers/XP-NOPE")
    assert missing.status_code == 404 and "does not exist" in missing.text


def test_session_idle_and_absolute_expiry(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "c.db"))
    db.create_schema()
    t0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    with db.write() as conn:
        who = operators.add(
            conn, "ann", Role.SUPPORT, operators.hash_password("x" * 12, n=1024), t0
        )
        token, _ = operators.start_session(conn, who, t0)
    with db.write() as conn:
        # Active use slides the idle deadline...
        for minutes in range(20, 12 * 60, 20):
            at = t0 + timedelta(minutes=minutes)
            assert operators.resume_session(conn, token, at, touch=True) is not None
        # ...but never past the absolute one.
        assert operators.resume_session(conn, token, t0 + operators.ABSOLUTE, touch=True) is None
    with db.write() as conn:
        token, _ = operators.start_session(conn, who, t0)
        # Polls (touch=False) do not keep an idle session alive.
        assert (
            operators.resume_session(conn, token, t0 + timedelta(minutes=29), touch=False)
            is not None
        )
        assert operators.resume_session(conn, token, t0 + operators.IDLE, touch=True) is None
        # Five wrong passwords lock the account; the lock outlasts a right one.
        results = [operators.record_login(conn, "ann", False, t0)[0] for _ in range(5)]
        assert results == [LoginResult.WRONG] * 4 + [LoginResult.LOCKED]
        assert (
            operators.record_login(conn, "ann", True, t0 + timedelta(minutes=14))[0]
            is LoginResult.LOCKED
        )
        assert (
            operators.record_login(conn, "ann", True, t0 + operators.LOCKOUT)[0] is LoginResult.OK
        )
    db.dispose()


def test_hostile_forms_and_redirects(service: CentralService, tmp_path: Path) -> None:
    user = ConsoleUser(service.base_url)
    user.get("/console/login")
    big = user.http.post(
        service.base_url + "/console/login",
        data={"csrf": user.csrf, "name": "x" * 70_000, "password": "p"},
        allow_redirects=False,
        timeout=30,
    )
    assert big.status_code == 413
    garbage = user.http.post(
        service.base_url + "/console/login",
        data=b"name=\xff\xfe",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        allow_redirects=False,
        timeout=30,
    )
    assert garbage.status_code == 400
    # After sign-in, a "next" pointing off the console lands on the fleet instead.
    name, password = add_operator(service, "viewer", tmp_path)
    user.get("/console/login")
    resp = user.post(
        "/console/login", name=name, password=password, next="https://evil.example/console/"
    )
    assert resp.headers["location"] == "/console/fleet"
    lang = user.http.get(
        service.base_url + "/console/lang/ru?next=//evil.example/x",
        allow_redirects=False,
        timeout=10,
    )
    assert lang.headers["location"] == "/console/fleet"
    # Markup in what operators type is shown as text, never run.
    page = user.get("/console/parcels", q="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    user.close()
