from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from smart_qn.api.common import resolve_unit, unit_ref, units_as_of
from smart_qn.api.units.schemas import AsOfArgs, UnitDetailSchema, UnitListArgs, UnitListSchema
from smart_qn.geography import AdminUnit, unit_on, units_on
from smart_qn.i18n import current_language

blp = Blueprint(
    "units",
    __name__,
    description="Administrative units (province, districts, communes) with GSO codes, as of a date.",
)


def present_unit(unit: AdminUnit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "name_en": unit.name_en,
        "type": unit.type,
        "level": unit.level,
        "parent_code": unit.parent.code if unit.parent else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def dated_ref(unit: AdminUnit, lang: str) -> dict:
    return {**unit_ref(unit, lang), "valid_from": unit.valid_from, "valid_to": unit.valid_to}


def build_tree(units: list[AdminUnit]) -> list[dict]:
    nodes = {unit.id: {**present_unit(unit), "children": []} for unit in units}
    roots = []
    for unit in units:
        parent = nodes.get(unit.parent_id)
        (parent["children"] if parent else roots).append(nodes[unit.id])
    return roots


@blp.route("")
class Units(MethodView):
    @blp.arguments(UnitListArgs, location="query", unknown=RAISE)
    @blp.response(200, UnitListSchema)
    def get(self, args):
        """List the administrative units in force on a date, flat or as a tree"""
        as_of = units_as_of(args)
        parent = resolve_unit(args["parent"], as_of, field="parent") if "parent" in args else None
        units = units_on(as_of, level=args.get("level"), parent=parent)
        items = build_tree(units) if args["format"] == "tree" else [present_unit(unit) for unit in units]
        return {"as_of": as_of, "format": args["format"], "items": items}


@blp.route("/<code:code>")
class UnitDetail(MethodView):
    @blp.arguments(AsOfArgs, location="query", unknown=RAISE)
    @blp.response(200, UnitDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="No unit with this code on that date.")
    def get(self, args, code: str):
        """Get one unit with its parent, children, predecessors and successors"""
        as_of = units_as_of(args)
        unit = unit_on(code, as_of)
        if unit is None:
            abort(
                404,
                message=_(
                    "No administrative unit with code %(code)s on %(date)s.",
                    code=code,
                    date=as_of.isoformat(),
                ),
            )
        lang = current_language()
        return {
            **present_unit(unit),
            "parent": unit_ref(unit.parent, lang) if unit.parent else None,
            "children": [unit_ref(child, lang) for child in unit.children],
            "predecessors": [dated_ref(other, lang) for other in unit.predecessors],
            "successors": [dated_ref(other, lang) for other in unit.successors],
            "change_note": unit.change_note,
        }
