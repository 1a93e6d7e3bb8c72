"""Where the reader lives (a district or commune, remembered in a cookie: no account), and the pages of
organizations and administrative units, each with its notices, services and indicators."""

from datetime import date

from flask import abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from smart_qn.accounts.organizations import Organization
from smart_qn.api.common import localized
from smart_qn.api.notices.routes import present_notices
from smart_qn.content.indicators import Indicator, latest_values
from smart_qn.content.notices import Notice, live_notices
from smart_qn.content.services import ServiceLink
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel, province_on, unit_on, units_on
from smart_qn.i18n import current_language
from smart_qn.portal import bp

UNIT_COOKIE = "unit"
UNIT_COOKIE_DAYS = 365
SHOWN_NOTICES = 10


def units_as_of() -> date:
    return current_app.config["UNITS_AS_OF"]


def unit_by_code(code: str | None) -> AdminUnit | None:
    return unit_on(code, units_as_of()) if code and len(code) <= 10 else None


def readers_unit() -> AdminUnit:
    """The reader's chosen district or commune, else the whole province."""
    return unit_by_code(request.cookies.get(UNIT_COOKIE)) or province_on(units_as_of())


def unit_name(unit: AdminUnit) -> str:
    return unit.name_en if current_language() == "en" else unit.name


def place_choices(unit: AdminUnit) -> dict:
    """What the district-then-commune form offers: every district, and the communes of the chosen one."""
    district = next((ancestor for ancestor in unit.lineage() if ancestor.level == UnitLevel.DISTRICT), None)
    return {
        "districts": units_on(units_as_of(), level=UnitLevel.DISTRICT),
        "communes": units_on(units_as_of(), parent=district) if district else [],
        "chosen_district": district,
        "chosen_commune": unit if unit.level == UnitLevel.COMMUNE else None,
    }


@bp.get("/place")
def choose_place():
    """The form of the home page: a district, then one of its communes. Works without JavaScript: choosing
    a district first brings back the home page with that district's communes to choose from."""
    district = unit_by_code(request.args.get("district"))
    commune = unit_by_code(request.args.get("commune"))
    if district is None or district.level != UnitLevel.DISTRICT:
        chosen = None
    elif commune is not None and commune.parent_id == district.id:
        chosen = commune
    else:
        chosen = district
    response = redirect(url_for("portal.home"), code=303)
    if chosen is None:
        response.delete_cookie(UNIT_COOKIE)
    else:
        response.set_cookie(
            UNIT_COOKIE,
            chosen.code,
            max_age=UNIT_COOKIE_DAYS * 86400,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    response.headers["Cache-Control"] = "no-store"
    return response


def live_notices_where(*criteria, limit: int = SHOWN_NOTICES) -> list[dict]:
    query = (
        live_notices(utcnow())
        .where(*criteria)
        .order_by(Notice.pinned.desc(), Notice.publish_at.desc(), Notice.id.desc())
        .limit(limit)
    )
    return present_notices(db.session.scalars(query).all(), current_language())


def indicator_figures(indicators: list[Indicator], units: list[AdminUnit]) -> list[dict]:
    """The latest published value of each indicator for the first of `units` that has one."""
    latest = latest_values([indicator.id for indicator in indicators], [unit.id for unit in units])
    figures = []
    for indicator in indicators:
        found = next(
            ((unit, latest[indicator.id, unit.id]) for unit in units if (indicator.id, unit.id) in latest),
            None,
        )
        used, text = localized(indicator, current_language(), "name")
        figures.append(
            {
                "code": indicator.code,
                "language": used,
                "name": text["name"],
                "measure_unit": indicator.measure_unit,
                "unit": found[0] if found else None,
                "value": found[1] if found else None,
            }
        )
    return figures


@bp.get("/organizations")
def organizations():
    query = (
        select(Organization)
        .where(Organization.active_on(units_as_of()))
        .order_by(Organization.kind, Organization.name_vi)
    )
    return render_template("portal/organizations.html", organizations=db.session.scalars(query).all())


@bp.get("/organizations/<code:code>")
def organization(code: str):
    found = db.session.scalar(
        select(Organization).where(Organization.code == code).options(selectinload(Organization.admin_unit))
    )
    if found is None:
        abort(404)
    services = db.session.scalars(
        select(ServiceLink)
        .where(ServiceLink.published.is_(True), ServiceLink.organization_id == found.id)
        .order_by(ServiceLink.field, ServiceLink.name_vi)
    ).all()
    indicators = db.session.scalars(
        select(Indicator).where(Indicator.organization_id == found.id).order_by(Indicator.position)
    ).all()
    place = [found.admin_unit] if found.admin_unit else [province_on(units_as_of())]
    return render_template(
        "portal/organization.html",
        organization=found,
        notices=live_notices_where(Notice.organization_id == found.id),
        services=services,
        indicators=indicator_figures(indicators, place),
    )


@bp.get("/units")
def units():
    province = province_on(units_as_of())
    return render_template(
        "portal/units.html", province=province, districts=units_on(units_as_of(), level=UnitLevel.DISTRICT)
    )


@bp.get("/units/<code:code>")
def unit(code: str):
    found = unit_by_code(code)
    if found is None:
        abort(404)
    organizations_here = db.session.scalars(
        select(Organization)
        .where(Organization.admin_unit_id == found.id, Organization.active_on(units_as_of()))
        .order_by(Organization.name_vi)
    ).all()
    services = db.session.scalars(
        select(ServiceLink)
        .where(
            ServiceLink.published.is_(True),
            ServiceLink.organization_id.in_([organization.id for organization in organizations_here]),
        )
        .order_by(ServiceLink.field, ServiceLink.name_vi)
    ).all()
    indicators = db.session.scalars(select(Indicator).order_by(Indicator.position)).all()
    figures = [figure for figure in indicator_figures(indicators, [found]) if figure["value"] is not None]
    return render_template(
        "portal/unit.html",
        unit=found,
        children=units_on(units_as_of(), parent=found),
        organizations=organizations_here,
        notices=live_notices_where(Notice.seen_in(found)),
        services=services,
        indicators=figures,
    )
