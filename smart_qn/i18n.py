"""Which language a request is answered in: `?lang=`, else the best of Accept-Language, else the default."""

from flask import current_app, request


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    requested = request.args.get("lang")
    if requested in languages:
        return requested
    return request.accept_languages.best_match(languages) or current_app.config["DEFAULT_LANGUAGE"]
