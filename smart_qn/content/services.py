"""Online public service links: where a resident goes to file a procedure online.

Decree 42/2022/NĐ-CP replaced the old levels 3 and 4 with "một phần" (partly online) and "toàn trình"
(fully online); `level` keeps the new names.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.accounts.organizations import Organization
from smart_qn.content.categories import Category
from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db


class ServiceLevel(StrEnum):
    FULL = "full"  # toàn trình, formerly level 4
    PARTIAL = "partial"  # một phần, formerly level 3


class ServiceTier(StrEnum):
    """Which level of government carries the procedure out."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class ServiceLink(db.Model):
    __tablename__ = "service_link"
    # Trigram index for the search's LIKE patterns on PostgreSQL; declared empty (WHERE 0) on SQLite, which
    # cannot use an index for them, so that both databases have the same named index.
    __table_args__ = (
        Index(
            "ix_service_link_search_folded_trgm",
            "search_folded",
            postgresql_using="gin",
            postgresql_ops={"search_folded": "gin_trgm_ops"},
            sqlite_where=false(),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_code: Mapped[str | None] = mapped_column(String(40))
    name_vi: Mapped[str] = mapped_column(String(400))
    name_en: Mapped[str | None] = mapped_column(String(400))
    field: Mapped[str] = mapped_column(String(200), index=True)
    level: Mapped[ServiceLevel] = mapped_column(str_enum(ServiceLevel, "service_level"))
    tier: Mapped[ServiceTier] = mapped_column(str_enum(ServiceTier, "service_tier"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    agency_name: Mapped[str | None] = mapped_column(String(200))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    fee: Mapped[str | None] = mapped_column(String(200))
    processing_time: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    featured: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=True)
    # What the search reads (smart_qn.content.search): words folded or with their accents, word starts marked.
    search_folded: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_accented: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_title_folded: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_title_accented: Mapped[str] = mapped_column(Text, default="", server_default="")
    # When it was first published: from then on residents may have it saved, so it is never deleted.
    first_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    category: Mapped[Category | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<ServiceLink {self.id} {self.name_vi[:40]!r}>"

    @property
    def never_published(self) -> bool:
        """Only such a link may be deleted. Rows made outside the admin (demo data) have no
        first_published_at even when published: for them `published` tells."""
        return self.first_published_at is None and not self.published


@db.event.listens_for(ServiceLink, "before_insert")
@db.event.listens_for(ServiceLink, "before_update")
def _derive_service_columns(_mapper, _connection, service: ServiceLink) -> None:
    from smart_qn.content.search import fill_search_columns  # imported here: search imports this module

    fill_search_columns(
        service,
        title=(service.name_vi, service.name_en),
        body=(service.field, service.agency_name, " ".join(service.tags or ())),
    )
