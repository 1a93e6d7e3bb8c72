"""Online public service links: where a resident goes to file a procedure online.

Decree 42/2022/NĐ-CP replaced the old levels 3 and 4 with "một phần" (partly online) and "toàn trình"
(fully online); `level` keeps the new names.
"""

from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.accounts.organizations import Organization
from smart_qn.content.categories import Category
from smart_qn.dbtypes import str_enum
from smart_qn.extensions import db
from smart_qn.text import fold_all


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
    search_text: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship()
    category: Mapped[Category | None] = relationship()

    def __repr__(self) -> str:
        return f"<ServiceLink {self.id} {self.name_vi[:40]!r}>"


@db.event.listens_for(ServiceLink, "before_insert")
@db.event.listens_for(ServiceLink, "before_update")
def _derive_service_columns(_mapper, _connection, service: ServiceLink) -> None:
    service.search_text = fold_all(
        service.name_vi, service.name_en, service.field, service.agency_name, " ".join(service.tags or ())
    )
