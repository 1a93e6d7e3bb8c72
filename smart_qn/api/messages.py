"""Messages API clients receive from Werkzeug, webargs and marshmallow rather than from our code.

They are listed here so that Babel extracts them; the API's error handler translates them on the way out.
"""

from flask_babel import lazy_gettext as _l

THIRD_PARTY_MESSAGES = (
    _l("Bad Request"),
    _l("Not Found"),
    _l("Method Not Allowed"),
    _l("Gone"),
    _l("Unprocessable Entity"),
    _l("Too Many Requests"),
    _l("Internal Server Error"),
    _l("Unknown field."),
    _l("Not a valid integer."),
    _l("Not a valid string."),
    _l("Not a valid date."),
    _l("Missing data for required field."),
    _l("Must be greater than or equal to 1."),
)
