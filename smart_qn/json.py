"""JSON for the app: orjson (fast), with dates and times in ISO 8601 (Flask's default writes HTTP dates)."""

from decimal import Decimal

import orjson
from flask.json.provider import JSONProvider


def _default(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps_bytes(value) -> bytes:
    return orjson.dumps(value, default=_default)


class OrjsonProvider(JSONProvider):
    def dumps(self, obj, **_kwargs) -> str:
        return dumps_bytes(obj).decode()

    def loads(self, s, **_kwargs):
        return orjson.loads(s)
