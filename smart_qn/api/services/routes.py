from flask.views import MethodView
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from smart_qn.accounts.organizations import Organization
from smart_qn.api.common import (
    MAX_ID,
    LanguageArgs,
    category_ref,
    localized,
    lookup,
    organization_ref,
    paginate,
    translated,
)
from smart_qn.api.services.schemas import ServiceListArgs, ServicePageSchema, ServiceSchema
from smart_qn.content.search import rank_services
from smart_qn.content.services import ServiceLevel, ServiceLink
from smart_qn.extensions import db
from smart_qn.i18n import current_language

blp = Blueprint(
    "services", __name__, description="Links to online public services (dịch vụ công trực tuyến)."
)

LEVEL_LABELS = {
    ServiceLevel.FULL: lazy_gettext("Fully online"),
    ServiceLevel.PARTIAL: lazy_gettext("Partly online"),
}


def published_services():
    return (
        select(ServiceLink)
        .where(ServiceLink.published.is_(True))
        .options(selectinload(ServiceLink.organization), selectinload(ServiceLink.category))
    )


def present_service(service: ServiceLink, lang: str) -> dict:
    used, text = localized(service, lang, "name")
    return {
        "id": service.id,
        "language": used,
        **text,
        "procedure_code": service.procedure_code,
        "field": service.field,
        "level": service.level.value,
        "level_label": translated(LEVEL_LABELS[service.level], lang),
        "tier": service.tier.value,
        "organization": organization_ref(service.organization, lang),
        "agency_name": service.agency_name,
        "category": category_ref(service.category, lang) if service.category else None,
        "url": service.url,
        "fee": service.fee,
        "processing_time": service.processing_time,
        "tags": list(service.tags or ()),
        "featured": service.featured,
    }


@blp.route("")
class Services(MethodView):
    @blp.arguments(ServiceListArgs, location="query", unknown=RAISE)
    @blp.response(200, ServicePageSchema)
    def get(self, args):
        """List online public services

        Filter by the providing organization, the field (lĩnh vực) and how much of the procedure is online;
        with `q`, only the services matching the search words, best match first.
        """
        query = published_services()
        if "organization" in args:
            organization = lookup(Organization, "organization", code=args["organization"])
            query = query.where(ServiceLink.organization_id == organization.id)
        if "field" in args:
            query = query.where(ServiceLink.field == args["field"])
        if "level" in args:
            query = query.where(ServiceLink.level == args["level"])
        if "q" in args:
            query = rank_services(query, args["q"])
        else:
            query = query.order_by(
                ServiceLink.featured.desc(), ServiceLink.field, ServiceLink.name_vi, ServiceLink.id
            )
        lang = current_language()
        return paginate(
            query, args, lambda services: [present_service(service, lang) for service in services]
        )


@blp.route(f"/<int(min=1, max={MAX_ID}):service_id>")
class ServiceDetail(MethodView):
    @blp.arguments(LanguageArgs, location="query", unknown=RAISE)
    @blp.response(200, ServiceSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No published service with this id.")
    def get(self, args, service_id: int):
        """Get one online public service"""
        service = db.session.scalar(published_services().where(ServiceLink.id == service_id))
        if service is None:
            abort(404, message=_("No published service with this id."))
        return present_service(service, current_language())
