"""The sync worker: keeps the cache and the central service in step.

One *round* pushes the whole outbox (batches of `push_batch`, oldest first), then, when
a pull or a heartbeat is due, sends a heartbeat and stores the commands it brings back,
then pulls (page by page) only the parcels or couriers whose current cursor, which the
heartbeat's answer carries, differs from the cache's: an idle locker makes one request
per cycle. The profile is fetched every `PROFILE_EVERY_N_PULLS` cycles. A central
service that sends no cursors gets both pulls every cycle. The first failure ends the round;
what was applied before it stays applied (each page together with its cursor, each
push result together with its acks), nothing of the failing call is applied.

Between failed rounds the worker waits with exponential backoff and full jitter
(uniform between 0 and min(cap, base * 2^failures)), or longer if the server sent
`Retry-After`. Each failure streak is logged once when it starts, once when it changes
kind, and once when it ends. Status for diagnostics goes to the cache's sync_state row.

Clock, sleep and randomness are injected so the tests drive time themselves.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import metadata
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from contract.wire import HeartbeatReply
from sync.cache import Cache, CommandType, CompartmentState
from sync.cache.models import utcnow
from sync.cache.sync_store import SyncStore
from sync.client import (
    CentralClient,
    MalformedResponse,
    SyncError,
    SyncRejected,
    SyncUnavailable,
    event_body,
)

log = logging.getLogger(__name__)

SKEW_WARN_S = 60.0
PROFILE_EVERY_N_PULLS = 30
OUTBOX_RETENTION = timedelta(days=30)  # acknowledged events kept this long for diagnostics


class CacheBusy(SyncError):
    """A sync round failed on the local cache (locked, disk full), not on the server."""


@dataclass(frozen=True)
class WorkerSettings:
    pull_interval_s: float = 10.0
    push_interval_s: float = 2.0
    heartbeat_interval_s: float = 30.0
    page_size: int = 1000
    push_batch: int = 200
    backoff_base_s: float = 1.0
    backoff_max_s: float = 300.0
    retry_after_max_s: float = 3600.0


@dataclass(frozen=True)
class RoundResult:
    ok: bool
    pushed: int = 0
    pulled_parcels: int = 0
    pulled_couriers: int = 0
    commands: int = 0
    error: SyncError | None = None


def software_version() -> str:
    try:
        return metadata.version("expresspoint")
    except metadata.PackageNotFoundError:
        return "0+unknown"


class SyncWorker:
    def __init__(
        self,
        cache: Cache,
        client: CentralClient,
        settings: WorkerSettings = WorkerSettings(),
        *,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] | None = None,
        rng: Callable[[], float] = random.random,
        store: SyncStore | None = None,
    ) -> None:
        self._cache = cache
        self._store = store or SyncStore(cache)
        self._client = client
        self.settings = settings
        self._clock = clock
        self._monotonic = monotonic or time.monotonic
        self._rng = rng
        self._failures = 0
        self._last_error_kind: str | None = None
        self._next_pull = 0.0
        self._next_heartbeat = 0.0
        self._pulls = 0
        self._skew_warned = False
        self._retry_after: float | None = None

    # -- one round -----------------------------------------------------------------------

    def run_round(self, *, force: bool = False) -> RoundResult:
        """Push, then pull and heartbeat when due (always with `force`). Never raises
        for anything the server does; the outcome and error are in the result."""
        now = self._monotonic()
        pushed = parcels = couriers = commands = 0
        try:
            pushed = self.push_outbox()
            pull_due = force or now >= self._next_pull
            skew = None
            if pull_due or now >= self._next_heartbeat:
                # The heartbeat says which cursors moved, so it comes first and the
                # pulls that would find nothing are never made.
                commands, skew, reply = self._heartbeat()
                self._next_heartbeat = now + self.settings.heartbeat_interval_s
                parcels, couriers = self._pull_changed(reply, due=pull_due, force=force)
                if pull_due:
                    self._next_pull = now + self.settings.pull_interval_s
        except SyncError as exc:
            self._on_failure(exc)
            return RoundResult(False, pushed, parcels, couriers, commands, exc)
        except SQLAlchemyError as exc:
            # The cache, not the server: e.g. the kiosk held the write lock past the busy
            # timeout. The round is retried like a network failure.
            err = CacheBusy("cache", f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            self._on_failure(err)
            return RoundResult(False, pushed, parcels, couriers, commands, err)
        self._on_success(skew, heartbeat=skew is not None)
        return RoundResult(True, pushed, parcels, couriers, commands)

    def push_outbox(self) -> int:
        """Send every queued event (oldest first, `push_batch` at a time); returns how many
        were acknowledged. Raises SyncError; what was acknowledged before stays recorded."""
        total = 0
        while True:
            batch = self._store.outbox_batch(self.settings.push_batch)
            if not batch:
                return total
            ids = [e.event_id for e in batch]
            self._store.mark_attempt(ids, self._clock())
            result = self._client.push_events([event_body(e) for e in batch])
            outcome = self._store.record_push_result(ids, result, self._clock())
            total += outcome.acknowledged
            if outcome.rejected:
                log.warning("central service rejected %d event(s); kept for diagnostics",
                            outcome.rejected)
            if outcome.unanswered:
                # Not acknowledged, not rejected: sent again next round, never dropped.
                log.warning("%d event(s) not answered by the central service; will resend",
                            outcome.unanswered)
                return total

    def _pull_changed(
        self, reply: HeartbeatReply, *, due: bool, force: bool
    ) -> tuple[int, int]:
        """Pull what the heartbeat says moved (everything with `force`). A service that
        sends no cursors gets both pulls whenever they are due, as before."""
        if due and (not self._store.has_profile() or self._pulls % PROFILE_EVERY_N_PULLS == 0):
            self._store.apply_profile(self._client.profile(), self._clock())
            pruned = self._store.prune_sent(self._clock() - OUTBOX_RETENTION)
            if pruned:
                log.info("pruned %d acknowledged event(s) older than %s", pruned,
                         OUTBOX_RETENTION)
        if due:
            self._pulls += 1
        parcel_cursor, courier_cursor = self._store.cursors()
        parcels = couriers = 0
        if force or _moved(reply.parcels_cursor, parcel_cursor, due):
            parcels = self._pull_parcels(parcel_cursor)
        if force or _moved(reply.couriers_cursor, courier_cursor, due):
            couriers = self._pull_couriers(courier_cursor)
        return parcels, couriers

    def _pull_parcels(self, cursor: str | None) -> int:
        applied = 0
        while True:
            page = self._client.parcels(cursor, self.settings.page_size)
            _check_progress("GET parcels", page.has_more, len(page.parcels),
                            cursor, page.next_cursor)
            applied += self._store.apply_parcels(page)
            cursor = page.next_cursor
            if not page.has_more:
                return applied

    def _pull_couriers(self, cursor: str | None) -> int:
        applied = 0
        while True:
            cpage = self._client.couriers(cursor, self.settings.page_size)
            _check_progress("GET couriers", cpage.has_more, len(cpage.couriers),
                            cursor, cpage.next_cursor)
            applied += self._store.apply_couriers(cpage)
            cursor = cpage.next_cursor
            if not cpage.has_more:
                return applied

    def _heartbeat(self) -> tuple[int, float, HeartbeatReply]:
        comps, depth, last_seq = self._store.heartbeat_snapshot()
        sent = self._clock()
        body: dict[str, Any] = {
            "sent_at": sent.isoformat().replace("+00:00", "Z"),
            "software_version": software_version(),
            "outbox_depth": depth,
            "last_event_seq": last_seq,
            "compartments": [
                {"compartment_id": c.id, "state": c.state.value, "door": c.door.value,
                 "occupied": c.occupied}
                for c in comps
            ],
            # The worker never talks to the boards; a compartment the kiosk marked
            # `fault` is the signal it has.
            "board_ok": not any(c.state == CompartmentState.FAULT for c in comps),
        }
        reply = self._client.heartbeat(body)
        received = self._clock()
        midpoint = sent + (received - sent) / 2
        skew = (reply.server_time - midpoint).total_seconds()
        if abs(skew) > SKEW_WARN_S and not self._skew_warned:
            log.warning("kiosk clock is %+.0f s off the central service's clock", -skew)
            self._skew_warned = True
        elif abs(skew) <= SKEW_WARN_S:
            self._skew_warned = False
        added = self._store.store_commands(reply.commands, received)
        if added:
            log.info("received %d remote command(s)", added)
        self._run_resync_commands()
        return added, skew, reply

    def _run_resync_commands(self) -> None:
        """`resync` concerns the worker alone: pull everything again from the start."""
        for cmd in self._cache.pending_commands():
            if cmd.type != CommandType.RESYNC or self._cache.claim_command(cmd.command_id) is None:
                continue
            self._store.reset_cursors()
            self._next_pull = 0.0
            self._cache.mark_command_done(cmd.command_id, ok=True, detail="cursors reset")

    # -- status and backoff ----------------------------------------------------------------

    def _on_success(self, skew: float | None, *, heartbeat: bool) -> None:
        if self._failures:
            log.info("central service reachable again after %d failed round(s)", self._failures)
        self._failures = 0
        self._last_error_kind = None
        self._store.record_success(self._clock(), clock_skew_s=skew, heartbeat=heartbeat)

    def _on_failure(self, exc: SyncError) -> None:
        self._failures += 1
        new_streak = self._store.record_failure(self._clock(), str(exc))
        kind = f"{type(exc).__name__}:{exc.endpoint}"
        if new_streak or kind != self._last_error_kind:
            level = logging.ERROR if isinstance(exc, SyncRejected) else logging.WARNING
            log.log(level, "sync round failed (%s); retrying with backoff", exc)
        else:
            log.debug("sync round failed again (%s)", exc)
        self._last_error_kind = kind
        self._retry_after = exc.retry_after if isinstance(exc, SyncUnavailable) else None

    def next_delay(self, last: RoundResult) -> float:
        """Seconds to wait after `last`: the push interval when healthy, else full-jitter
        exponential backoff, never shorter than a Retry-After the server asked for."""
        if last.ok:
            return self.settings.push_interval_s
        s = self.settings
        ceiling = min(s.backoff_max_s, s.backoff_base_s * 2 ** min(self._failures, 30))
        delay = self._rng() * ceiling
        if self._retry_after is not None:
            delay = max(delay, min(self._retry_after, s.retry_after_max_s))
        return delay

    # -- the loop ----------------------------------------------------------------------

    def run_forever(
        self,
        stop: threading.Event,
        *,
        sleep: Callable[[float], object] | None = None,
        on_round: Callable[[RoundResult], None] | None = None,
        on_tick: Callable[[], object] | None = None,
        tick_s: float = 1.0,
        requested: Callable[[], bool] | None = None,
    ) -> None:
        """Rounds until `stop` is set. Waits are cut into `tick_s` slices with `on_tick`
        after each, so a systemd watchdog is fed even during a long backoff.
        `requested` is asked after each slice: True ("sync now" from a technician)
        ends the wait and runs a full round at once, backoff or not."""
        wait = sleep or stop.wait
        force = True
        while not stop.is_set():
            result = self.run_round(force=force)
            force = False
            if on_round is not None:
                on_round(result)
            remaining = self.next_delay(result)
            while remaining > 0 and not stop.is_set():
                step = min(remaining, tick_s)
                wait(step)
                remaining -= step
                if on_tick is not None:
                    on_tick()
                if requested is not None and requested():
                    force = True
                    break


def _moved(server: str | None, ours: str | None, due: bool) -> bool:
    """Whether a pull can bring anything: the service's current cursor differs from
    ours. Our cursor only advances by pulling, so a change committed after this
    heartbeat makes them differ at the next one; nothing is skipped."""
    return due if server is None else server != ours


def _check_progress(
    endpoint: str, has_more: bool, rows: int, cursor: str | None, next_cursor: str
) -> None:
    # "More" with an empty page or the same cursor again would loop forever.
    if has_more and (rows == 0 or next_cursor == cursor):
        raise MalformedResponse(endpoint, "has_more is true but the page made no progress")
