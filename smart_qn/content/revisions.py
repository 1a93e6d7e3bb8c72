"""Revisions: a snapshot of a notice's editable content at every save, never rewritten.

A revision's `content` is plain JSON (datetimes as ISO 8601 in UTC, the audience as admin unit ids, the
attached files as attachment ids in order), so that it reads the same in ten years whatever the models have
become, and two of them compare directly. Restoring an old revision makes a new one from its content:
history is only ever added to. Fields added since a revision was written read as their default
(`with_defaults`): revisions made before attachments have none.
"""

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.accounts.users import User
from smart_qn.content.notices import Notice
from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db


class RevisionReason(StrEnum):
    # The content a notice had when revisions began to be kept for it (made by the migration that brought
    # revisions, or on the first change of a notice made without the lifecycle, such as demo data).
    INITIAL = "initial"
    CREATE = "create"
    SAVE = "save"
    RESTORE = "restore"


EDITABLE_FIELDS = (
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "body_vi",
    "body_en",
    "category_id",
    "urgency",
    "pinned",
    "publish_at",
    "expire_at",
    "audience_unit_ids",
    "attachment_ids",
)
# What a revision written before a field existed had of it.
CONTENT_DEFAULTS = {"attachment_ids": []}
# Fields long enough that a reader wants to see which lines changed, not just two versions side by side.
LONG_TEXT_FIELDS = frozenset({"summary_vi", "summary_en", "body_vi", "body_en"})
DATETIME_FIELDS = frozenset({"publish_at", "expire_at"})


class NoticeRevision(db.Model):
    __tablename__ = "notice_revision"
    __table_args__ = (UniqueConstraint("notice_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    # 1, 2, 3… within one notice: what an editor calls "revision 3".
    number: Mapped[int]
    # The notice's version its author had loaded: the content an editor saw at version n is that of the
    # last revision based on a version below n (what a conflicting save is compared with).
    based_on_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[RevisionReason] = mapped_column(str_enum(RevisionReason, "revision_reason"))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)

    notice: Mapped[Notice] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<NoticeRevision {self.notice_id}#{self.number} {self.reason}>"


def content_of(notice: Notice) -> dict[str, Any]:
    """The editable content of the notice row, as a revision keeps it."""
    return {
        "title_vi": notice.title_vi,
        "title_en": notice.title_en,
        "summary_vi": notice.summary_vi,
        "summary_en": notice.summary_en,
        "body_vi": notice.body_vi,
        "body_en": notice.body_en,
        "category_id": notice.category_id,
        "urgency": notice.urgency.value,
        "pinned": notice.pinned,
        "publish_at": stored_datetime(notice.publish_at),
        "expire_at": stored_datetime(notice.expire_at),
        "audience_unit_ids": sorted(unit.id for unit in notice.audience),
        "attachment_ids": [link.attachment_id for link in notice.attachment_links],
    }


def with_defaults(content: Mapping[str, Any]) -> dict[str, Any]:
    """A revision's content with every field, those added since it was written at their defaults."""
    return {**CONTENT_DEFAULTS, **content}


def stored_datetime(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def loaded_datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def revisions_of(notice: Notice) -> list[NoticeRevision]:
    """Oldest first."""
    return list(
        db.session.scalars(
            select(NoticeRevision)
            .where(NoticeRevision.notice_id == notice.id)
            .order_by(NoticeRevision.number)
        )
    )


def revision_number(notice: Notice, number: int) -> NoticeRevision | None:
    return db.session.scalar(
        select(NoticeRevision).where(NoticeRevision.notice_id == notice.id, NoticeRevision.number == number)
    )


def revision_seen_at(notice: Notice, version: int) -> NoticeRevision | None:
    """The revision whose content an editor saw when the notice was at `version` (None if history does not
    reach back so far)."""
    return db.session.scalar(
        select(NoticeRevision)
        .where(NoticeRevision.notice_id == notice.id, NoticeRevision.based_on_version < version)
        .order_by(NoticeRevision.number.desc())
        .limit(1)
    )


def last_revision_number(notice: Notice) -> int:
    """0 for a notice without revisions (or not yet in the database)."""
    if notice.id is None:
        return 0
    return db.session.scalar(
        select(func.coalesce(func.max(NoticeRevision.number), 0)).where(NoticeRevision.notice_id == notice.id)
    )


@dataclass(frozen=True)
class FieldChange:
    before: Any
    after: Any
    # For long texts, and the list of attached files: a unified diff of their lines, what a reviewer reads.
    line_diff: str | None = None


def diff(
    older: NoticeRevision | Mapping[str, Any], newer: NoticeRevision | Mapping[str, Any]
) -> dict[str, FieldChange]:
    """What changed from `older` to `newer` (revisions or contents), by field, in the fields' order.

    Attached files are named by their file names, one per line of the line diff, rather than by ids."""
    before, after = _content(older), _content(newer)
    changes = {}
    for field in EDITABLE_FIELDS:
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        if field == "attachment_ids":
            old, new = _filenames(old), _filenames(new)
            changes[field] = FieldChange(old, new, _line_diff(field, old, new))
        elif field in LONG_TEXT_FIELDS:
            changes[field] = FieldChange(
                old, new, _line_diff(field, (old or "").splitlines(), (new or "").splitlines())
            )
        else:
            changes[field] = FieldChange(old, new)
    return changes


def _line_diff(field: str, old_lines: list[str], new_lines: list[str]) -> str:
    return "\n".join(
        difflib.unified_diff(
            old_lines, new_lines, fromfile=f"{field} (before)", tofile=f"{field} (after)", lineterm=""
        )
    )


def _filenames(attachment_ids: list[int]) -> list[str]:
    from smart_qn.content.attachments import filenames  # imported here: attachments imports this module

    return filenames(attachment_ids)


def _content(revision_or_content: NoticeRevision | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(revision_or_content, NoticeRevision):
        return with_defaults(revision_or_content.content)
    return with_defaults(revision_or_content)
