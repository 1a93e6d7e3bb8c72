"""HTTP behaviour of the public API: languages, strong ETags and 304s, Cache-Control, compression, and a
response cache that every content change invalidates.

The response cache keys on a generation counter that each commit touching content increments, so
instances sharing Redis stop serving stale entries together. Entries also expire at the next moment a
notice goes live or expires by the clock, so time alone never leaves a withdrawn warning in the cache.
A hit is answered from `before_request`, with its compressed forms cached too, so it costs little more
than routing.
"""

import gzip
import hashlib
from datetime import UTC, datetime

import brotli
from flask import Flask, Response, current_app, g, has_app_context, request
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from smart_qn.cache_store import GENERATION_KEY, content_generation, store
from smart_qn.content.notices import next_visibility_change

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
_COMPRESSORS = {
    "br": lambda body: brotli.compress(body, quality=5),
    "gzip": lambda body: gzip.compress(body, compresslevel=6),
}


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
    g.cache_key = _cache_key(content_generation())
    cached = store().get(g.cache_key)
    if cached is None:
        return None
    etag, _, body = cached.partition(b"\n")
    g.response_ready = True
    return _answer(body, etag.decode(), g.cache_key)


def _finish_api_response(response: Response) -> Response:
    if g.get("response_ready") or not (_is_public_read() and response.mimetype == "application/json"):
        return response
    if response.status_code != 200:
        response.headers["Content-Language"] = str(get_locale())
        response.headers["Vary"] = VARY
        response.headers["Cache-Control"] = "no-store"
        return response
    body = response.get_data()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    cache_key = g.get("cache_key")
    if cache_key is not None:
        ttl = entry_ttl()
        if ttl > 0:
            store().set(cache_key, etag.encode() + b"\n" + body, ttl)
    answer = _answer(body, etag, cache_key)
    for name, value in response.headers:
        if name not in answer.headers and name not in ("Content-Length", "Content-Type"):
            answer.headers[name] = value
    return answer


def _answer(body: bytes, etag: str, cache_key: str | None) -> Response:
    """The full response for `body`: 304 when the client has it, compressed when it accepts that."""
    encoding = _encoding(len(body))
    tagged = etag if encoding is None else f'{etag[:-1]}-{encoding}"'
    headers = {
        "ETag": tagged,
        "Cache-Control": f"public, max-age={current_app.config['CACHE_MAX_AGE']}",
        "Vary": VARY,
        "Content-Language": str(get_locale()),
    }
    if _client_has(etag):
        return Response(status=304, headers=headers)
    if encoding is not None:
        body = _compressed(body, encoding, cache_key)
        headers["Content-Encoding"] = encoding
    return Response(body, status=200, mimetype="application/json", headers=headers)


def _encoding(size: int) -> str | None:
    if size < current_app.config["COMPRESS_MIN_SIZE"] or request.method == "HEAD":
        return None
    accepted = request.accept_encodings
    return next((encoding for encoding in _COMPRESSORS if accepted[encoding]), None)


def _compressed(body: bytes, encoding: str, cache_key: str | None) -> bytes:
    if cache_key is None:
        return _COMPRESSORS[encoding](body)
    variant_key = f"{cache_key}:{encoding}"
    compressed = store().get(variant_key)
    if compressed is None:
        compressed = _COMPRESSORS[encoding](body)
        ttl = entry_ttl()
        if ttl > 0:
            store().set(variant_key, compressed, ttl)
    return compressed


def _client_has(etag: str) -> bool:
    """If-None-Match names this body, in any of its encodings (weak comparison, as RFC 9110 asks)."""
    if request.if_none_match.star_tag:
        return True
    tag = etag.strip('"')
    return any(
        candidate.split("-", 1)[0] == tag for candidate in request.if_none_match.as_set(include_weak=True)
    )


def entry_ttl() -> float:
    """Seconds an entry may live: the configured TTL, cut short by the next publish or expiry."""
    if "cache_entry_ttl" not in g:
        ttl = current_app.config["RESPONSE_CACHE_TTL"]
        now = datetime.now(UTC)
        next_change = _next_visibility_change(now)
        g.cache_entry_ttl = ttl if next_change is None else min(ttl, (next_change - now).total_seconds())
    return g.cache_entry_ttl


def _next_visibility_change(now: datetime) -> datetime | None:
    """`next_visibility_change`, remembered for the content generation until that moment has passed."""
    key = f"next-visibility-change:{content_generation()}"
    remembered = store().get(key)
    if remembered is not None:
        moment = datetime.fromisoformat(remembered.decode()) if remembered != b"none" else None
        if moment is None or moment > now:
            return moment
    moment = next_visibility_change(now)
    remembered_for = (
        current_app.config["RESPONSE_CACHE_TTL"] if moment is None else (moment - now).total_seconds()
    )
    store().set(key, moment.isoformat().encode() if moment else b"none", remembered_for)
    return moment


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
