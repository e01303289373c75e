"""The supervisor passphrase, stored as a salted scrypt hash (``hashlib.scrypt``; n=2**14,
r=8, p=1, 16-byte salt) — never the passphrase itself."""

from __future__ import annotations

import hashlib
import hmac
import os

from ..errors import SessionCoderError

N, R, P = 2**14, 8, 1
MIN_LENGTH = 8


def hash_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_LENGTH:
        raise SessionCoderError(f"a passphrase needs at least {MIN_LENGTH} characters")
    salt = os.urandom(16)
    digest = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def verify_passphrase(passphrase: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(passphrase.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n),
                             r=int(r), p=int(p), dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, bytes.fromhex(digest))
