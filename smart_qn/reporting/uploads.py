"""Spreadsheets kept between an import's preview and its confirmation: one file per user and content
(`IMPORT_DIR/<user id>/<SHA-256>`), written whole or not at all, and removed a day later whether or not the
import was confirmed (the clockwork's sweep)."""

import hashlib
import os
import re
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

LIFETIME = timedelta(days=1)
_DIGEST = re.compile(r"[0-9a-f]{64}")


def _folder(user_id: int) -> Path:
    return Path(current_app.config["IMPORT_DIR"]) / str(user_id)


def keep(user_id: int, data: bytes) -> str:
    """Store an upload for `user_id`; its SHA-256 names it for the confirmation."""
    folder = _folder(user_id)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".upload-", delete=False) as temporary:
        temporary.write(data)
    os.replace(temporary.name, folder / digest)
    return digest


def kept(user_id: int, digest: str) -> bytes | None:
    """The upload `user_id` kept under `digest`, or None (unknown, removed, or another user's)."""
    if not _DIGEST.fullmatch(digest or ""):
        return None
    try:
        return (_folder(user_id) / digest).read_bytes()
    except FileNotFoundError:
        return None


def forget(user_id: int, digest: str) -> None:
    """Remove an upload once it is imported."""
    if _DIGEST.fullmatch(digest):
        (_folder(user_id) / digest).unlink(missing_ok=True)


def remove_stale(now: datetime) -> int:
    """Remove the uploads older than LIFETIME at `now`, and the half-written files a crash left; returns how
    many."""
    root = Path(current_app.config["IMPORT_DIR"])
    if not root.is_dir():
        return 0
    cutoff = (now - LIFETIME).timestamp()
    removed = 0
    for path in root.glob("*/*"):
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
