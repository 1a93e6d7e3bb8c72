"""API tokens in the admin: administrators only; the form's 422s; the token shown once; revocation."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from smart_qn.accounts import api_tokens
from smart_qn.accounts.api_tokens import ApiToken, Scope
from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.extensions import db
from tests.admin.conftest import csrf_token, post_form

TOKEN_TEXT = re.compile(r"sqn_[a-z0-9]{8}_[A-Za-z0-9_-]{43}")


@pytest.fixture
def signed_in_admin(make, sign_in, with_second_factor):
    admin = with_second_factor(make.user(is_admin=True))
    sign_in(admin)
    return admin


@pytest.fixture
def token(make):
    return api_tokens.create(
        organization=make.organization(),
        name="Kho dữ liệu",
        scopes=[Scope.READ_VALUES],
        expires_on=None,
        by=make.user(is_admin=True),
    ).token


def form(organization, **fields) -> dict:
    return {
        "organization_id": str(organization.id),
        "name": "Hệ thống thống kê y tế",
        "scopes": ["indicator-values:write", "indicator-values:read"],
        "expires_on": "",
    } | fields


@pytest.mark.parametrize("membership", [Role.EDITOR, Role.APPROVER], ids=["editor", "approver"])
def test_only_administrators_reach_the_tokens(client, make, sign_in, token, membership):
    sign_in(make.user(memberships={token.organization: membership}))
    csrf = csrf_token(client, "/admin/notices")

    assert client.get("/admin/api-tokens").status_code == 403
    assert client.get("/admin/api-tokens/new").status_code == 403
    assert (
        client.post(
            "/admin/api-tokens/new", data={"csrf_token": csrf, **form(token.organization)}
        ).status_code
        == 403
    )
    revoke = client.post(f"/admin/api-tokens/{token.id}/revoke", data={"csrf_token": csrf})
    assert revoke.status_code == 403
    assert token.revoked_at is None


def test_the_list_shows_each_token_without_its_secret(client, signed_in_admin, token):
    page = client.get("/admin/api-tokens")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Kho dữ liệu" in text and f"sqn_{token.prefix}_…" in text and "indicator-values:read" in text
    assert token.secret_hash not in text


def test_a_new_token_is_shown_once_and_stored_hashed(client, signed_in_admin, make):
    organization = make.organization()

    response = post_form(client, "/admin/api-tokens/new", form(organization, expires_on="2099-06-30"))

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    (text,) = TOKEN_TEXT.findall(response.get_data(as_text=True))
    created = api_tokens.verify(text, today=date(2099, 6, 30))
    assert (created.organization_id, created.name, created.expires_on, created.created_by_id) == (
        organization.id,
        "Hệ thống thống kê y tế",
        date(2099, 6, 30),
        signed_in_admin.id,
    )
    assert created.scopes == ["indicator-values:read", "indicator-values:write"]
    assert text.rsplit("_", 1)[1] not in client.get("/admin/api-tokens").get_data(as_text=True)
    (row,) = db.session.scalars(select(AuditEvent).filter_by(action="api_tokens.created")).all()
    assert row.actor_id == signed_in_admin.id and row.organization_id == organization.id


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 121}, "name", "Field cannot be longer than 120 characters."),
        ({"scopes": []}, "scopes", "Choose at least one scope."),
        ({"scopes": ["everything"]}, "scopes", "'everything' is not a valid choice for this field."),
        ({"organization_id": "999999"}, "organization_id", "Not a valid choice."),
        ({"expires_on": "2020-01-01"}, "expires_on", "Must not be in the past."),
        ({"expires_on": "next week"}, "expires_on", "Not a valid date value."),
    ],
)
def test_a_bad_form_is_422_with_the_message_beside_the_field(
    client, signed_in_admin, make, fields, field, message
):
    response = post_form(client, "/admin/api-tokens/new?lang=en", form(make.organization(), **fields))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    errors = re.search(rf'<ul class="errors" id="{field}-errors">(.*?)</ul>', page, re.S)
    assert errors and message in errors.group(1).replace("&#39;", "'")
    assert db.session.scalars(select(ApiToken)).all() == []


def test_revoking_refuses_the_token_from_then_on(client, signed_in_admin, token):
    response = post_form(client, f"/admin/api-tokens/{token.id}/revoke", {}, token_from="/admin/api-tokens")

    assert response.status_code == 302 and response.location.endswith("/admin/api-tokens")
    db.session.refresh(token)
    assert token.revoked_at is not None and token.revoked_by_id == signed_in_admin.id
    (row,) = db.session.scalars(select(AuditEvent).filter_by(action="api_tokens.revoked")).all()
    assert row.object_id == str(token.id) and row.actor_id == signed_in_admin.id
    again = post_form(client, f"/admin/api-tokens/{token.id}/revoke", {}, token_from="/admin/api-tokens")
    assert again.status_code == 302
    assert len(db.session.scalars(select(AuditEvent).filter_by(action="api_tokens.revoked")).all()) == 1
    assert "Revoked" in client.get("/admin/api-tokens?lang=en").get_data(as_text=True)


def test_revoking_needs_the_csrf_token_and_an_existing_token(client, signed_in_admin, token):
    assert client.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 400
    assert (
        post_form(client, "/admin/api-tokens/999999/revoke", {}, token_from="/admin/api-tokens").status_code
        == 404
    )
    db.session.refresh(token)
    assert token.revoked_at is None


def test_an_expired_token_is_marked_in_the_list(client, signed_in_admin, token):
    token.expires_on = date.today() - timedelta(days=3)
    db.session.flush()

    assert "Expired" in client.get("/admin/api-tokens?lang=en").get_data(as_text=True)
