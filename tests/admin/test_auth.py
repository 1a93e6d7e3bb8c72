from datetime import timedelta

import pyotp
from sqlalchemy import select

from smart_qn.accounts import two_factor
from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.login import LOCKOUT_THRESHOLD
from smart_qn.accounts.sessions import UserSession
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from tests.admin.conftest import csrf_token, current_code, post_form
from tests.factories import TEST_PASSWORD


def actions_of(user) -> list[str]:
    return db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
    ).all()


def open_sessions(user) -> list[UserSession]:
    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()


def test_an_editor_signs_in_and_sees_the_dashboard(client, make, sign_in):
    user = make.user(display_name="Chị Lan")

    response = sign_in(user)

    assert response.location.endswith("/admin/")
    page = client.get("/admin/")
    assert page.status_code == 200 and "Chị Lan" in page.get_data(as_text=True)
    assert actions_of(user) == ["login"]
    assert len(open_sessions(user)) == 1


def test_the_address_is_matched_without_case_or_spaces(client, make):
    user = make.user(email="lan@soyte.vn")

    response = post_form(client, "/admin/login", {"email": "  LAN@SoYTe.vn ", "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert actions_of(user) == ["login"]


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, make):
    user = make.user()

    wrong = post_form(client, "/admin/login", {"email": user.email, "password": "wrong password!!"})
    unknown = post_form(client, "/admin/login", {"email": "nobody@x.vn", "password": "wrong password!!"})

    assert wrong.status_code == unknown.status_code == 422
    message = "Sai địa chỉ e-mail hoặc mật khẩu"
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert actions_of(user) == ["login_failed"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.actor_label == "nobody@x.vn")).action == (
        "login_failed"
    )


def test_the_email_typed_is_kept_after_a_failed_sign_in(client, make):
    response = post_form(client, "/admin/login", {"email": "lan@soyte.vn", "password": "wrong password!!"})

    assert 'value="lan@soyte.vn"' in response.get_data(as_text=True)


def test_ten_failures_lock_the_account_even_against_the_right_password(client, make):
    user = make.user()
    for _ in range(LOCKOUT_THRESHOLD):
        post_form(client, "/admin/login", {"email": user.email, "password": "wrong password!!"})

    refused = post_form(client, "/admin/login", {"email": user.email, "password": TEST_PASSWORD})

    assert refused.status_code == 422
    assert "bị khoá" in refused.get_data(as_text=True)
    db.session.refresh(user)
    assert user.is_locked()
    assert actions_of(user).count("lockout") == 1
    assert actions_of(user)[-1] == "login_refused_locked"
    assert open_sessions(user) == []


def test_the_lock_ends_by_itself(client, make):
    user = make.user(locked_until=utcnow() - timedelta(seconds=1), failed_logins=LOCKOUT_THRESHOLD)

    response = post_form(client, "/admin/login", {"email": user.email, "password": TEST_PASSWORD})

    assert response.status_code == 302


def test_the_session_token_is_new_at_every_sign_in(client, make, sign_in):
    user = make.user()
    sign_in(user)
    first_cookie = client.get_cookie("smart_qn_session").value
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})

    sign_in(user)

    assert client.get_cookie("smart_qn_session").value != first_cookie
    tokens = db.session.scalars(select(UserSession.token_hash).where(UserSession.user_id == user.id)).all()
    assert len(set(tokens)) == 2


def test_sign_out_ends_the_session_on_the_server(client, make, sign_in):
    user = make.user()
    sign_in(user)
    stolen_cookie = client.get_cookie("smart_qn_session").value

    response = client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})

    assert response.status_code == 302
    assert open_sessions(user) == []
    assert actions_of(user) == ["login", "logout"]
    client.set_cookie("smart_qn_session", stolen_cookie)
    assert client.get("/admin/").status_code == 302


def test_a_session_ends_after_30_idle_minutes(client, make, sign_in):
    user = make.user()
    sign_in(user)
    (user_session,) = open_sessions(user)
    user_session.last_seen_at = utcnow() - timedelta(minutes=30, seconds=1)
    db.session.flush()

    response = client.get("/admin/")

    assert response.status_code == 302 and "expired=1" in response.location
    db.session.refresh(user_session)
    assert user_session.end_reason == "idle"


