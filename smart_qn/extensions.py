"""Flask extensions, created unbound and initialised in `create_app`. Imports nothing from the project."""

import sqlite3
from collections.abc import Callable

from flask import request
from flask_babel import Babel
from flask_babel import gettext as translate_message  # messages fixed elsewhere: see api/messages.py
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf.csrf import CSRFProtect
from huey import MemoryHuey
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class JsonApi(Api):
    """flask-smorest answers errors in JSON for the whole app; keep that to /api, keep the headers the
    exception carries (`Allow` on 405, `Retry-After` on 429) and speak the request's language."""

    def handle_http_exception(self, error):
        if not request.path.startswith("/api"):
            return error
        payload, status, headers = super().handle_http_exception(error)
        payload["status"] = translate_message(payload["status"])
        if "message" in payload:
            payload["message"] = translate_message(payload["message"])
        if "errors" in payload:
            payload["errors"] = _translated(payload["errors"])
        kept = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
        return payload, status, {**kept, **(headers or {})}


def _translated(messages):
    if isinstance(messages, dict):
        # marshmallow keys a list's errors by the items' int positions, which JSON objects cannot hold.
        return {str(key): _translated(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [_translated(message) for message in messages]
    return translate_message(messages) if isinstance(messages, str) else messages


class Session(FlaskSession):
    """Runs what `after_commit` registered once the commit has succeeded, and drops it on a rollback: side
    effects such as background jobs happen only for what was committed."""

    def after_commit(self, callback: Callable[[], object]) -> None:
        self.info.setdefault(_AFTER_COMMIT, []).append(callback)

    def commit(self) -> None:
        super().commit()
        for callback in self.info.pop(_AFTER_COMMIT, []):
            callback()

    def rollback(self) -> None:
        self.info.pop(_AFTER_COMMIT, None)
        super().rollback()

    def close(self) -> None:
        self.info.pop(_AFTER_COMMIT, None)
        super().close()


_AFTER_COMMIT = "after_commit"

db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate()
babel = Babel()
api = JsonApi()
limiter = Limiter(key_func=get_remote_address)
csrf = CSRFProtect()
# The background job queue. Tasks register on it when their modules are imported; smart_qn.jobs.init_app
# gives it its storage (a SQLite file, or Redis).
huey = MemoryHuey("smart_qn", utc=True)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy, not pysqlite, decide when transactions begin, so SAVEPOINTs work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    # A notice row (bodies and their HTML in two languages, search and snippet texts) is about 6 KB: with
    # the default 4 KB pages, every one spills into overflow pages that each read follows. Only a new
    # database takes the size (before WAL is on); an existing one keeps its own until a VACUUM.
    cursor.execute("PRAGMA page_size = 16384")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    # Read through memory maps and a larger page cache: every pool connection has its own cache, and with
    # the default 2 MB the same pages are read through the kernel again and again.
    cursor.execute("PRAGMA mmap_size = 268435456")
    cursor.execute("PRAGMA cache_size = -16000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
