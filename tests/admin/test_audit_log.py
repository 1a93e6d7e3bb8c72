import csv
import io

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from smart_qn.accounts import audit
from smart_qn.extensions import db


@pytest.fixture
def signed_in_admin(make, sign_in, with_second_factor):
    admin = with_second_factor(make.user(is_admin=True))
    sign_in(admin)
    return admin


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"])
def test_the_database_refuses_to_change_or_remove_audit_rows(make, statement):
    audit.record("test.event", actor=make.user())
    db.session.flush()

    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(sa.text(statement))


def test_the_log_filters_by_action_and_object_and_exports_csv(client, make, signed_in_admin):
    target = make.user(email="doituong@test.vn")
    audit.record(
        "user.update",
        actor=signed_in_admin,
        object_type="user",
        object_id=target.id,
        before={"display_name": "Cũ"},
        after={"display_name": "Mới"},
    )
    audit.record("user.update", actor=signed_in_admin, object_type="user", object_id=target.id + 1000)
    db.session.flush()

    page = client.get(f"/admin/audit?action=user.update&object_type=user&object_id={target.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Cũ → Mới" in text and f"user {target.id + 1000}" not in text

    exported = client.get(f"/admin/audit.csv?action=user.update&object_id={target.id}")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert exported.mimetype == "text/csv"
    assert [(row["action"], row["object_id"], row["actor"]) for row in rows] == [
        ("user.update", str(target.id), signed_in_admin.email)
    ]
    assert '"display_name": "Mới"' in rows[0]["after"]


def test_every_audit_row_knows_the_request_it_came_from(client, make, signed_in_admin):
    response = client.get("/admin/users")

    row = db.session.scalars(sa.select(audit.AuditEvent).where(audit.AuditEvent.action == "login")).all()[-1]
    assert response.status_code == 200
    assert row.ip_address == "127.0.0.1" and row.request_id
