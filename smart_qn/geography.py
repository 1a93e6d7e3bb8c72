"""Administrative units: effective-dated, with hierarchy and successors.

GSO codes are reused by successor units (20335 was Phường Tân Thạnh until 2025-06-30, Phường Bàn Thạch
after), so a unit version is identified by (code, valid_from); `as_of` dates choose which map is meant.
"""

from datetime import date
from enum import IntEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.extensions import db


class UnitLevel(IntEnum):
    PROVINCE = 1
    DISTRICT = 2
    COMMUNE = 3


admin_unit_successor = Table(
    "admin_unit_successor",
    db.metadata,
    Column("predecessor_id", ForeignKey("admin_unit.id", ondelete="CASCADE"), primary_key=True),
    Column("successor_id", ForeignKey("admin_unit.id", ondelete="CASCADE"), primary_key=True),
)


class AdminUnit(db.Model):
    __tablename__ = "admin_unit"
    __table_args__ = (
        UniqueConstraint("code", "valid_from"),
        CheckConstraint("level BETWEEN 1 AND 3", name="level_range"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_order"),
        Index("ix_admin_unit_code_validity", "code", "valid_from", "valid_to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(60))
    level: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    change_note: Mapped[str | None] = mapped_column(String(300))

    parent: Mapped["AdminUnit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["AdminUnit"]] = relationship(back_populates="parent", order_by="AdminUnit.code")
    successors: Mapped[list["AdminUnit"]] = relationship(
        secondary=admin_unit_successor,
        primaryjoin=id == admin_unit_successor.c.predecessor_id,
        secondaryjoin=id == admin_unit_successor.c.successor_id,
        back_populates="predecessors",
        order_by="AdminUnit.code",
    )
    predecessors: Mapped[list["AdminUnit"]] = relationship(
        secondary=admin_unit_successor,
        primaryjoin=id == admin_unit_successor.c.successor_id,
        secondaryjoin=id == admin_unit_successor.c.predecessor_id,
        back_populates="successors",
        order_by="AdminUnit.code",
    )

    def __repr__(self) -> str:
        return f"<AdminUnit {self.code} {self.name} {self.valid_from}..{self.valid_to or ''}>"

    @classmethod
    def valid_on(cls, as_of: date):
        return (cls.valid_from <= as_of) & or_(cls.valid_to.is_(None), cls.valid_to >= as_of)

    def is_valid_on(self, as_of: date) -> bool:
        return self.valid_from <= as_of and (self.valid_to is None or self.valid_to >= as_of)

    def lineage(self) -> list["AdminUnit"]:
        """This unit and its ancestors, nearest first (commune, district, province)."""
        chain, unit = [], self
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain


def unit_on(code: str, as_of: date) -> AdminUnit | None:
    return db.session.scalar(select(AdminUnit).where(AdminUnit.code == code, AdminUnit.valid_on(as_of)))


def units_on(as_of: date, level: int | None = None, parent: AdminUnit | None = None):
    query = select(AdminUnit).where(AdminUnit.valid_on(as_of)).order_by(AdminUnit.level, AdminUnit.code)
    if level is not None:
        query = query.where(AdminUnit.level == level)
    if parent is not None:
        query = query.where(AdminUnit.parent_id == parent.id)
    return db.session.scalars(query).all()


def province_on(as_of: date) -> AdminUnit:
    """The top unit of the map in force on `as_of` (Tỉnh Quảng Nam, or Thành phố Đà Nẵng from 2025-07-01)."""
    (province,) = units_on(as_of, level=UnitLevel.PROVINCE)
    return province
