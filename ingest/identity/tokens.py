"""The API token format: ``ccd_<token id>_<secret>``, of which only the secret's digest is kept.

Why a plain SHA-256 and not bcrypt/argon2: those slow hashes exist to make guessing a
*low-entropy* password expensive. A token secret is 32 random bytes (256 bits), so there is
nothing to guess, and a fast hash lets every API request be checked in microseconds.
The token id is public (it names the record in the log and in request logs); the secret is
the only part that grants access.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from ingest.log.errors import Unauthorized

PREFIX = "ccd"
TOKEN_ID_BYTES = 8
SECRET_BYTES = 32
TOKEN_ID_PATTERN = re.compile(r"[0-9a-f]{16}")
# token_urlsafe(32) is 43 characters of the URL-safe base64 alphabet (which includes "_",
# so the secret is taken as everything after the second separator).
_TOKEN_PATTERN = re.compile(r"ccd_(?P<token_id>[0-9a-f]{16})_(?P<secret>[A-Za-z0-9_-]{43})")


@dataclass(frozen=True)
class PresentedToken:
    """A token split into its public id and its secret."""

    token_id: str
    secret: str

    @property
    def plaintext(self) -> str:
        return f"{PREFIX}_{self.token_id}_{self.secret}"


def generate_token() -> PresentedToken:
    """A fresh token from the OS's cryptographic random source."""
    return PresentedToken(secrets.token_hex(TOKEN_ID_BYTES), secrets.token_urlsafe(SECRET_BYTES))


def parse_token(presented: str) -> PresentedToken:
    """Split a presented token, refusing anything that is not exactly our format."""
    match = _TOKEN_PATTERN.fullmatch(presented.strip()) if presented else None
    if match is None:
        raise Unauthorized("malformed token", reason="malformed")
    return PresentedToken(match["token_id"], match["secret"])


def hash_secret(secret: str) -> str:
    """The hex SHA-256 digest that ``TokenIssued`` stores in place of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, expected_sha256: str) -> bool:
    """Constant-time comparison, so response timing reveals nothing about the digest."""
    return hmac.compare_digest(hash_secret(secret), expected_sha256)
