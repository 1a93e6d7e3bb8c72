"""Which language a request is answered in: `?lang=`, else the best of Accept-Language, else the default."""

from flask import current_app, has_request_context, request


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["DEFAULT_LANGUAGE"]
    if not has_request_context():
        return default
    requested = request.args.get("lang")
    if requested in languages:
        return requested
    return request.accept_languages.best_match(languages) or default
