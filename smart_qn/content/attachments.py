"""Files attached to notices: PDF documents and PNG, JPEG or WebP images.

A file is accepted for what its bytes are, never for its name or the type the browser claims: a PDF must
begin as one and end with its end-of-file marker, and an image must be decoded whole by Pillow as the
format its signature announces. GIF is refused (animations have no place in a notice and the stills are
better sent as PNG), and so is SVG: it is a document that can carry script. The size limit is checked while
reading, before anything is written.

Files are stored outside the web root, in `ATTACHMENT_DIR`, named by the SHA-256 of their content
(`ab/abcdef…`): two uploads of the same file share one stored copy. A file is written to a temporary name
beside its final one and renamed into place, so that a reader never sees half a file.

Attachments are part of a notice's content: a revision lists them (`attachment_ids`), and the notice's own
content is linked to them (`notice_attachment`, in order), which is what residents see once it is live
(smart_qn.content.lifecycle). An upload nobody attached (the form was abandoned, or the file was removed
from every revision) is removed after a day by `remove_orphans`.
"""

import hashlib
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import IO
from urllib.parse import quote

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy import CheckConstraint, ForeignKey, String, exists, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.datastructures import FileStorage
from werkzeug.http import dump_options_header

from smart_qn.accounts import audit
from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import User
from smart_qn.content.notices import Notice
from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db


class MediaType(StrEnum):
    PDF = "application/pdf"
    PNG = "image/png"
    JPEG = "image/jpeg"
    WEBP = "image/webp"


EXTENSIONS = {
    MediaType.PDF: (".pdf",),
    MediaType.PNG: (".png",),
    MediaType.JPEG: (".jpg", ".jpeg"),
    MediaType.WEBP: (".webp",),
}
# Pillow's name of each image format, which is the only decoder it may try on a file of that signature.
IMAGE_FORMATS = {MediaType.PNG: "PNG", MediaType.JPEG: "JPEG", MediaType.WEBP: "WEBP"}
# A decoded image costs about 3 bytes a pixel of memory: a bound well above any photo or scan a notice needs.
MAX_IMAGE_PIXELS = 50_000_000
# How long an upload may wait to be attached, and a stray stored file to be claimed, before they go.
ORPHAN_AGE = timedelta(days=1)
MAX_FILENAME_LENGTH = 200
FALLBACK_NAME = "tep-dinh-kem"
_READ_CHUNK = 64 * 1024
_TEMPORARY_PREFIX = ".upload-"
_STORED_NAME = re.compile(r"[0-9a-f]{64}")
_STORE_DIRECTORY = re.compile(r"[0-9a-f]{2}")
# Characters file systems or headers take badly, replaced in names.
_AWKWARD = re.compile(r'[\\/:*?"<>|]')
_SPACES = re.compile(r"\s+")
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
# Files served to a browser are inert: never sniffed into another type, no script, no plugin, no fetches.
SERVING_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
}


