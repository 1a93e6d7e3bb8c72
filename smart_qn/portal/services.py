"""The directory of online public services: by field or by agency, with accent-insensitive search."""

from itertools import groupby

from flask import abort, render_template, request

from smart_qn.api.common import MAX_ID
from smart_qn.api.services.routes import published_services
from smart_qn.content.search import SearchQuery, rank_services
from smart_qn.content.services import ServiceLevel, ServiceLink
from smart_qn.extensions import db
from smart_qn.portal import bp

GROUPINGS = ("field", "agency")
MAX_QUERY_LENGTH = 200


@bp.get("/services")
def services():
    grouping = request.args.get("by", "field")
    if grouping not in GROUPINGS:
        abort(404)
    words = request.args.get("q", "").strip()[:MAX_QUERY_LENGTH]
    query = published_services()
    if level := request.args.get("level"):
        if level not in set(ServiceLevel):
            abort(404)
        query = query.where(ServiceLink.level == level)
    if words and SearchQuery.parse(words).terms:
        found = db.session.scalars(rank_services(query, words)).all()
        groups = [(None, found)]
    else:
        found = db.session.scalars(query).all()
        groups = grouped(found, grouping)
    return render_template(
        "portal/services.html",
        groups=groups,
        grouping=grouping,
        words=words,
        level=level,
        levels=list(ServiceLevel),
        total=len(found),
    )


def grouped(services: list[ServiceLink], grouping: str) -> list[tuple[object, list[ServiceLink]]]:
    """(field name or organization, its services), fields and organizations in alphabetical order."""

    def group(service: ServiceLink):
        return service.field if grouping == "field" else service.organization

    def group_name(service: ServiceLink) -> str:
        return service.field if grouping == "field" else service.organization.name_vi

    ordered = sorted(services, key=lambda service: (group_name(service), service.name_vi))
    return [(key, list(members)) for key, members in groupby(ordered, key=group)]


@bp.get(f"/services/<int(min=1, max={MAX_ID}):service_id>")
def service(service_id: int):
    found = db.session.scalar(published_services().where(ServiceLink.id == service_id))
    if found is None:
        abort(404)
    return render_template("portal/service.html", service=found)
