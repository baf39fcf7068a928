"""Operator accounts of the web console: roles, passwords, lockout and sessions.

Passwords are kept as scrypt hashes with a per-account salt (`scrypt$n$r$p$salt$hash`),
checked in constant time. Five wrong passwords in a row lock the account for
LOCKOUT; the count and the lock live in the database, so neither a restart nor another
process serving the console resets them, and only a correct password (or an admin
setting a new one) clears the count.

A session is a 256-bit random token in an HttpOnly, SameSite=Strict cookie; the
database keeps its sha256, the operator, a CSRF token for the forms, and two
deadlines: IDLE after the last request and ABSOLUTE after sign-in.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Connection, delete, insert, select, update

from central.schema import operator_sessions, operators

log = logging.getLogger(__name__)

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
NAME_PATTERN = r"^[A-Za-z0-9._@-]{1,64}$"

# scrypt n=2^15, r=8, p=1: ~60 ms and 32 MiB per check on the development machine.
PASSWORD_N = 1 << 15


class Role(StrEnum):
    ADMIN = "admin"
    SUPPORT = "support"
    VIEWER = "viewer"


RANK = {Role.VIEWER: 0, Role.SUPPORT: 1, Role.ADMIN: 2}


class OperatorError(ValueError):
    """An account cannot be created or changed; the message says why."""


@dataclass(frozen=True)
class Operator:
    name: str
    role: Role

    def may(self, needed: Role) -> bool:
        return RANK[self.role] >= RANK[needed]


@dataclass(frozen=True)
class Session:
    operator: Operator
    csrf_token: str
    expires_at: datetime


class LoginResult(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"


def hash_password(password: str, *, n: int = PASSWORD_N) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=8, p=1, dklen=32, maxmem=128 * n * 8 * 2
    )
    return f"scrypt${n}$8$1${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(digest) // 2,
            maxmem=128 * int(n) * int(r) * 2,
        )
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


# A hash to verify against when the name is unknown, so a wrong name costs as long as
# a wrong password and the timing does not tell which names exist.
@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(8))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise OperatorError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise OperatorError(f"the password must have at most {MAX_PASSWORD} characters")


def add(conn: Connection, name: str, role: Role, password_hash: str, now: datetime) -> Operator:
    if not re.match(NAME_PATTERN, name):
        raise OperatorError("an operator name is 1-64 letters, digits, '.', '_', '@' or '-'")
    if conn.execute(select(operators.c.name).where(operators.c.name == name)).first():
        raise OperatorError(f"operator {name} already exists: remove it first or pick a name")
    conn.execute(
        insert(operators).values(
            name=name,
            role=role.value,
            password_hash=password_hash,
            failed_logins=0,
            created_at=now,
        )
    )
    log.info("operator %s added with role %s", name, role)
    return Operator(name, role)


def remove(conn: Connection, name: str) -> bool:
    conn.execute(delete(operator_sessions).where(operator_sessions.c.operator == name))
    return conn.execute(delete(operators).where(operators.c.name == name)).rowcount > 0


def listing(conn: Connection) -> list[dict[str, object]]:
    rows = conn.execute(select(operators).order_by(operators.c.name))
    return [
        {
            "name": r.name,
            "role": r.role,
            "created_at": r.created_at,
            "last_login_at": r.last_login_at,
            "locked_until": r.locked_until,
            "failed_logins": r.failed_logins,
        }
        for r in rows
    ]


def fetch_hash(conn: Connection, name: str) -> str:
    """The stored hash (or a dummy one) to verify outside the write transaction."""
    row = conn.execute(select(operators.c.password_hash).where(operators.c.name == name)).first()
    return row.password_hash if row is not None else _dummy_hash()


def record_login(
    conn: Connection, name: str, password_ok: bool, now: datetime
) -> tuple[LoginResult, Operator | None]:
    """Judge a sign-in whose password was already checked (scrypt runs before the
    write transaction); counts failures and locks the account at the limit."""
    row = conn.execute(select(operators).where(operators.c.name == name).with_for_update()).first()
    if row is None:
        return LoginResult.WRONG, None
    if row.locked_until is not None and row.locked_until > now:
        return LoginResult.LOCKED, None
    if not password_ok:
        failed = row.failed_logins + 1
        values: dict[str, object] = {"failed_logins": failed}
        if failed >= MAX_FAILED_LOGINS:
            values = {"failed_logins": 0, "locked_until": now + LOCKOUT}
            log.warning("operator %s locked out after %d wrong passwords", name, failed)
        conn.execute(update(operators).where(operators.c.name == name).values(**values))
        return (LoginResult.LOCKED if "locked_until" in values else LoginResult.WRONG), None
    conn.execute(
        update(operators)
        .where(operators.c.name == name)
        .values(failed_logins=0, locked_until=None, last_login_at=now)
    )
    return LoginResult.OK, Operator(row.name, Role(row.role))


def set_password(conn: Connection, name: str, password_hash: str) -> bool:
    """A new password; unlocks the account and ends its sessions."""
    done = conn.execute(
        update(operators)
        .where(operators.c.name == name)
        .values(password_hash=password_hash, failed_logins=0, locked_until=None)
    )
    conn.execute(delete(operator_sessions).where(operator_sessions.c.operator == name))
    return done.rowcount > 0


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(conn: Connection, operator: Operator, now: datetime) -> tuple[str, Session]:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + IDLE
    conn.execute(
        insert(operator_sessions).values(
            session_hash=_digest(token),
            operator=operator.name,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
            expires_at=expires,
        )
    )
    # Old sessions of anyone are swept here: sign-ins are rare, sessions few.
    conn.execute(delete(operator_sessions).where(operator_sessions.c.expires_at < now))
    return token, Session(operator, csrf, expires)


def resume_session(conn: Connection, token: str, now: datetime, *, touch: bool) -> Session | None:
    """The live session of this cookie, or None (unknown, expired, account removed).

    `touch` slides the idle deadline (not past the absolute one); read-only polls of
    the live locker view pass False so an open tab does not keep a session alive.
    """
    row = conn.execute(
        select(operator_sessions, operators.c.role)
        .join(operators, operators.c.name == operator_sessions.c.operator)
        .where(operator_sessions.c.session_hash == _digest(token))
    ).first()
    if row is None or row.expires_at <= now:
        return None
    expires = row.expires_at
    if touch:
        expires = min(now + IDLE, row.created_at + ABSOLUTE)
        conn.execute(
            update(operator_sessions)
            .where(operator_sessions.c.session_hash == row.session_hash)
            .values(last_seen_at=now, expires_at=expires)
        )
    return Session(Operator(row.operator, Role(row.role)), row.csrf_token, expires)


def end_session(conn: Connection, token: str) -> None:
    conn.execute(
        delete(operator_sessions).where(operator_sessions.c.session_hash == _digest(token))
    )
