"""`expresspoint central ...` as an operator runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from contract.codes import hash_code
from tests.central_service import REPO_ROOT, CentralService, CentralStartError

pytestmark = pytest.mark.integration

CONSOLE = Path(sys.executable).parent / "expresspoint"


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    cmd = [str(CONSOLE)] if CONSOLE.exists() else [sys.executable, "-m", "kiosk.cli"]
    proc = subprocess.run(
        [*cmd, "--log-level", "WARNING", "central", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_seed_is_deterministic_on_request_and_refuses_to_seed_twice(tmp_path: Path) -> None:
    outs = []
    for name in ("a.db", "b.db"):
        proc = run(
            "seed", "--db", str(tmp_path / name), "--deterministic", "--kdf-n", "1024",
            "--lockers", "2", "--json", "--token-dir", str(tmp_path / f"tok-{name}"),
        )  # fmt: skip
        outs.append(json.loads(proc.stdout))
    assert outs[0] == outs[1]
    seeded = outs[0]
    assert [lk["locker_id"] for lk in seeded["lockers"]] == ["XP-DEMO-01", "XP-DEMO-02"]
    stored = [p for p in seeded["parcels"] if p["state"] == "stored"]
    assert [p["compartment_id"] for p in stored] == ["A01", "A02", "B01"]
    assert seeded["courier"]["pin"] and len(seeded["parcels"]) == 12
    token_file = tmp_path / "tok-a.db" / "XP-DEMO-01.token"
    assert token_file.read_text().strip() == seeded["lockers"][0]["device_token"]
    assert token_file.stat().st_mode & 0o077 == 0
    again = run("seed", "--db", str(tmp_path / "a.db"), "--kdf-n", "1024", check=False)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_seeded_database_serves_the_printed_codes(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    seeded = json.loads(run("seed", "--db", str(db), "--kdf-n", "1024", "--json").stdout)
    svc = CentralService(
        tmp_path / "svc",
        db_url=f"sqlite:///{db}",
        locker_id="XP-DEMO-01",
        operator_token=seeded["operator_token"],
        device_token=seeded["lockers"][0]["device_token"],
        create_locker=False,
    )
    with svc:
        profile = svc.profile()
        pulled = svc.parcels()
        for p in seeded["parcels"][:6]:
            expected = hash_code(p["pickup_code"], profile.code_salt, profile.code_kdf.to_params())
            assert pulled[p["parcel_id"]].pickup_code_hash == expected
            assert pulled[p["parcel_id"]].state == p["state"]
        assert "1001" in svc.couriers()


def test_operator_commands_against_a_running_service(central_service: CentralService) -> None:
    svc = central_service
    common = ["--url", svc.base_url, "--operator-token-file", str(svc.operator_token_file)]
    out = run("announce", *common, "--locker", svc.locker_id, "--order-ref", "CLI-1",
              "--barcode", "JJDCLI1", "--size", "S", "--json").stdout  # fmt: skip
    announced = json.loads(out)
    assert announced["qr_payload"] == f"XP1:{svc.locker_id}:{announced['pickup_code']}"
    assert svc.parcels()[announced["parcel"]["parcel_id"]].size == "S"
    text = run("announce", *common, "--locker", svc.locker_id, "--order-ref", "CLI-2",
               "--barcode", "JJDCLI2").stdout  # fmt: skip
    assert "pickup code:" in text and "XP1:" in text

    run("command", *common, "--locker", svc.locker_id, "--type", "open_compartment",
        "--compartment", "A02", "--reason", "support case 7")  # fmt: skip
    assert [c.compartment_id for c in svc.commands()] == ["A02"]

    svc.push_events([svc.make_event("locker.started", 1)])
    events = json.loads(run("events", *common, "--locker", svc.locker_id, "--json").stdout)
    assert [e["type"] for e in events] == ["locker.started"]
    fleet = json.loads(run("fleet", *common, "--json").stdout)
    assert [e["locker_id"] for e in fleet["lockers"]] == [svc.locker_id]

    pin = svc.workdir / "pin"
    pin.write_text("8642\n")
    run("courier", "2002", *common, "--name", "CLI Courier", "--locker", svc.locker_id,
        "--pin-file", str(pin))  # fmt: skip
    assert svc.couriers()["2002"].pin_hash


def test_operator_errors_are_clear(central_service: CentralService, tmp_path: Path) -> None:
    svc = central_service
    bad = tmp_path / "bad.token"
    bad.write_text("xpt_wrong")
    proc = run("fleet", "--url", svc.base_url, "--operator-token-file", str(bad), check=False)
    assert proc.returncode == 1 and "invalid_token" in proc.stderr
    proc = run("fleet", "--url", svc.base_url, check=False)
    assert proc.returncode == 2 and "--operator-token-file" in proc.stderr
    proc = run("fleet", "--url", "http://127.0.0.1:9", "--operator-token-file",
               str(svc.operator_token_file), check=False)  # fmt: skip
    assert proc.returncode == 1 and "is the service up" in proc.stderr


def test_serve_on_an_unreachable_database_says_so_without_the_password() -> None:
    proc = run(
        "serve", "--db", "postgresql://xp:hunter2@127.0.0.1:1/central", "--port", "0",
        check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "cannot open the database" in proc.stderr and "127.0.0.1:1" in proc.stderr
    assert "hunter2" not in proc.stderr + proc.stdout


def test_token_command_issues_and_revokes_directly_in_the_database(tmp_path: Path) -> None:
    db = str(tmp_path / "tokens.db")
    out = tmp_path / "op.token"
    run("token", "--db", db, "--operator", "--out", str(out))
    assert out.read_text().startswith("xpt_") and out.stat().st_mode & 0o077 == 0
    svc = CentralService(
        tmp_path / "svc", db_url=f"sqlite:///{db}", operator_token=out.read_text().strip()
    )
    with svc:  # the issued token works: the fixture creates its locker with it
        assert svc.operator.fleet().lockers[0].locker_id == svc.locker_id
        svc.stop()
        assert run("token", "--db", db, "--revoke-token-file", str(out)).returncode == 0
        again = run("token", "--db", db, "--revoke-token-file", str(out), check=False)
        assert again.returncode == 1 and "no active token" in again.stdout
        # the revoked token does not come back through the token file at start-up
        with pytest.raises(CentralStartError, match="revoked"):
            svc.start()
