"""The real sync worker over real HTTP against a central service that lies
(tests/sync/liar.py): whatever it sends, no door's contents change, the code-hashing
parameters stay safe, pushes and heartbeats keep going, and a flood stays bounded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from liar import SALT, LyingCentral
from sqlmodel import select
from synckit import FAST, LAYOUT

from contract.codes import hash_code
from sync.cache import ActorKind, AuditKind, Cache, Command, EventType, Parcel, ParcelState
from sync.client import CentralClient, MalformedResponse, SyncRejected
from sync.profile_policy import ProfileRefused
from sync.settings import CentralSection, ConfigError, parse_table
from sync.worker import RoundResult, SyncWorker, WorkerSettings

pytestmark = pytest.mark.integration


class Rig:
    """A kiosk's cache and the real worker, talking to the liar."""

    def __init__(self, path: Path, liar: LyingCentral, settings: WorkerSettings = FAST
                 ) -> None:
        self.liar = liar
        self.cache = Cache.open(path)
        self.cache.replace_layout(LAYOUT)
        self.client = CentralClient(liar.url, liar.locker_id, "device-token",
                                    timeout=(2.0, 5.0), deadline_s=20.0, allow_http=True)
        self.worker = SyncWorker(self.cache, self.client, settings, rng=lambda: 0.5)

    def round(self) -> RoundResult:
        return self.worker.run_round(force=True)

    def code_finds(self, code: str) -> list[tuple[str, str, str | None]]:
        found = self.cache.parcels_for_code_hash(self.cache.hash_code(code))
        return [(p.parcel_id, p.state.value, p.compartment_id) for p in found]

    def close(self) -> None:
        self.client.close()
        self.cache.close()


@pytest.fixture
def liar() -> Iterator[LyingCentral]:
    server = LyingCentral().start()
    yield server
    server.close()


@pytest.fixture
def rig(tmp_path: Path, liar: LyingCentral) -> Iterator[Rig]:
    r = Rig(tmp_path / "cache.db", liar)
    yield r
    r.close()


def _deposited(rig: Rig, pid: str, door: str, code: str) -> None:
    """A real parcel: announced, deposited at the kiosk, the central side told."""
    rig.liar.add_parcel(pid, code=code)
    assert rig.round().ok
    rig.cache.record_deposit(pid, door, courier_id="c1")
    assert rig.round().ok  # the deposit reaches the liar
    rig.liar.add_parcel(pid, state="stored", door=door, code=code)
    assert rig.round().ok


# -- minted parcels ---------------------------------------------------------------------


def test_a_minted_parcel_in_a_filled_door_is_refused_and_alarmed(rig: Rig) -> None:
    _deposited(rig, "REAL", "A02", "11112222")
    rig.liar.add_parcel("MINT", state="stored", door="A02", code="99990000")
    assert rig.round().ok
    assert [p.parcel_id for p in rig.cache.parcels_in_compartment("A02")] == ["REAL"]
    assert rig.code_finds("99990000") == [("MINT", "expected", None)]  # opens nothing
    assert rig.code_finds("11112222") == [("REAL", "stored", "A02")]
    rig.round()  # the alarm goes out with the next push
    refused = [e for e in rig.liar.events if e["type"] == "parcel.pull_refused"]
    assert [e["data"]["parcel_id"] for e in refused] == ["MINT"]
    assert refused[0]["compartment_id"] == "A02"


def test_a_minted_parcel_in_an_empty_door_is_refused_too(rig: Rig) -> None:
    _deposited(rig, "REAL", "A02", "11112222")
    rig.liar.add_parcel("MINT", state="stored", door="B01", code="99990000")
    rig.liar.add_parcel("REAL", state="picked_up", door="A02", code="11112222")  # no opening
    assert rig.round().ok
    assert rig.cache.parcels_in_compartment("B01") == []
    assert rig.code_finds("11112222") == [("REAL", "stored", "A02")]
    rig.round()
    assert rig.liar.event_types().count("parcel.pull_refused") == 2


def test_a_rebuilt_kiosk_takes_claims_as_unverified_only(rig: Rig) -> None:
    rig.liar.add_parcel("P1", state="stored", door="B01", code="12121212")
    assert rig.round().ok
    assert rig.cache.unverified_doors().keys() == {"B01"}
    assert rig.code_finds("12121212") == [("P1", "expected", None)]
    rig.liar.add_parcel("P2", state="stored", door="B02", code="34343434")
    assert rig.round().ok  # after the first complete pull: a contradiction
    assert rig.cache.unverified_doors().keys() == {"B01"}
    assert rig.code_finds("34343434") == [("P2", "expected", None)]


