"""Attachments: accepted by content alone, size-limited while reading, stored once per content, cleaned up."""

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask_babel import LazyString
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.content import attachments, lifecycle
from smart_qn.content.access import AccessDenied
from smart_qn.content.attachments import (
    Attachment,
    AttachmentRejected,
    MediaType,
    Rejection,
    clean_filename,
    content_disposition,
    remove_orphans,
    store_upload,
)
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from tests.factories import SAMPLE_PDF, sample_image

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def organization(make):
    return make.organization()


@pytest.fixture
def editor(make, organization):
    return make.user(memberships={organization: Role.EDITOR})


@pytest.fixture(autouse=True)
def store_dir(app, monkeypatch, tmp_path) -> Path:
    """A store of the test's own, so that what one test leaves does not count in another."""
    monkeypatch.setitem(app.config, "ATTACHMENT_DIR", str(tmp_path / "attachments"))
    return tmp_path / "attachments"


def upload(data: bytes, filename: str = "tệp.bin", **kwargs) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=filename, **kwargs)


def stored_files(store_dir: Path) -> set[Path]:
    return {path for path in store_dir.glob("**/*") if path.is_file()}


@pytest.mark.parametrize(
    ("data", "filename", "media_type", "stored_name"),
    [
        (SAMPLE_PDF, "Quyết định số 12.pdf", MediaType.PDF, "Quyết định số 12.pdf"),
        (sample_image("PNG"), "Sơ đồ.PNG", MediaType.PNG, "Sơ đồ.png"),
        (sample_image("JPEG"), "Ảnh hiện trường.jpeg", MediaType.JPEG, "Ảnh hiện trường.jpeg"),
        (sample_image("WEBP"), "bản đồ.webp", MediaType.WEBP, "bản đồ.webp"),
    ],
    ids=["pdf", "png", "jpeg", "webp"],
)
def test_each_accepted_type_is_stored_by_its_content(
    organization, editor, store_dir, data, filename, media_type, stored_name
):
    # What the browser claims is ignored.
    attachment = store_upload(
        upload(data, filename, content_type="application/octet-stream"), organization, by=editor
    )

    assert (attachment.media_type, attachment.filename, attachment.size) == (
        media_type,
        stored_name,
        len(data),
    )
    assert attachment.path.parent.parent == store_dir
    assert attachment.path.name == attachment.sha256
    assert attachment.path.read_bytes() == data
    [event] = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "attachment", AuditEvent.object_id == str(attachment.id)
        )
    )
    assert (event.action, event.actor, event.organization_id) == (
        "attachment.upload",
        editor,
        organization.id,
    )
    assert event.after["sha256"] == attachment.sha256


def test_a_png_named_pdf_is_stored_as_the_png_it_is(organization, editor):
    attachment = store_upload(upload(sample_image("PNG"), "báo cáo.pdf"), organization, by=editor)

    assert (attachment.media_type, attachment.filename) == (MediaType.PNG, "báo cáo.png")


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (HTML, "thông báo.pdf", Rejection.UNSUPPORTED),
        (SVG, "logo.svg", Rejection.UNSUPPORTED),
        (SVG, "logo.png", Rejection.UNSUPPORTED),
        (sample_image("GIF"), "ảnh.gif", Rejection.UNSUPPORTED),
        (b"", "trống.pdf", Rejection.EMPTY),
        (sample_image("PNG")[:-30], "cắt ngang.png", Rejection.DAMAGED),
        (b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 10, "giả.png", Rejection.DAMAGED),
        (SAMPLE_PDF.replace(b"%%EOF", b""), "cắt ngang.pdf", Rejection.DAMAGED),
    ],
    ids=["html-named-pdf", "svg", "svg-named-png", "gif", "empty", "truncated-png", "fake-png", "cut-pdf"],
)
def test_other_content_is_refused_and_nothing_is_written(
    organization, editor, store_dir, data, filename, reason
):
    before = stored_files(store_dir)

    with pytest.raises(AttachmentRejected) as rejected:
        store_upload(upload(data, filename, content_type="application/pdf"), organization, by=editor)

    assert rejected.value.reason is reason
    assert str(rejected.value.message)
    assert stored_files(store_dir) == before
    assert (
        db.session.scalars(select(Attachment).where(Attachment.organization_id == organization.id)).all()
        == []
    )


