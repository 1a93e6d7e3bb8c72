"""Notices: what the province and its bodies tell residents, from office hours to typhoon warnings.

The audience is a set of administrative units; the whole province is the province unit itself, so
"who sees this" is one rule: a resident of a unit sees notices addressed to it or to any of its ancestors.
"""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    case,
    exists,
    false,
    func,
    select,
)
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.accounts.organizations import Organization
from smart_qn.content.categories import Category
from smart_qn.content.markdown import render_markdown
from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit

if TYPE_CHECKING:
    from smart_qn.content.attachments import Attachment, NoticeAttachment


class Urgency(StrEnum):
    NORMAL = "normal"
    IMPORTANT = "important"
    EMERGENCY = "emergency"


class NoticeState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    ARCHIVED = "archived"


notice_audience = Table(
    "notice_audience",
    db.metadata,
    Column("notice_id", ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True),
    Column("admin_unit_id", ForeignKey("admin_unit.id"), primary_key=True, index=True),
)


class Notice(db.Model):
    __tablename__ = "notice"
    __table_args__ = (
        CheckConstraint(
            "expire_at IS NULL OR publish_at IS NULL OR expire_at > publish_at", name="expiry_order"
        ),
        # Serves the listing order (pinned, newest) and covers the "live" test, so neither a page nor
        # the count of live notices reads more rows than it returns.
        Index("ix_notice_listing", "state", "pinned", "publish_at", "expire_at"),
        # Trigram index for the search's LIKE patterns on PostgreSQL. SQLite cannot use an index for them:
        # there it is declared empty (WHERE 0) so that both databases have the same named index.
        Index(
            "ix_notice_search_folded_trgm",
            "search_folded",
            postgresql_using="gin",
            postgresql_ops={"search_folded": "gin_trgm_ops"},
            sqlite_where=false(),
        ),
        # SQLite: the search tells which of the notices its FTS5 index finds are live from this narrow
        # index, not from their rows (smart_qn.content.search). PostgreSQL has it empty (WHERE false).
        Index("ix_notice_live_by_id", "id", "state", "publish_at", "expire_at", postgresql_where=false()),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    title_vi: Mapped[str] = mapped_column(String(300))
    summary_vi: Mapped[str] = mapped_column(String(1000))
    body_vi: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(String(300))
    summary_en: Mapped[str | None] = mapped_column(String(1000))
    body_en: Mapped[str | None] = mapped_column(Text)
    body_html_vi: Mapped[str] = mapped_column(Text)
    body_html_en: Mapped[str | None] = mapped_column(Text)
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency, "urgency"), default=Urgency.NORMAL)
    pinned: Mapped[bool] = mapped_column(default=False)
    state: Mapped[NoticeState] = mapped_column(
        str_enum(NoticeState, "notice_state"), default=NoticeState.DRAFT
    )
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expire_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An edit of a published notice waits here, as the number of one of its revisions, until it is published:
    # the row keeps what residents see. A number rather than a foreign key, because revisions are only ever
    # added and go only with their notice (smart_qn.content.revisions).
    pending_revision_number: Mapped[int | None]
    pending_in_review: Mapped[bool] = mapped_column(default=False, server_default=false())
    # When it was first published or scheduled: from then on it is part of the record and is never deleted.
    first_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the search reads (smart_qn.content.search): words folded or with their accents, word starts marked.
    search_folded: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_accented: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_title_folded: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_title_accented: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What its search snippets are cut from (smart_qn.content.search.fill_snippet_columns): the plain text of
    # summary and body, and its ASCII fold (None when the text does not fold one character for one).
    snippet_text_vi: Mapped[str] = mapped_column(Text, default="", server_default="")
    snippet_folded_vi: Mapped[str | None] = mapped_column(Text)
    snippet_text_en: Mapped[str | None] = mapped_column(Text)
    snippet_folded_en: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    category: Mapped[Category] = relationship()
    audience: Mapped[list[AdminUnit]] = relationship(secondary=notice_audience, order_by=AdminUnit.code)
    # The files of its own content, in order (smart_qn.content.attachments; the lifecycle sets them).
    attachment_links: Mapped[list["NoticeAttachment"]] = relationship(
        order_by="NoticeAttachment.position", cascade="all, delete-orphan"
    )
    attachments: AssociationProxy[list["Attachment"]] = association_proxy("attachment_links", "attachment")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.state} {self.title_vi[:40]!r}>"

    @property
    def never_published(self) -> bool:
        """Only such a notice may be deleted. Rows made outside the lifecycle (demo data) have no
        first_published_at: for them the state tells."""
        return self.first_published_at is None and self.state in (NoticeState.DRAFT, NoticeState.IN_REVIEW)

    @classmethod
    def live(cls, now: datetime):
        """Published, past its publish time and not yet expired: what residents may see at `now`."""
        return (
            (cls.state == NoticeState.PUBLISHED)
            & (cls.publish_at <= now)
            & (cls.expire_at.is_(None) | (cls.expire_at > now))
        )

    @classmethod
    def urgency_rank(cls):
        """Most urgent first when ordered ascending (the values do not sort that way as text)."""
        return case({Urgency.EMERGENCY: 0, Urgency.IMPORTANT: 1}, value=cls.urgency, else_=2)

    @classmethod
    def addressed_to_any(cls, units: list[AdminUnit]):
        return exists().where(
            notice_audience.c.notice_id == cls.id,
            notice_audience.c.admin_unit_id.in_([unit.id for unit in units]),
        )

    @classmethod
    def seen_in(cls, unit: AdminUnit):
        """Notices a resident of `unit` should see: those for the unit, its district or the province."""
        return cls.addressed_to_any(unit.lineage())

    def refresh_derived(self) -> None:
        # Imported here: search imports this module.
        from smart_qn.content.search import fill_search_columns, fill_snippet_columns

        self.body_html_vi = render_markdown(self.body_vi)
        self.body_html_en = render_markdown(self.body_en)
        fill_search_columns(
            self,
            title=(self.title_vi, self.title_en),
            body=(self.summary_vi, self.summary_en, self.body_vi, self.body_en),
        )
        fill_snippet_columns(self)


def live_notices(now: datetime | None = None):
    return select(Notice).where(Notice.live(now or utcnow()))


@db.event.listens_for(Notice, "before_insert")
@db.event.listens_for(Notice, "before_update")
def _derive_notice_columns(_mapper, _connection, notice: Notice) -> None:
    notice.refresh_derived()


def next_visibility_change(now: datetime) -> datetime | None:
    """When the set of live notices next changes by the clock alone (a publish time or an expiry)."""
    published = Notice.state == NoticeState.PUBLISHED
    upcoming = [
        db.session.scalar(select(func.min(Notice.publish_at)).where(published, Notice.publish_at > now)),
        db.session.scalar(select(func.min(Notice.expire_at)).where(published, Notice.expire_at > now)),
    ]
    upcoming = [moment for moment in upcoming if moment is not None]
    return min(upcoming) if upcoming else None


# Revisions and attachments belong to the notice model but live in their own modules, which need Notice:
# imported last, so that wherever notices are mapped they are too (the migrations are checked against the
# models).
from smart_qn.content import attachments, revisions  # noqa: E402, F401
