"""Passphrase encryption of a whole package file: scrypt key derivation + AES-GCM.

File layout: ``MAGIC`` | salt (16) | check (32) | nonce (12) | ciphertext with GCM tag.
The scrypt output is 64 bytes: the first 32 are the AES-256 key, the last 32 give a check
value (SHA-256 of them) stored in the header, so a wrong passphrase is told apart from a
file altered after encryption (which fails the GCM tag). The header is the GCM associated
data: changing any header byte is also detected.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from ..errors import SessionCoderError

MAGIC = b"SCPKG-AESGCM-1\n"
SALT_LEN, CHECK_LEN, NONCE_LEN = 16, 32, 12
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


class PackageCryptoError(SessionCoderError):
    """Wrong passphrase, or an encrypted package that was altered or cut short."""


def _derive(passphrase: str, salt: bytes) -> tuple[bytes, bytes]:
    material = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, dklen=64, **SCRYPT)
    return material[:32], hashlib.sha256(material[32:]).digest()


def is_encrypted(data: bytes) -> bool:
    return data.startswith(MAGIC)


def encrypt(data: bytes, passphrase: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    if not passphrase:
        raise PackageCryptoError("an empty passphrase cannot protect a package")
    salt, nonce = os.urandom(SALT_LEN), os.urandom(NONCE_LEN)
    key, check = _derive(passphrase, salt)
    header = MAGIC + salt + check + nonce
    return header + AESGCM(key).encrypt(nonce, data, header)


def decrypt(blob: bytes, passphrase: str, where: str = "package") -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    head_len = len(MAGIC) + SALT_LEN + CHECK_LEN + NONCE_LEN
    if not is_encrypted(blob) or len(blob) < head_len + 16:
        raise PackageCryptoError(f"{where}: not an encrypted Session Coder package "
                                 f"(or cut short)")
    header = blob[:head_len]
    salt = header[len(MAGIC):len(MAGIC) + SALT_LEN]
    check = header[len(MAGIC) + SALT_LEN:len(MAGIC) + SALT_LEN + CHECK_LEN]
    nonce = header[-NONCE_LEN:]
    key, expected = _derive(passphrase, salt)
    if not hmac.compare_digest(check, expected):
        raise PackageCryptoError(f"{where}: wrong passphrase")
    try:
        return AESGCM(key).decrypt(nonce, blob[head_len:], header)
    except InvalidTag:
        raise PackageCryptoError(f"{where}: the encrypted package was altered or damaged "
                                 f"after it was written; ask for a new copy") from None


PASSPHRASE_ENV = "SESSION_CODER_PACKAGE_PASSPHRASE"


def passphrase_from_env_or_prompt(prompt: str = "Package passphrase: ",
                                  confirm: bool = False) -> str:
    """For headless commands: the environment variable, else a terminal prompt."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    import getpass
    import sys
    if not sys.stdin or not sys.stdin.isatty():
        raise PackageCryptoError(f"a passphrase is needed: set {PASSPHRASE_ENV} or run "
                                 f"the command on a terminal")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat the passphrase: ") != value:
        raise PackageCryptoError("the two passphrases differ")
    if not value:
        raise PackageCryptoError("no passphrase given")
    return value
