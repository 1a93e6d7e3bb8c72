"""The home page: the warnings for the reader's place, pinned notices, key figures, popular services."""

from flask import render_template

from smart_qn.api.home.routes import key_indicator_figures
from smart_qn.api.notices.routes import present_notices
from smart_qn.content.front_page import front_page
from smart_qn.dbtypes import utcnow
from smart_qn.geography import province_on
from smart_qn.i18n import current_language
from smart_qn.portal import bp
from smart_qn.portal.places import place_choices, readers_unit, units_as_of


@bp.get("/")
def home():
    lang, unit = current_language(), readers_unit()
    page = front_page(unit, utcnow())
    return render_template(
        "portal/home.html",
        unit=unit,
        alerts=present_notices(page.alerts, lang),
        pinned=present_notices(page.pinned, lang),
        indicators=key_indicator_figures(unit, province_on(units_as_of()), lang),
        services=page.services,
        **place_choices(unit),
    )
