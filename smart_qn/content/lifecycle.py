"""The editorial lifecycle of notices: draft → in review → published → unpublished or archived.

Every operation takes the user who acts, checks access (smart_qn.content.access), refuses a transition the
notice's state does not allow (IllegalTransition: a surface answers 409), writes a revision when the
content changes and exactly one audit row, and never commits: the caller commits the change, its revision
and its audit row together, or none of them.

Residents never see an edit before it is published. A published notice is not edited in place: a save makes
a pending revision (`Notice.pending_revision_number`, which may be submitted for review) while the row keeps
what residents see, and publishing copies that revision's content into the row. A notice that is not
published (draft, in review, unpublished) is seen by no one, so its row is edited directly, with a revision
per save.

A notice's attached files are part of its content like its text: a revision lists them (`attachment_ids`,
uploads of the notice's organization, smart_qn.content.attachments) and the notice row is linked to those
of the content it holds, so that the file added by a pending edit reaches residents when the edit is
published.

`updated_at` is when what residents may see of a notice last changed: the public API shows it and the
delta sync reads it. Changes residents cannot see leave it alone (`_unseen`): pending edits, and withdrawing
a notice that had already expired by the clock (the sync sent its tombstone at expire_at).
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from smart_qn.accounts import audit
from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import User
from smart_qn.content.access import Action, require
from smart_qn.content.attachments import NoticeAttachment, lock_for_reference
from smart_qn.content.categories import Category
from smart_qn.content.notices import Notice, NoticeState, Urgency
from smart_qn.content.revisions import (
    DATETIME_FIELDS,
    EDITABLE_FIELDS,
    FieldChange,
    NoticeRevision,
    RevisionReason,
    content_of,
    diff,
    last_revision_number,
    loaded_datetime,
    revision_number,
    revision_seen_at,
    stored_datetime,
    with_defaults,
)
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit

OPTIONAL_CONTENT = {
    "title_en": None,
    "summary_en": None,
    "body_en": None,
    "urgency": Urgency.NORMAL.value,
    "pinned": False,
    "publish_at": None,
    "expire_at": None,
    "attachment_ids": [],
}
REQUIRED_TEXT_FIELDS = ("title_vi", "summary_vi", "body_vi")


class IllegalTransition(Exception):
    """The notice's state does not allow this operation: a surface answers 409 Conflict."""


