import re

import pyotp
import pytest

from smart_qn.accounts import two_factor
from smart_qn.extensions import db
from tests.factories import TEST_PASSWORD

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/admin/login") -> str:
    """The CSRF token of the client's session, read from a form page as a browser would."""
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1) or match.group(2)


def post_form(client, path: str, data: dict, *, token_from: str | None = None):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from or path), **data})


def current_code(user) -> str:
    return pyotp.TOTP(user.totp_secret).now()


@pytest.fixture
def sign_in(client):
    """Sign `user` in through the real pages (password, then the TOTP code when they have one)."""

    def sign_in_as(user, password: str = TEST_PASSWORD):
        response = post_form(client, "/admin/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        if response.location.endswith("/admin/login/code"):
            response = post_form(client, "/admin/login/code", {"code": current_code(user)})
            assert response.status_code == 302
        return response

    return sign_in_as


@pytest.fixture
def with_second_factor():
    """Give a user an enrolled authenticator."""

    def enrol(user):
        secret = two_factor.new_secret()
        assert two_factor.enroll(user, secret, pyotp.TOTP(secret).now()) is not None
        # The enrolment used the current code: a sign-in in the same 30 s needs the next one to be new.
        user.totp_last_step = None
        db.session.flush()
        return user

    return enrol
