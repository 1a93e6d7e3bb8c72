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
    # How the figure is computed and where it comes from.
    method_vi: Mapped[str | None] = mapped_column(Text)
    method_en: Mapped[str | None] = mapped_column(Text)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, "frequency"))
    levels: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1])
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "direction"), default=Direction.NEUTRAL)
    # The standing target; IndicatorTarget rows set one for a given period instead.
    target: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    # The plausible range of a value (a share is 0–100, a count never negative); entry refuses the rest.
    minimum: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    maximum: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    # Days after a period ends before its value is overdue; the frequency's default (config) when unset.
    grace_days: Mapped[int | None]
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
    period_targets: Mapped[list["IndicatorTarget"]] = relationship(
        cascade="all, delete-orphan", order_by="IndicatorTarget.period"
    )
    reporters: Mapped[list["IndicatorReporter"]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IndicatorReporter.organization_id"
    )

    def __repr__(self) -> str:
        return f"<Indicator {self.code}>"

    def target_for(self, period: str) -> Decimal | None:
        by_period = {target.period: target.value for target in self.period_targets}
        return by_period.get(period, self.target)


class IndicatorTarget(db.Model):
    """The target of one period (the province's plan for 2025, for example), where it differs from the
    indicator's standing target."""

    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    value: Mapped[Decimal] = mapped_column(Numeric(20, 4))

    @validates("period")
    def _normalize_period(self, _key, period: str) -> str:
        return str(Period.parse(period))


class IndicatorReporter(db.Model):
    """An organization that reports the figures of an indicator at some unit levels, within its area
    (smart_qn.reporting.assignments)."""

    __tablename__ = "indicator_reporter"

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), primary_key=True)
    levels: Mapped[list[int]] = mapped_column(JSON)

    indicator: Mapped[Indicator] = relationship(back_populates="reporters")
    organization: Mapped[Organization] = relationship()


class IndicatorValue(db.Model):
    """One figure of one indicator for one unit and period.

    Residents see `value` once `status` is published. A correction to a published figure waits in
    `pending_value`/`pending_note` until it is published, so that the public figure never disappears while
    its correction is reviewed.
    """

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
    pending_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    pending_note: Mapped[str | None] = mapped_column(String(500))
    # The organization that reports this figure (smart_qn.reporting.assignments); its members see drafts.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When residents' figure last changed: what the sync and the freshness report read.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    indicator: Mapped[Indicator] = relationship()
    admin_unit: Mapped[AdminUnit] = relationship()
    organization: Mapped[Organization | None] = relationship()

    @property
    def has_pending_change(self) -> bool:
        return self.pending_value is not None

    @property
    def working_value(self) -> Decimal:
        """What an editor sees and changes: the pending correction if there is one."""
        return self.pending_value if self.has_pending_change else self.value

    @property
    def working_note(self) -> str | None:
        return self.pending_note if self.has_pending_change else self.note

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
