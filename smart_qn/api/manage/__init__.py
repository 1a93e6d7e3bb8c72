"""The management API under /api/v1/manage: organizations' own systems, signed in with API tokens."""

from flask_smorest import Api

from smart_qn.api.manage.auth import SECURITY_SCHEME, SECURITY_SCHEME_NAME
from smart_qn.api.manage.routes import blp


def register(api: Api) -> None:
    """Mount the blueprint and declare its security scheme. It is not one of the public API's blueprints:
    its answers depend on the token, so it has limits of its own and no response cache
    (smart_qn.api.http.is_public_read)."""
    api.spec.components.security_scheme(SECURITY_SCHEME_NAME, SECURITY_SCHEME)
    api.register_blueprint(blp, url_prefix="/api/v1/manage")


__all__ = ["blp", "register"]