def test_activity_keeps_a_session_alive_but_not_past_12_hours(client, make, sign_in):
    user = make.user()
    sign_in(user)
    (user_session,) = open_sessions(user)
    user_session.last_seen_at = utcnow() - timedelta(minutes=29)
    db.session.flush()
    assert client.get("/admin/").status_code == 200
    db.session.refresh(user_session)
    assert utcnow() - user_session.last_seen_at < timedelta(minutes=1)

    user_session.started_at = utcnow() - timedelta(hours=12)
    db.session.flush()

    assert client.get("/admin/").status_code == 302
    db.session.refresh(user_session)
    assert user_session.end_reason == "expired"


def test_a_deactivated_user_is_signed_out_at_the_next_request(client, make, sign_in):
    user = make.user()
    sign_in(user)
    user.active = False
    db.session.flush()

    assert client.get("/admin/").status_code == 302


def test_a_form_without_its_csrf_token_is_refused_even_when_signed_in(client, make, sign_in):
    user = make.user()
    sign_in(user)

    response = client.post("/admin/logout")

    assert response.status_code == 400
    assert len(open_sessions(user)) == 1


def test_sign_in_never_redirects_off_the_admin(client, make):
    user = make.user()
    client.get("/admin/login?next=https://evil.example/admin")

    response = post_form(
        client,
        "/admin/login",
        {"email": user.email, "password": TEST_PASSWORD},
        token_from="/admin/login?next=https://evil.example/admin",
    )

    assert response.location == "/admin/"


def test_sign_in_returns_to_the_page_asked_for(client, make):
    user = make.user(is_admin=False)
    first = client.get("/admin/users")
    assert first.status_code == 302

    client.get(first.location)
    token = csrf_token(client, first.location)
    response = client.post(
        "/admin/login", data={"csrf_token": token, "email": user.email, "password": TEST_PASSWORD}
    )

    assert response.location == "/admin/users"


def test_cookies_are_httponly_and_samesite(client, make, sign_in):
    response = sign_in(make.user())

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_admin_pages_are_never_cached_or_framed(client, make, sign_in):
    sign_in(make.user())

    response = client.get("/admin/")

    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# Two-factor sign-in ------------------------------------------------------------------------------------


def test_an_admin_must_set_up_two_factor_at_the_first_sign_in(client, make):
    admin = make.user(is_admin=True)

    response = post_form(client, "/admin/login", {"email": admin.email, "password": TEST_PASSWORD})
    assert response.location.endswith("/admin/account/two-factor")
    assert client.get("/admin/users").status_code == 302  # not signed in yet

    page = client.get("/admin/account/two-factor").get_data(as_text=True)
    secret = page.split('<code class="secret">')[1].split("<")[0]

    done = post_form(client, "/admin/account/two-factor", {"code": pyotp.TOTP(secret).now()})

    assert done.status_code == 200
    assert done.get_data(as_text=True).count("<li><code>") == two_factor.RECOVERY_CODE_COUNT
    db.session.refresh(admin)
    assert admin.totp_secret == secret
    assert client.get("/admin/users").status_code == 200
    assert actions_of(admin) == ["user.two_factor_enabled", "login"]


def test_a_user_with_two_factor_needs_the_code(client, make, with_second_factor):
    user = with_second_factor(make.user(is_communicator=True))

    response = post_form(client, "/admin/login", {"email": user.email, "password": TEST_PASSWORD})
    assert response.location.endswith("/admin/login/code")
    assert client.get("/admin/").status_code == 302

    wrong = post_form(client, "/admin/login/code", {"code": "000000"})
    assert wrong.status_code == 422
    right = post_form(client, "/admin/login/code", {"code": current_code(user)})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert actions_of(user) == ["login_failed", "login"]


def test_a_code_is_accepted_only_once(make, with_second_factor):
    user = with_second_factor(make.user())
    code = current_code(user)

    assert two_factor.verify_second_factor(user, code)
    assert not two_factor.verify_second_factor(user, code)


def test_a_recovery_code_signs_in_once(client, make):
    user = make.user()
    secret = two_factor.new_secret()
    codes = two_factor.enroll(user, secret, pyotp.TOTP(secret).now())

    assert two_factor.verify_second_factor(user, codes[0].upper())
    assert not two_factor.verify_second_factor(user, codes[0])
    assert two_factor.remaining_recovery_codes(user) == two_factor.RECOVERY_CODE_COUNT - 1


def test_wrong_codes_count_towards_the_lockout(client, make, with_second_factor):
    user = with_second_factor(make.user())
    post_form(client, "/admin/login", {"email": user.email, "password": TEST_PASSWORD})

    for _ in range(LOCKOUT_THRESHOLD):
        post_form(client, "/admin/login/code", {"code": "000000"})

    db.session.refresh(user)
    assert user.is_locked()