def test_each_refusal_has_its_own_message_translated_when_shown(organization, editor):
    messages = {}
    for reason, data in (
        (Rejection.EMPTY, b""),
        (Rejection.UNSUPPORTED, HTML),
        (Rejection.DAMAGED, SAMPLE_PDF[:20]),
    ):
        with pytest.raises(AttachmentRejected) as rejected:
            store_upload(upload(data), organization, by=editor)
        assert isinstance(rejected.value.message, LazyString)
        messages[reason] = str(rejected.value.message)

    assert len(set(messages.values())) == 3


def test_a_file_over_the_limit_is_refused_while_reading(app, monkeypatch, organization, editor, store_dir):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1000)
    before = stored_files(store_dir)

    class EndlessStream:
        """A body that never ends, sent with a Content-Length that says it is small."""

        read_bytes = 0

        def read(self, size: int = -1) -> bytes:
            assert size > 0, "the whole stream is never asked for"
            self.read_bytes += size
            return SAMPLE_PDF[:size].ljust(size, b"x")

    stream = EndlessStream()
    with pytest.raises(AttachmentRejected) as rejected:
        store_upload(FileStorage(stream, filename="lớn.pdf", content_length=10), organization, by=editor)

    assert rejected.value.reason is Rejection.TOO_LARGE
    assert "1 KB" in str(rejected.value.message)  # the limit, in the message of either language
    assert stream.read_bytes == 1001
    assert stored_files(store_dir) == before
    # Exactly at the limit is allowed.
    exactly = SAMPLE_PDF.replace(b"%%EOF", b" " * (1000 - len(SAMPLE_PDF)) + b"%%EOF")
    assert store_upload(upload(exactly, "vừa đủ.pdf"), organization, by=editor).size == 1000


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(monkeypatch, organization, editor):
    monkeypatch.setattr(attachments, "MAX_IMAGE_PIXELS", 8 * 6 - 1)

    with pytest.raises(AttachmentRejected) as rejected:
        store_upload(upload(sample_image("PNG"), "to.png"), organization, by=editor)

    assert rejected.value.reason is Rejection.TOO_MANY_PIXELS


def test_identical_files_share_their_storage(make, organization, editor, store_dir):
    other_organization = make.organization()
    other_editor = make.user(memberships={other_organization: Role.EDITOR})
    before = stored_files(store_dir)
    data = sample_image("PNG", color="blue")

    first = store_upload(upload(data, "a.png"), organization, by=editor)
    second = store_upload(upload(data, "b.png"), other_organization, by=other_editor)

    assert first.id != second.id
    assert first.sha256 == second.sha256 and first.path == second.path
    assert stored_files(store_dir) - before == {first.path}
    assert not [path for path in first.path.parent.iterdir() if path.name.startswith(".upload-")]


def test_only_those_who_may_edit_the_organizations_notices_upload(make, organization, store_dir):
    outsider = make.user(memberships={make.organization(): Role.APPROVER})
    before = stored_files(store_dir)

    with pytest.raises(AccessDenied) as denied:
        store_upload(upload(sample_image("PNG"), "x.png"), organization, by=outsider)

    assert denied.value.status == 404
    assert stored_files(store_dir) == before


@pytest.mark.parametrize(
    ("given", "media_type", "kept"),
    [
        # macOS sends Vietnamese decomposed (NFD): it is kept, composed.
        ("Tho\u0302ng ba\u0301o.pdf", MediaType.PDF, "Thông báo.pdf"),
        ("C:\\Users\\An\\Desktop\\Kế hoạch.pdf", MediaType.PDF, "Kế hoạch.pdf"),
        ("../../etc/passwd", MediaType.PDF, "passwd.pdf"),
        ("ảnh\u202egnp.exe", MediaType.PNG, "ảnhgnp.exe.png"),
        ("báo\ncáo\t 2024.jpg", MediaType.JPEG, "báo cáo 2024.jpg"),
        ('a"b<c>:d.pdf', MediaType.PDF, "a_b_c__d.pdf"),
        ("Quyết định 12.2024", MediaType.PDF, "Quyết định 12.2024.pdf"),
        ("", MediaType.WEBP, "tep-dinh-kem.webp"),
        (None, MediaType.PDF, "tep-dinh-kem.pdf"),
        (" ...pdf ", MediaType.PDF, "pdf.pdf"),
        ("x" * 300 + ".pdf", MediaType.PDF, "x" * 196 + ".pdf"),
    ],
)
def test_file_names_are_made_safe_and_keep_their_vietnamese(given, media_type, kept):
    assert clean_filename(given, media_type) == kept