# -- the KDF and the salt ---------------------------------------------------------------


@pytest.mark.parametrize(("kdf", "error", "says"), [
    ({"n": 2}, ProfileRefused, "below the kiosk's floor"),
    ({"n": 2**16, "p": 8}, ProfileRefused, "above the kiosk's ceiling"),  # 32x the cost
    ({"n": 2**24}, MalformedResponse, "code_kdf"),  # outside what the contract allows
])
def test_an_unsafe_kdf_is_refused_and_the_old_profile_kept(
        rig: Rig, kdf: dict[str, int], error: type[Exception], says: str) -> None:
    rig.liar.add_parcel("P1", state="expected", code="55556666")
    assert rig.round().ok
    rig.liar.profile["code_kdf"] = {**rig.liar.profile["code_kdf"], **kdf}
    result = rig.round()
    assert not result.ok and isinstance(result.error, error)
    assert says in str(result.error)
    assert rig.cache.kdf.n == 1024
    assert rig.code_finds("55556666") == [("P1", "expected", None)]
    assert says in (rig.cache.sync_status().last_error or "")
    rig.round()  # pushes the alarm first, then is refused again (one alarm only)
    if error is ProfileRefused:
        assert "keeps its current profile" in str(result.error)
        assert rig.liar.event_types().count("locker.profile_refused") == 1


def test_a_first_profile_with_a_trivial_kdf_is_never_stored(rig: Rig) -> None:
    rig.liar.profile["code_kdf"] = {**rig.liar.profile["code_kdf"], "n": 2}
    assert not rig.round().ok
    assert not rig.worker._store.has_profile()


def test_a_new_salt_without_new_hashes_is_refused(rig: Rig) -> None:
    rig.liar.add_parcel("P1", state="expected", code="55556666")
    rig.liar.add_courier("C1", "4711")
    assert rig.round().ok
    rig.liar.profile["code_salt"] = "b2" * 16
    result = rig.round()
    assert not result.ok and isinstance(result.error, ProfileRefused)
    assert "new code salt/KDF refused" in str(result.error)
    assert rig.cache.code_salt == SALT  # every real customer's code still works
    assert rig.code_finds("55556666") == [("P1", "expected", None)]


def test_a_new_salt_with_every_code_rehashed_is_taken_at_once(rig: Rig) -> None:
    rig.liar.add_parcel("P1", state="expected", code="55556666")
    rig.liar.add_parcel("P2", state="expected", code="77778888")
    rig.liar.add_courier("C1", "4711")
    assert rig.round().ok
    new_salt = "c3" * 16
    rig.liar.profile["code_salt"] = new_salt
    # Half the parcels re-hashed is not enough: nothing changes.
    rig.liar.page_profile = {"code_salt": new_salt, "code_kdf": rig.liar.profile["code_kdf"]}
    rig.liar.parcels, rig.liar.couriers = [], []
    rig.liar.add_parcel("P1", state="expected", code="55556666")
    rig.liar.add_courier("C1", "4711")
    assert not rig.round().ok and rig.cache.code_salt == SALT
    assert rig.code_finds("77778888") == [("P2", "expected", None)]  # the old code works
    rig.liar.add_parcel("P2", state="expected", code="77778888")
    assert rig.round().ok
    assert rig.cache.code_salt == new_salt
    assert rig.code_finds("55556666") == [("P1", "expected", None)]
    assert rig.code_finds("77778888") == [("P2", "expected", None)]
    courier = rig.cache.courier("C1")
    assert courier is not None and courier.pin_hash == rig.cache.hash_secret("4711")


# -- endless pages ----------------------------------------------------------------------


