"""The admin: server-rendered pages where department and district editors curate their organizations'
content, and administrators manage accounts and read the audit log.

Every route of the blueprint requires a signed-in user (`guard.require_sign_in`, run before every
request) unless its view is marked `@public`; unsafe methods require a CSRF token.
"""

from flask import Blueprint, Flask
from flask_babel import format_datetime
from flask_babel import gettext as _

from smart_qn.accounts.users import Role
from smart_qn.extensions import csrf
from smart_qn.i18n import current_language

bp = Blueprint(
    "admin",
    __name__,
    url_prefix="/admin",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


def init_app(app: Flask) -> None:
    from smart_qn.admin import (  # noqa: F401  (routes register)
        api_tokens,
        attachments,
        audit_log,
        auth,
        dashboard,
        freshness,
        guard,
        indicator_import,
        indicator_values,
        indicators,
        notices,
        push,
        services,
        users,
    )

    csrf.init_app(app)
    app.register_blueprint(bp)


def role_label(role: Role) -> str:
    return {Role.EDITOR: _("Editor"), Role.APPROVER: _("Approver")}[role]


@bp.context_processor
def template_helpers() -> dict:
    return {
        "current_language": current_language,
        "role_label": role_label,
        "format_datetime": format_datetime,
    }
