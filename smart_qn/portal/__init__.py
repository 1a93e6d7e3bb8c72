"""The public portal: server-rendered pages for residents and visitors without the app, in Vietnamese and
English, readable without JavaScript.

Every HTML answer of the portal is conditional (ETag, 304), briefly cacheable, and carries the security
headers; pages outside the API and the admin get the portal's HTML error pages in the reader's language.
"""

from datetime import datetime
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask_babel import format_datetime, format_decimal
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from smart_qn.compression import choose_encoding, compress
from smart_qn.content.attachments import describe_size
from smart_qn.extensions import api
from smart_qn.i18n import LANGUAGE_COOKIE, current_language
from smart_qn.portal import assets, labels

bp = Blueprint(
    "portal",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
# Pages differ by the language (cookie, or Accept-Language) and by the resident's chosen unit (cookie).
PAGE_VARY = "Cookie, Accept-Language, Accept-Encoding"
LANGUAGE_COOKIE_DAYS = 365
MOMENT_FORMATS = {"vi": "dd/MM/yyyy HH:mm", "en": "d MMM yyyy, HH:mm"}
# Paths whose errors are answered by their own part of the app: JSON for the API, the admin's as before.
_NOT_PORTAL_ERRORS = ("/api/", "/admin/")
# Titles are the HTTP status names the API's errors already translate (smart_qn/api/messages.py).
ERROR_PAGES = {
    400: (_l("Bad Request"), _l("The address or the form contains something this site cannot read.")),
    404: (_l("Not Found"), _l("This page does not exist, or it is no longer published.")),
    405: (_l("Method Not Allowed"), _l("This page cannot be used this way.")),
    500: (_l("Internal Server Error"), _l("The site could not answer. Please try again in a moment.")),
}


def init_app(app: Flask) -> None:
    # The error pages are rendered outside the blueprint too (an unknown path belongs to none).
    app.add_template_global(current_language, "current_language")
    from smart_qn.portal import (  # noqa: F401  (routes register)
        feeds,
        home,
        indicators,
        notices,
        places,
        search,
        services,
    )

    app.register_blueprint(bp)
    # A handler registered for a status code outranks the API's one for every HTTPException, so these
    # hand the API's and the admin's paths back to it.
    for code in ERROR_PAGES:
        app.register_error_handler(code, error_page)


def is_portal_path(path: str) -> bool:
    return not (path + "/").startswith(_NOT_PORTAL_ERRORS) and path not in ("/api", "/admin")


def error_page(error: HTTPException):
    if not is_portal_path(request.path):
        return api.handle_http_exception(error)
    title, explanation = ERROR_PAGES[error.code]
    page = render_template("portal/error.html", error_title=title, error_explanation=explanation)
    response = Response(page, status=error.code, mimetype="text/html")
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = PAGE_VARY
    return with_security_headers(response)


def with_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@bp.after_request
def finish_portal_response(response: Response) -> Response:
    if request.endpoint == "portal.static":
        assets.cache_forever_when_fingerprinted(response)
    elif request.method in ("GET", "HEAD") and response.status_code == 200:
        response.headers.setdefault("Cache-Control", f"public, max-age={current_app.config['CACHE_MAX_AGE']}")
        response.headers["Vary"] = PAGE_VARY
        response.headers["Content-Language"] = current_language()
        remember_language_choice(response)
        response.add_etag(weak=True)
        response.make_conditional(request)
        compress_page(response)
    return with_security_headers(response)


def compress_page(response: Response) -> None:
    """Pages (not the 304s) compressed as the reader's browser accepts: a tenth of the bytes on a slow
    link. The ETag stays: it is weak, so it holds for every encoding of the page."""
    if response.status_code != 200 or response.direct_passthrough or "Content-Encoding" in response.headers:
        return
    body = response.get_data()
    encoding = choose_encoding(
        len(body),
        request.method,
        request.headers.get("Accept-Encoding"),
        current_app.config["COMPRESS_MIN_SIZE"],
    )
    if encoding is not None:
        response.set_data(compress(body, encoding))
        response.headers["Content-Encoding"] = encoding


def remember_language_choice(response: Response) -> None:
    """A `?lang=` link (the language switch) holds on the following pages too."""
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"] and chosen != request.cookies.get(LANGUAGE_COOKIE):
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=LANGUAGE_COOKIE_DAYS * 86400,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        # An answer that sets a cookie is this reader's alone.
        response.headers["Cache-Control"] = "private, no-cache"


@bp.app_template_global()
def language_switch_url(language: str) -> str:
    """The page being read, in `language`."""
    arguments = request.args.to_dict(flat=False) | {"lang": [language]}
    return f"{request.path}?{urlencode(arguments, doseq=True)}"


def content_lang(used: str) -> Markup:
    """` lang="…"` for an element whose content is not in the page's language (English falling back to
    Vietnamese), else nothing."""
    return Markup(' lang="%s"') % used if used != current_language() else Markup("")


def moment(value: datetime) -> str:
    """A date and time in Vietnam's time zone, as each language writes it (dd/MM/yyyy in Vietnamese)."""
    return format_datetime(value, MOMENT_FORMATS.get(current_language(), "medium"))


def number(value) -> str:
    """A number as the reader's language writes it: 1.234,5 in Vietnamese, 1,234.5 in English."""
    return format_decimal(value)


@bp.app_template_global()
def portal_asset(filename: str) -> str:
    return assets.asset_url(filename)


def measure_unit(text: str | None) -> Markup:
    """A unit of measure as the data has it: Vietnamese words ("tỷ đồng", "lượt khách") are marked as
    Vietnamese on a page in another language, so that a screen reader says them right; symbols ("%") are
    left as they are."""
    if text and current_language() != "vi" and any(character.isalpha() for character in text):
        return Markup('<span lang="vi">%s</span>') % text
    return Markup.escape(text or "")


@bp.context_processor
def template_helpers() -> dict:
    return {
        "content_lang": content_lang,
        "measure_unit": measure_unit,
        "moment": moment,
        "number": number,
        "file_size": describe_size,
        **labels.template_labels(),
    }
