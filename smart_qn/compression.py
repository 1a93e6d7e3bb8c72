"""Compressing response bodies as the client accepts: brotli, else gzip, for bodies worth it. The API's
JSON (smart_qn.api.http) and the portal's pages (smart_qn.portal) both use it."""

import gzip

import brotli
from werkzeug.http import parse_accept_header

# Quality 5 and level 6: most of the saving for a fraction of the CPU of the maximum settings.
_COMPRESSORS = {
    "br": lambda body: brotli.compress(body, quality=5),
    "gzip": lambda body: gzip.compress(body, compresslevel=6),
}


def choose_encoding(size: int, method: str, accept_encoding: str | None, min_size: int) -> str | None:
    """The encoding to answer in (None: as it is)."""
    if size < min_size or method == "HEAD":
        return None
    accepted = parse_accept_header(accept_encoding)
    return next((encoding for encoding in _COMPRESSORS if accepted[encoding]), None)


def compress(body: bytes, encoding: str) -> bytes:
    return _COMPRESSORS[encoding](body)
