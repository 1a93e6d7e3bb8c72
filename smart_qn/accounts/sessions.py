"""Admin sign-in sessions, kept on the server so that they can be ended and timed out.

The browser holds only a random token (inside Flask's signed session cookie); the database holds its
SHA-256. A new token is made at every sign-in (no session fixation). A session ends at sign-out, after
`ADMIN_SESSION_IDLE_MINUTES` without a request, and `ADMIN_SESSION_MAX_HOURS` after sign-in whatever
happens; a password change or an admin's deactivation ends all of a user's sessions.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.accounts.users import User
from smart_qn.dbtypes import UTCDateTime, utcnow
from smart_qn.extensions import db

# How often a session's last-seen time is written: not on every request.
TOUCH_INTERVAL = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserSession(db.Model):
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why it ended: "logout", "idle", "expired", "password", "deactivated".
    end_reason: Mapped[str | None] = mapped_column(String(20))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship()


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    absolute: timedelta


def start_session(user: User, *, ip_address: str | None, user_agent: str | None) -> str:
    """A new session for `user`; returns the token for the browser (never stored)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_digest(token),
            user=user,
            ip_address=ip_address,
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    return token


def resume_session(
    token: str | None, limits: SessionLimits, now: datetime | None = None
) -> UserSession | None:
    """The open session of `token`, its last-seen time renewed; None (and the session ended, if it timed
    out) when there is none to resume."""
    if not token:
        return None
    now = now or utcnow()
    found = db.session.scalar(
        select(UserSession).where(UserSession.token_hash == _digest(token), UserSession.ended_at.is_(None))
    )
    if found is None:
        return None
    if now - found.started_at >= limits.absolute:
        _end(found, "expired", now)
        return None
    if now - found.last_seen_at >= limits.idle:
        _end(found, "idle", now)
        return None
    if not found.user.active:
        _end(found, "deactivated", now)
        return None
    if now - found.last_seen_at >= TOUCH_INTERVAL:
        found.last_seen_at = now
    return found


def end_session(user_session: UserSession, reason: str = "logout") -> None:
    _end(user_session, reason, utcnow())


def end_all_sessions(user: User, reason: str) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def _end(user_session: UserSession, reason: str, now: datetime) -> None:
    user_session.ended_at = now
    user_session.end_reason = reason
