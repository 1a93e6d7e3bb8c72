"""The ceiling of bench/run: a bare Flask app that answers each benchmarked URL with the exact bytes, status
and headers the real app returned for it (captured by bench.py just before the load runs).

No database, no extensions, no argument parsing: one catch-all route and a dict lookup. Whatever the real
app spends beyond this is its own work (routing aside, Flask's request/response cycle is the same).

    BENCH_BARE_RESPONSES=/path/to/captured.json gunicorn ... bare_app:app

The captured file maps "path?query" to {"status", "headers": [[name, value], ...], "body_b64"} and,
optionally, "gzip": the same for the response to `Accept-Encoding: gzip` when the real app compressed it.
"""

import base64
import json
import os
import re

from flask import Flask, Response, request

# page=0007 → page=7: the uncached-list run pads numbers with zeros to make every URL new (see
# lua/vary_pages.lua); the real app reads them as numbers, so the ceiling must too.
_ZERO_PADDED = re.compile(r"=0+(?=\d)")


def _variant(captured: dict) -> tuple[int, list[tuple[str, str]], bytes]:
    return captured["status"], [tuple(h) for h in captured["headers"]], base64.b64decode(captured["body_b64"])


def load_responses(path: str) -> dict:
    with open(path, encoding="utf-8") as file:
        captured = json.load(file)
    return {
        url: (_variant(item), _variant(item["gzip"]) if item.get("gzip") else None)
        for url, item in captured.items()
    }


def create_app(path: str) -> Flask:
    responses = load_responses(path)
    app = Flask(__name__)

    @app.route("/<path:_rest>")
    def serve(_rest):
        query = request.query_string.decode("latin-1")
        url = f"{request.path}?{query}" if query else request.path
        found = responses.get(url) or responses.get(_ZERO_PADDED.sub("=", url))
        if found is None:
            return Response(b'{"code":404,"status":"Not Found"}\n', 404, content_type="application/json")
        identity, gzipped = found
        status, headers, body = (
            gzipped if gzipped and "gzip" in request.headers.get("Accept-Encoding", "") else identity
        )
        return Response(body, status, headers)

    return app


app = create_app(os.environ["BENCH_BARE_RESPONSES"]) if "BENCH_BARE_RESPONSES" in os.environ else None
