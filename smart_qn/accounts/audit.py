"""The audit log: one row for every change to content, accounts and permissions, and for every sign-in,
failed sign-in, lockout and sign-out. Rows are only ever added: the application has no code that changes
or removes them, and the database refuses to (triggers made by the migration that creates the table).

Who acts is always given by the caller. Where the request came from (address, request id) is set once
per request by the surface that serves it (`request_origin`), so that domain code needs no Flask request.
"""

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.accounts.users import User
from smart_qn.dbtypes import UTCDateTime, utcnow
from smart_qn.extensions import db


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    request_id: str | None = None


request_origin: ContextVar[RequestOrigin | None] = ContextVar("audit_request_origin", default=None)


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_object", "object_type", "object_id"),
        Index("ix_audit_event_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The actor's address as it was then (accounts are renamed, never deleted); for failed sign-ins,
    # the address that was typed.
    actor_label: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    request_id: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()

    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


def record(
    action: str,
    *,
    actor: User | None,
    actor_label: str | None = None,
    object_type: str | None = None,
    object_id: int | str | None = None,
    organization_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit row to the session (it commits with the change it describes, or not at all)."""
    origin = request_origin.get() or RequestOrigin()
    event = AuditEvent(
        at=utcnow(),
        actor=actor,
        actor_label=actor_label or (actor.email if actor else None),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        organization_id=organization_id,
        before=_plain(before),
        after=_plain(after),
        ip_address=origin.ip_address,
        request_id=origin.request_id,
    )
    db.session.add(event)
    return event


def snapshot(row, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` of `row`, as JSON can hold them: what an audit row's before/after keep."""
    return {name: _plain_value(getattr(row, name)) for name in fields}


def _plain(values: Mapping[str, Any] | None) -> dict | None:
    return None if values is None else {key: _plain_value(value) for key, value in values.items()}


def _plain_value(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(_plain_value(item) for item in value)
    if isinstance(value, list | tuple):
        return [_plain_value(item) for item in value]
    return value