class Rejection(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    DAMAGED = "damaged"
    TOO_MANY_PIXELS = "too_many_pixels"


class AttachmentRejected(ValueError):
    """The upload is not stored; `message` (translated) says why, for the form to show beside the field."""

    def __init__(self, reason: Rejection, message):
        super().__init__(reason.value)
        self.reason = reason
        self.message = message


class Attachment(db.Model):
    __tablename__ = "attachment"
    __table_args__ = (CheckConstraint("size > 0", name="positive_size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    # As the uploader named it, made safe to show and to send in a header (`clean_filename`).
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[MediaType] = mapped_column(str_enum(MediaType, "attachment_media_type"))
    size: Mapped[int]
    # Names the stored file, shared by every upload of the same content.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    organization: Mapped[Organization] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.media_type} {self.filename!r}>"

    @property
    def path(self) -> Path:
        return stored_path(self.sha256)

    @property
    def is_image(self) -> bool:
        return self.media_type in IMAGE_FORMATS


class NoticeAttachment(db.Model):
    """A file of a notice's own content, at its place in the list (0 first)."""

    __tablename__ = "notice_attachment"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id"), primary_key=True, index=True)
    position: Mapped[int]

    attachment: Mapped[Attachment] = relationship()


def store_upload(upload: FileStorage, organization: Organization, by: User) -> Attachment:
    """Check and keep an uploaded file for `organization`'s notices, and return its new Attachment.

    Raises AttachmentRejected (nothing is written) when the file is empty, too large, not a PDF or a PNG,
    JPEG or WebP image, or cannot be read; AccessDenied when `by` may not edit the organization's notices.
    Never commits: the caller commits the attachment and its audit row. A file stored for an upload whose
    transaction is rolled back is removed later by `remove_orphans`."""
    # Imported here, as in `_named_by_revisions`: those modules import notices, which imports this one.
    from smart_qn.content.access import Action, require

    require(by, Action.EDIT, organization.id)
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    data = _read_at_most(upload.stream, limit)
    if not data:
        raise AttachmentRejected(Rejection.EMPTY, _l("The file is empty."))
    if len(data) > limit:
        raise AttachmentRejected(
            Rejection.TOO_LARGE,
            _l(
                "The file is larger than %(limit)s, the most an attachment may be.",
                limit=describe_size(limit),
            ),
        )
    media_type = checked_media_type(data)
    sha256 = hashlib.sha256(data).hexdigest()
    _keep(data, sha256)
    attachment = Attachment(
        organization=organization,
        filename=clean_filename(upload.filename, media_type),
        media_type=media_type,
        size=len(data),
        sha256=sha256,
        uploaded_by=by,
    )
    db.session.add(attachment)
    db.session.flush()  # the audit row names the attachment by its id
    audit.record(
        "attachment.upload",
        actor=by,
        object_type="attachment",
        object_id=attachment.id,
        organization_id=organization.id,
        after=_audited(attachment),
    )
    return attachment


def checked_media_type(data: bytes) -> MediaType:
    """What `data` is, from its content alone; AttachmentRejected if it is none of the accepted types or
    cannot be read as the type its first bytes announce."""
    media_type = _signature(data)
    if media_type is None:
        raise AttachmentRejected(
            Rejection.UNSUPPORTED, _l("Only PDF documents and PNG, JPEG or WebP images can be attached.")
        )
    if media_type is MediaType.PDF:
        # Every PDF ends with this marker (some writers add a few bytes after it); a cut-off upload lacks it.
        if b"%%EOF" not in data[-1024:]:
            raise _damaged()
    else:
        _decode_image(data, IMAGE_FORMATS[media_type])
    return media_type


def clean_filename(name: str | None, media_type: MediaType) -> str:
    """The uploader's file name as it may be shown and sent back: its last path part, in NFC (macOS sends
    Vietnamese decomposed), without control or direction-changing characters, with an extension that says
    what the file is ("scan.pdf" that is a PNG becomes "scan.png"; "báo cáo" a PDF "báo cáo.pdf")."""
    name = unicodedata.normalize("NFC", name or "")
    name = _SPACES.sub(" ", re.split(r"[\\/]", name)[-1])
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = _AWKWARD.sub("_", name).strip(" .")
    stem, extension = os.path.splitext(name)
    if extension.lower() not in {ext for extensions in EXTENSIONS.values() for ext in extensions}:
        stem = name
    elif extension.lower() in EXTENSIONS[media_type]:
        return _shortened(stem, extension.lower())
    return _shortened(stem.strip(" .") or FALLBACK_NAME, EXTENSIONS[media_type][0])


def content_disposition(attachment: Attachment) -> str:
    """Images are shown in place; PDFs are downloaded, since browsers will not show them in the sandbox
    their other headers ask for (and a PDF viewer runs the document's own scripts). The name goes as
    UTF-8 (RFC 5987), with an ASCII form for old clients ("Thông báo đợt 2.pdf" → "Thong bao dot 2.pdf")."""
    disposition = "inline" if attachment.is_image else "attachment"
    ascii_name = unicodedata.normalize("NFKD", attachment.filename.translate(_D_STROKE))
    ascii_name = ascii_name.encode("ascii", "ignore").decode("ascii")
    names = {"filename": ascii_name}
    if ascii_name != attachment.filename:
        names["filename*"] = "UTF-8''" + _rfc5987_quoted(attachment.filename)
    return dump_options_header(disposition, names)


def serving_headers(attachment: Attachment) -> dict[str, str]:
    """The headers every response carrying the file adds to its type, length and cache validators."""
    return {**SERVING_HEADERS, "Content-Disposition": content_disposition(attachment)}


def attachments_in_order(ids: Iterable[int]) -> list[Attachment]:
    """The attachments a revision's `attachment_ids` name, in that order (for a form or a history page)."""
    ids = list(ids)
    found = {attachment.id: attachment for attachment in _by_ids(ids)}
    return [found[attachment_id] for attachment_id in ids if attachment_id in found]


def filenames(ids: Iterable[int]) -> list[str]:
    """The names of the files a revision lists, as a reader of its history wants them."""
    ids = list(ids)
    found = {attachment.id: attachment.filename for attachment in _by_ids(ids)}
    return [found.get(attachment_id, f"#{attachment_id}") for attachment_id in ids]


def attachments_of(notice_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """The attachments of each notice's own content (what residents see of a live notice), in order,
    in one query."""
    found: dict[int, list[Attachment]] = {notice_id: [] for notice_id in notice_ids}
    if not found:
        return found
    rows = db.session.execute(
        select(NoticeAttachment.notice_id, Attachment)
        .join(NoticeAttachment.attachment)
        .where(NoticeAttachment.notice_id.in_(list(found)))
        .order_by(NoticeAttachment.notice_id, NoticeAttachment.position)
    )
    for notice_id, attachment in rows:
        found[notice_id].append(attachment)
    return found


def live_attachment(attachment_id: int, now: datetime) -> Attachment | None:
    """The attachment, if it belongs to what residents see at `now` of some live notice."""
    return db.session.scalar(
        select(Attachment).where(
            Attachment.id == attachment_id,
            exists().where(
                NoticeAttachment.attachment_id == Attachment.id,
                NoticeAttachment.notice_id == Notice.id,
                Notice.live(now),
            ),
        )
    )


def lock_for_reference(ids: list[int], organization_id: int) -> set[int]:
    """The ids among `ids` of `organization_id`'s attachments, held (PostgreSQL: FOR KEY SHARE) until the
    caller commits, so that `remove_orphans` cannot take one away while a revision comes to name it."""
    return set(
        db.session.scalars(
            select(Attachment.id)
            .where(Attachment.id.in_(ids), Attachment.organization_id == organization_id)
            .with_for_update(read=True, key_share=True)
        )
    )


@dataclass(frozen=True)
class RemovedOrphans:
    attachments: int
    files: int


def remove_orphans(now: datetime) -> RemovedOrphans:
    """Remove the attachments uploaded more than a day before `now` that no notice and no revision names,
    then the stored files that no attachment names (a day old at least). Run periodically.

    Commits the removed rows (with an audit row each) before touching any file, so that a file only goes
    once nothing can name it again. An upload of the same content meanwhile renews its file's time, which
    keeps the file."""
    cutoff = now - ORPHAN_AGE
    candidates = db.session.scalars(
        select(Attachment)
        .where(
            Attachment.created_at < cutoff,
            ~exists().where(NoticeAttachment.attachment_id == Attachment.id),
        )
        .order_by(Attachment.id)
        # One being attached right now (see lock_for_reference) is left for the next run.
        .with_for_update(skip_locked=True)
    ).all()
    named = _named_by_revisions({attachment.organization_id for attachment in candidates})
    orphans = [attachment for attachment in candidates if attachment.id not in named]
    for attachment in orphans:
        audit.record(
            "attachment.remove",
            actor=None,
            object_type="attachment",
            object_id=attachment.id,
            organization_id=attachment.organization_id,
            before=_audited(attachment),
        )
        db.session.delete(attachment)
    db.session.commit()
    return RemovedOrphans(attachments=len(orphans), files=_remove_unnamed_files(cutoff))


def describe_size(size: int) -> str:
    """A size in bytes as people read it: "850 KB", "2,4 MB" in Vietnamese."""
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)))} KB"
    return f"{format_decimal(size / 2**20, '#,##0.#')} MB"


