"""Which language a request is answered in: `?lang=`, else the best of Accept-Language, else the default."""

import functools

from babel import Locale
from flask import current_app, has_request_context, request
from flask_babel import get_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

# Set by the pages' language switch, so that a choice made once holds on every page.
LANGUAGE_COOKIE = "lang"


def choose_language(requested: str | None, accept_language: str | None, languages, default: str) -> str:
    if requested in languages:
        return requested
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages) or default


def select_locale() -> Locale:
    config = current_app.config
    if not has_request_context():
        return _locale(config["DEFAULT_LANGUAGE"])
    return _locale(
        choose_language(
            request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE),
            request.headers.get("Accept-Language"),
            config["LANGUAGES"],
            config["DEFAULT_LANGUAGE"],
        )
    )


@functools.cache
def _locale(language: str) -> Locale:
    # Parsing a language name looks for Babel's data file on disk: done once per language, not per request.
    return Locale.parse(language)


def current_language() -> str:
    """The language this request is answered in (Babel caches `select_locale`'s choice per request)."""
    return str(get_locale())
