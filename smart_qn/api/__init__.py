"""The app's JSON API v1 (flask-smorest), mounted under /api/v1."""

from flask import Flask, current_app

from smart_qn.api import (
    attachments,
    categories,
    devices,
    home,
    http,
    inbox,
    indicators,
    manage,
    notices,
    organizations,
    search,
    services,
    sync,
    units,
)
from smart_qn.api.common import CodeConverter, code_parameter_schema, document_page_size_limit
from smart_qn.extensions import api, limiter

BLUEPRINTS = (
    home.blp,
    notices.blp,
    services.blp,
    indicators.blp,
    units.blp,
    organizations.blp,
    categories.blp,
    sync.blp,
    search.blp,
    attachments.blp,
    devices.blp,
    inbox.blp,
)
# Sync answers are unique to each cursor and moment: not worth a cache entry. Files are not JSON, which is
# all the response cache keeps. Device registration is private to each app.
UNCACHED = {sync.blp.name, attachments.blp.name, devices.blp.name}


def init_app(app: Flask) -> None:
    app.url_map.converters["code"] = CodeConverter
    api.init_app(app)
    api.register_converter(CodeConverter, code_parameter_schema)
    api.spec.components.security_scheme("deviceSecret", devices.routes.SECURITY_SCHEME)
    document_page_size_limit(api, app.config["PAGE_SIZE_MAX"])
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1/{blueprint.name}")
    manage.register(api)
    http.init_app(app, cached_blueprints={blueprint.name for blueprint in BLUEPRINTS} - UNCACHED)


def _api_rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


# Applies in every app whose factory registered the limiter (SMART_QN_API_RATE_LIMIT_ENABLED).
for _blueprint in BLUEPRINTS:
    limiter.limit(_api_rate_limit)(_blueprint)
