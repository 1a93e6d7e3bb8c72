"""What every API resource shares: strict query arguments, pagination, languages and errors."""

import math
import re
from datetime import date

from flask import Response, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_smorest import Api, abort
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate, validates
from sqlalchemy import Integer, Row, Select, bindparam, func, select
from werkzeug.routing import BaseConverter

from smart_qn.api.http import entry_ttl
from smart_qn.cache_store import content_generation, store
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, unit_on
from smart_qn.json import dumps_bytes

LANGUAGES = ("vi", "en")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,59}"
# Row ids are 32-bit integers on PostgreSQL; a larger id in a URL is simply not found.
MAX_ID = 2**31 - 1


class CodeConverter(BaseConverter):
    """`<code:…>` in a URL: an indicator, unit or organization code."""

    regex = CODE_PATTERN


def code_parameter_schema(_converter) -> dict:
    return {"type": "string", "pattern": f"^{CODE_PATTERN}$"}


class PageSize(fields.Integer):
    """Page size, bounded by the configured PAGE_SIZE_MAX (documented as the OpenAPI maximum)."""


class QueryArgs(Schema):
    """Base of every query-string schema: an unknown parameter is an error, not silently ignored, and
    control characters (which PostgreSQL text cannot hold) are refused before they reach a query."""

    class Meta:
        unknown = RAISE

    @pre_load
    def _refuse_control_characters(self, data, **_kwargs):
        errors = {
            name: [_("Must not contain control characters.")]
            for name in data
            if any(_CONTROL.search(value) for value in data.getlist(name))
        }
        if errors:
            raise ValidationError(errors)
        return data


class LanguageArgs(QueryArgs):
    lang = fields.String(
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "Language of the content; English falls back to Vietnamese where missing."},
    )


class PageArgs(LanguageArgs):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    page_size = PageSize(validate=validate.Range(min=1), metadata={"description": "Items per page."})

    @validates("page_size")
    def _within_limit(self, value: int, **_kwargs) -> None:
        limit = current_app.config["PAGE_SIZE_MAX"]
        if value > limit:
            raise ValidationError(_("Must be at most %(limit)s.", limit=limit))


class PaginationSchema(Schema):
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)
    total_pages = fields.Integer(required=True)


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "pagination": fields.Nested(PaginationSchema, required=True),
        },
        name=name,
    )


def paged(query: Select) -> Select:
    """`query` limited to the page that `paginate` binds at execution: made once, such a statement serves
    every page, and SQLAlchemy finds its compiled form without working out its cache key again."""
    return query.limit(bindparam("page_limit", type_=Integer())).offset(
        bindparam("page_offset", type_=Integer())
    )


def paginate(
    query,
    args: dict,
    present_rows,
    *,
    rows: bool = False,
    params: dict | None = None,
    page_query: Select | None = None,
) -> Response:
    """Run `query` (with bound `params`) for the requested page; `present_rows` turns the page's results
    into items: ORM objects, or plain rows when `rows` is true (read on the session's connection, without
    the ORM's bookkeeping). `page_query` is `paged(query)` when the caller keeps one made in advance."""
    page = args["page"]
    page_size = args.get("page_size") or current_app.config["PAGE_SIZE_DEFAULT"]
    total = count(query, args, params)
    page_query = paged(query) if page_query is None else page_query
    values = {**(params or {}), "page_limit": page_size, "page_offset": (page - 1) * page_size}
    if rows:
        results = db.session.connection().execute(page_query, values).all()
    else:
        results = db.session.scalars(page_query, values).all()
    return json_response(
        {
            "items": present_rows(results),
            "pagination": {
                "page": page,
                "page_size": page_size,
                "total": total,
                "total_pages": math.ceil(total / page_size) if total else 0,
            },
        }
    )


def count(query, args: dict, params: dict | None = None) -> int:
    """How many rows `query` finds. With the response cache on, the total is kept like a response (until
    content changes or a notice goes live or expires), so paging through a list does not recount it."""
    key = None
    if current_app.config["RESPONSE_CACHE_ENABLED"]:
        filters = sorted((name, str(value)) for name, value in args.items() if name not in _NOT_FILTERS)
        key = f"count:{content_generation()}:{request.path}:{filters}"
        cached = store().get(key)
        if cached is not None:
            return int(cached)
    # Over the same FROM and WHERE, without selecting the (wide) rows themselves.
    counting = query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    total = db.session.scalar(counting, params)
    if key is not None and (ttl := entry_ttl()) > 0:
        store().set(key, str(total).encode(), ttl)
    return total


_NOT_FILTERS = frozenset({"page", "page_size", "lang"})


def json_response(payload) -> Response:
    """The payload as JSON, as presented: hot endpoints skip a second pass through the response schema,
    which stays their documented contract (checked against the responses by the schemathesis tests)."""
    return current_app.response_class(dumps_bytes(payload), mimetype="application/json")


def document_page_size_limit(api: Api, limit: int) -> None:
    def page_size_maximum(converter, field, **_kwargs) -> dict:
        return {"maximum": limit} if isinstance(field, PageSize) else {}

    api.ma_plugin.converter.add_attribute_function(page_size_maximum)


def localized(obj, lang: str, *names: str) -> tuple[str, dict]:
    """The named `<name>_vi` / `<name>_en` attributes in `lang`, falling back to Vietnamese as a whole
    when the English `names[0]` is missing, and the language actually used. A row is read through its
    mapping: much quicker than its attributes."""
    if isinstance(obj, Row):
        mapping = obj._mapping
        used = lang if lang != "vi" and mapping.get(f"{names[0]}_{lang}") else "vi"
        return used, {name: mapping[f"{name}_{used}"] for name in names}
    used = lang if lang != "vi" and getattr(obj, f"{names[0]}_{lang}", None) else "vi"
    return used, {name: getattr(obj, f"{name}_{used}") for name in names}


def translated(message, lang: str) -> str:
    """A (lazy) gettext message rendered in `lang`, whatever the request's own locale."""
    with force_locale(lang):
        return str(message)


def units_as_of(args: dict) -> date:
    return args.get("as_of") or current_app.config["UNITS_AS_OF"]


def unknown(field: str, message: str):
    abort(422, errors={"query": {field: [message]}})


def lookup(model, field: str, **criteria):
    """The one row of `model` matching `criteria`, or a 422 naming the query parameter `field`."""
    found = db.session.scalar(select(model).filter_by(**criteria))
    if found is None:
        unknown(field, _("Unknown %(field)s: %(value)s.", field=field, value=next(iter(criteria.values()))))
    return found


def resolve_unit(code: str, as_of: date, field: str = "unit") -> AdminUnit:
    unit = unit_on(code, as_of)
    if unit is None:
        unknown(
            field,
            _("No administrative unit with code %(code)s on %(date)s.", code=code, date=as_of.isoformat()),
        )
    return unit


def unit_ref(unit: AdminUnit, lang: str) -> dict:
    return {"code": unit.code, "name": unit.name_en if lang == "en" else unit.name, "level": unit.level}


def organization_ref(organization, lang: str) -> dict:
    name = (organization.name_en if lang == "en" else None) or organization.name_vi
    return {"code": organization.code, "name": name}


def category_ref(category, lang: str) -> dict:
    return {"slug": category.slug, "name": category.name_en if lang == "en" else category.name_vi}


class UnitRefSchema(Schema):
    code = fields.String(required=True, metadata={"description": "GSO code", "example": "20335"})
    name = fields.String(required=True)
    level = fields.Integer(required=True, metadata={"description": "1 province, 2 district, 3 commune"})


class NamedRefSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class CategoryRefSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
