"""Who may do what with notices and service links: the one place that decides, for the admin, the
lifecycle, the service editing and any API.

Administrators may do everything everywhere. A membership gives a role in one organization: an approver
may do everything with that organization's notices and service links; an editor may view, edit and submit
them, delete those never published, and publish only where the organization lets its editors publish.
Anyone else, global communicators included, may do nothing and must not even learn that a notice or link
exists: a surface answers 404 for them, and 403 for a member whose role falls short.
"""

from enum import StrEnum
from http import HTTPStatus

from sqlalchemy import ColumnElement, true

from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import Role, User
from smart_qn.content.notices import Notice
from smart_qn.content.services import ServiceLink
from smart_qn.extensions import db

# What an organization owns and its members edit.
OwnedContent = Notice | ServiceLink


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    DELETE = "delete"
    SUBMIT = "submit"
    # Publishing now, scheduling, unpublishing and archiving: every change to what residents see.
    PUBLISH = "publish"


EDITOR_ACTIONS = frozenset({Action.VIEW, Action.EDIT, Action.SUBMIT})


class AccessDenied(Exception):
    """`status` is the answer a surface gives: NOT_FOUND when the user has no business with the
    organization (so that it does not learn the notice or link exists), FORBIDDEN when a member's role
    falls short."""

    def __init__(self, action: Action, status: HTTPStatus):
        super().__init__(f"{action} denied ({status.value})")
        self.action = action
        self.status = status


def can(user: User | None, action: Action, target: OwnedContent | int) -> bool:
    """Whether `user` may do `action` to a notice or service link, or to the content of an organization
    (given its id).

    For an organization, DELETE answers whether the user may delete some of its content (an editor: what
    was never published)."""
    return _denial(user, action, target) is None


def require(user: User | None, action: Action, target: OwnedContent | int) -> None:
    """Raise AccessDenied unless `user` may do `action`."""
    status = _denial(user, action, target)
    if status is not None:
        raise AccessDenied(action, status)


def editable(user: User, model: type[OwnedContent]) -> ColumnElement[bool]:
    """A WHERE clause keeping the rows of `model` (Notice, ServiceLink) that `user` may view: all for
    admins, else their organizations'."""
    if user.is_admin:
        return true()
    return model.organization_id.in_(user.organization_ids)


def _denial(user: User | None, action: Action, target: OwnedContent | int) -> HTTPStatus | None:
    if user is None or not user.active:
        return HTTPStatus.NOT_FOUND
    if user.is_admin:
        return None
    organization_id = target if isinstance(target, int) else target.organization_id
    role = user.role_in(organization_id)
    if role is None:
        return HTTPStatus.NOT_FOUND
    if role is Role.APPROVER or action in EDITOR_ACTIONS:
        return None
    if action is Action.DELETE:
        never_published = isinstance(target, int) or target.never_published
        return None if never_published else HTTPStatus.FORBIDDEN
    organization = db.session.get(Organization, target) if isinstance(target, int) else target.organization
    return None if organization.editors_may_publish else HTTPStatus.FORBIDDEN
