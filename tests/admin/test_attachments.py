"""Attachments in the admin: served to those who may view the organization's notices, as inert files."""

import io

import pytest

from smart_qn.accounts.users import Role
from tests.admin.conftest import csrf_token
from tests.factories import SAMPLE_PDF, sample_image


@pytest.fixture
def organization(make):
    return make.organization()


@pytest.fixture
def photo(make, organization):
    return make.attachment(organization, filename="Ảnh hiện trường.png")


def url(attachment) -> str:
    return f"/admin/attachments/{attachment.id}/{attachment.filename}"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.APPROVER])
def test_members_of_the_organization_get_the_file_with_safe_headers(
    client, sign_in, make, organization, photo, role
):
    sign_in(make.user(memberships={organization: role}))

    with client.get(url(photo)) as response:
        assert response.data == sample_image()

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        response.headers["Content-Security-Policy"]
        == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    assert response.headers["Content-Disposition"].startswith('inline; filename="Anh hien truong.png"; ')
    assert (
        "filename*=UTF-8''%E1%BA%A2nh%20hi%E1%BB%87n%20tr%C6%B0%E1%BB%9Dng.png"
        in (response.headers["Content-Disposition"])
    )
    assert response.headers["ETag"] == f'"{photo.sha256}"'
    # A browser may keep a private copy, revalidated at each use; never a shared cache.
    assert set(response.headers["Cache-Control"].split(", ")) == {"no-cache", "private"}
    assert response.headers["X-Frame-Options"] == "DENY"

    with client.get(url(photo), headers={"If-None-Match": response.headers["ETag"]}) as again:
        assert again.data == b""

    assert again.status_code == 304


def test_a_pdf_is_downloaded_not_shown(client, sign_in, make, organization):
    document = make.attachment(organization, data=SAMPLE_PDF, filename="Quyết định.pdf")
    sign_in(make.user(memberships={organization: Role.EDITOR}))

    with client.get(url(document)) as response:
        assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Quyet dinh.pdf"; ')


def test_the_name_in_the_address_does_not_matter_the_id_does(client, sign_in, make, organization, photo):
    sign_in(make.user(memberships={organization: Role.EDITOR}))

    with client.get(f"/admin/attachments/{photo.id}/something-else.pdf") as response:
        assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"


def test_anyone_else_learns_nothing(client, sign_in, make, organization, photo):
    sign_in(make.user(memberships={make.organization(): Role.APPROVER}, is_communicator=False))

    assert client.get(url(photo)).status_code == 404
    assert client.get(f"/admin/attachments/{photo.id + 1000}/x.png").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, photo):
    response = client.get(url(photo))

    assert response.status_code == 302
    assert "/admin/login" in response.location


def test_a_missing_stored_file_is_not_found(client, sign_in, make, organization, photo):
    sign_in(make.user(memberships={organization: Role.EDITOR}))
    photo.path.unlink()

    assert client.get(url(photo)).status_code == 404


def test_a_body_over_the_limit_gets_a_page_saying_so(app, client, monkeypatch):
    token = csrf_token(client)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100 * 1024)

    response = client.post(
        "/admin/login?lang=en",
        data={"csrf_token": token, "file": (io.BytesIO(b"x" * 200 * 1024), "lớn.pdf")},
    )

    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert "at most 100 KB at a time" in response.get_data(as_text=True)
