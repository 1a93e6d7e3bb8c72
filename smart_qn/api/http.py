"""HTTP behaviour of the public API: languages, strong ETags and 304s, Cache-Control, compression, and a
response cache that every content change invalidates.

The response cache keys on a generation counter that each commit touching content increments, so
instances sharing Redis stop serving stale entries together. Entries also expire at the next moment a
notice goes live or expires by the clock, so time alone never leaves a withdrawn warning in the cache.
"""

import gzip
import hashlib
import json
from datetime import UTC, datetime

import brotli
from flask import Flask, Response, current_app, g, has_app_context, request
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from smart_qn.cache_store import store
from smart_qn.content.notices import next_visibility_change

GENERATION_KEY = "content-generation"
VARY = "Accept-Language, Accept-Encoding"
CONTENT_TABLES = frozenset(
    {
        "notice",
        "notice_audience",
        "service_link",
        "indicator",
        "indicator_value",
        "category",
        "organization",
        "admin_unit",
        "deleted_item",
    }
)


def init_app(app: Flask, cached_blueprints: set[str]) -> None:
    app.extensions["smart_qn.cached_blueprints"] = cached_blueprints
    app.before_request(_serve_from_cache)
    app.after_request(_finish_api_response)


def _is_public_read() -> bool:
    return request.method in ("GET", "HEAD") and request.path.startswith("/api/v1/")


def _cacheable() -> bool:
    return (
        current_app.config["RESPONSE_CACHE_ENABLED"]
        and _is_public_read()
        and request.blueprint in current_app.extensions["smart_qn.cached_blueprints"]
    )


def _cache_key(generation: int) -> str:
    return f"response:{generation}:{get_locale()}:{request.full_path}"


def _serve_from_cache():
    if not _cacheable():
        return None
    g.cache_generation = store().counter(GENERATION_KEY)
    cached = store().get(_cache_key(g.cache_generation))
    if cached is None:
        return None
    header, _, body = cached.partition(b"\n")
    meta = json.loads(header)
    return Response(body, status=200, mimetype=meta["mimetype"], headers={"ETag": meta["etag"]})


def _finish_api_response(response: Response) -> Response:
    if not (_is_public_read() and response.mimetype == "application/json"):
        return response
    response.headers["Content-Language"] = str(get_locale())
    response.headers["Vary"] = VARY
    if response.status_code != 200:
        response.headers["Cache-Control"] = "no-store"
        return response
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['CACHE_MAX_AGE']}"
    if "ETag" not in response.headers:
        response.headers["ETag"] = f'"{hashlib.sha256(response.get_data()).hexdigest()[:32]}"'
        if _cacheable() and "cache_generation" in g:
            _store(response)
    if _matches_if_none_match(response.headers["ETag"]):
        return _not_modified(response)
    return _compress(response)


def _entry_ttl() -> float:
    """Seconds an entry may live: the configured TTL, cut short by the next publish or expiry."""
    ttl = current_app.config["RESPONSE_CACHE_TTL"]
    now = datetime.now(UTC)
    next_change = next_visibility_change(now)
    return ttl if next_change is None else min(ttl, (next_change - now).total_seconds())


def _store(response: Response) -> None:
    ttl = _entry_ttl()
    if ttl > 0:
        header = json.dumps({"mimetype": response.mimetype, "etag": response.headers["ETag"]}).encode()
        store().set(_cache_key(g.cache_generation), header + b"\n" + response.get_data(), ttl)


def _matches_if_none_match(etag: str) -> bool:
    tag = etag.strip('"')
    return any(
        candidate.split("-", 1)[0] == tag for candidate in request.if_none_match.as_set(include_weak=True)
    ) or (request.if_none_match.star_tag)


def _not_modified(response: Response) -> Response:
    not_modified = Response(status=304)
    for name in ("ETag", "Cache-Control", "Vary", "Content-Language"):
        if name in response.headers:
            not_modified.headers[name] = response.headers[name]
    return not_modified


def _compress(response: Response) -> Response:
    body = response.get_data()
    if len(body) < current_app.config["COMPRESS_MIN_SIZE"] or request.method == "HEAD":
        return response
    accepted = request.accept_encodings
    if accepted["br"]:
        encoding, compressed = "br", brotli.compress(body, quality=5)
    elif accepted["gzip"]:
        encoding, compressed = "gzip", gzip.compress(body, compresslevel=6)
    else:
        return response
    response.set_data(compressed)
    response.headers["Content-Encoding"] = encoding
    response.headers["ETag"] = f'"{response.headers["ETag"].strip(chr(34))}-{encoding}"'
    return response


@event.listens_for(Session, "after_flush")
def _note_content_change(session: Session, _context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(getattr(row, "__tablename__", None) in CONTENT_TABLES for row in changed):
        session.info["content_changed"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_content_change(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and _touches_content(state.statement):
        state.session.info["content_changed"] = True


def _touches_content(statement) -> bool:
    table = getattr(statement, "table", None)
    return getattr(table, "name", None) in CONTENT_TABLES


@event.listens_for(Session, "after_commit")
def _invalidate_responses(session: Session) -> None:
    if session.info.pop("content_changed", False) and has_app_context():
        store().increment(GENERATION_KEY)


@event.listens_for(Session, "after_rollback")
def _forget_uncommitted_change(session: Session) -> None:
    session.info.pop("content_changed", None)
