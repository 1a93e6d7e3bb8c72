"""How a figure moved since the previous period, read against the indicator's direction: what the app's
home, the indicator API and the portal show beside a figure."""

from sqlalchemy import select, tuple_

from smart_qn.content.indicators import Direction, IndicatorValue, ValueStatus
from smart_qn.content.periods import Period
from smart_qn.extensions import db


def trend(direction: Direction, current, previous) -> dict:
    if previous is None:
        return {"trend": None, "better": None}
    if current == previous:
        return {"trend": "flat", "better": None}
    rising = current > previous
    better = None if direction is Direction.NEUTRAL else rising == (direction is Direction.HIGHER_BETTER)
    return {"trend": "up" if rising else "down", "better": better}


def previous_values(latest: list[IndicatorValue]) -> dict[tuple[int, int], IndicatorValue]:
    """The published figure of the period before each of `latest`, by (indicator, unit), in one query."""
    wanted = {
        (value.indicator_id, value.admin_unit_id, str(Period.parse(value.period).previous()))
        for value in latest
    }
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(IndicatorValue).where(
            tuple_(IndicatorValue.indicator_id, IndicatorValue.admin_unit_id, IndicatorValue.period).in_(
                wanted
            ),
            IndicatorValue.status == ValueStatus.PUBLISHED,
        )
    )
    return {(row.indicator_id, row.admin_unit_id): row for row in rows}
