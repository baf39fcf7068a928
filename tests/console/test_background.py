"""The service doing its own work: customer notices over a real SMTP server and a real
HTTP SMS gateway, webhooks to a real HTTP receiver, expiry and reminders, on SQLite
and PostgreSQL, and with two serving processes each notice sent once."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from contract.wire import ParcelAnnounce, ParcelSize
from tests.central_service import CentralService, TempPostgres
from tests.console.conftest import BACKENDS
from tests.console.console_client import ConsoleUser, add_operator
from tests.console.receivers import HttpReceiver, SmtpReceiver, wait_for

pytestmark = pytest.mark.integration


@dataclass
class World:
    service: CentralService
    smtp: SmtpReceiver
    http: HttpReceiver
    workdir: Path

    def announce(
        self,
        email: str | None = "ann@example.com",
        phone: str | None = "+4917012345",
        **kwargs: Any,
    ) -> Any:
        n = uuid.uuid4().hex[:8]
        return self.service.operator.announce(
            ParcelAnnounce(
                locker_id=self.service.locker_id,
                order_ref=f"ORD-{n}",
                size=ParcelSize.M,
                barcode=f"BC{n}",
                recipient_email=email,
                recipient_phone=phone,
                **kwargs,
            )
        )

    def deposit(self, parcel_id: str, seq: list[int], compartment: str = "A01") -> None:
        seq[0] += 1
        self.service.push_events(
            [
                CentralService.make_event(
                    "parcel.deposited",
                    seq[0],
                    parcel_id=parcel_id,
                    compartment_id=compartment,
                    actor_kind="courier",
                    actor_id="1001",
                )
            ]
        )

    def mails_for(self, order_ref: str) -> list[Any]:
        return [m for m in self.smtp.messages if order_ref in str(m["Subject"])]

    def sms_for(self, order_ref: str) -> list[Any]:
        return [p.json() for p in self.http.received("/sms") if order_ref in p.json()["text"]]


def _start_world(workdir: Path, db_url: str | None, workers: int = 1) -> World:
    smtp = SmtpReceiver().start()
    http = HttpReceiver().start()
    (workdir / "sms.token").parent.mkdir(parents=True, exist_ok=True)
    (workdir / "sms.token").write_text("gateway-secret\n")
    service = CentralService(
        workdir / "central",
        db_url=db_url,
        sweep_interval_s=1.0,
        workers=workers,
        extra_args=[
            "--secret-key-file",
            str(workdir / "secret.key"),
            "--smtp",
            f"127.0.0.1:{smtp.port}",
            "--mail-from",
            "ExpressPoint <xp@example.com>",
            "--sms-gateway",
            f"{http.url}/sms",
            "--sms-token-file",
            str(workdir / "sms.token"),
            "--worker-interval",
            "0.2",
            "--retry-first",
            "0.3",
        ],
    )
    service.start()
    return World(service, smtp, http, workdir)


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    db_url = None
    if request.param == "postgresql":
        cluster: TempPostgres = request.getfixturevalue("postgres_cluster")
        db_url = cluster.new_database()
    made = _start_world(tmp_path_factory.mktemp(f"bg-{request.param}"), db_url)
    try:
        yield made
    finally:
        made.service.close()
        made.smtp.stop()
        made.http.stop()


SEQ = [1000]


def test_code_and_qr_reach_the_customer_once_stored_never_the_log(world: World) -> None:
    done = world.announce()
    ref, code = done.parcel.order_ref, done.pickup_code
    # Nothing leaves while the parcel is only expected.
    wait_for(lambda: world.service.parcel(done.parcel.parcel_id), what="parcel")
    assert world.mails_for(ref) == [] and world.sms_for(ref) == []
    world.deposit(done.parcel.parcel_id, SEQ)
    mail = wait_for(lambda: world.mails_for(ref), what="the e-mail")[0]
    assert mail["To"] == "ann@example.com"
    parts = {p.get_content_type(): p for p in mail.walk()}
    assert code in parts["text/plain"].get_payload(decode=True).decode()
    png = parts["image/png"].get_payload(decode=True)
    assert png.startswith(b"\x89PNG")
    import io

    import zxingcpp
    from PIL import Image

    assert done.qr_payload in {r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))}
    sms = wait_for(lambda: world.sms_for(ref), what="the SMS")[0]
    assert sms["to"] == "+4917012345" and code in sms["text"]
    assert world.http.received("/sms")[-1].headers["Authorization"] == "Bearer gateway-secret"
    log = Path(world.service.log_path).read_text(errors="replace")
    assert "notice" in log and code not in log


def test_a_failing_sms_gateway_is_retried_until_it_takes_it(world: World) -> None:
    done = world.announce(email=None)
    world.http.fail_next = 2
    world.deposit(done.parcel.parcel_id, SEQ)
    ref = done.parcel.order_ref
    wait_for(lambda: len(world.sms_for(ref)) >= 3, what="the SMS after retries")
    time.sleep(1)  # a fourth would be a resend of a message already taken
    assert len(world.sms_for(ref)) == 3  # two refused, the third taken
    assert world.sms_for(ref)[0] == world.sms_for(ref)[2]


def test_reminder_then_expiry_notice_and_the_code_is_erased(world: World, tmp_path: Path) -> None:
    deadline = datetime.now(UTC) + timedelta(seconds=6)
    done = world.announce(phone=None, pickup_deadline=deadline)
    ref = done.parcel.order_ref
    world.deposit(done.parcel.parcel_id, SEQ)
    mails = wait_for(
        lambda: len(world.mails_for(ref)) >= 3 and world.mails_for(ref),
        timeout_s=40,
        what="stored, reminder and expiry mails",
    )
    subjects = [str(m["Subject"]) for m in mails]
    assert subjects[0].startswith("Your parcel") and subjects[1].startswith("Reminder")
    assert "was not picked up" in subjects[2]
    assert done.pickup_code not in mails[2].get_payload()
    assert world.service.parcel(done.parcel.parcel_id).state == "expired"
    # The sealed code is gone: support cannot resend it any more.
    name, password = add_operator(world.service, "support", tmp_path)
    user = ConsoleUser(world.service.base_url)
    user.sign_in(name, password)
    user.get(f"/console/parcels/{done.parcel.parcel_id}")
    refused = user.post(f"/console/parcels/{done.parcel.parcel_id}/resend")
    assert refused.status_code == 409 and "erased" in refused.text
    user.close()


def test_expected_parcel_past_its_deadline_is_closed(world: World) -> None:
    done = world.announce(
        email=None, phone=None, pickup_deadline=datetime.now(UTC) + timedelta(seconds=2)
    )
    wait_for(
        lambda: world.service.parcel(done.parcel.parcel_id).state == "cancelled",
        timeout_s=30,
        what="the undelivered parcel to close",
    )
    assert done.parcel.parcel_id in world.service.parcels()  # the locker pulls the change


def test_sealed_codes_are_not_readable_in_the_database(world: World, tmp_path: Path) -> None:
    from central.db import Database

    done = world.announce()
    db = Database(world.service.db_url, pool_size=1)
    try:
        from sqlalchemy import text

        with db.read() as conn:
            dump = " ".join(
                str(v)
                for row in conn.execute(text("SELECT * FROM central_parcel_contact"))
                for v in row
            )
    finally:
        db.dispose()
    assert done.pickup_code not in dump and done.parcel.parcel_id in dump


def test_webhooks_are_signed_retried_and_keep_their_event_id(world: World, tmp_path: Path) -> None:
    name, password = add_operator(world.service, "admin", tmp_path)
    admin = ConsoleUser(world.service.base_url)
    admin.sign_in(name, password)
    admin.get("/console/webhooks")
    hook = f"/hook-{uuid.uuid4().hex[:6]}"
    added = admin.post("/console/webhooks", action="add", url=world.http.url + hook)
    assert added.status_code == 201
    secret = re.search(r'id="webhook-secret">([^<]+)<', added.text)
    assert secret is not None
    world.http.fail_next = 1
    done = world.announce(email=None, phone=None)
    posts = wait_for(
        lambda: len(world.http.received(hook)) >= 2 and world.http.received(hook),
        what="the webhook, retried",
    )
    first, second = posts[0], posts[1]
    assert first.body == second.body  # the retry is the same event
    event = first.json()
    assert event["type"] == "parcel.state_changed"
    assert event["data"]["parcel_id"] == done.parcel.parcel_id
    assert first.headers["X-ExpressPoint-Event"] == event["event_id"]
    sig = dict(kv.split("=", 1) for kv in second.headers["X-ExpressPoint-Signature"].split(","))
    expected = hmac.new(
        secret.group(1).encode(), f"{sig['t']}.".encode() + second.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(sig["v1"], expected)
    # An alarm from the locker is an event too.
    SEQ[0] += 1
    world.service.push_events(
        [CentralService.make_event("compartment.forced_open", SEQ[0], compartment_id="B02")]
    )
    alarm = wait_for(
        lambda: [p.json() for p in world.http.received(hook) if p.json()["type"] == "alarm.raised"],
        what="the alarm webhook",
    )
    assert alarm[0]["data"]["code"] == "compartment_forced_open"
    log_page = admin.get("/console/webhooks").text
    row = log_page[log_page.index(event["event_id"]) :]
    assert "sent</span></td><td>2</td>" in row  # delivered on the second attempt
    admin.close()


def test_two_processes_send_each_notice_exactly_once(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    cluster: TempPostgres = request.getfixturevalue("postgres_cluster")
    two = _start_world(tmp_path, cluster.new_database(), workers=2)
    try:
        refs = []
        seq = [0]
        for _ in range(6):
            done = two.announce(phone=None)
            refs.append(done.parcel.order_ref)
            two.deposit(done.parcel.parcel_id, seq, compartment=f"A0{len(refs)}")
        wait_for(lambda: all(two.mails_for(r) for r in refs), what="every mail")
        time.sleep(3)  # give the second process every chance to send a repeat
        assert sorted(len(two.mails_for(r)) for r in refs) == [1] * 6
    finally:
        two.service.close()
        two.smtp.stop()
        two.http.stop()
