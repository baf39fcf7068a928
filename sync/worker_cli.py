"""`expresspoint sync --config FILE [--once]`: run the sync worker.

It reads the same TOML file as the kiosk but only the tables it needs: `[locker]`,
`[central]`, `[database]` and `[sync]` (defined in `sync.settings`); the kiosk's own
tables are left to the kiosk. A bad value stops start-up with one line naming the file
and key. Exit codes: 0 ok, 1 `--once` round failed, 2 configuration or cache problem.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from sync.settings import (
    CentralSection,
    ConfigError,
    DatabaseSection,
    LockerSection,
    SyncSection,
    load_toml,
    parse_table,
)

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class WorkerConfig:
    locker: LockerSection
    central: CentralSection
    database: DatabaseSection
    sync: SyncSection
    source: Path


def load_worker_config(path: str | Path) -> WorkerConfig:
    """Read the worker's tables from the kiosk config; ConfigError names file and key."""
    path = Path(path)
    table = load_toml(path)

    def section(name: str, cls: type[Any], required: bool = True) -> Any:
        raw = table.get(name)
        if raw is None:
            if required:
                raise ConfigError(path, f"[{name}]", "table is missing")
            raw = {}
        if not isinstance(raw, dict):
            raise ConfigError(path, name, "must be a table")
        return parse_table(cls, raw, file=path, prefix=name)

    return WorkerConfig(
        locker=section("locker", LockerSection),
        central=section("central", CentralSection),
        database=section("database", DatabaseSection),
        sync=section("sync", SyncSection, required=False),
        source=path,
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "sync", help="run the sync worker (cache <-> central service)",
        description="Keep the local cache in step with the central order service.",
    )
    p.add_argument("--config", required=True, type=Path, help="the kiosk's TOML config")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true",
                      help="run one full round (push, pull, heartbeat) and exit: 0 ok, 1 failed")
    mode.add_argument("--status", action="store_true",
                      help="print the sync status stored in the cache and exit (no network)")
    p.set_defaults(func=run)


def format_status(status: Any, rejected: list[Any]) -> str:
    """The cache's sync status as a technician reads it."""
    def ts(value: Any) -> str:
        return value.isoformat(timespec="seconds") if value else "never"

    lines = [
        f"state:          {'online' if status.online else 'OFFLINE'}",
        f"last success:   {ts(status.last_success_at)}",
        f"offline since:  {ts(status.offline_since) if status.offline_since else '-'}",
        f"last error:     {status.last_error or '-'} ({ts(status.last_error_at)})",
        f"outbox depth:   {status.outbox_depth} event(s) waiting",
        f"last event seq: {status.last_event_seq}",
        f"heartbeat:      {ts(status.last_heartbeat_at)}",
        "clock skew:     " + ("unknown" if status.clock_skew_s is None
                              else f"{status.clock_skew_s:+.1f} s (server minus kiosk)"),
        f"rejected:       {status.rejected_events} event(s)",
    ]
    lines += [f"  seq {e.seq} {e.type}: {e.rejected_code}: {e.rejected_message}"
              for e in rejected]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from sync.cache import Cache, CacheError, MigrationFailed
    from sync.client import CentralClient, SyncRejected
    from sync.sdnotify import SystemdNotifier
    from sync.worker import SyncWorker, WorkerSettings

    try:
        cfg = load_worker_config(args.config)
        token = "" if args.status else cfg.central.read_token(cfg.source)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    exposed = None if args.status else cfg.central.token_file_warning(cfg.source)
    if exposed:
        log.warning("%s", exposed)
    from sync.cache.health import check_file, unusable_cache

    try:
        check_file(cfg.database.path, cfg.database.backup_dir)
        cache = Cache.open(cfg.database.path, backup_dir=cfg.database.backup_dir)
    except Exception as exc:
        # A damaged file or a full disk gets one line saying what to do, not a traceback.
        unusable = unusable_cache(cfg.database.path, exc, cfg.database.backup_dir)
        if unusable is None and not isinstance(exc, (MigrationFailed, CacheError, OSError)):
            raise
        print(f"error: {unusable or f'cache {cfg.database.path}: {exc}'}", file=sys.stderr)
        return 2
    if args.status:
        with cache:
            print(format_status(cache.sync_status(), cache.rejected_events(10)))
        return 0
    s = cfg.sync
    settings = WorkerSettings(
        pull_interval_s=s.pull_interval_s, push_interval_s=s.push_interval_s,
        heartbeat_interval_s=s.heartbeat_interval_s, page_size=s.page_size,
        push_batch=s.push_batch, backoff_max_s=s.backoff_max_s,
    )
    timeout = cfg.central.timeout_s
    client = CentralClient(
        cfg.central.url, cfg.locker.id, token,
        timeout=(min(5.0, timeout), timeout), deadline_s=3 * timeout,
    )
    worker = SyncWorker(cache, client, settings)
    try:
        if args.once:
            result = worker.run_round(force=True)
            print(
                f"{'ok' if result.ok else 'failed'}: pushed {result.pushed} event(s), "
                f"pulled {result.pulled_parcels} parcel(s) and {result.pulled_couriers} "
                f"courier(s), {result.commands} new command(s)"
                + (f"; {result.error}" if result.error else "")
            )
            return 0 if result.ok else 1
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        notifier = SystemdNotifier.from_environ()
        notifier.ready("syncing")
        log.info("sync worker for locker %s against %s", cfg.locker.id, cfg.central.url)

        def on_round(result: Any) -> None:
            notifier.watchdog()
            notifier.status("online" if result.ok else f"offline: {result.error}")
            if isinstance(result.error, SyncRejected) and result.error.status == 401:
                # A technician may have put a new token in the file: no restart needed.
                try:
                    client.set_token(cfg.central.read_token(cfg.source))
                except ConfigError as exc:
                    log.error("%s", exc)

        worker.run_forever(stop, on_round=on_round, on_tick=notifier.watchdog,
                           requested=cfg.database.take_sync_request)
        return 0
    finally:
        client.close()
        cache.close()
