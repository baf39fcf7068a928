"""Pickup codes, PINs and QR payloads: normalising, parsing and hashing.

The plain code exists only in the customer's message and, for a moment, in the
kiosk's memory while it is hashed. Everything stored or sent is the keyed, slow hash
described in the central API: hex(scrypt(code, salt=code_salt, n, r, p, dklen)).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

QR_PREFIX = "XP1"
CODE_LENGTH = 8
PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 12
# Every id of the contract (lockers, parcels, couriers): ASCII letters, digits and ._-
ID_MAX_LENGTH = 64
ID_PATTERN = r"^[A-Za-z0-9._-]+$"
_ID = re.compile(ID_PATTERN)
_PIN = re.compile(rf"[0-9]{{{PIN_MIN_LENGTH},{PIN_MAX_LENGTH}}}")


class MalformedCode(ValueError):
    """A typed or scanned code that cannot be a pickup code. The message is for people."""


@dataclass(frozen=True)
class KdfParams:
    """The KDF named in the locker profile (`code_kdf`)."""

    name: str = "scrypt"
    n: int = 16384
    r: int = 8
    p: int = 1
    dklen: int = 32

    def __post_init__(self) -> None:
        if self.name != "scrypt":
            raise ValueError(f"unsupported code KDF {self.name!r}: only 'scrypt' is implemented")
        if self.n < 2 or self.n & (self.n - 1):
            raise ValueError(f"scrypt n must be a power of two > 1, got {self.n}")
        if self.r < 1 or self.p < 1 or not 16 <= self.dklen <= 64:
            raise ValueError("scrypt r and p must be >= 1 and dklen between 16 and 64")

    @classmethod
    def from_profile(cls, data: dict[str, object]) -> KdfParams:
        return cls(
            name=str(data.get("name", "scrypt")),
            n=int(data.get("n", 16384)),  # type: ignore[call-overload]
            r=int(data.get("r", 8)),  # type: ignore[call-overload]
            p=int(data.get("p", 1)),  # type: ignore[call-overload]
            dklen=int(data.get("dklen", 32)),  # type: ignore[call-overload]
        )

    def as_profile(self) -> dict[str, object]:
        return {"name": self.name, "n": self.n, "r": self.r, "p": self.p, "dklen": self.dklen}


@dataclass(frozen=True)
class ScannedCode:
    """What a QR payload or keypad entry said: the code, and the locker it names (if any)."""

    code: str
    locker_id: str | None = None

    def __repr__(self) -> str:  # never let the plain code reach a log through repr()
        return f"ScannedCode(code='***', locker_id={self.locker_id!r})"


def is_identifier(text: str) -> bool:
    """True when `text` follows the contract's id rule (no other Unicode letters)."""
    return len(text) <= ID_MAX_LENGTH and _ID.fullmatch(text) is not None


def is_pin(text: str) -> bool:
    """A PIN is 4 to 12 ASCII digits, on the kiosk as on the central service."""
    return _PIN.fullmatch(text) is not None


def excerpt(text: str, limit: int = 24) -> str:
    """A short, escaped excerpt of untrusted text for a log line or an event."""
    head = text[:limit].encode("unicode_escape").decode("ascii")[: limit * 2]
    return head + (f"... ({len(text)} chars)" if len(text) > limit else "")


def normalize_code(raw: str) -> str:
    """Strip the spaces and dashes people type and messages print; check the shape."""
    code = "".join(ch for ch in raw.strip() if ch not in " -\t")
    if not code:
        raise MalformedCode("No code was entered.")
    if not code.isascii() or not code.isdigit():
        raise MalformedCode("A pickup code has digits only.")
    if len(code) != CODE_LENGTH:
        raise MalformedCode(f"A pickup code has {CODE_LENGTH} digits; this one has {len(code)}.")
    return code


def parse_scan(text: str) -> ScannedCode:
    """Parse `XP1:<locker_id>:<code>` or a bare code."""
    text = text.strip()
    if text.upper().startswith(QR_PREFIX + ":"):
        parts = text.split(":")
        if len(parts) != 3 or not parts[1]:
            raise MalformedCode("This QR code is not an ExpressPoint pickup code.")
        locker_id = parts[1]
        if not is_identifier(locker_id):
            raise MalformedCode("This QR code is not an ExpressPoint pickup code.")
        return ScannedCode(code=normalize_code(parts[2]), locker_id=locker_id)
    return ScannedCode(code=normalize_code(text))


def qr_payload(locker_id: str, code: str) -> str:
    return f"{QR_PREFIX}:{locker_id}:{normalize_code(code)}"


def hash_secret(secret: str, salt_hex: str, params: KdfParams) -> str:
    """hex(scrypt(secret as UTF-8, salt=bytes.fromhex(salt_hex), ...)).

    Used for pickup codes, courier PINs and badge payloads alike.
    """
    salt = bytes.fromhex(salt_hex)
    # maxmem must cover 128 * n * r bytes plus slack, or OpenSSL refuses.
    maxmem = 128 * params.n * params.r * (params.p + 2)
    digest = hashlib.scrypt(
        secret.encode("utf-8"),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        dklen=params.dklen,
        maxmem=maxmem,
    )
    return digest.hex()


def hash_code(code: str, salt_hex: str, params: KdfParams) -> str:
    return hash_secret(normalize_code(code), salt_hex, params)


def verify_secret(secret: str, expected_hash: str, salt_hex: str, params: KdfParams) -> bool:
    return hmac.compare_digest(hash_secret(secret, salt_hex, params), expected_hash)


def new_code() -> str:
    """A random pickup code from the OS CSPRNG."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


def new_salt() -> str:
    return secrets.token_hex(16)


def make_pin_record(pin: str, params: KdfParams | None = None) -> str:
    """A self-contained PIN hash for config files: `scrypt$n$r$p$salt$hash`.

    Technician PINs live in the kiosk config rather than the central service, so the
    record carries its own salt and parameters.
    """
    if not is_pin(pin):
        raise MalformedCode(f"A PIN has {PIN_MIN_LENGTH} to {PIN_MAX_LENGTH} digits.")
    params = params or KdfParams()
    salt = new_salt()
    digest = hash_secret(pin, salt, params)
    return f"scrypt${params.n}${params.r}${params.p}${salt}${digest}"


def verify_pin_record(pin: str, record: str) -> bool:
    """Check a PIN against a `make_pin_record` string; a malformed record never matches."""
    if not is_pin(pin):
        return False
    try:
        name, n, r, p, salt, digest = record.split("$")
        params = KdfParams(name=name, n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2)
        return verify_secret(pin, digest, salt, params)
    except ValueError:
        return False
