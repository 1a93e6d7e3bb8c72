"""Indicators the IOC follows (GRDP growth, poverty rate, online applications…) and their values by
administrative unit and period."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, false, func, select
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship, validates

from smart_qn.accounts.organizations import Organization
from smart_qn.content.categories import Category
from smart_qn.content.periods import Frequency, Period
from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit


class Direction(StrEnum):
    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"
    NEUTRAL = "neutral"


class ValueStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Indicator(db.Model):
    __tablename__ = "indicator"
    # Trigram index for the search's LIKE patterns on PostgreSQL; declared empty (WHERE 0) on SQLite, which
    # cannot use an index for them, so that both databases have the same named index.
    __table_args__ = (
        Index(
            "ix_indicator_search_folded_trgm",
            "search_folded",
            postgresql_using="gin",
            postgresql_ops={"search_folded": "gin_trgm_ops"},
            sqlite_where=false(),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    measure_unit: Mapped[str] = mapped_column(String(60))
    description_vi: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, "frequency"))
    levels: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1])
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "direction"), default=Direction.NEUTRAL)
    target: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    key: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    # What the search reads (smart_qn.content.search): words folded or with their accents, word starts marked.
    search_folded: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_accented: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_title_folded: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_title_accented: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    category: Mapped[Category] = relationship()

    def __repr__(self) -> str:
        return f"<Indicator {self.code}>"


class IndicatorValue(db.Model):
    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "admin_unit_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    admin_unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    period_start: Mapped[date]
    value: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    status: Mapped[ValueStatus] = mapped_column(
        str_enum(ValueStatus, "value_status"), default=ValueStatus.DRAFT
    )
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    indicator: Mapped[Indicator] = relationship()
    admin_unit: Mapped[AdminUnit] = relationship()

    @validates("period")
    def _normalize_period(self, _key, period: str) -> str:
        parsed = Period.parse(period)
        self.period_start = parsed.start
        return str(parsed)


def latest_values(indicator_ids: list[int], unit_ids: list[int]) -> dict[tuple[int, int], IndicatorValue]:
    """The latest published value for each (indicator, unit) pair that has one."""
    if not indicator_ids or not unit_ids:
        return {}
    ranked = (
        select(
            IndicatorValue.id,
            func.row_number()
            .over(
                partition_by=(IndicatorValue.indicator_id, IndicatorValue.admin_unit_id),
                order_by=IndicatorValue.period_start.desc(),
            )
            .label("rank"),
        )
        .where(
            IndicatorValue.status == ValueStatus.PUBLISHED,
            IndicatorValue.indicator_id.in_(indicator_ids),
            IndicatorValue.admin_unit_id.in_(unit_ids),
        )
        .subquery()
    )
    latest = aliased(IndicatorValue)
    rows = db.session.scalars(select(latest).join(ranked, (ranked.c.id == latest.id) & (ranked.c.rank == 1)))
    return {(value.indicator_id, value.admin_unit_id): value for value in rows}


@db.event.listens_for(Indicator, "before_insert")
@db.event.listens_for(Indicator, "before_update")
def _derive_indicator_columns(_mapper, _connection, indicator: Indicator) -> None:
    from smart_qn.content.search import fill_search_columns  # imported here: search imports this module

    fill_search_columns(
        indicator,
        title=(indicator.code, indicator.name_vi, indicator.name_en),
        body=(indicator.description_vi, indicator.description_en),
    )
