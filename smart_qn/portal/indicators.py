"""The indicator pages: every indicator by category with its latest province figure and trend; one page
per indicator with its definition, its series for a chosen unit (a chart and the same numbers in a table),
the units compared on the latest period, and the published figures as CSV.

Only published values ever appear here.
"""

import csv
import io
from itertools import groupby

from flask import Response, abort, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from smart_qn.api.common import localized
from smart_qn.content.indicators import Direction, Indicator, IndicatorValue, ValueStatus, latest_values
from smart_qn.content.periods import Frequency, Period
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel, province_on, units_on
from smart_qn.i18n import current_language
from smart_qn.localtime import province_today
from smart_qn.portal import bp
from smart_qn.portal.charts import bar_chart, format_number, line_chart
from smart_qn.portal.places import unit_by_code, unit_name, units_as_of
from smart_qn.reporting.freshness import FreshnessStatus, indicator_freshness
from smart_qn.reporting.trends import trend

FREQUENCIES = {
    Frequency.MONTHLY: _l("Monthly"),
    Frequency.QUARTERLY: _l("Quarterly"),
    Frequency.ANNUAL: _l("Annual"),
}
LEVELS = {
    UnitLevel.PROVINCE: _l("Province"),
    UnitLevel.DISTRICT: _l("Districts, towns and cities"),
    UnitLevel.COMMUNE: _l("Communes, wards and townships"),
}


@bp.get("/indicators")
def indicators():
    province = province_on(units_as_of())
    everything = db.session.scalars(select(Indicator).options(selectinload(Indicator.category))).all()
    latest = latest_values([indicator.id for indicator in everything], [province.id])
    previous = previous_values(list(latest.values()))
    in_order = sorted(
        everything,
        key=lambda item: (item.category.position, item.category.id, item.position, item.code),
    )
    groups = [
        (category, [figure(item, latest.get((item.id, province.id)), previous) for item in items])
        for category, items in groupby(in_order, key=lambda item: item.category)
    ]
    return render_template(
        "portal/indicators.html",
        groups=groups,
        province_name=unit_name(province),
        format_number=format_number,
    )


def figure(indicator: Indicator, latest: IndicatorValue | None, previous: dict[int, IndicatorValue]) -> dict:
    """One line of the list: the indicator's name, latest province value and its trend."""
    language, text = localized(indicator, current_language(), "name")
    before = previous.get(indicator.id) if latest else None
    return {
        "indicator": indicator,
        "language": language,
        "name": text["name"],
        "latest": latest,
        **trend(indicator.direction, latest.value if latest else None, before.value if before else None),
    }


def previous_values(latest: list[IndicatorValue]) -> dict[int, IndicatorValue]:
    """The published value of the period before each of `latest`, for the same unit, by indicator id (the
    values are all of one unit)."""
    if not latest:
        return {}
    before = [
        and_(
            IndicatorValue.indicator_id == value.indicator_id,
            IndicatorValue.admin_unit_id == value.admin_unit_id,
            IndicatorValue.period == str(Period.parse(value.period).previous()),
        )
        for value in latest
    ]
    found = db.session.scalars(
        select(IndicatorValue).where(IndicatorValue.status == ValueStatus.PUBLISHED, or_(*before))
    )
    return {value.indicator_id: value for value in found}


@bp.get("/indicators/<code:code>")
def indicator(code: str):
    found = indicator_or_404(code)
    province = province_on(units_as_of())
    unit, unit_error = province, None
    if requested := request.args.get("unit"):
        chosen = unit_by_code(requested)
        if chosen is None:
            unit_error = _("No administrative unit with code %(code)s: showing the province.", code=requested)
        else:
            unit = chosen
    language, text = localized(found, current_language(), "name", "description")
    series = published_series(found, unit)
    period, ranking, missing = comparison(found, unit)
    return render_template(
        "portal/indicator.html",
        indicator=found,
        language=language,
        name=text["name"],
        description=text["description"],
        frequency=FREQUENCIES[found.frequency],
        unit=unit,
        unit_label=unit_name(unit),
        unit_error=unit_error,
        unit_choices=unit_choices(found),
        levels=LEVELS,
        series=series,
        series_chart=line_chart(
            [(value.period, value.value) for value in series],
            chart_id="series-chart",
            title=_("%(indicator)s, %(unit)s", indicator=text["name"], unit=unit_name(unit)),
            measure_unit=found.measure_unit,
            target=found.target,
        ),
        freshness=freshness_label(found, series[-1] if series else None),
        comparison_period=period,
        ranking=ranking,
        missing=missing,
        comparison_chart=bar_chart(
            [(unit_name(value.admin_unit), value.value) for _rank, value in ranking],
            chart_id="comparison-chart",
            title=_("%(indicator)s, %(period)s", indicator=text["name"], period=period),
            measure_unit=found.measure_unit,
            target=found.target,
            highlight=unit_name(unit),
        ),
        format_number=format_number,
    ), (422 if unit_error else 200)


def indicator_or_404(code: str) -> Indicator:
    found = db.session.scalar(
        select(Indicator)
        .where(Indicator.code == code)
        .options(selectinload(Indicator.category), selectinload(Indicator.organization))
    )
    if found is None:
        abort(404)
    return found


def published_series(indicator: Indicator, unit: AdminUnit) -> list[IndicatorValue]:
    return db.session.scalars(
        select(IndicatorValue)
        .where(
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.admin_unit_id == unit.id,
            IndicatorValue.status == ValueStatus.PUBLISHED,
        )
        .order_by(IndicatorValue.period_start)
    ).all()


