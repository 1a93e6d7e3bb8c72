from datetime import date
from decimal import Decimal

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from smart_qn.accounts.organizations import Organization
from smart_qn.api.common import (
    LanguageArgs,
    category_ref,
    localized,
    lookup,
    organization_ref,
    paginate,
    resolve_unit,
    unit_ref,
    units_as_of,
    unknown,
)
from smart_qn.api.indicators.schemas import (
    IndicatorDetailSchema,
    IndicatorListArgs,
    IndicatorPageSchema,
    LeagueArgs,
    LeagueSchema,
    SeriesArgs,
    SeriesSchema,
)
from smart_qn.content.categories import Category
from smart_qn.content.indicators import Direction, Indicator, IndicatorValue, ValueStatus, latest_values
from smart_qn.content.periods import Period
from smart_qn.content.search import rank_indicators
from smart_qn.extensions import db
from smart_qn.geography import province_on, units_on
from smart_qn.i18n import current_language
from smart_qn.localtime import province_today
from smart_qn.reporting.freshness import indicator_freshness
from smart_qn.reporting.trends import previous_values, trend

blp = Blueprint(
    "indicators", __name__, description="Indicators of the province and its units, with their values."
)


def present_value(value: IndicatorValue) -> dict:
    return {"period": value.period, "value": float(value.value), "note": value.note}


def as_float(number: Decimal | None) -> float | None:
    return float(number) if number is not None else None


def present_freshness(indicator: Indicator, latest: IndicatorValue | None, today: date) -> dict:
    """Whether a unit's published figures are current: their latest period and when it was published,
    against the period that should have a figure by now (smart_qn.reporting.freshness)."""
    freshness = indicator_freshness(indicator, Period.parse(latest.period) if latest else None, today)
    return {
        "latest_period": latest.period if latest else None,
        "updated_at": latest.published_at if latest else None,
        "status": freshness.status.value,
        "expected_period": str(freshness.expected_period),
    }


def present_latest(
    indicator: Indicator, latest: IndicatorValue, previous: IndicatorValue | None, lang: str
) -> dict:
    return {
        **present_value(latest),
        "unit": unit_ref(latest.admin_unit, lang),
        "target": as_float(indicator.target_for(latest.period)),
        "previous": present_value(previous) if previous else None,
        **trend(indicator.direction, latest.value, previous.value if previous else None),
    }


def present_indicator(
    indicator: Indicator,
    lang: str,
    latest: IndicatorValue | None,
    previous: IndicatorValue | None,
    *,
    today: date,
    detail=False,
) -> dict:
    used, text = (
        localized(indicator, lang, "name", "description") if detail else localized(indicator, lang, "name")
    )
    return {
        "code": indicator.code,
        "language": used,
        **text,
        "measure_unit": indicator.measure_unit,
        "frequency": indicator.frequency.value,
        "levels": list(indicator.levels),
        "direction": indicator.direction.value,
        "target": as_float(indicator.target),
        "key": indicator.key,
        "category": category_ref(indicator.category, lang),
        "organization": organization_ref(indicator.organization, lang),
        "latest": present_latest(indicator, latest, previous, lang) if latest else None,
        "freshness": present_freshness(indicator, latest, today),
    }


def get_indicator(code: str) -> Indicator:
    indicator = db.session.scalar(
        select(Indicator)
        .where(Indicator.code == code)
        .options(
            selectinload(Indicator.category),
            selectinload(Indicator.organization),
            selectinload(Indicator.period_targets),
        )
    )
    if indicator is None:
        abort(404, message=_("No indicator with code %(code)s.", code=code))
    return indicator


@blp.route("")
class Indicators(MethodView):
    @blp.arguments(IndicatorListArgs, location="query", unknown=RAISE)
    @blp.response(200, IndicatorPageSchema)
    def get(self, args):
        """List indicators with their latest province value

        With `q`, only the indicators matching the search words, best match first.
        """
        query = select(Indicator).options(
            selectinload(Indicator.category),
            selectinload(Indicator.organization),
            selectinload(Indicator.period_targets),
        )
        if "category" in args:
            query = query.where(
                Indicator.category_id == lookup(Category, "category", slug=args["category"]).id
            )
        if "organization" in args:
            organization = lookup(Organization, "organization", code=args["organization"])
            query = query.where(Indicator.organization_id == organization.id)
        if "q" in args:
            query = rank_indicators(query, args["q"])
        else:
            query = query.order_by(Indicator.position, Indicator.code)
        lang, province_unit, today = current_language(), province_on(units_as_of(args)), province_today()

        def present_page(indicators):
            latest = latest_values([indicator.id for indicator in indicators], [province_unit.id])
            previous = previous_values(list(latest.values()))
            key = province_unit.id
            return [
                present_indicator(
                    item, lang, latest.get((item.id, key)), previous.get((item.id, key)), today=today
                )
                for item in indicators
            ]

        return paginate(query, args, present_page)


