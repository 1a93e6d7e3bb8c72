"""Fingerprinted URLs for the portal's static files: `portal.css?v=<hash of its content>`. A URL names one
version of a file for ever, so browsers keep it a year and ask again only when the file changes."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Response, request, url_for

STATIC_DIR = Path(__file__).resolve().parent / "static"
FOREVER = "public, max-age=31536000, immutable"


@cache
def fingerprint(filename: str) -> str:
    return hashlib.sha256((STATIC_DIR / filename).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    return url_for("portal.static", filename=filename, v=fingerprint(filename))


def cache_forever_when_fingerprinted(response: Response) -> Response:
    """Only a URL carrying the file's current fingerprint may be kept for ever: an old or missing one
    could name any version."""
    filename = (request.view_args or {}).get("filename", "")
    if response.status_code == 200 and request.args.get("v") == fingerprint(filename):
        response.headers["Cache-Control"] = FOREVER
    return response
