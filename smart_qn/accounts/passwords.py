"""Passwords: argon2id hashes, and the rules a new password must pass."""

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 takes any length; this only bounds the work an attacker can ask for
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt.gz"

# argon2-cffi's defaults are RFC 9106's second recommended option (argon2id, t=3, m=64 MiB, p=4).
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash was made with weaker parameters than today's and should be replaced at login."""
    return _hasher.check_needs_rehash(password_hash)


# Verifying against this costs what verifying a real hash does, so that an unknown address takes as long
# to refuse as a wrong password (no timing oracle for which accounts exist).
@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a password anyone has")


def spend_verification_time(password: str) -> None:
    verify_password(_dummy_hash(), password)


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().casefold() for line in lines if len(line.strip()) >= MIN_LENGTH)


def password_problems(password: str, *, email: str = "", display_name: str = "") -> list[str]:
    """Why `password` may not be used, as messages for the form; empty when it may."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_l("Use at least %(count)d characters.", count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_l("Use at most %(count)d characters.", count=MAX_LENGTH))
    folded = password.casefold()
    if folded in _common_passwords():
        problems.append(_l("This password is too common."))
    personal = [email.split("@")[0].casefold(), *display_name.casefold().split()]
    if any(len(part) >= 4 and part in folded for part in personal):
        problems.append(_l("The password must not contain your name or e-mail address."))
    if password and len(set(password)) <= 2:
        problems.append(_l("Use more than two different characters."))
    return [str(problem) for problem in problems]
