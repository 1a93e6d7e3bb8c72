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
from smart_qn.content.search import rank_indicators
from smart_qn.extensions import db
from smart_qn.geography import province_on, units_on
from smart_qn.i18n import current_language

blp = Blueprint(
    "indicators", __name__, description="Indicators of the province and its units, with their values."
)


def present_value(value: IndicatorValue) -> dict:
    return {"period": value.period, "value": float(value.value), "note": value.note}


def present_indicator(
    indicator: Indicator, lang: str, latest: IndicatorValue | None, *, detail=False
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
        "target": float(indicator.target) if indicator.target is not None else None,
        "key": indicator.key,
        "category": category_ref(indicator.category, lang),
        "organization": organization_ref(indicator.organization, lang),
        "latest": {**present_value(latest), "unit": unit_ref(latest.admin_unit, lang)} if latest else None,
    }


def get_indicator(code: str) -> Indicator:
    indicator = db.session.scalar(
        select(Indicator)
        .where(Indicator.code == code)
        .options(selectinload(Indicator.category), selectinload(Indicator.organization))
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
            selectinload(Indicator.category), selectinload(Indicator.organization)
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
        lang, province_unit = current_language(), province_on(units_as_of(args))

        def present_page(indicators):
            latest = latest_values([indicator.id for indicator in indicators], [province_unit.id])
            return [
                present_indicator(item, lang, latest.get((item.id, province_unit.id))) for item in indicators
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
        return present_indicator(indicator, current_language(), latest, detail=True)


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
        return {
            "indicator": indicator.code,
            "unit": unit_ref(unit, current_language()),
            "measure_unit": indicator.measure_unit,
            "values": [present_value(value) for value in values],
        }


@blp.route("/<code:code>/latest")
class IndicatorLeague(MethodView):
    @blp.arguments(LeagueArgs, location="query", unknown=RAISE)
    @blp.response(200, LeagueSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No indicator with this code.")
    def get(self, args, code: str):
        """Compare the latest value of every unit of one level (a league table of districts)

        Best first for indicators where higher or lower is better; largest first otherwise.
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
        rows = [
            {**present_value(latest[indicator.id, unit.id]), "unit": unit_ref(unit, lang)}
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
