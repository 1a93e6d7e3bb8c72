"""Files of published notices for residents: served only while the notice is live, as inert files."""

import pytest

from smart_qn.accounts.users import Role
from smart_qn.content import lifecycle
from smart_qn.content.attachments import NoticeAttachment
from smart_qn.extensions import db
from tests.factories import NOT_LIVE, SAMPLE_PDF


@pytest.fixture
def organization(make):
    return make.organization()


@pytest.fixture
def editor(make, organization):
    return make.user(memberships={organization: Role.EDITOR})


@pytest.fixture
def approver(make, organization):
    return make.user(memberships={organization: Role.APPROVER})


@pytest.fixture
def document(make, organization, editor):
    return make.attachment(organization, data=SAMPLE_PDF, filename="Lịch tiêm chủng.pdf", by=editor)


def with_files(notice, *attachments):
    notice.attachment_links = [
        NoticeAttachment(attachment=attachment, position=position)
        for position, attachment in enumerate(attachments)
    ]
    db.session.flush()


def url(attachment) -> str:
    return f"/api/v1/attachments/{attachment.id}/{attachment.filename}"


def test_a_live_notices_file_is_served_with_safe_headers_and_revalidated(
    app, client, make, organization, document
):
    notice = make.notice(organization=organization)
    with_files(notice, document)

    with client.get(url(document)) as response:
        assert response.data == SAMPLE_PDF

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Length"] == str(len(SAMPLE_PDF))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        response.headers["Content-Security-Policy"]
        == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Lich tiem chung.pdf"; '
        "filename*=UTF-8''L%E1%BB%8Bch%20ti%C3%AAm%20ch%E1%BB%A7ng.pdf"
    )
    assert response.headers["ETag"] == f'"{document.sha256}"'
    assert set(response.headers["Cache-Control"].split(", ")) == {
        "public",
        f"max-age={app.config['CACHE_MAX_AGE']}",
    }

    with client.get(url(document), headers={"If-None-Match": f'"{document.sha256}"'}) as again:
        assert again.data == b""
    assert again.status_code == 304
    assert again.headers["ETag"] == f'"{document.sha256}"'


def test_the_notice_lists_its_files_in_order_with_their_addresses(client, make, organization, document):
    photo = make.attachment(organization, filename="Sơ đồ điểm tiêm.png")
    notice = make.notice(organization=organization)
    with_files(notice, photo, document)

    shown = client.get(f"/api/v1/notices/{notice.id}").get_json()["attachments"]

    assert [(item["id"], item["filename"], item["media_type"]) for item in shown] == [
        (photo.id, "Sơ đồ điểm tiêm.png", "image/png"),
        (document.id, "Lịch tiêm chủng.pdf", "application/pdf"),
    ]
    assert shown[1]["size"] == len(SAMPLE_PDF)
    assert (
        shown[1]["url"] == f"/api/v1/attachments/{document.id}/L%E1%BB%8Bch%20ti%C3%AAm%20ch%E1%BB%A7ng.pdf"
    )
    with client.get(shown[1]["url"]) as response:
        assert response.data == SAMPLE_PDF
    listed = client.get(f"/api/v1/notices?organization={organization.code}").get_json()["items"]
    assert [item["id"] for item in listed] == [notice.id]


@pytest.mark.parametrize("fields", NOT_LIVE.values(), ids=NOT_LIVE.keys())
def test_files_of_notices_residents_cannot_see_are_not_found(client, make, organization, document, fields):
    notice = make.notice(organization=organization, **fields)
    with_files(notice, document)

    response = client.get(url(document))

    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_an_upload_attached_to_nothing_is_not_found(client, document):
    assert client.get(url(document)).status_code == 404
    assert client.get(f"/api/v1/attachments/{document.id + 1000}/x.pdf").status_code == 404


def test_a_file_added_by_an_edit_is_served_once_the_edit_is_published(
    client, make, organization, editor, approver, document
):
    notice = lifecycle.create_draft(
        organization,
        {
            "title_vi": "Lịch tiêm chủng",
            "summary_vi": "Tóm tắt.",
            "body_vi": "Nội dung.",
            "category_id": make.category().id,
            "audience_unit_ids": [make.unit("49").id],
        },
        by=editor,
    )
    lifecycle.publish(notice, by=approver)

    lifecycle.save(notice, {"attachment_ids": [document.id]}, notice.version, by=editor)
    lifecycle.submit(notice, by=editor)

    assert client.get(url(document)).status_code == 404
    assert client.get(f"/api/v1/notices/{notice.id}").get_json()["attachments"] == []

    lifecycle.publish(notice, by=approver)

    with client.get(url(document)) as response:
        assert response.status_code == 200
    assert [item["id"] for item in client.get(f"/api/v1/notices/{notice.id}").get_json()["attachments"]] == [
        document.id
    ]

    lifecycle.unpublish(notice, by=approver)

    assert client.get(url(document)).status_code == 404


def test_the_sync_carries_the_files_of_the_notices_it_sends(client, make, organization, document):
    notice = make.notice(organization=organization)
    with_files(notice, document)

    items = client.get("/api/v1/sync?limit=500").get_json()["items"]

    [synced] = [item for item in items if item["kind"] == "notice" and item["id"] == str(notice.id)]
    assert [attachment["id"] for attachment in synced["notice"]["attachments"]] == [document.id]


def test_unknown_query_parameters_are_refused(client, make, organization, document):
    notice = make.notice(organization=organization)
    with_files(notice, document)

    assert client.get(url(document) + "?download=1").status_code == 422


def test_the_file_endpoint_is_documented_as_binary(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    operation = spec["paths"]["/api/v1/attachments/{attachment_id}/{filename}"]["get"]
    content = operation["responses"]["200"]["content"]
    assert set(content) == {"application/pdf", "image/png", "image/jpeg", "image/webp"}
    assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert {"304", "404", "422"} <= set(operation["responses"])
    detail = spec["components"]["schemas"]["NoticeDetail"]
    assert "attachments" in detail["required"]
