"""Operations: liveness and readiness probes, request ids, one structured log line per request."""

import json
import logging
import re
import time
import uuid
from logging.config import dictConfig

from flask import Blueprint, Flask, current_app, g, jsonify, request
from sqlalchemy import text

from smart_qn.cache_store import store
from smart_qn.extensions import db

blp = Blueprint("ops", __name__)
access_log = logging.getLogger("smart_qn.access")

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTABLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str) -> None:
    dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"json": {"()": JsonFormatter}},
            "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
            "loggers": {"smart_qn": {"level": level, "handlers": ["stderr"], "propagate": False}},
        }
    )


def init_app(app: Flask) -> None:
    configure_logging(app.config["LOG_LEVEL"])
    app.register_blueprint(blp)
    app.before_request(_start_request)
    app.after_request(_finish_request)


def request_id_from(incoming: str | None) -> str:
    """The caller's request id when it looks like one, else a new one."""
    return incoming if incoming and _ACCEPTABLE_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def log_request(request_id: str, method: str, path: str, status: int, started: float) -> None:
    if access_log.isEnabledFor(logging.INFO):
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        fields = {
            "request_id": request_id,
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
        }
        access_log.info("request", extra={"fields": fields})


def _start_request() -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()


def _finish_request(response):
    request_id = g.get("request_id")
    if request_id is None:
        return response
    response.headers[REQUEST_ID_HEADER] = request_id
    log_request(request_id, request.method, request.path, response.status_code, g.request_started)
    return response


@blp.get("/healthz")
def healthz():
    """The process is alive."""
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    """The process can serve: its database (and Redis, when configured) answer."""
    checks = {"database": _check(lambda: db.session.execute(text("SELECT 1")))}
    if current_app.config["REDIS_URL"]:
        checks["redis"] = _check(lambda: store().ping())
    ready = all(state == "ok" for state in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503


def _check(probe) -> str:
    try:
        probe()
    except Exception as error:
        current_app.logger.warning("readiness check failed: %s", error)
        return "failed"
    return "ok"