def stored_path(sha256: str) -> Path:
    return Path(current_app.config["ATTACHMENT_DIR"]) / sha256[:2] / sha256


def _read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """Up to `limit` + 1 bytes: one more than allowed is enough to know a file is too large, whatever its
    Content-Length claimed."""
    data = bytearray()
    while len(data) <= limit:
        chunk = stream.read(min(_READ_CHUNK, limit + 1 - len(data)))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def _signature(data: bytes) -> MediaType | None:
    if data.startswith(b"%PDF-"):
        return MediaType.PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaType.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return MediaType.JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return MediaType.WEBP
    return None


def _decode_image(data: bytes, image_format: str) -> None:
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            too_many_pixels = image.width * image.height > MAX_IMAGE_PIXELS
            if not too_many_pixels:
                image.load()
    except Image.DecompressionBombError:
        too_many_pixels = True
    # A decoder fed hostile bytes fails in many ways (OSError, SyntaxError, struct.error…): all mean the
    # file cannot be read as the image it claims to be.
    except Exception:
        raise _damaged() from None
    if too_many_pixels:
        raise _too_many_pixels()


def _damaged() -> AttachmentRejected:
    return AttachmentRejected(Rejection.DAMAGED, _l("The file cannot be read: it may be damaged."))


def _too_many_pixels() -> AttachmentRejected:
    return AttachmentRejected(
        Rejection.TOO_MANY_PIXELS,
        _l(
            "The image is too large: at most %(limit)s megapixels.",
            limit=format_decimal(MAX_IMAGE_PIXELS / 1_000_000),
        ),
    )


