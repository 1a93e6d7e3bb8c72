"""Recent reporting for the demo: the generated figures end in 2024, so without this every pair would be
overdue today. Every (indicator, unit) pair gets published figures from 2025 up to the seed's anchor date,
each derived from the same period a year earlier and published a few days after its period ended (within
its grace: a period still in its grace may not be in yet, and is due). A deterministic minority is late:
some district committees miss their last periods, one department misses an indicator's, and a couple of
late figures wait as drafts.
"""

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from smart_qn.accounts.organizations import Organization, OrganizationKind
from smart_qn.content.indicators import Direction, Indicator, IndicatorValue, ValueStatus
from smart_qn.content.periods import Frequency, Period
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel, units_on
from smart_qn.localtime import province_date
from smart_qn.reporting.assignments import reporter_of
from smart_qn.reporting.freshness import (
    expected_period,
    following,
    grace_days_of,
    period_containing,
)

FIRST_RECENT_YEAR = 2025
LATE_COMMITTEES = 3
# A year's change: a drift in the indicator's better direction, and the spread around it.
_DRIFT = {Direction.HIGHER_BETTER: 0.03, Direction.LOWER_BETTER: -0.03, Direction.NEUTRAL: 0.01}
_SPREAD = 0.03
# Published in the morning, the province's time (UTC+7).
_PUBLISHED_AT = time(2)

Pair = tuple[Indicator, AdminUnit, Organization]


def load_recent_reporting(rng: random.Random, anchor_time: datetime, units_as_of: date) -> int:
    """Add the figures from 2025 up to the province's date at `anchor_time` to the demo's; returns how
    many."""
    anchor = province_date(anchor_time)
    indicators = db.session.scalars(
        select(Indicator).options(selectinload(Indicator.reporters)).order_by(Indicator.position)
    ).all()
    units = units_on(units_as_of)
    pairs = [
        (indicator, unit, reporter)
        for indicator in indicators
        for unit in units
        if unit.level in indicator.levels and (reporter := reporter_of(indicator, unit)) is not None
    ]
    communes = _communes_per_unit(units)
    year_earlier = _published_since(date(FIRST_RECENT_YEAR - 1, 1, 1))
    missed, drafts = _late_minority(rng, pairs)
    rows = []
    for indicator, unit, reporter in pairs:
        key = (indicator.id, unit.id)
        grace = grace_days_of(indicator)
        last_on_time = _back(expected_period(indicator.frequency, grace, anchor), missed.get(key, 0))
        period = period_containing(indicator.frequency, date(FIRST_RECENT_YEAR, 1, 1))
        while period.end <= anchor:
            base = year_earlier.get((*key, _a_year_before(period)))
            if base is None:
                break
            value = _a_year_on(rng, indicator, base, communes.get(unit.id))
            year_earlier[*key, period] = value
            reported_on = period.end + timedelta(days=rng.randint(grace // 5, grace * 4 // 5))
            row = {
                "indicator_id": indicator.id,
                "admin_unit_id": unit.id,
                "period": str(period),
                "period_start": period.start,
                "value": value,
                "organization_id": reporter.id,
            }
            if key in missed and period > last_on_time:
                if key in drafts and period == following(last_on_time):
                    rows.append(row | {"status": ValueStatus.DRAFT, "published_at": None})
            elif reported_on <= anchor:
                published_at = datetime.combine(reported_on, _PUBLISHED_AT, UTC)
                rows.append(row | {"status": ValueStatus.PUBLISHED, "published_at": published_at})
            period = following(period)
    if rows:
        db.session.execute(insert(IndicatorValue), rows)
    return len(rows)


def _late_minority(rng: random.Random, pairs: list[Pair]) -> tuple[dict[tuple[int, int], int], set]:
    """How many periods up to the expected one each late pair misses, and the late pairs whose first
    missing figure waits as a draft."""
    committees = sorted(
        {reporter for _i, _u, reporter in pairs if reporter.kind is OrganizationKind.DISTRICT_COMMITTEE},
        key=lambda organization: organization.code,
    )
    missed: dict[tuple[int, int], int] = {}
    drafts = set()
    for committee in rng.sample(committees, LATE_COMMITTEES):
        periods = rng.randint(1, 3)
        theirs = [(indicator.id, unit.id) for indicator, unit, reporter in pairs if reporter is committee]
        missed |= dict.fromkeys(theirs, periods)
        if not drafts:
            drafts.add(rng.choice(theirs))
    department_pairs = [
        (indicator.id, unit.id)
        for indicator, unit, reporter in pairs
        if reporter.kind is not OrganizationKind.DISTRICT_COMMITTEE
        and indicator.frequency is Frequency.MONTHLY
    ]
    late_department_pair = rng.choice(department_pairs)
    missed[late_department_pair] = rng.randint(1, 2)
    drafts.add(late_department_pair)
    return missed, drafts


def _published_since(start: date) -> dict[tuple[int, int, Period], Decimal]:
    rows = db.session.execute(
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.admin_unit_id,
            IndicatorValue.period,
            IndicatorValue.value,
        ).where(IndicatorValue.period_start >= start, IndicatorValue.status == ValueStatus.PUBLISHED)
    )
    return {
        (indicator_id, unit_id, Period.parse(period)): value for indicator_id, unit_id, period, value in rows
    }


def _communes_per_unit(units: list[AdminUnit]) -> Counter:
    """How many communes each district and the province has: what a count of communes cannot exceed."""
    by_id = {unit.id: unit for unit in units}
    counts = Counter()
    for unit in units:
        if unit.level == UnitLevel.COMMUNE:
            district = by_id[unit.parent_id]
            counts.update((district.id, district.parent_id))
    return counts


def _a_year_before(period: Period) -> Period:
    return Period(period.start.replace(year=period.start.year - 1), period.frequency)


def _back(period: Period, periods: int) -> Period:
    for _step in range(periods):
        period = period.previous()
    return period


def _a_year_on(rng: random.Random, indicator: Indicator, base: Decimal, communes: int | None) -> Decimal:
    """The figure a year after `base`: a small drift in the better direction, with noise; as precise as
    `base`, and within what the figure can be (a share at most 100 %, a count of communes at most the
    unit's communes)."""
    factor = 1 + _DRIFT[indicator.direction] + rng.gauss(0, _SPREAD)
    places = max(0, -base.normalize().as_tuple().exponent)  # stored as Numeric(20, 4): 4.5200 is 4.52
    value = round(base * Decimal(repr(factor)), places)
    if indicator.measure_unit == "%" and base <= 100:
        value = min(value, Decimal(100))
    if indicator.measure_unit == "xã" and communes is not None:
        value = min(value, Decimal(communes))
    if indicator.minimum is not None:
        value = max(value, indicator.minimum)
    return value
