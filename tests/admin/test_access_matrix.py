"""The access matrix: every admin route that acts on one notice, tried by every kind of user, through the
real pages. A member of another organization (or nobody's member) gets 404, never learning the notice
exists; a member whose role falls short gets 403; a refused request changes nothing and audits nothing.

The expected answers are written out here, not computed with smart_qn.content.access, so that a change to
the rules has to change this table too. A new route on a notice fails
`test_every_notice_route_is_in_the_matrix` until it is added."""

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.content import lifecycle
from smart_qn.content.access import Action
from smart_qn.content.notices import Notice
from smart_qn.extensions import db
from tests.admin.conftest import csrf_token


@dataclass(frozen=True)
class NoticeRoute:
    endpoint: str
    method: str
    path: str  # with {id}
    action: Action
    # The state the notice is put in first, so that the lifecycle itself would allow the step.
    state: str
    step: str | None = None


ROUTES = {
    "open the form": NoticeRoute("admin.edit_notice", "GET", "/admin/notices/{id}", Action.VIEW, "draft"),
    "save": NoticeRoute("admin.edit_notice", "POST", "/admin/notices/{id}", Action.EDIT, "draft"),
    "history": NoticeRoute(
        "admin.notice_history", "GET", "/admin/notices/{id}/history", Action.VIEW, "draft"
    ),
    "read a revision": NoticeRoute(
        "admin.notice_revision", "GET", "/admin/notices/{id}/revisions/1", Action.VIEW, "draft"
    ),
    "restore a revision": NoticeRoute(
        "admin.restore_notice_revision",
        "POST",
        "/admin/notices/{id}/revisions/1/restore",
        Action.EDIT,
        "draft",
    ),
    "submit": NoticeRoute(
        "admin.notice_step", "POST", "/admin/notices/{id}/submit", Action.SUBMIT, "draft", "submit"
    ),
    "delete": NoticeRoute(
        "admin.notice_step", "POST", "/admin/notices/{id}/delete", Action.DELETE, "draft", "delete"
    ),
    "publish": NoticeRoute(
        "admin.notice_step", "POST", "/admin/notices/{id}/publish", Action.PUBLISH, "in_review", "publish"
    ),
    "unpublish": NoticeRoute(
        "admin.notice_step", "POST", "/admin/notices/{id}/unpublish", Action.PUBLISH, "published", "unpublish"
    ),
    "archive": NoticeRoute(
        "admin.notice_step", "POST", "/admin/notices/{id}/archive", Action.PUBLISH, "published", "archive"
    ),
}

OK, FORBIDDEN, NOT_FOUND = "ok", 403, 404
EVERYTHING = dict.fromkeys(Action, OK)
NOTHING = dict.fromkeys(Action, NOT_FOUND)
EXPECTED = {
    "editor": EVERYTHING | {Action.PUBLISH: FORBIDDEN},
    "editor where editors may publish": EVERYTHING,
    "approver": EVERYTHING,
    "administrator": EVERYTHING,
    "editor of another organization": NOTHING,
    "approver of another organization": NOTHING,
    "communicator": NOTHING,
}


def notice_routes_in(app) -> set[tuple[str, str, str | None]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or "notice_id" not in rule.arguments:
            continue
        steps = sorted(rule._converters["step"].items) if "step" in rule.arguments else [None]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found |= {(rule.endpoint, method, step) for step in steps}
    return found


def test_every_notice_route_is_in_the_matrix(app):
    covered = {(route.endpoint, route.method, route.step) for route in ROUTES.values()}
    assert notice_routes_in(app) == covered


@pytest.fixture
def people(make, with_second_factor):
    own, other = make.organization(), make.organization()
    open_organization = make.organization(editors_may_publish=True)
    return (
        own,
        open_organization,
        {
            "editor": make.user(memberships={own: Role.EDITOR}),
            "editor where editors may publish": make.user(memberships={open_organization: Role.EDITOR}),
            "approver": make.user(memberships={own: Role.APPROVER}),
            "administrator": with_second_factor(make.user(is_admin=True)),
            "editor of another organization": make.user(memberships={other: Role.EDITOR}),
            "approver of another organization": make.user(memberships={other: Role.APPROVER}),
            "communicator": with_second_factor(make.user(is_communicator=True, memberships={})),
        },
    )


def notice_in_state(state: str, organization, make) -> Notice:
    author = make.user(memberships={organization: Role.APPROVER})
    notice = lifecycle.create_draft(
        organization,
        {
            "title_vi": "Thông báo kiểm tra quyền",
            "summary_vi": "Tóm tắt.",
            "body_vi": "Nội dung.",
            "category_id": make.category().id,
            "audience_unit_ids": [make.unit("49").id],
        },
        by=author,
    )
    if state in ("in_review", "published"):
        lifecycle.submit(notice, by=author)
    if state == "published":
        lifecycle.publish(notice, by=author)
    db.session.flush()
    return notice


def audit_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("route_name", list(ROUTES))
def test_access(client, sign_in, make, people, who, route_name):
    own, open_organization, users = people
    route = ROUTES[route_name]
    organization = open_organization if who == "editor where editors may publish" else own
    notice = notice_in_state(route.state, organization, make)
    state, version = notice.state, notice.version
    sign_in(users[who])
    token = csrf_token(client, "/admin/")
    audited_before = audit_rows()
    data = {"csrf_token": token}
    if route_name == "save":
        data |= {
            "category_id": notice.category_id,
            "title_vi": "Tiêu đề đã sửa",
            "summary_vi": notice.summary_vi,
            "body_vi": notice.body_vi,
            "urgency": "normal",
            "audience": [unit.id for unit in notice.audience],
            "version": notice.version,
            "action": "save",
        }

    response = client.open(route.path.format(id=notice.id), method=route.method, data=data)

    expected = EXPECTED[who][route.action]
    if expected == OK:
        assert response.status_code in (200, 302), response.status_code
        if route.method == "POST":
            assert audit_rows() == audited_before + 1
    else:
        assert response.status_code == expected
        assert audit_rows() == audited_before
        current = db.session.execute(select(Notice.state, Notice.version).where(Notice.id == notice.id)).one()
        assert tuple(current) == (state, version)