def unit_choices(indicator: Indicator) -> list[AdminUnit]:
    """The units of the current map that have published values of `indicator`, and the province."""
    reported = select(IndicatorValue.admin_unit_id).where(
        IndicatorValue.indicator_id == indicator.id, IndicatorValue.status == ValueStatus.PUBLISHED
    )
    return db.session.scalars(
        select(AdminUnit)
        .where(
            AdminUnit.valid_on(units_as_of()),
            or_(AdminUnit.id.in_(reported), AdminUnit.level == UnitLevel.PROVINCE),
        )
        .order_by(AdminUnit.level, AdminUnit.code)
    ).all()


def comparison(
    indicator: Indicator, unit: AdminUnit
) -> tuple[str | None, list[tuple[int, IndicatorValue]], list[AdminUnit]]:
    """The units compared (the communes of the chosen unit's district for an indicator reported per
    commune, else the districts): the latest period any of them has a published value for; their values
    of that period ranked, best first (largest first when neither direction is better), each with its rank
    (equal values share one); and the units without a value for that period."""
    district = next((ancestor for ancestor in unit.lineage() if ancestor.level == UnitLevel.DISTRICT), None)
    if district is not None and UnitLevel.COMMUNE in indicator.levels:
        peers = units_on(units_as_of(), parent=district)
    elif UnitLevel.DISTRICT in indicator.levels:
        peers = units_on(units_as_of(), level=UnitLevel.DISTRICT)
    else:
        return None, [], []
    published = (
        IndicatorValue.indicator_id == indicator.id,
        IndicatorValue.status == ValueStatus.PUBLISHED,
        IndicatorValue.admin_unit_id.in_([peer.id for peer in peers]),
    )
    latest_start = db.session.scalar(select(func.max(IndicatorValue.period_start)).where(*published))
    if latest_start is None:
        return None, [], peers
    values = db.session.scalars(
        select(IndicatorValue)
        .join(IndicatorValue.admin_unit)
        .options(contains_eager(IndicatorValue.admin_unit))
        .where(*published, IndicatorValue.period_start == latest_start)
        .order_by(AdminUnit.code)
    ).all()
    values.sort(key=lambda value: value.value, reverse=indicator.direction is not Direction.LOWER_BETTER)
    ranking = []
    for position, value in enumerate(values, start=1):
        tied = ranking and ranking[-1][1].value == value.value
        ranking.append((ranking[-1][0] if tied else position, value))
    ranked = {value.admin_unit_id for value in values}
    return values[0].period, ranking, [peer for peer in peers if peer.id not in ranked]


def freshness_label(indicator: Indicator, latest_value: IndicatorValue | None) -> str:
    """How fresh the published figures are, in words: the latest period, the day it was published, and
    whether that is on time (smart_qn.reporting.freshness)."""
    if latest_value is None:
        return _("No figures published yet.")
    published = latest_value.published_at or latest_value.updated_at
    details = {"period": latest_value.period, "date": format_date(published)}
    match indicator.frequency:
        case Frequency.MONTHLY:
            latest = _("Monthly figures. Latest period: %(period)s, updated %(date)s.", **details)
        case Frequency.QUARTERLY:
            latest = _("Quarterly figures. Latest period: %(period)s, updated %(date)s.", **details)
        case Frequency.ANNUAL:
            latest = _("Annual figures. Latest period: %(period)s, updated %(date)s.", **details)
    freshness = indicator_freshness(indicator, Period.parse(latest_value.period), province_today())
    expected = str(freshness.expected_period)
    match freshness.status:
        case FreshnessStatus.UP_TO_DATE:
            on_time = _("On time.")
        case FreshnessStatus.DUE:
            on_time = _(
                "The figures for %(period)s are due by %(date)s.",
                period=expected,
                date=format_date(freshness.due_by),
            )
        case FreshnessStatus.OVERDUE:
            on_time = _(
                "Late: the figures for %(period)s have been overdue since %(date)s.",
                period=expected,
                date=format_date(freshness.overdue_since),
            )
    return f"{latest} {on_time}"


@bp.get("/indicators/<code:code>/data.csv")
def indicator_csv(code: str):
    """The published values of one unit (the province unless `?unit=`), or of every unit with `?all=1`,
    oldest first; with a byte order mark, so that Excel reads the Vietnamese names right."""
    found = indicator_or_404(code)
    query = (
        select(IndicatorValue)
        .join(IndicatorValue.admin_unit)
        .options(contains_eager(IndicatorValue.admin_unit))
        .where(IndicatorValue.indicator_id == found.id, IndicatorValue.status == ValueStatus.PUBLISHED)
        .order_by(AdminUnit.level, AdminUnit.code, IndicatorValue.period_start)
    )
    if request.args.get("all") == "1":
        filename = f"{found.code}.csv"
    else:
        unit = unit_by_code(request.args["unit"]) if "unit" in request.args else province_on(units_as_of())
        if unit is None:
            abort(404)
        query = query.where(IndicatorValue.admin_unit_id == unit.id)
        filename = f"{found.code}_{unit.code}.csv"
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(
        [
            _("Indicator code"),
            _("Administrative unit code"),
            _("Administrative unit"),
            _("Period"),
            _("Value"),
            _("Measure unit"),
            _("Note"),
        ]
    )
    for value in db.session.scalars(query):
        writer.writerow(
            [
                found.code,
                value.admin_unit.code,
                unit_name(value.admin_unit),
                value.period,
                f"{value.value.normalize():f}",
                found.measure_unit,
                value.note or "",
            ]
        )
    return Response(
        "\ufeff" + text.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