def test_content_disposition_names_the_file_in_utf8_and_ascii(make):
    image = Attachment(filename="Ảnh đường Hùng Vương.png", media_type=MediaType.PNG)
    document = Attachment(filename="report 2024.pdf", media_type=MediaType.PDF)

    assert content_disposition(image) == (
        "inline; filename=\"Anh duong Hung Vuong.png\"; filename*=UTF-8''"
        "%E1%BA%A2nh%20%C4%91%C6%B0%E1%BB%9Dng%20H%C3%B9ng%20V%C6%B0%C6%A1ng.png"
    )
    assert content_disposition(document) == 'attachment; filename="report 2024.pdf"'


def backdate(attachment: Attachment, age: timedelta) -> None:
    moment = utcnow() - age
    attachment.created_at = moment
    db.session.flush()
    os.utime(attachment.path, (moment.timestamp(), moment.timestamp()))


def test_orphans_go_after_a_day_and_whatever_a_notice_or_revision_names_stays(
    make, organization, editor, store_dir
):
    approver = make.user(memberships={organization: Role.APPROVER})
    day_and_more = timedelta(days=1, hours=1)
    abandoned = make.attachment(organization, data=sample_image("PNG", "green"), by=editor)
    recent = make.attachment(organization, data=sample_image("PNG", "yellow"), by=editor)
    attached = make.attachment(organization, data=sample_image("PNG", "purple"), by=editor)
    dropped = make.attachment(organization, data=sample_image("PNG", "orange"), by=editor)
    shared_old = make.attachment(organization, data=sample_image("PNG", "white"), by=editor)
    shared_new = make.attachment(organization, data=sample_image("PNG", "white"), by=editor)
    notice = lifecycle.create_draft(
        organization,
        {
            "title_vi": "Thông báo có tệp",
            "summary_vi": "Tóm tắt.",
            "body_vi": "Nội dung.",
            "category_id": make.category().id,
            "audience_unit_ids": [make.unit("49").id],
            "attachment_ids": [attached.id, dropped.id],
        },
        by=editor,
    )
    lifecycle.publish(notice, by=approver)
    # Removed from the notice, but revision 1 still names it: restoring it must find the file.
    lifecycle.save(notice, {"attachment_ids": [attached.id]}, notice.version, by=editor)
    lifecycle.publish(notice, by=approver)
    for attachment in (abandoned, attached, dropped, shared_old):
        backdate(attachment, day_and_more)
    os.utime(shared_new.path)  # the second upload of the same content renewed the file
    stray = store_dir / "ab" / ("ab" + "0" * 62)
    leftover = store_dir / "ab" / ".upload-interrupted"
    foreign = store_dir / "README.txt"
    for path in (stray, leftover, foreign):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"?")
        old = time.time() - day_and_more.total_seconds()
        os.utime(path, (old, old))
    abandoned_id, abandoned_path = abandoned.id, abandoned.path

    removed = remove_orphans(utcnow())

    assert removed.attachments == 2
    remaining = set(
        db.session.scalars(select(Attachment.id).where(Attachment.organization_id == organization.id))
    )
    assert remaining == {recent.id, attached.id, dropped.id, shared_new.id}
    assert not abandoned_path.exists() and not stray.exists() and not leftover.exists()
    assert foreign.exists()
    for attachment in (recent, attached, dropped, shared_new):
        assert attachment.path.exists()
    assert removed.files == 3
    [event] = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "attachment.remove", AuditEvent.object_id == str(abandoned_id)
        )
    )
    assert event.actor is None and event.before["filename"] == abandoned.filename
    assert remove_orphans(utcnow()) == attachments.RemovedOrphans(0, 0)
