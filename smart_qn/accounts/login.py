"""Signing in: password check with lockout, the second factor, and what a successful sign-in records.

After `LOCKOUT_THRESHOLD` failed attempts (wrong password or wrong second-factor code) within
`LOCKOUT_WINDOW`, an account is locked for `LOCKOUT_DURATION`: even the right password is refused until
then, or until an admin unlocks it. Unknown addresses and wrong passwords get the same answer, in the same
time. Every attempt is audited.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from smart_qn.accounts import audit
from smart_qn.accounts.passwords import hash_password, needs_rehash, spend_verification_time, verify_password
from smart_qn.accounts.sessions import start_session
from smart_qn.accounts.two_factor import verify_second_factor
from smart_qn.accounts.users import User
from smart_qn.dbtypes import utcnow

LOCKOUT_THRESHOLD = 10
LOCKOUT_WINDOW = timedelta(minutes=15)
LOCKOUT_DURATION = timedelta(minutes=15)


class Outcome(StrEnum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    user: User | None = None


def check_password(email: str, password: str, now: datetime | None = None) -> Attempt:
    """The first step of signing in. OK means the password is right: the caller then asks for the second
    factor if `user.needs_second_factor`, else calls `complete_sign_in`."""
    now = now or utcnow()
    user = User.by_email(email)
    if user is None or not user.active:
        spend_verification_time(password)
        audit.record("login_failed", actor=None, actor_label=email.strip()[:254], after={"reason": "unknown"})
        return Attempt(Outcome.INVALID)
    if user.is_locked(now):
        spend_verification_time(password)
        audit.record("login_refused_locked", actor=user, object_type="user", object_id=user.id)
        return Attempt(Outcome.LOCKED, user)
    if not verify_password(user.password_hash, password):
        return _failed(user, "password", now)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return Attempt(Outcome.OK, user)


def check_second_factor(user: User, code: str, now: datetime | None = None) -> Attempt:
    now = now or utcnow()
    if user.is_locked(now):
        audit.record("login_refused_locked", actor=user, object_type="user", object_id=user.id)
        return Attempt(Outcome.LOCKED, user)
    if not verify_second_factor(user, code, now):
        return _failed(user, "second_factor", now)
    return Attempt(Outcome.OK, user)


def complete_sign_in(user: User, *, ip_address: str | None, user_agent: str | None) -> str:
    """Record the sign-in and start a session; returns the session's token for the browser."""
    user.clear_failed_logins()
    user.last_login_at = utcnow()
    audit.record("login", actor=user, object_type="user", object_id=user.id)
    return start_session(user, ip_address=ip_address, user_agent=user_agent)


def unlock(user: User, *, by: User) -> None:
    before = {"locked_until": user.locked_until, "failed_logins": user.failed_logins}
    user.clear_failed_logins()
    audit.record(
        "user.unlock",
        actor=by,
        object_type="user",
        object_id=user.id,
        before=before,
        after={"locked_until": None, "failed_logins": 0},
    )


def _failed(user: User, reason: str, now: datetime) -> Attempt:
    if user.first_failed_login_at is None or now - user.first_failed_login_at > LOCKOUT_WINDOW:
        user.first_failed_login_at = now
        user.failed_logins = 0
    user.failed_logins += 1
    audit.record(
        "login_failed",
        actor=user,
        object_type="user",
        object_id=user.id,
        after={"reason": reason, "failed_logins": user.failed_logins},
    )
    if user.failed_logins >= LOCKOUT_THRESHOLD:
        user.locked_until = now + LOCKOUT_DURATION
        audit.record(
            "lockout",
            actor=user,
            object_type="user",
            object_id=user.id,
            after={"locked_until": user.locked_until},
        )
        return Attempt(Outcome.LOCKED, user)
    return Attempt(Outcome.INVALID, user)
