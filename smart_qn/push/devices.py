"""Devices: app installations registered for push. No personal data: an FCM token, the platform, the
language, the administrative unit and categories the resident chose, the app version.

The FCM token is a secret (whoever holds it can tell FCM to deliver to that phone through our project, and
it identifies the installation): it is never logged or shown in full (`masked_token`). Registration returns
a device secret, stored only as its SHA-256, that the app presents to update or unregister its device.

Registering is idempotent by token: the same token again updates the same row and keeps its id, and issues
a new secret (the old one stops working). That is safe because presenting the token already proves control
of the installation, as much as the secret does; it lets an app that lost its secret (data cleared, backup
restored) recover its device instead of leaving a stale one behind.

Which FCM topics a device should be in is kept as `DeviceTopic` rows, one per (token, topic), changed here
in the same transaction as the device; `subscriptions.apply_subscription_changes` tells FCM later. The rows
of a token that is no longer wanted (the device was unregistered, or its app got a new token) lose their
device and wait as `unsubscribe_pending` until FCM has been told.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, delete, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.content.categories import Category
from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit
from smart_qn.push.topics import topics_of

TOKEN_MIN_LENGTH = 32
TOKEN_MAX_LENGTH = 512


class Platform(StrEnum):
    ANDROID = "android"
    IOS = "ios"
    WEB = "web"


class Language(StrEnum):
    VI = "vi"
    EN = "en"


class TopicState(StrEnum):
    SUBSCRIBE_PENDING = "subscribe_pending"
    SUBSCRIBED = "subscribed"
    UNSUBSCRIBE_PENDING = "unsubscribe_pending"


class Device(db.Model):
    __tablename__ = "push_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(TOKEN_MAX_LENGTH), unique=True)
    platform: Mapped[Platform] = mapped_column(str_enum(Platform, "push_device_platform"))
    language: Mapped[Language] = mapped_column(str_enum(Language, "push_device_language"))
    admin_unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    app_version: Mapped[str] = mapped_column(String(40))
    secret_hash: Mapped[str] = mapped_column(String(64))
    # The communicator whose test sends this device receives; set in the admin, never through the app API.
    tester_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    admin_unit: Mapped[AdminUnit] = relationship()

    def __repr__(self) -> str:
        return f"<Device {self.id} {self.platform.value} {self.masked_token}>"

    @property
    def masked_token(self) -> str:
        return f"{self.token[:4]}…{self.token[-4:]}"


class DeviceTopic(db.Model):
    """Whether one token should be in one FCM topic, and whether FCM has been told."""

    __tablename__ = "push_device_topic"
    __table_args__ = (
        UniqueConstraint("token", "topic"),
        Index("ix_push_device_topic_state_topic", "state", "topic"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL once the device is gone or has a new token: the row then only waits to be unsubscribed.
    device_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_device.id", ondelete="SET NULL"), index=True
    )
    token: Mapped[str] = mapped_column(String(TOKEN_MAX_LENGTH))
    topic: Mapped[str] = mapped_column(String(900))
    state: Mapped[TopicState] = mapped_column(str_enum(TopicState, "push_topic_state"))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<DeviceTopic device={self.device_id} {self.topic} {self.state.value}>"

    def want_subscribed(self) -> None:
        if self.state is TopicState.UNSUBSCRIBE_PENDING:
            self._pending(TopicState.SUBSCRIBE_PENDING)

    def want_unsubscribed(self) -> None:
        # Even a row still waiting to be subscribed is unsubscribed: a subscribe call may have reached FCM
        # before its outcome could be recorded.
        if self.state is not TopicState.UNSUBSCRIBE_PENDING:
            self._pending(TopicState.UNSUBSCRIBE_PENDING)

    def _pending(self, state: TopicState) -> None:
        self.state, self.attempts, self.last_error = state, 0, None


class WrongSecret(Exception):
    """The secret presented does not belong to the device."""


class UnknownCategories(ValueError):
    def __init__(self, slugs: list[str]):
        super().__init__(f"unknown categories: {', '.join(slugs)}")
        self.slugs = slugs


@dataclass(frozen=True)
class Registration:
    device: Device
    secret: str  # shown once: only its hash is stored
    created: bool


def register(
    *,
    token: str,
    platform: Platform,
    language: Language,
    admin_unit: AdminUnit,
    categories: list[str],
    app_version: str,
) -> Registration:
    """Register the installation holding `token`, or update the device already registered with it."""
    categories = known_categories(categories)
    device = db.session.scalar(select(Device).where(Device.token == token))
    created = device is None
    if device is None:
        device = Device(token=token)
    secret = secrets.token_urlsafe(32)
    device.secret_hash = _hash(secret)
    device.platform, device.language, device.admin_unit = platform, language, admin_unit
    device.categories = categories
    device.app_version = app_version
    device.last_seen_at = utcnow()
    db.session.add(device)
    db.session.flush()
    _keep_topics(device)
    return Registration(device, secret, created)


def authenticate(device_id: int, secret: str) -> Device | None:
    """The device, if it exists and `secret` is its secret; None if it does not exist; WrongSecret else."""
    device = db.session.get(Device, device_id)
    if device is None:
        return None
    if not hmac.compare_digest(device.secret_hash, _hash(secret)):
        raise WrongSecret
    return device


def update(
    device: Device,
    *,
    token: str | None = None,
    language: Language | None = None,
    admin_unit: AdminUnit | None = None,
    categories: list[str] | None = None,
    app_version: str | None = None,
) -> Device:
    """Change what is given (an authenticated device: see `authenticate`). A new token replaces the old
    one, whose subscriptions are left to be removed; a device already registered with the new token is
    merged into this one (holding the token proves it is the same installation)."""
    if categories is not None:
        categories = known_categories(categories)
    if token is not None and token != device.token:
        other = db.session.scalar(select(Device).where(Device.token == token))
        if other is not None:
            _forget(other)
        device.token = token
    if language is not None:
        device.language = language
    if admin_unit is not None:
        device.admin_unit = admin_unit
    if categories is not None:
        device.categories = categories
    if app_version is not None:
        device.app_version = app_version
    device.last_seen_at = utcnow()
    db.session.flush()
    _keep_topics(device)
    return device


def unregister(device: Device) -> None:
    """Delete the device (an authenticated one); its topics wait to be unsubscribed."""
    _forget(device)


def prune_tokens(tokens: set[str]) -> None:
    """Forget tokens FCM no longer knows: their devices and every subscription row of theirs (FCM has
    already dropped them from its topics)."""
    db.session.flush()
    db.session.execute(delete(DeviceTopic).where(DeviceTopic.token.in_(tokens)))
    db.session.execute(delete(Device).where(Device.token.in_(tokens)))
    db.session.expire_all()


def known_categories(slugs: list[str]) -> list[str]:
    """The slugs, without repeats, in the order given, if every one names a category."""
    wanted = list(dict.fromkeys(slugs))
    found = set(db.session.scalars(select(Category.slug).where(Category.slug.in_(wanted))))
    missing = [slug for slug in wanted if slug not in found]
    if missing:
        raise UnknownCategories(missing)
    return wanted


def _forget(device: Device) -> None:
    for row in db.session.scalars(select(DeviceTopic).where(DeviceTopic.device_id == device.id)):
        row.device_id = None
        row.want_unsubscribed()
    db.session.delete(device)
    db.session.flush()


def _keep_topics(device: Device) -> None:
    """Bring the device's topic rows in line with `topics_of(device)`; the rows of a token it no longer has
    are detached and left to be unsubscribed."""
    wanted = topics_of(device)
    rows = db.session.scalars(
        select(DeviceTopic).where(or_(DeviceTopic.device_id == device.id, DeviceTopic.token == device.token))
    ).all()
    present = set()
    for row in rows:
        if row.token != device.token:
            row.device_id = None
            row.want_unsubscribed()
            continue
        row.device_id = device.id
        present.add(row.topic)
        if row.topic in wanted:
            row.want_subscribed()
        else:
            row.want_unsubscribed()
    db.session.add_all(
        DeviceTopic(device_id=device.id, token=device.token, topic=topic, state=TopicState.SUBSCRIBE_PENDING)
        for topic in sorted(wanted - present)
    )
    db.session.flush()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
