"""The app's JSON API v1 (flask-smorest), mounted under /api/v1."""

from flask import Flask

from smart_qn.api import categories, indicators, notices, organizations, services, units
from smart_qn.api.common import CodeConverter, code_parameter_schema, document_page_size_limit
from smart_qn.extensions import api

BLUEPRINTS = (
    notices.blp,
    services.blp,
    indicators.blp,
    units.blp,
    organizations.blp,
    categories.blp,
)


def init_app(app: Flask) -> None:
    app.url_map.converters["code"] = CodeConverter
    api.init_app(app)
    api.register_converter(CodeConverter, code_parameter_schema)
    document_page_size_limit(api, app.config["PAGE_SIZE_MAX"])
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1/{blueprint.name}")
