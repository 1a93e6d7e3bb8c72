"""Delta sync for the app: what changed in a time window, including what stopped being visible.

A change is anything that alters what a resident may see: an edit (`updated_at`), a notice going live or
expiring by the clock (`publish_at`, `expire_at`), or a deletion (a `DeletedItem` tombstone). Each changed
item is reported once with its state at the window's end: its content when visible, a tombstone when not.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import String, delete, event, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from smart_qn.content.indicators import Indicator, IndicatorValue, ValueStatus
from smart_qn.content.notices import Notice
from smart_qn.content.services import ServiceLink
from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db


class ItemKind(StrEnum):
    NOTICE = "notice"
    SERVICE = "service"
    INDICATOR = "indicator"


class DeletedItem(db.Model):
    """A tombstone: the app must forget this item."""

    __tablename__ = "deleted_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, "item_kind"))
    key: Mapped[str] = mapped_column(String(60))
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def prune_tombstones(now: datetime, kept_for: timedelta) -> int:
    """Delete the tombstones older than `kept_for` at `now`; returns how many. The sync refuses a cursor
    older than that (the app then syncs from scratch), so no cursor it accepts can need them."""
    return db.session.execute(delete(DeletedItem).where(DeletedItem.deleted_at < now - kept_for)).rowcount


@dataclass(frozen=True, order=True)
class Position:
    """Where a page ended: items are ordered by (changed_at, kind, sort key)."""

    changed_at: datetime
    kind: str
    sort_key: str


@dataclass(frozen=True)
class Change:
    position: Position
    kind: ItemKind
    key: str
    item: Notice | ServiceLink | Indicator | None  # None: a tombstone

    @classmethod
    def of(cls, kind: ItemKind, key: str, changed_at: datetime, item) -> "Change":
        sort_key = key.rjust(12, "0") if key.isdigit() else key
        return cls(Position(changed_at, kind.value, sort_key), kind, key, item)


def item_key(kind: ItemKind, row) -> str:
    return row.code if kind is ItemKind.INDICATOR else str(row.id)


def is_visible(kind: ItemKind, row, at: datetime) -> bool:
    if kind is ItemKind.NOTICE:
        return (
            row.state == "published"
            and row.publish_at <= at
            and (row.expire_at is None or row.expire_at > at)
        )
    if kind is ItemKind.SERVICE:
        return row.published
    return True


def current_items(until: datetime) -> list[Change]:
    """Everything visible at `until`, for a first sync."""
    notices = db.session.scalars(select(Notice).where(Notice.live(until)))
    services = db.session.scalars(select(ServiceLink).where(ServiceLink.published.is_(True)))
    indicators = db.session.scalars(select(Indicator))
    changes = [
        Change.of(kind, item_key(kind, row), until, row)
        for kind, rows in (
            (ItemKind.NOTICE, notices),
            (ItemKind.SERVICE, services),
            (ItemKind.INDICATOR, indicators),
        )
        for row in rows
    ]
    return sorted(changes, key=lambda change: change.position)


def changes_between(since: datetime, until: datetime) -> list[Change]:
    """Every item whose visible state may differ between `since` and `until`, in position order."""

    def moment(*times: datetime | None) -> datetime:
        return max(time for time in times if time is not None and since < time <= until)

    def in_window(column):
        return (column > since) & (column <= until)

    changes = []
    for notice in db.session.scalars(
        select(Notice).where(
            or_(in_window(Notice.updated_at), in_window(Notice.publish_at), in_window(Notice.expire_at))
        )
    ):
        changes.append(
            _change(
                ItemKind.NOTICE, notice, until, moment(notice.updated_at, notice.publish_at, notice.expire_at)
            )
        )
    for service in db.session.scalars(select(ServiceLink).where(in_window(ServiceLink.updated_at))):
        changes.append(_change(ItemKind.SERVICE, service, until, service.updated_at))
    value_changed = (
        select(IndicatorValue.indicator_id, func.max(IndicatorValue.published_at).label("changed_at"))
        .where(IndicatorValue.status == ValueStatus.PUBLISHED, in_window(IndicatorValue.published_at))
        .group_by(IndicatorValue.indicator_id)
        .subquery()
    )
    for indicator, values_changed_at in db.session.execute(
        select(Indicator, value_changed.c.changed_at)
        .outerjoin(value_changed, value_changed.c.indicator_id == Indicator.id)
        .where(or_(in_window(Indicator.updated_at), value_changed.c.changed_at.is_not(None)))
    ):
        changes.append(
            _change(ItemKind.INDICATOR, indicator, until, moment(indicator.updated_at, values_changed_at))
        )
    for deleted in db.session.scalars(select(DeletedItem).where(in_window(DeletedItem.deleted_at))):
        changes.append(Change.of(deleted.kind, deleted.key, deleted.deleted_at, None))
    return sorted(changes, key=lambda change: change.position)


def _change(kind: ItemKind, row, until: datetime, changed_at: datetime) -> Change:
    return Change.of(kind, item_key(kind, row), changed_at, row if is_visible(kind, row, until) else None)


_KINDS = {Notice: ItemKind.NOTICE, ServiceLink: ItemKind.SERVICE, Indicator: ItemKind.INDICATOR}


@event.listens_for(Session, "before_flush")
def _record_deletions(session: Session, _context, _instances) -> None:
    tombstones = [
        DeletedItem(kind=_KINDS[type(row)], key=item_key(_KINDS[type(row)], row), deleted_at=utcnow())
        for row in session.deleted
        if type(row) in _KINDS
    ]
    if tombstones:
        session.add_all(tombstones)