def test_endless_pages_never_starve_pushes_or_heartbeats(tmp_path: Path,
                                                        liar: LyingCentral) -> None:
    settings = replace(FAST, page_size=200, round_pull_rows=600, max_cached_parcels=2_000)
    rig = Rig(tmp_path / "cache.db", liar, settings)
    try:
        assert rig.round().ok
        liar.endless = True
        rows = []
        for i in range(3):
            rig.cache.record_event(EventType.CODE_DENIED, actor_kind=ActorKind.CUSTOMER,
                                   data={"round": i})
            result = rig.round()
            assert result.ok and result.pulled_parcels <= 600
            rows.append(result.pulled_parcels)
            assert liar.event_types().count("code.denied") == i + 1  # pushed every round
            assert len(liar.heartbeats) == i + 2  # and a heartbeat every round
        while (result := rig.round()).ok:  # the cache fills up to its cap, then stops
            assert len(rows) < 20
            rows.append(result.pulled_parcels)
        assert isinstance(result.error, MalformedResponse)
        assert "more than the 2000 a kiosk keeps" in str(result.error)
        with rig.cache.read() as s:
            held = len(list(s.exec(select(Parcel.parcel_id))))
        assert 1_800 <= held <= 2_000
    finally:
        rig.close()


# -- command floods ---------------------------------------------------------------------


def test_a_flood_of_commands_is_bounded_and_far_expiries_clipped(rig: Rig) -> None:
    far = datetime.now(UTC) + timedelta(days=3650)
    rig.liar.commands = [rig.liar.command("open_compartment", "A01", expires_at=far)
                         for _ in range(10_001)]
    assert rig.round().ok
    with rig.cache.read() as s:
        stored = list(s.exec(select(Command)))
    assert len(stored) == 50
    latest = max(c.expires_at for c in stored if c.expires_at is not None)
    assert latest <= datetime.now(UTC) + timedelta(days=7, minutes=1)
    assert any(a.kind == AuditKind.ALARM and "command flood" in a.detail
               for a in rig.cache.recent_audit(20))
    for _ in range(10):  # the same flood again and again: the queue never grows past 200
        rig.liar.commands = [rig.liar.command("set_out_of_service", "A01")
                             for _ in range(10_001)]
        rig.round()
    assert len(rig.cache.pending_commands()) <= 200


def test_a_flood_of_resyncs_holds_the_worker_one_round(rig: Rig) -> None:
    rig.liar.commands = [rig.liar.command("resync") for _ in range(10_000)]
    assert rig.round().ok
    done = [c for c in _commands(rig.cache) if c.type == "resync"]
    assert len(done) == 50 and all(c.status.value == "done" for c in done)


def _commands(cache: Cache) -> list[Command]:
    with cache.read() as s:
        return list(s.exec(select(Command)))


# -- transport --------------------------------------------------------------------------


def test_a_redirect_to_another_host_is_never_followed(rig: Rig) -> None:
    other = LyingCentral().start()
    try:
        other.profile["name"] = "Somebody Else"
        rig.liar.redirect = other.url
        result = rig.round()
        assert not result.ok and isinstance(result.error, SyncRejected)
        assert "redirects are never followed" in str(result.error)
        assert other.requests == []
        assert not rig.worker._store.has_profile()
    finally:
        other.close()


def test_plain_http_needs_an_explicit_opt_in(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="https://"):
        CentralClient("http://central.example.com", "XP-1", "t")
    table = {"url": "http://central.example.com", "token_file": "t"}
    with pytest.raises(ConfigError) as err:
        parse_table(CentralSection, table, file="kiosk.toml", prefix="central")
    assert str(err.value).startswith("kiosk.toml: central.url: plain http:// is refused")
    assert "\n" not in str(err.value)
    ok = parse_table(CentralSection, {**table, "allow_insecure_http": True},
                     file="kiosk.toml", prefix="central")
    assert ok.allow_insecure_http


def test_bidi_controls_are_stripped_from_everything_received(rig: Rig) -> None:
    rig.liar.profile["name"] = "Liar \u202eteertS"
    rig.liar.add_parcel("P1", code="55556666", barcode="LBL-\u202e1234",
                        recipient_hint="J\u2066ohn\u2069 \u200fD.")
    assert rig.round().ok
    parcel = rig.cache.parcel("P1")
    assert parcel is not None
    assert (parcel.barcode, parcel.recipient_hint) == ("LBL-1234", "John D.")
    assert rig.cache.profile().name == "Liar teertS"
    assert json.dumps(rig.cache.profile().name).isascii()


def test_stored_states_come_only_from_the_kiosk(rig: Rig) -> None:
    _deposited(rig, "REAL", "A02", "11112222")
    parcel = rig.cache.parcel("REAL")
    assert parcel is not None and parcel.state == ParcelState.STORED
    assert hash_code("11112222", SALT, rig.cache.kdf) == parcel.pickup_code_hash
