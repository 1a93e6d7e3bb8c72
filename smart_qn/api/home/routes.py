from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from smart_qn.api.common import json_response, localized, resolve_unit, unit_ref, units_as_of
from smart_qn.api.home.schemas import HomeArgs, HomeSchema
from smart_qn.api.indicators.routes import as_float, present_freshness
from smart_qn.content.front_page import front_page
from smart_qn.content.indicators import Indicator, latest_values
from smart_qn.content.notices import Notice
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel, province_on
from smart_qn.i18n import current_language
from smart_qn.localtime import province_today
from smart_qn.reporting.trends import previous_values, trend

blp = Blueprint("home", __name__, description="Everything the app's first screen needs, in one response.")


def compact_notice(notice: Notice, lang: str) -> dict:
    used, text = localized(notice, lang, "title", "summary")
    return {
        "id": notice.id,
        "language": used,
        **text,
        "urgency": notice.urgency.value,
        "category": notice.category.slug,
        "published_at": notice.publish_at,
        "expires_at": notice.expire_at,
    }


def key_indicator_figures(unit: AdminUnit, province_unit: AdminUnit, lang: str) -> list[dict]:
    """Each key indicator for the resident's district where it is reported per district, else the province."""
    district = next((ancestor for ancestor in unit.lineage() if ancestor.level == UnitLevel.DISTRICT), None)
    indicators = db.session.scalars(
        select(Indicator)
        .where(Indicator.key.is_(True))
        .options(selectinload(Indicator.period_targets))
        .order_by(Indicator.position)
    ).all()
    whose = {
        indicator.id: district if district and UnitLevel.DISTRICT in indicator.levels else province_unit
        for indicator in indicators
    }
    latest = latest_values([indicator.id for indicator in indicators], list({u.id for u in whose.values()}))
    before = previous_values(list(latest.values()))
    today = province_today()
    figures = []
    for indicator in indicators:
        value = latest.get((indicator.id, whose[indicator.id].id))
        if value is None:
            continue
        previous = before.get((indicator.id, value.admin_unit_id))
        used, text = localized(indicator, lang, "name")
        figures.append(
            {
                "code": indicator.code,
                "language": used,
                **text,
                "measure_unit": indicator.measure_unit,
                "unit": unit_ref(whose[indicator.id], lang),
                "period": value.period,
                "value": float(value.value),
                "target": as_float(indicator.target_for(value.period)),
                "previous": {"period": previous.period, "value": float(previous.value)} if previous else None,
                **trend(indicator.direction, value.value, previous.value if previous else None),
                "freshness": present_freshness(indicator, value, today),
            }
        )
    return figures


@blp.route("")
class Home(MethodView):
    @blp.arguments(HomeArgs, location="query", unknown=RAISE)
    @blp.response(200, HomeSchema)
    def get(self, args):
        """Get the home screen for a resident's unit

        Live emergency and important notices for the unit (its own, its district's and the province's),
        pinned notices, the key indicators with their trend, and featured online services.
        """
        lang, province_unit = current_language(), province_on(units_as_of(args))
        unit = resolve_unit(args["unit"], units_as_of(args)) if "unit" in args else province_unit
        page = front_page(unit, utcnow())
        return json_response(
            {
                "unit": unit_ref(unit, lang),
                "alerts": [compact_notice(notice, lang) for notice in page.alerts],
                "pinned": [compact_notice(notice, lang) for notice in page.pinned],
                "indicators": key_indicator_figures(unit, province_unit, lang),
                "services": [
                    {
                        "id": service.id,
                        **localized(service, lang, "name")[1],
                        "level": service.level.value,
                        "url": service.url,
                    }
                    for service in page.services
                ],
            }
        )
