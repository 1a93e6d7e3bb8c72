"""API tokens: how an organization's own system signs in to the management API (smart_qn.api.manage).

An administrator creates a token for one organization, with scopes and perhaps a last day of validity.
Its text, `sqn_<prefix>_<secret>`, is shown once. Only the SHA-256 of the secret is kept: the secret is 32
random bytes, not something a person chose, so a slow password hash would add nothing. The prefix finds
the row and may be shown and logged; the secret never is.
"""

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.accounts import audit
from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import User
from smart_qn.dbtypes import UTCDateTime, utcnow
from smart_qn.extensions import db

MARK = "sqn"
PREFIX_LENGTH = 8
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
SECRET_BYTES = 32
# token_urlsafe(32) is 43 characters; anything much longer is not one of ours and is not worth hashing.
_SECRET_MAX_LENGTH = 64
NAME_LENGTH = 120
# `last_used_at` is a "when was it last seen" for people, not a log: rewriting it on every call would
# double the writes of a busy client.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Compared against when the prefix is unknown, so that an unknown prefix takes the path a known one does.
_NO_SECRET_HASH = hashlib.sha256(b"").hexdigest()


class Scope(StrEnum):
    READ_VALUES = "indicator-values:read"
    WRITE_VALUES = "indicator-values:write"
    PUBLISH_VALUES = "indicator-values:publish"


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(PREFIX_LENGTH), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    # The last day (the province's) on which the token is accepted; None: until revoked.
    expires_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}>"

    @property
    def label(self) -> str:
        """How the token appears as an actor in revisions and the audit log."""
        return f"{self.name} ({self.prefix})"

    def grants(self, scope: Scope) -> bool:
        return scope.value in self.scopes

    def is_expired(self, today: date) -> bool:
        return self.expires_on is not None and today > self.expires_on


class Refusal(StrEnum):
    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"


class TokenRefused(Exception):
    """A presented token that does not sign in: why, and the token when the secret was right."""

    def __init__(self, reason: Refusal, token: ApiToken | None = None, prefix: str | None = None):
        super().__init__(reason.value)
        self.reason = reason
        self.token = token
        self.prefix = prefix


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    # The whole token as its owner must send it: there is no other copy.
    text: str


def create(
    *, organization: Organization, name: str, scopes: list[Scope], expires_on: date | None, by: User
) -> CreatedToken:
    """A new token for `organization`, with an audit row. The caller commits."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        prefix=_new_prefix(),
        secret_hash=_hash(secret),
        name=name.strip(),
        organization=organization,
        scopes=sorted(scope.value for scope in scopes),
        expires_on=expires_on,
        created_by=by,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_tokens.created",
        actor=by,
        object_type="api_token",
        object_id=token.id,
        organization_id=organization.id,
        after=_described(token),
    )
    return CreatedToken(token, f"{MARK}_{token.prefix}_{secret}")


def revoke(token: ApiToken, *, by: User) -> bool:
    """Revoke `token` from now on, with an audit row; False when it was revoked already. The caller
    commits."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    token.revoked_by = by
    audit.record(
        "api_tokens.revoked",
        actor=by,
        object_type="api_token",
        object_id=token.id,
        organization_id=token.organization_id,
        before=_described(token),
        after={**_described(token), "revoked_at": token.revoked_at},
    )
    return True


def verify(text: str, *, today: date) -> ApiToken:
    """The token whose text this is, or TokenRefused. Whether it is revoked or expired is told only to
    whoever knows its secret."""
    parsed = _split(text)
    if parsed is None:
        raise TokenRefused(Refusal.MALFORMED)
    prefix, secret = parsed
    token = db.session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
    expected = token.secret_hash if token is not None else _NO_SECRET_HASH
    if not hmac.compare_digest(expected, _hash(secret)) or token is None:
        raise TokenRefused(Refusal.UNKNOWN, prefix=prefix)
    if token.revoked_at is not None:
        raise TokenRefused(Refusal.REVOKED, token, prefix)
    if token.is_expired(today):
        raise TokenRefused(Refusal.EXPIRED, token, prefix)
    return token


def note_use(token: ApiToken, now: datetime) -> None:
    """Remember that `token` was used, unless that was noted less than LAST_USED_RESOLUTION ago."""
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now


def _split(text: str) -> tuple[str, str] | None:
    mark, _, rest = text.strip().partition("_")
    prefix, _, secret = rest.partition("_")
    if (
        mark != MARK
        or len(prefix) != PREFIX_LENGTH
        or any(character not in _PREFIX_ALPHABET for character in prefix)
        or not 0 < len(secret) <= _SECRET_MAX_LENGTH
    ):
        return None
    return prefix, secret


def _new_prefix() -> str:
    return "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _described(token: ApiToken) -> dict:
    return audit.snapshot(token, ("name", "prefix", "scopes", "expires_on"))
