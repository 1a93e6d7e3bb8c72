"""Organizations own content: departments (Sở), boards, central agencies in the province and the district
People's Committees. Every editable thing belongs to exactly one of them."""

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, false, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.dbtypes import str_enum
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit


class OrganizationKind(StrEnum):
    DEPARTMENT = "department"
    BOARD = "board"
    CENTRAL_AGENCY = "central_agency"
    DISTRICT_COMMITTEE = "district_committee"


organization_successor = Table(
    "organization_successor",
    db.metadata,
    Column("predecessor_id", ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True),
    Column("successor_id", ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True),
)


class Organization(db.Model):
    __tablename__ = "organization"
    __table_args__ = (
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="validity_order"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[OrganizationKind] = mapped_column(str_enum(OrganizationKind, "organization_kind"))
    admin_unit_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    website: Mapped[str | None] = mapped_column(String(300))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    # Whether its editors may publish without an approver (small bodies with one person doing both).
    editors_may_publish: Mapped[bool] = mapped_column(default=False, server_default=false())

    admin_unit: Mapped[AdminUnit | None] = relationship()
    successors: Mapped[list["Organization"]] = relationship(
        secondary=organization_successor,
        primaryjoin=id == organization_successor.c.predecessor_id,
        secondaryjoin=id == organization_successor.c.successor_id,
        order_by="Organization.code",
    )

    def __repr__(self) -> str:
        return f"<Organization {self.code}>"

    @classmethod
    def active_on(cls, as_of: date):
        return or_(cls.valid_from.is_(None), cls.valid_from <= as_of) & or_(
            cls.valid_to.is_(None), cls.valid_to >= as_of
        )