@blp.route("/<code:code>")
class IndicatorDetail(MethodView):
    @blp.arguments(LanguageArgs, location="query", unknown=RAISE)
    @blp.response(200, IndicatorDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No indicator with this code.")
    def get(self, args, code: str):
        """Get one indicator with its definition and latest province value"""
        indicator, province_unit = get_indicator(code), province_on(units_as_of(args))
        latest = latest_values([indicator.id], [province_unit.id]).get((indicator.id, province_unit.id))
        previous = previous_values([latest]).get((indicator.id, province_unit.id)) if latest else None
        return present_indicator(
            indicator, current_language(), latest, previous, today=province_today(), detail=True
        )


@blp.route("/<code:code>/values")
class IndicatorSeries(MethodView):
    @blp.arguments(SeriesArgs, location="query", unknown=RAISE)
    @blp.response(200, SeriesSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No indicator with this code.")
    def get(self, args, code: str):
        """Get the time series of one indicator for one unit

        Published values only, oldest first. `from` and `to` may be coarser than the indicator's
        frequency: `from=2023&to=2023` gives the twelve months of 2023 of a monthly indicator.
        """
        indicator = get_indicator(code)
        unit = (
            resolve_unit(args["unit"], units_as_of(args))
            if "unit" in args
            else province_on(units_as_of(args))
        )
        query = select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.admin_unit_id == unit.id,
            IndicatorValue.status == ValueStatus.PUBLISHED,
        )
        if "from_" in args:
            query = query.where(IndicatorValue.period_start >= args["from_"].start)
        if "to" in args:
            query = query.where(IndicatorValue.period_start < args["to"].end)
        values = db.session.scalars(query.order_by(IndicatorValue.period_start))
        latest = latest_values([indicator.id], [unit.id]).get((indicator.id, unit.id))
        return {
            "indicator": indicator.code,
            "unit": unit_ref(unit, current_language()),
            "measure_unit": indicator.measure_unit,
            "values": [present_value(value) for value in values],
            "freshness": present_freshness(indicator, latest, province_today()),
        }


@blp.route("/<code:code>/latest")
class IndicatorLeague(MethodView):
    @blp.arguments(LeagueArgs, location="query", unknown=RAISE)
    @blp.response(200, LeagueSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No indicator with this code.")
    def get(self, args, code: str):
        """Compare the latest value of every unit of one level (a league table of districts)

        Best first for indicators where higher or lower is better; largest first otherwise. Each unit's
        latest value may be of another period than the others' when it reports late: its `freshness`
        says so.
        """
        indicator = get_indicator(code)
        if args["level"] not in indicator.levels:
            unknown(
                "level",
                _("%(code)s is not reported at level %(level)s.", code=indicator.code, level=args["level"]),
            )
        lang = current_language()
        units = units_on(units_as_of(args), level=args["level"])
        latest = latest_values([indicator.id], [unit.id for unit in units])
        today = province_today()
        rows = [
            {
                **present_value(latest[indicator.id, unit.id]),
                "unit": unit_ref(unit, lang),
                "freshness": present_freshness(indicator, latest[indicator.id, unit.id], today),
            }
            for unit in units
            if (indicator.id, unit.id) in latest
        ]
        rows.sort(key=lambda row: row["value"], reverse=indicator.direction is not Direction.LOWER_BETTER)
        return {
            "indicator": indicator.code,
            "level": args["level"],
            "measure_unit": indicator.measure_unit,
            "direction": indicator.direction.value,
            "rows": rows,
            "missing": [unit_ref(unit, lang) for unit in units if (indicator.id, unit.id) not in latest],
        }