class InvalidContent(ValueError):
    """The content cannot be saved; `errors` maps each field at fault to why (a surface answers 422)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{field}: {error}" for field, error in errors.items()))
        self.errors = errors


class StaleEdit(Exception):
    """The notice was changed after the editor loaded it at `expected_version`; nothing was written.

    `current` is the content to edit now, and `changes` what changed since the editor loaded it (None when
    the notice's revisions do not reach back that far), so that a form can show both and let the editor
    merge by hand."""

    def __init__(
        self,
        expected_version: int,
        current_version: int,
        current: dict[str, Any],
        changes: dict[str, FieldChange] | None,
    ):
        super().__init__(f"notice changed since version {expected_version} (now {current_version})")
        self.expected_version = expected_version
        self.current_version = current_version
        self.current = current
        self.changes = changes


def pending_revision(notice: Notice) -> NoticeRevision | None:
    """The edit of a published notice that awaits publishing."""
    if notice.pending_revision_number is None:
        return None
    return revision_number(notice, notice.pending_revision_number)


def working_content(notice: Notice) -> dict[str, Any]:
    """What an editor edits: the pending revision of a published notice, else the notice itself."""
    pending = pending_revision(notice)
    return with_defaults(pending.content) if pending else content_of(notice)


def create_draft(organization: Organization, fields: Mapping[str, Any], by: User) -> Notice:
    require(by, Action.EDIT, organization.id)
    content = _validated(OPTIONAL_CONTENT, fields, organization.id)
    notice = Notice(organization=organization, state=NoticeState.DRAFT)
    _apply(notice, content)
    db.session.add(notice)
    db.session.add(
        NoticeRevision(
            notice=notice,
            number=1,
            based_on_version=0,
            created_by=by,
            reason=RevisionReason.CREATE,
            content=content,
        )
    )
    db.session.flush()  # the audit row names the notice by its id
    _audit("notice.create", notice, by, before=None)
    return notice


def save(notice: Notice, fields: Mapping[str, Any], expected_version: int, by: User) -> NoticeRevision | None:
    """Save an editor's changes to `fields`, made on the notice as it was at `expected_version`.

    Returns the new revision, or None when nothing changed (then nothing is written)."""
    _lock(notice)
    require(by, Action.EDIT, notice)
    _refuse_archived(notice)
    if notice.version != expected_version:
        current = working_content(notice)
        seen = revision_seen_at(notice, expected_version)
        raise StaleEdit(expected_version, notice.version, current, diff(seen, current) if seen else None)
    working = working_content(notice)
    content = _validated(working, fields, notice.organization_id)
    if content == working:
        return None
    before = _audited(notice)
    revision = _record_content(notice, content, RevisionReason.SAVE, by)
    _audit("notice.save", notice, by, before)
    return revision


def restore(notice: Notice, revision: NoticeRevision, by: User) -> NoticeRevision:
    """Make `revision`'s content the notice's newest revision (a pending one if the notice is published)."""
    _lock(notice)
    require(by, Action.EDIT, notice)
    if revision.notice_id != notice.id:
        raise ValueError(f"{revision!r} is not a revision of {notice!r}")
    _refuse_archived(notice)
    content = _validated(revision.content, {}, notice.organization_id)
    before = _audited(notice)
    restored = _record_content(notice, content, RevisionReason.RESTORE, by)
    _audit("notice.restore", notice, by, before)
    return restored


def submit(notice: Notice, by: User) -> None:
    """Ask an approver to publish: a draft (or unpublished notice), or the pending edit of a published one."""
    require(by, Action.SUBMIT, notice)
    before = _audited(notice)
    if notice.state in (NoticeState.DRAFT, NoticeState.UNPUBLISHED):
        notice.state = NoticeState.IN_REVIEW
    elif (
        notice.state is NoticeState.PUBLISHED
        and notice.pending_revision_number
        and not notice.pending_in_review
    ):
        notice.pending_in_review = True
        _unseen(notice)
    else:
        raise IllegalTransition(
            _l("There is nothing to submit: the notice is already in review or has no new edit.")
        )
    _audit("notice.submit", notice, by, before)


def publish(notice: Notice, by: User) -> None:
    """Publish a notice, or the pending edit of a published one: live now, or scheduled when its publish_at
    is in the future (it then goes live by the clock alone: the API shows notices by time)."""
    require(by, Action.PUBLISH, notice)
    now = utcnow()
    if notice.state is NoticeState.ARCHIVED:
        raise IllegalTransition(_l("An archived notice cannot be published again."))
    pending = pending_revision(notice)
    if notice.state is NoticeState.PUBLISHED and pending is None:
        raise IllegalTransition(_l("The notice is published and has no edit waiting to be published."))
    expire_at = loaded_datetime(pending.content["expire_at"]) if pending else notice.expire_at
    if expire_at is not None and expire_at <= now:
        raise IllegalTransition(_l("The notice would expire before anyone sees it: change its expiry first."))
    before = _audited(notice)
    if pending:
        _apply(notice, pending.content)
        _clear_pending(notice)
    notice.state = NoticeState.PUBLISHED
    if notice.publish_at is None:
        notice.publish_at = now
    if notice.first_published_at is None:
        notice.first_published_at = now
    _audit("notice.schedule" if notice.publish_at > now else "notice.publish", notice, by, before)


def unpublish(notice: Notice, by: User) -> None:
    """Withdraw a published notice; its pending edit, if any, becomes its content (no one sees it now)."""
    require(by, Action.PUBLISH, notice)
    if notice.state is not NoticeState.PUBLISHED:
        raise IllegalTransition(_l("The notice is not published."))
    before = _audited(notice)
    pending = pending_revision(notice)
    if pending:
        _apply(notice, pending.content)
    _withdraw(notice, NoticeState.UNPUBLISHED, utcnow())
    _audit("notice.unpublish", notice, by, before)


def archive(notice: Notice, by: User) -> None:
    """Put a published or unpublished notice on record for good, as residents last saw it."""
    require(by, Action.PUBLISH, notice)
    if notice.state not in (NoticeState.PUBLISHED, NoticeState.UNPUBLISHED):
        raise IllegalTransition(
            _l("Only a published or unpublished notice can be archived; a draft is deleted instead.")
        )
    before = _audited(notice)
    _withdraw(notice, NoticeState.ARCHIVED, utcnow())
    _audit("notice.archive", notice, by, before)


def delete_draft(notice: Notice, by: User) -> None:
    """Delete a notice that was never published (its revisions go with it; the audit row stays)."""
    require(by, Action.DELETE, notice)
    if not notice.never_published:
        raise IllegalTransition(_l("A notice that was published is archived, never deleted."))
    before = _audited(notice)
    db.session.delete(notice)
    _audit("notice.delete", notice, by, before, deleted=True)


def apply_schedule(now: datetime) -> list[Notice]:
    """Archive the published notices that have expired by `now`, and return them. Run periodically.

    Residents stopped seeing them at their expire_at already (the API and the sync go by the clock), so
    this changes nothing they see: it keeps the editors' lists honest. Going live needs no sweep: a
    scheduled notice is published with a future publish_at and appears by the clock."""
    expired = db.session.scalars(
        select(Notice)
        .where(Notice.state == NoticeState.PUBLISHED, Notice.expire_at <= now)
        .order_by(Notice.id)
        # A notice someone is saving right now is left for the next run rather than waited for.
        .with_for_update(skip_locked=True)
    ).all()
    for notice in expired:
        before = _audited(notice)
        _withdraw(notice, NoticeState.ARCHIVED, now)
        _audit("notice.expire", notice, None, before)
    return list(expired)


def _lock(notice: Notice) -> None:
    """Reload the notice and hold its row until the caller commits (PostgreSQL; SQLite has one writer at
    a time), so that two saves from the same version cannot both pass the version check. The session is
    flushed first: a reload would drop changes not yet written."""
    db.session.flush()
    db.session.refresh(notice, with_for_update=True)


def _refuse_archived(notice: Notice) -> None:
    if notice.state is NoticeState.ARCHIVED:
        raise IllegalTransition(_l("An archived notice is on record and cannot be edited."))


def _record_content(
    notice: Notice, content: dict[str, Any], reason: RevisionReason, by: User
) -> NoticeRevision:
    """Write `content` as the notice's newest revision: pending if the notice is published, else into it."""
    last_number = last_revision_number(notice)
    if last_number == 0:
        # A notice made without the lifecycle (demo data): keep what it was before this first change.
        db.session.add(
            NoticeRevision(
                notice=notice,
                number=1,
                based_on_version=0,
                reason=RevisionReason.INITIAL,
                content=content_of(notice),
            )
        )
        last_number = 1
    revision = NoticeRevision(
        notice=notice,
        number=last_number + 1,
        based_on_version=notice.version,
        created_by=by,
        reason=reason,
        content=content,
    )
    db.session.add(revision)
    if notice.state is NoticeState.PUBLISHED:
        notice.pending_revision_number = revision.number
        _unseen(notice)
    else:
        _apply(notice, content)
    return revision


def _withdraw(notice: Notice, state: NoticeState, now: datetime) -> None:
    had_expired = notice.expire_at is not None and notice.expire_at <= now
    notice.state = state
    _clear_pending(notice)
    if had_expired:
        _unseen(notice)


def _clear_pending(notice: Notice) -> None:
    notice.pending_revision_number = None
    notice.pending_in_review = False


def _unseen(notice: Notice) -> None:
    """Keep `updated_at` as it is in the coming flush (SET updated_at = updated_at, which the column's
    onupdate stamp gives way to): this change is not one residents can see."""
    notice.updated_at = Notice.updated_at


def _apply(notice: Notice, content: Mapping[str, Any]) -> None:
    """Make `content` the notice's own (what residents see once it is published)."""
    content = with_defaults(content)
    audience = db.session.scalars(
        select(AdminUnit).where(AdminUnit.id.in_(content["audience_unit_ids"])).order_by(AdminUnit.code)
    ).all()
    category = db.session.get(Category, content["category_id"])
    for field in ("title_vi", "title_en", "summary_vi", "summary_en", "body_vi", "body_en", "pinned"):
        setattr(notice, field, content[field])
    notice.urgency = Urgency(content["urgency"])
    notice.publish_at = loaded_datetime(content["publish_at"])
    notice.expire_at = loaded_datetime(content["expire_at"])
    notice.category = category
    notice.audience = list(audience)
    links = {link.attachment_id: link for link in notice.attachment_links}
    notice.attachment_links = [
        links.get(attachment_id) or NoticeAttachment(attachment_id=attachment_id)
        for attachment_id in content["attachment_ids"]
    ]
    for position, link in enumerate(notice.attachment_links):
        link.position = position
    # The row is written even when only its audience or files changed (other tables), so that its version
    # moves on and a save made from the version before is refused.
    flag_modified(notice, "title_vi")


def _validated(base: Mapping[str, Any], fields: Mapping[str, Any], organization_id: int) -> dict[str, Any]:
    """`base` content with `fields` (as an editor gives them: datetimes, enums, unit and attachment ids)
    written over it, checked for a notice of `organization_id`: InvalidContent lists everything at fault at
    once."""
    content, errors = _as_content(fields)
    content = with_defaults(base) | content
    errors = _content_errors(content, organization_id) | errors
    if errors:
        raise InvalidContent(errors)
    return content


def _as_content(fields: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Fields in the form a revision keeps them, and the errors of those that cannot be."""
    errors = {name: _l("Not an editable field.") for name in fields if name not in EDITABLE_FIELDS}
    content = {}
    for name, value in fields.items():
        if name in DATETIME_FIELDS:
            if value is not None and value.tzinfo is None:
                errors[name] = _l("A time needs its time zone.")
                continue
            content[name] = stored_datetime(value)
        elif name == "urgency":
            if value not in set(Urgency):
                errors[name] = _l("Choose normal, important or emergency.")
                continue
            content[name] = Urgency(value).value
        elif name == "audience_unit_ids":
            content[name] = sorted(set(value))
        elif name == "attachment_ids":
            if not isinstance(value, list | tuple) or not all(_is_id(item) for item in value):
                errors[name] = _l("Not a list of attachments.")
                continue
            # In the editor's order, each file once.
            content[name] = list(dict.fromkeys(value))
        else:
            content[name] = value
    return content, errors


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _content_errors(content: Mapping[str, Any], organization_id: int) -> dict[str, str]:
    errors = {
        field: _l("Required.")
        for field in (*REQUIRED_TEXT_FIELDS, "category_id", "audience_unit_ids")
        if field not in content
    }
    errors |= {
        field: _l("Must not be empty.")
        for field in REQUIRED_TEXT_FIELDS
        if field not in errors and not (isinstance(content[field], str) and content[field].strip())
    }
    if "category_id" not in errors and db.session.get(Category, content["category_id"]) is None:
        errors["category_id"] = _l("No such category.")
    if "audience_unit_ids" not in errors:
        unit_ids = content["audience_unit_ids"]
        known = db.session.scalar(
            select(func.count()).select_from(AdminUnit).where(AdminUnit.id.in_(unit_ids))
        )
        if not unit_ids:
            errors["audience_unit_ids"] = _l("Choose at least one unit: the province to reach everyone.")
        elif known != len(unit_ids):
            errors["audience_unit_ids"] = _l("No such administrative unit.")
    attachment_ids = content["attachment_ids"]
    if attachment_ids and len(lock_for_reference(attachment_ids, organization_id)) != len(attachment_ids):
        errors["attachment_ids"] = _l("A file is not one of this organization's attachments.")
    publish_at, expire_at = content.get("publish_at"), content.get("expire_at")
    if publish_at and expire_at and loaded_datetime(expire_at) <= loaded_datetime(publish_at):
        errors["expire_at"] = _l("The expiry must come after the publication time.")
    return errors


def _audited(notice: Notice) -> dict[str, Any]:
    """What an audit row keeps of a notice: its own content and state, and its pending edit."""
    pending = pending_revision(notice)
    return content_of(notice) | {
        "state": notice.state,
        "first_published_at": notice.first_published_at,
        "pending_revision_number": notice.pending_revision_number,
        "pending_in_review": notice.pending_in_review,
        "pending_content": pending.content if pending else None,
    }


def _audit(action: str, notice: Notice, by: User | None, before: dict | None, deleted: bool = False) -> None:
    """The last step of every operation: its audit row, and a flush, so that the notice's `version` is the
    one an editor's next save must name and the flush happens with the operation's `_unseen`."""
    audit.record(
        action,
        actor=by,
        object_type="notice",
        object_id=notice.id,
        organization_id=notice.organization_id,
        before=before,
        after=None if deleted else _audited(notice),
    )
    db.session.flush()
