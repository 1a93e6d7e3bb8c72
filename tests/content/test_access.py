"""Who may do what with notices and service links: every action, for every kind of user, in their
organization and another."""

from http import HTTPStatus

import pytest
from sqlalchemy import func, select

from smart_qn.accounts.users import Role
from smart_qn.content.access import AccessDenied, Action, can, editable, require
from smart_qn.content.notices import Notice, NoticeState
from smart_qn.content.services import ServiceLink
from smart_qn.extensions import db

ALLOWED = None
HIDDEN = HTTPStatus.NOT_FOUND
FORBIDDEN = HTTPStatus.FORBIDDEN

# What each kind of user gets for a never-published notice or service link of the organization it belongs to.
IN_OWN_ORGANIZATION = {
    "editor": {
        Action.VIEW: ALLOWED,
        Action.EDIT: ALLOWED,
        Action.DELETE: ALLOWED,
        Action.SUBMIT: ALLOWED,
        Action.PUBLISH: FORBIDDEN,
    },
    "editor who may publish": dict.fromkeys(Action, ALLOWED),
    "approver": dict.fromkeys(Action, ALLOWED),
    "admin": dict.fromkeys(Action, ALLOWED),
    "communicator": dict.fromkeys(Action, HIDDEN),
}
# Nobody learns of another organization's notices, but administrators.
IN_ANOTHER_ORGANIZATION = {kind: dict.fromkeys(Action, HIDDEN) for kind in IN_OWN_ORGANIZATION} | {
    "admin": dict.fromkeys(Action, ALLOWED)
}


@pytest.fixture
def world(make):
    """Two organizations (one lets its editors publish), a draft notice and an unpublished service link in
    each, and one user of each kind whose "own" organization is the first one of their kind."""
    own, other, self_publishing = (
        make.organization(),
        make.organization(),
        make.organization(editors_may_publish=True),
    )
    users = {
        "editor": make.user(memberships={own: Role.EDITOR}),
        "editor who may publish": make.user(memberships={self_publishing: Role.EDITOR}),
        "approver": make.user(memberships={own: Role.APPROVER}),
        "admin": make.user(is_admin=True),
        "communicator": make.user(is_communicator=True),
    }
    own_of = {kind: own for kind in users} | {"editor who may publish": self_publishing}
    drafts = {
        organization.id: [
            make.notice(organization=organization, state=NoticeState.DRAFT),
            make.service(organization=organization, published=False),
        ]
        for organization in (own, other, self_publishing)
    }
    return users, own_of, other, drafts


def outcome(user, action, target) -> HTTPStatus | None:
    try:
        require(user, action, target)
    except AccessDenied as denied:
        assert denied.action is action
        return denied.status
    return ALLOWED


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("kind", list(IN_OWN_ORGANIZATION))
@pytest.mark.parametrize("place", ["own organization", "another organization"])
def test_access_matrix(world, kind, action, place):
    users, own_of, other, drafts = world
    user = users[kind]
    organization = own_of[kind] if place == "own organization" else other
    expected = (IN_OWN_ORGANIZATION if place == "own organization" else IN_ANOTHER_ORGANIZATION)[kind][action]

    for target in (*drafts[organization.id], organization.id):
        assert outcome(user, action, target) == expected, target
        assert can(user, action, target) is (expected is ALLOWED)


@pytest.mark.parametrize("state", [NoticeState.PUBLISHED, NoticeState.UNPUBLISHED, NoticeState.ARCHIVED])
def test_an_editor_may_not_delete_what_was_published(make, state):
    organization = make.organization(editors_may_publish=True)
    editor = make.user(memberships={organization: Role.EDITOR})
    approver = make.user(memberships={organization: Role.APPROVER})
    notice = make.notice(organization=organization, state=state)

    assert outcome(editor, Action.DELETE, notice) == FORBIDDEN
    assert outcome(approver, Action.DELETE, notice) is ALLOWED


@pytest.mark.parametrize("published", [True, False])
def test_an_editor_may_not_delete_a_link_once_published(make, published):
    organization = make.organization(editors_may_publish=True)
    editor = make.user(memberships={organization: Role.EDITOR})
    approver = make.user(memberships={organization: Role.APPROVER})
    # Unpublished, or published outside the admin (demo data) before first publications were recorded.
    link = make.service(
        organization=organization,
        published=published,
        first_published_at=None if published else make.notice().publish_at,
    )

    assert outcome(editor, Action.DELETE, link) == FORBIDDEN
    assert outcome(approver, Action.DELETE, link) is ALLOWED


def test_a_draft_back_in_review_after_publishing_is_still_not_deletable_by_an_editor(make):
    organization = make.organization()
    editor = make.user(memberships={organization: Role.EDITOR})
    notice = make.notice(
        organization=organization, state=NoticeState.IN_REVIEW, first_published_at=make.notice().publish_at
    )

    assert outcome(editor, Action.DELETE, notice) == FORBIDDEN


def test_nobody_signed_in_or_a_deactivated_user_gets_nothing(make):
    organization = make.organization()
    notice = make.notice(organization=organization)
    former_admin = make.user(is_admin=True, active=False)
    former_approver = make.user(memberships={organization: Role.APPROVER}, active=False)

    for user in (None, former_admin, former_approver):
        assert all(outcome(user, action, notice) == HIDDEN for action in Action)


def test_editable_notices_are_those_of_the_users_organizations(make):
    first, second, elsewhere = make.organization(), make.organization(), make.organization()
    notices = {
        organization: make.notice(organization=organization) for organization in (first, second, elsewhere)
    }
    editor = make.user(memberships={first: Role.EDITOR, second: Role.APPROVER})
    admin = make.user(is_admin=True)
    communicator = make.user(is_communicator=True)
    ours = [notice.id for notice in notices.values()]

    def visible_to(user) -> set[int]:
        return set(db.session.scalars(select(Notice.id).where(editable(user, Notice), Notice.id.in_(ours))))

    assert visible_to(editor) == {notices[first].id, notices[second].id}
    assert visible_to(admin) == set(ours)
    assert visible_to(communicator) == set()
    assert db.session.scalar(select(func.count()).select_from(Notice).where(editable(admin, Notice))) > 3


def test_editable_service_links_are_those_of_the_users_organizations(make):
    first, elsewhere = make.organization(), make.organization()
    links = {organization: make.service(organization=organization) for organization in (first, elsewhere)}
    approver = make.user(memberships={first: Role.APPROVER})
    admin = make.user(is_admin=True)
    ours = [link.id for link in links.values()]

    def visible_to(user) -> set[int]:
        return set(
            db.session.scalars(
                select(ServiceLink.id).where(editable(user, ServiceLink), ServiceLink.id.in_(ours))
            )
        )

    assert visible_to(approver) == {links[first].id}
    assert visible_to(admin) == set(ours)
    assert visible_to(make.user(is_communicator=True)) == set()