def _shortened(stem: str, extension: str) -> str:
    return stem[: MAX_FILENAME_LENGTH - len(extension)].rstrip(" .") + extension


def _rfc5987_quoted(value: str) -> str:
    return quote(value, safe="!#$&+-.^_`|~")


def _keep(data: bytes, sha256: str) -> None:
    """Store `data` under its hash, unless it already is; then only renew the stored file's time, which
    tells the sweep in `remove_orphans` that it is in use."""
    path = stored_path(sha256)
    if path.exists():
        os.utime(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=_TEMPORARY_PREFIX)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a crash
    finally:
        os.close(directory)


def _by_ids(ids: list[int]) -> list[Attachment]:
    if not ids:
        return []
    return list(db.session.scalars(select(Attachment).where(Attachment.id.in_(ids))))


def _named_by_revisions(organization_ids: set[int]) -> set[int]:
    """Every attachment id named by a revision of these organizations' notices (read in full: a file
    removed from a notice long ago may still be restored with an old revision)."""
    from smart_qn.content.revisions import NoticeRevision

    if not organization_ids:
        return set()
    contents = db.session.scalars(
        select(NoticeRevision.content)
        .join(NoticeRevision.notice)
        .where(Notice.organization_id.in_(organization_ids))
    )
    return {attachment_id for content in contents for attachment_id in content.get("attachment_ids", [])}


def _remove_unnamed_files(cutoff: datetime) -> int:
    """Remove the stored files older than `cutoff` that no attachment names, and temporary files left by
    an interrupted write. Only names this module writes are considered, whatever else the directory holds."""
    root = Path(current_app.config["ATTACHMENT_DIR"])
    if not root.is_dir():
        return 0
    named = set(db.session.scalars(select(Attachment.sha256).distinct()))
    removed = 0
    for directory in root.iterdir():
        if not (_STORE_DIRECTORY.fullmatch(directory.name) and directory.is_dir()):
            continue
        for path in directory.iterdir():
            stored = _STORED_NAME.fullmatch(path.name) and path.name.startswith(directory.name)
            if not (stored or path.name.startswith(_TEMPORARY_PREFIX)) or path.name in named:
                continue
            if path.is_file() and path.stat().st_mtime < cutoff.timestamp():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _audited(attachment: Attachment) -> dict:
    return audit.snapshot(attachment, ("filename", "media_type", "size", "sha256", "organization_id"))
