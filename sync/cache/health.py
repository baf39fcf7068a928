"""The cache file itself failing: damaged, or the disk full or read-only.

Neither the kiosk nor the sync worker can do its job on such a file (the kiosk would
open doors it cannot record), so both stop at start with one line that names the file,
says what is wrong and what to do, and a distinct exit code, instead of a traceback that
the service manager restarts every two seconds without anyone reading it.

    try:
        check_file(path)                 # PRAGMA quick_check on an existing file
        cache = Cache.open(path)
        ...
    except Exception as exc:
        if (unusable := unusable_cache(path, exc, backup_dir)) is None:
            raise
        print(f"error: {unusable}"); sys.exit(2)
"""

from __future__ import annotations

import errno
import sqlite3
from enum import StrEnum
from pathlib import Path

from sync.cache.errors import CacheError


class CacheProblem(StrEnum):
    damaged = "damaged"
    no_space = "no_space"  # full, read-only, or failing: nothing can be written
    no_access = "no_access"  # cannot open: directory missing or permissions


class CacheUnusable(CacheError):
    """The cache file cannot be used; the message names it and says what to do."""

    def __init__(self, path: Path, problem: CacheProblem, detail: str,
                 backup_dir: Path | None = None) -> None:
        self.path, self.problem, self.detail = path, problem, detail
        backups = backup_dir or path.parent
        if problem is CacheProblem.damaged:
            todo = (f"stop the kiosk and the sync worker, move {path} and its -wal/-shm "
                    f"files aside, put the newest good backup from {backups} in its place "
                    "(or leave none: the next sync pulls parcels again, but unsent events "
                    "in the damaged file are lost), then start them again "
                    "(docs/crash-safety.md)")
            what = "is damaged"
        elif problem is CacheProblem.no_space:
            todo = (f"free space on the disk holding {path.parent} (df -h {path.parent}; "
                    f"old backups in {backups} and the journal can go) or check that it is "
                    "writable and not failing (dmesg), then restart; nothing was changed "
                    "and no door was opened")
            what = "cannot be written (disk full, read-only or failing)"
        else:
            todo = (f"check that {path.parent} exists and belongs to the service user "
                    "(systemd StateDirectory), then restart")
            what = "cannot be opened"
        super().__init__(f"cache {path} {what}: {detail}. To fix: {todo}.")


_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_NO_SPACE = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY")
_NO_ACCESS = ("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")


def _classify(exc: BaseException) -> tuple[CacheProblem, str] | None:
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        if name.startswith(_DAMAGED) or "malformed" in text or "not a database" in text:
            return CacheProblem.damaged, text
        if name.startswith(_NO_SPACE) or "disk is full" in text or "disk I/O" in text:
            return CacheProblem.no_space, text
        if name.startswith(_NO_ACCESS) or "unable to open" in text:
            return CacheProblem.no_access, text
        return None
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EROFS,
                                                  errno.EDQUOT, errno.EIO):
        return CacheProblem.no_space, exc.strerror or str(exc)
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.ENOENT):
        return CacheProblem.no_access, exc.strerror or str(exc)
    return None


def unusable_cache(path: Path | str, exc: BaseException,
                   backup_dir: Path | None = None) -> CacheUnusable | None:
    """The `CacheUnusable` behind `exc` (looking through SQLAlchemy's wrapper and the
    exception chain, e.g. a failed migration), or None when the file is not the cause."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, CacheUnusable):
            return current
        orig = getattr(current, "orig", None)  # sqlalchemy.exc.DBAPIError
        for candidate in (orig, current):
            if isinstance(candidate, BaseException) and \
                    (found := _classify(candidate)) is not None:
                return CacheUnusable(Path(path), found[0], found[1], backup_dir)
        current = current.__cause__ or current.__context__
    return None


def check_file(path: Path | str, backup_dir: Path | None = None) -> None:
    """Raise CacheUnusable when an existing cache file fails SQLite's quick check (a
    damaged page would otherwise surface later, in the middle of a pickup)."""
    path = Path(path)
    if not path.exists():
        return
    try:
        con = sqlite3.connect(path, timeout=10)
        try:
            rows = con.execute("PRAGMA quick_check(3)").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        found = _classify(exc)
        if found is None:
            raise
        raise CacheUnusable(path, found[0], found[1], backup_dir) from exc
    problems = [str(r[0]) for r in rows if r and r[0] != "ok"]
    if problems:
        raise CacheUnusable(path, CacheProblem.damaged,
                            "integrity check failed: " + "; ".join(problems)[:300],
                            backup_dir)
