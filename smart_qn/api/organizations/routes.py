from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from smart_qn.accounts.organizations import Organization
from smart_qn.api.common import organization_ref, unit_ref, units_as_of
from smart_qn.api.organizations.schemas import OrganizationListArgs, OrganizationSchema
from smart_qn.extensions import db
from smart_qn.i18n import current_language

blp = Blueprint("organizations", __name__, description="Bodies that publish content: departments, districts…")


def present_organization(organization: Organization, lang: str) -> dict:
    return {
        **organization_ref(organization, lang),
        "name_vi": organization.name_vi,
        "name_en": organization.name_en,
        "kind": organization.kind.value,
        "unit": unit_ref(organization.admin_unit, lang) if organization.admin_unit else None,
        "website": organization.website,
        "valid_from": organization.valid_from,
        "valid_to": organization.valid_to,
        "successor_codes": [successor.code for successor in organization.successors],
    }


@blp.route("")
class Organizations(MethodView):
    @blp.arguments(OrganizationListArgs, location="query", unknown=RAISE)
    @blp.response(200, OrganizationSchema(many=True))
    def get(self, args):
        """List the organizations active on a date"""
        query = (
            select(Organization)
            .where(Organization.active_on(units_as_of(args)))
            .options(selectinload(Organization.admin_unit), selectinload(Organization.successors))
            .order_by(Organization.kind, Organization.code)
        )
        if "kind" in args:
            query = query.where(Organization.kind == args["kind"])
        lang = current_language()
        return [present_organization(organization, lang) for organization in db.session.scalars(query)]
