import pytest
from sqlalchemy import select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role, User
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from tests.admin.conftest import post_form


@pytest.fixture
def signed_in_admin(make, sign_in, with_second_factor):
    admin = with_second_factor(make.user(is_admin=True))
    sign_in(admin)
    return admin


def audit_rows(action: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


@pytest.mark.parametrize("path", ["/admin/users", "/admin/users/new", "/admin/audit", "/admin/audit.csv"])
def test_only_admins_reach_account_administration(client, make, sign_in, path):
    sign_in(make.user(memberships={make.organization(): Role.APPROVER}))

    assert client.get(path).status_code == 403


def test_an_admin_creates_an_account_and_it_is_audited(client, signed_in_admin):
    response = post_form(
        client,
        "/admin/users/new",
        {"email": "Moi@SoYTe.vn", "display_name": "Cán bộ mới", "password": "một mật khẩu đủ dài 2026"},
    )

    assert response.status_code == 302
    user = User.by_email("moi@soyte.vn")
    assert user is not None and not user.is_admin
    (created,) = audit_rows("user.create")
    assert created.actor_id == signed_in_admin.id and created.after["email"] == "moi@soyte.vn"


@pytest.mark.parametrize(
    "password, message",
    [("ngắn quá", "ít nhất 12"), ("password1234", "quá phổ biến"), ("canbomoi-2026-abc", "tên hoặc địa chỉ")],
)
def test_a_weak_password_is_refused_beside_the_field_and_nothing_typed_is_lost(
    client, signed_in_admin, password, message
):
    response = post_form(
        client,
        "/admin/users/new",
        {"email": "canbomoi@soyte.vn", "display_name": "Cán bộ mới", "password": password},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="canbomoi@soyte.vn"' in page and 'value="Cán bộ mới"' in page
    assert User.by_email("canbomoi@soyte.vn") is None


def test_memberships_are_given_changed_and_taken_away_with_audit_rows(client, make, signed_in_admin):
    user, organization = make.user(), make.organization()
    path = f"/admin/users/{user.id}/membership"

    for role in ("editor", "approver", ""):
        post_form(
            client,
            path,
            {"membership-organization_id": organization.id, "membership-role": role},
            token_from=f"/admin/users/{user.id}",
        )

    changes = [(row.before["role"], row.after["role"]) for row in audit_rows("membership.change")]
    assert changes == [(None, "editor"), ("editor", "approver"), ("approver", None)]
    db.session.refresh(user)
    assert user.memberships == []


def test_the_lock_is_visible_to_admins_who_can_lift_it(client, make, signed_in_admin):
    locked = make.user(locked_until=utcnow().replace(year=utcnow().year + 1), failed_logins=10)

    assert "Bị khoá đến" in client.get("/admin/users").get_data(as_text=True)
    response = post_form(
        client, f"/admin/users/{locked.id}/unlock", {}, token_from=f"/admin/users/{locked.id}"
    )

    assert response.status_code == 302
    db.session.refresh(locked)
    assert not locked.is_locked() and locked.failed_logins == 0
    (unlocked,) = audit_rows("user.unlock")
    assert unlocked.before["failed_logins"] == 10


def test_the_last_admin_cannot_be_demoted(client, make, signed_in_admin):
    for other in db.session.scalars(
        select(User).where(User.is_admin.is_(True), User.id != signed_in_admin.id)
    ):
        other.is_admin = False
    db.session.flush()

    response = post_form(
        client,
        f"/admin/users/{signed_in_admin.id}",
        {"email": signed_in_admin.email, "display_name": signed_in_admin.display_name, "active": "y"},
    )

    assert response.status_code == 422
    db.session.refresh(signed_in_admin)
    assert signed_in_admin.is_admin


@pytest.mark.parametrize(
    "password, message", [("ngắn quá", "ít nhất 12"), ("nguyenvanan-2026", "tên hoặc địa chỉ")]
)
def test_a_new_password_set_by_an_admin_follows_the_rules(client, signed_in_admin, make, password, message):
    user = make.user(email="nguyenvanan@soyte.vn", display_name="Nguyễn Văn An")
    old_hash = user.password_hash

    response = post_form(
        client,
        f"/admin/users/{user.id}/password",
        {"password-password": password},
        token_from=f"/admin/users/{user.id}",
    )

    assert response.status_code == 302
    assert message in client.get(response.location).get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash
    assert audit_rows("user.password_set") == []
