"""Sealing the pickup codes that wait in the notification queue (AES-256-GCM).

The key is 32 random bytes in a file of its own (mode 0600), outside the database:
a copy of the database alone does not reveal a single code. Each sealed value is
bound to its parcel id (associated data), so a sealed code copied onto another
parcel's row does not open.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32


class SecretKeyError(ValueError):
    """The key file is unreadable or holds no valid key; the message says which."""


class SealBroken(ValueError):
    """A sealed value does not open with this key (another key, or tampered)."""


class SecretBox:
    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise SecretKeyError(f"the secret key must be {KEY_BYTES} bytes")
        self._aead = AESGCM(key)

    @classmethod
    def from_file(cls, path: Path, *, create: bool = True) -> SecretBox:
        """Load the key; a missing file is created (mode 0600) with a new key."""
        if not path.exists():
            if not create:
                raise SecretKeyError(f"{path} does not exist")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(KEY_BYTES) + "\n")
        try:
            text = path.read_text(encoding="ascii").strip()
            key = bytes.fromhex(text)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise SecretKeyError(
                f"{path} must hold {KEY_BYTES * 2} hex digits (delete it to have a new key "
                "made; codes sealed with the old one can then no longer be sent)"
            ) from exc
        return cls(key)

    def seal(self, plain: str, context: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, plain.encode("utf-8"), context.encode("utf-8"))
        return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, sealed: str, context: str) -> str:
        try:
            raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
            plain = self._aead.decrypt(raw[:12], raw[12:], context.encode("utf-8"))
        except (InvalidTag, ValueError) as exc:
            raise SealBroken("the sealed code does not open with this key") from exc
        return plain.decode("utf-8")
