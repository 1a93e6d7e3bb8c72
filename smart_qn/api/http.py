"""HTTP behaviour of the public API: languages, strong ETags and 304s, Cache-Control, compression, and a
response cache that every content change invalidates.

The response cache keys on a generation counter that each commit touching content increments, so
instances sharing Redis stop serving stale entries together. Entries also expire at the next moment a
notice goes live or expires by the clock, so time alone never leaves a withdrawn warning in the cache.

A hit is answered by `CachedResponses`, a WSGI layer in front of Flask, so it costs about what a bare app
does; it skips the rate limiter too, which guards the work behind a hit. Flask answers misses and
stores them (`_finish_api_response`). Both follow the same rules, written once below.
"""

import hashlib
import time
from datetime import UTC, datetime
from urllib.parse import parse_qs

from flask import Flask, Response, current_app, g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.http import parse_etags

from smart_qn.cache_store import GENERATION_KEY, UNCOMMITTED_CONTENT, content_generation, store
from smart_qn.compression import choose_encoding, compress
from smart_qn.content.notices import next_visibility_change
from smart_qn.i18n import choose_language, current_language
from smart_qn.ops import REQUEST_ID_HEADER, log_request, request_id_from

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
        "push_notification",
    }
)


def init_app(app: Flask, cached_blueprints: set[str]) -> None:
    app.extensions["smart_qn.cached_blueprints"] = cached_blueprints
    app.before_request(_note_cache_key)
    app.after_request(_finish_api_response)
    app.wsgi_app = CachedResponses(app, app.wsgi_app)


# The rules, for both paths.


# Answers that depend on who asks (an API token): never cached, never given an ETag.
PRIVATE_PREFIX = "/api/v1/manage/"


def is_public_read(method: str, path: str) -> bool:
    return method in ("GET", "HEAD") and path.startswith("/api/v1/") and not path.startswith(PRIVATE_PREFIX)


def cache_key(generation: int, language: str, environ: dict) -> str:
    return (
        f"response:{generation}:{language}:{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
    )


def client_has(etag: str, if_none_match: str | None) -> bool:
    """If-None-Match names this body, in any of its encodings (weak comparison, as RFC 9110 asks)."""
    if not if_none_match:
        return False
    tags = parse_etags(if_none_match)
    if tags.star_tag:
        return True
    tag = etag.strip('"')
    return any(candidate.split("-", 1)[0] == tag for candidate in tags.as_set(include_weak=True))


def answer_headers(etag: str, encoding: str | None, language: str, max_age: int) -> dict[str, str]:
    headers = {
        "ETag": etag if encoding is None else f'{etag[:-1]}-{encoding}"',
        "Cache-Control": f"public, max-age={max_age}",
        "Vary": VARY,
        "Content-Language": language,
    }
    if encoding is not None:
        headers["Content-Encoding"] = encoding
    return headers


class CachedResponses:
    """Answers a GET of the public API from the response cache without entering Flask."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        answer = None
        if self.app.config["RESPONSE_CACHE_ENABLED"] and is_public_read(
            environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        ):
            answer = self._from_cache(environ)
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _from_cache(self, environ) -> tuple[str, list, bytes] | None:
        started = time.perf_counter()
        config = self.app.config
        requested = parse_qs(environ.get("QUERY_STRING", "")).get("lang", [None])[0]
        language = choose_language(
            requested, environ.get("HTTP_ACCEPT_LANGUAGE"), config["LANGUAGES"], config["DEFAULT_LANGUAGE"]
        )
        shared = self.app.extensions["smart_qn.cache_store"]
        key = cache_key(shared.counter(GENERATION_KEY), language, environ)
        cached = shared.get(key)
        if cached is None:
            return None
        etag_bytes, _, body = cached.partition(b"\n")
        etag = etag_bytes.decode()
        method = environ["REQUEST_METHOD"]
        encoding = choose_encoding(
            len(body), method, environ.get("HTTP_ACCEPT_ENCODING"), config["COMPRESS_MIN_SIZE"]
        )
        if encoding is not None:
            body = shared.get(f"{key}:{encoding}")
            if body is None:
                return None  # Flask compresses it once and keeps it
        headers = answer_headers(etag, encoding, language, config["CACHE_MAX_AGE"])
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        headers[REQUEST_ID_HEADER] = request_id
        if client_has(etag, environ.get("HTTP_IF_NONE_MATCH")):
            status, body = 304, b""
        else:
            headers |= {"Content-Type": "application/json", "Content-Length": str(len(body))}
            status = 200
        log_request(request_id, method, environ.get("PATH_INFO", ""), status, started)
        return (
            ("200 OK" if status == 200 else "304 NOT MODIFIED"),
            list(headers.items()),
            (b"" if method == "HEAD" else body),
        )


# The Flask side: misses.


def _cacheable() -> bool:
    return (
        current_app.config["RESPONSE_CACHE_ENABLED"]
        and is_public_read(request.method, request.path)
        and request.blueprint in current_app.extensions["smart_qn.cached_blueprints"]
    )


def _note_cache_key() -> None:
    """Read the generation before the view runs: a change committed meanwhile must not be stored under
    the new generation with the old content."""
    if _cacheable():
        g.cache_key = cache_key(content_generation(), current_language(), request.environ)


def _finish_api_response(response: Response) -> Response:
    if not (is_public_read(request.method, request.path) and response.mimetype == "application/json"):
        return response
    if response.status_code != 200:
        response.headers["Content-Language"] = current_language()
        response.headers["Vary"] = VARY
        response.headers["Cache-Control"] = "no-store"
        return response
    body = response.get_data()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    cache_key_ = g.get("cache_key")
    ttl = entry_ttl() if cache_key_ is not None else 0
    if ttl > 0:
        store().set(cache_key_, etag.encode() + b"\n" + body, ttl)
    config = current_app.config
    encoding = choose_encoding(
        len(body), request.method, request.headers.get("Accept-Encoding"), config["COMPRESS_MIN_SIZE"]
    )
    headers = answer_headers(etag, encoding, current_language(), config["CACHE_MAX_AGE"])
    if client_has(etag, request.headers.get("If-None-Match")):
        return Response(status=304, headers=headers)
    if encoding is not None:
        body = compress(body, encoding)
        if ttl > 0:
            store().set(f"{cache_key_}:{encoding}", body, ttl)
        response.set_data(body)
    # The view's response, completed in place: a second response object would cost as much again.
    response.headers.update(headers)
    return response


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
    remembered_for = (moment - now).total_seconds() if moment else current_app.config["RESPONSE_CACHE_TTL"]
    store().set(key, moment.isoformat().encode() if moment else b"none", remembered_for)
    return moment


@event.listens_for(Session, "after_flush")
def _note_content_change(session: Session, _context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(getattr(row, "__tablename__", None) in CONTENT_TABLES for row in changed):
        session.info[UNCOMMITTED_CONTENT] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_content_change(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and _touches_content(state.statement):
        state.session.info[UNCOMMITTED_CONTENT] = True


def _touches_content(statement) -> bool:
    table = getattr(statement, "table", None)
    return getattr(table, "name", None) in CONTENT_TABLES


@event.listens_for(Session, "after_commit")
def _invalidate_responses(session: Session) -> None:
    if session.info.pop(UNCOMMITTED_CONTENT, False) and has_app_context():
        store().increment(GENERATION_KEY)


@event.listens_for(Session, "after_rollback")
def _forget_uncommitted_change(session: Session) -> None:
    session.info.pop(UNCOMMITTED_CONTENT, None)
