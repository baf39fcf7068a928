"""What the kiosk accepts as its locker profile: the code KDF has a floor and a
ceiling, and the salt a minimum length, whatever the central service sends.

A weakened KDF (scrypt n=2) makes every code hash on the kiosk's disk trivial to
reverse; an excessive one (n=2^24) makes every code check fail for want of memory, so
no pickup or login works. Both are refused with one clear error; the kiosk keeps the
profile it has. A salt or KDF change is taken only together with the re-hashed codes of
every cached parcel and courier, in one transaction (`SyncStore.apply_rekey`).

    check_profile(profile, min_n=16384)   # raises ProfileRefused
"""

from __future__ import annotations

from contract import wire
from contract.codes import KdfParams
from sync.client import SyncError

KDF_MIN_N = 2**14  # the contract's default: production never accepts less
KDF_LOWEST_FLOOR = 2**10  # the lowest floor a configuration may set (demo and tests)
KDF_MAX_N = 2**20
# scrypt needs 128 * n * r bytes per guess and time in proportion to n * r * p. The
# ceiling is 16 times the production cost: about a second per check on a kiosk's CPU,
# 256 MiB of memory.
KDF_MAX_WORK = 2**21
SALT_MIN_BYTES, SALT_MAX_BYTES = 16, 64


class ProfileRefused(SyncError):
    """The central service sent a profile the kiosk will not use; it keeps its own."""


def _mib(n: int, r: int) -> str:
    return f"{128 * n * r / 2**20:,.0f} MiB"


def check_profile(profile: wire.LockerProfile, *, min_n: int = KDF_MIN_N) -> KdfParams:
    """The profile's KDF parameters if the kiosk may use them; else ProfileRefused with
    what is wrong and what happens now."""
    keep = "; the kiosk keeps its current profile (fix the locker's code_kdf centrally)"
    try:
        kdf = profile.code_kdf.to_params()
    except ValueError as exc:
        raise ProfileRefused("GET profile", f"code_kdf unusable: {exc}{keep}") from None
    n, r, p = kdf.n, kdf.r, kdf.p
    if n < min_n or n * r < min_n * 8:
        raise ProfileRefused(
            "GET profile",
            f"code_kdf scrypt n={n}, r={r} is below the kiosk's floor (n={min_n}, r=8: "
            f"{_mib(min_n, 8)} per guess): code hashes on this disk would be cheap to "
            f"reverse{keep}")
    if n > KDF_MAX_N or n * r * p > KDF_MAX_WORK:
        raise ProfileRefused(
            "GET profile",
            f"code_kdf scrypt n={n}, r={r}, p={p} is above the kiosk's ceiling "
            f"(n*r*p <= {KDF_MAX_WORK}, n <= {KDF_MAX_N}; this one needs {_mib(n, r)} per "
            f"check): every code check would fail or take too long{keep}")
    salt_bytes = len(profile.code_salt) // 2
    if len(profile.code_salt) % 2 or not SALT_MIN_BYTES <= salt_bytes <= SALT_MAX_BYTES:
        raise ProfileRefused(
            "GET profile",
            f"code_salt must be {SALT_MIN_BYTES} to {SALT_MAX_BYTES} bytes of hex, got "
            f"{len(profile.code_salt)} hex digits{keep}")
    return kdf


def fingerprint(code_salt: str, kdf: KdfParams) -> str:
    """What the code hashes depend on: a change of it needs every hash made again."""
    return f"{code_salt}:{kdf.name}:{kdf.n}:{kdf.r}:{kdf.p}:{kdf.dklen}"
