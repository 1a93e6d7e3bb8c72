"""Editing service links: create a draft, save, publish, unpublish, delete a draft.

A scaled-down sibling of the notices' lifecycle (smart_qn.content.lifecycle), whose exceptions it shares:
every operation takes the user who acts, checks access (smart_qn.content.access), refuses what the link's
state does not allow (IllegalTransition: a surface answers 409) and content that cannot be saved
(InvalidContent, 422), writes exactly one audit row, and never commits: the caller commits the change and
its audit row together, or neither.

A link is either published (residents see it) or not; there is no review step and no pending edit. So
editing a published link changes what residents see at once, and only those who may publish (approvers,
administrators, and editors of an organization that lets its editors publish) may save one: an editor
gets AccessDenied (403) and asks an approver to make the change, or to unpublish the link so that it can
be edited as a draft. Links that were never published (`ServiceLink.never_published`) may be deleted;
from its first publication a link is only ever unpublished, since residents may have saved it.

Saves are made against the `version` the editor loaded; a save from an older one is refused (StaleEdit)
with what changed since, read from the link's audit rows (each keeps the link's content and version before
and after), so that nothing is overwritten unseen.

`updated_at` is when what residents may see of a link last changed: the public API's delta sync reads it,
and sends a tombstone for a link it finds unpublished. A save of an unpublished link leaves it alone, and
deleting a never-published link leaves nothing for the app to forget (the tombstone that any deletion
records names a link no app has). Every commit that changes a link also invalidates the API's response
cache (`service_link` is one of smart_qn.api.http's content tables).
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from smart_qn.accounts import audit
from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import User
from smart_qn.content.access import Action, require
from smart_qn.content.categories import Category
from smart_qn.content.lifecycle import IllegalTransition, InvalidContent
from smart_qn.content.revisions import FieldChange
from smart_qn.content.services import ServiceLevel, ServiceLink, ServiceTier
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db

AUDIT_OBJECT_TYPE = "service"
EDITABLE_FIELDS = (
    "name_vi",
    "name_en",
    "procedure_code",
    "field",
    "level",
    "tier",
    "agency_name",
    "category_id",
    "url",
    "fee",
    "processing_time",
    "tags",
    "featured",
)
TEXT_FIELDS = (
    "name_vi",
    "name_en",
    "procedure_code",
    "field",
    "agency_name",
    "url",
    "fee",
    "processing_time",
)
REQUIRED_FIELDS = ("name_vi", "field", "url", "level", "tier")
OPTIONAL_CONTENT = {
    "name_en": None,
    "procedure_code": None,
    "agency_name": None,
    "category_id": None,
    "fee": None,
    "processing_time": None,
    "tags": [],
    "featured": False,
}
# What a stale save reports as changed: the content, and whether residents see it.
COMPARED_FIELDS = (*EDITABLE_FIELDS, "published")
LEVELS = [level.value for level in ServiceLevel]
TIERS = [tier.value for tier in ServiceTier]
MAX_TAGS = 20
MAX_TAG_LENGTH = 40


class StaleEdit(Exception):
    """The link was changed after the editor loaded it at `expected_version`; nothing was written.

    `current` is the link's content now (with `published`), and `changes` what changed since the editor
    loaded it, field by field (None when the link's audit rows do not reach back that far), so that a form
    can show both and let the editor merge by hand."""

    def __init__(
        self,
        expected_version: int,
        current_version: int,
        current: dict[str, Any],
        changes: dict[str, FieldChange] | None,
    ):
        super().__init__(f"service link changed since version {expected_version} (now {current_version})")
        self.expected_version = expected_version
        self.current_version = current_version
        self.current = current
        self.changes = changes


def content_of(link: ServiceLink) -> dict[str, Any]:
    """The editable content of a link, as plain values (enums by their value)."""
    return {
        "name_vi": link.name_vi,
        "name_en": link.name_en,
        "procedure_code": link.procedure_code,
        "field": link.field,
        "level": link.level.value,
        "tier": link.tier.value,
        "agency_name": link.agency_name,
        "category_id": link.category_id,
        "url": link.url,
        "fee": link.fee,
        "processing_time": link.processing_time,
        "tags": list(link.tags or ()),
        "featured": link.featured,
    }


def create_draft(organization: Organization, fields: Mapping[str, Any], by: User) -> ServiceLink:
    """A new, unpublished link of `organization`."""
    require(by, Action.EDIT, organization.id)
    content = _validated(OPTIONAL_CONTENT, fields)
    link = ServiceLink(organization=organization, published=False)
    _apply(link, content)
    db.session.add(link)
    _audit("service.create", link, by, before=None)
    return link


def save(
    link: ServiceLink, fields: Mapping[str, Any], expected_version: int, by: User
) -> dict[str, FieldChange]:
    """Save an editor's changes to `fields`, made on the link as it was at `expected_version`.

    Returns what changed; nothing is written when nothing did."""
    _lock(link)
    require(by, Action.EDIT, link)
    if link.published:
        require(by, Action.PUBLISH, link)
    if link.version != expected_version:
        current = _compared(link)
        seen = _seen_at(link, expected_version)
        raise StaleEdit(expected_version, link.version, current, _diff(seen, current) if seen else None)
    working = content_of(link)
    content = _validated(working, fields)
    if content == working:
        return {}
    before = _audited(link)
    _apply(link, content)
    if not link.published:
        _unseen(link)
    _audit("service.save", link, by, before)
    return _diff(working, content)


def publish(link: ServiceLink, by: User) -> None:
    """Show the link to residents."""
    _lock(link)
    require(by, Action.PUBLISH, link)
    if link.published:
        raise IllegalTransition(_l("This link is already published."))
    before = _audited(link)
    link.published = True
    if link.first_published_at is None:
        link.first_published_at = utcnow()
    _audit("service.publish", link, by, before)


def unpublish(link: ServiceLink, by: User) -> None:
    """Withdraw the link from residents (the app's next sync removes it)."""
    _lock(link)
    require(by, Action.PUBLISH, link)
    if not link.published:
        raise IllegalTransition(_l("This link is not published."))
    before = _audited(link)
    if link.first_published_at is None:
        # Published outside the admin (demo data): residents have seen it since its last change at least.
        link.first_published_at = link.updated_at
    link.published = False
    _audit("service.unpublish", link, by, before)


def delete_draft(link: ServiceLink, by: User) -> None:
    """Delete a link that was never published (its audit rows stay)."""
    _lock(link)
    require(by, Action.DELETE, link)
    if not link.never_published:
        raise IllegalTransition(
            _l("A link that was published is unpublished, never deleted: residents may have saved it.")
        )
    before = _audited(link)
    db.session.delete(link)
    _audit("service.delete", link, by, before, deleted=True)


def _lock(link: ServiceLink) -> None:
    """Reload the link and hold its row until the caller commits (PostgreSQL; SQLite has one writer at a
    time), so that two saves from the same version cannot both pass the version check, nor two publishes
    both find the link unpublished. The session is flushed first: a reload would drop unwritten changes."""
    db.session.flush()
    db.session.refresh(link, with_for_update=True)


def _unseen(link: ServiceLink) -> None:
    """Keep `updated_at` as it is in the coming flush (SET updated_at = updated_at, which the column's
    onupdate stamp gives way to): residents cannot see this change."""
    link.updated_at = ServiceLink.updated_at


def _apply(link: ServiceLink, content: Mapping[str, Any]) -> None:
    for field in EDITABLE_FIELDS:
        if field not in ("level", "tier"):
            setattr(link, field, content[field])
    link.level = ServiceLevel(content["level"])
    link.tier = ServiceTier(content["tier"])


def _validated(base: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """`base` content with `fields` (as an editor gives them) written over it, tidied and checked:
    InvalidContent lists everything at fault at once."""
    errors = {name: _l("Not an editable field.") for name in fields if name not in EDITABLE_FIELDS}
    content = dict(base) | {
        name: _tidied(name, value) for name, value in fields.items() if name in EDITABLE_FIELDS
    }
    errors = _content_errors(content) | errors
    if errors:
        raise InvalidContent(errors)
    return content


def _tidied(name: str, value: Any) -> Any:
    """Text without surrounding spaces, and empty optional text as None; tags without blanks or repeats.
    Values of the wrong type are left for `_content_errors` to name."""
    if name in TEXT_FIELDS and isinstance(value, str):
        value = value.strip()
        return value if value or name in REQUIRED_FIELDS else None
    if name in ("level", "tier") and isinstance(value, ServiceLevel | ServiceTier):
        return value.value
    if name == "tags" and isinstance(value, list | tuple):
        tags = (tag.strip() if isinstance(tag, str) else tag for tag in value)
        return list(dict.fromkeys(tag for tag in tags if tag != ""))
    return value


def _content_errors(content: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for name in REQUIRED_FIELDS:
        if content.get(name) in (None, ""):
            errors[name] = _l("Required.")
    for name in TEXT_FIELDS:
        value = content.get(name)
        if name in errors or value is None:
            continue
        limit = ServiceLink.__table__.c[name].type.length
        if not isinstance(value, str):
            errors[name] = _l("Must be text.")
        elif len(value) > limit:
            errors[name] = _l("Use at most %(count)d characters.", count=limit)
    if "url" not in errors and not _is_web_address(content["url"]):
        errors["url"] = _l("Give the full web address, starting with https:// or http://.")
    if "level" not in errors and content["level"] not in LEVELS:
        errors["level"] = _l("Choose how much of the procedure is online.")
    if "tier" not in errors and content["tier"] not in TIERS:
        errors["tier"] = _l("Choose the level of government that carries the procedure out.")
    category_id = content.get("category_id")
    if category_id is not None and (
        type(category_id) is not int or db.session.get(Category, category_id) is None
    ):
        errors["category_id"] = _l("No such category.")
    if (tag_error := _tag_error(content.get("tags"))) is not None:
        errors["tags"] = tag_error
    if not isinstance(content.get("featured"), bool):
        errors["featured"] = _l("Must be yes or no.")
    return errors


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # an unbalanced [ in the host, or a port that is not a number
        return False
    return parts.scheme in ("http", "https") and bool(hostname) and not any(ch.isspace() for ch in url)


def _tag_error(tags: Any):
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        return _l("Tags are a list of words or short phrases.")
    if len(tags) > MAX_TAGS:
        return _l("Use at most %(count)d tags.", count=MAX_TAGS)
    if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
        return _l("Each tag has at most %(count)d characters.", count=MAX_TAG_LENGTH)
    return None


def _compared(link: ServiceLink) -> dict[str, Any]:
    return content_of(link) | {"published": link.published}


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, FieldChange]:
    return {
        name: FieldChange(before.get(name), after.get(name))
        for name in COMPARED_FIELDS
        if name in after and before.get(name) != after.get(name)
    }


def _seen_at(link: ServiceLink, version: int) -> dict[str, Any] | None:
    """The link as it was at `version`, from its audit rows (None if they do not reach back so far)."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == AUDIT_OBJECT_TYPE, AuditEvent.object_id == str(link.id))
        .order_by(AuditEvent.id)
    )
    for event in events:
        for snapshot in (event.before, event.after):
            if snapshot is not None and snapshot.get("version") == version:
                return snapshot
    return None


def _audited(link: ServiceLink) -> dict[str, Any]:
    """What an audit row keeps of a link: its content, state and version."""
    return _compared(link) | {
        "organization_id": link.organization_id,
        "first_published_at": link.first_published_at,
        "version": link.version,
    }


def _audit(action: str, link: ServiceLink, by: User, before: dict | None, deleted: bool = False) -> None:
    """The last step of every operation: a flush, so that the link's id and `version` are those an
    editor's next save must name, then its audit row."""
    db.session.flush()
    audit.record(
        action,
        actor=by,
        object_type=AUDIT_OBJECT_TYPE,
        object_id=link.id,
        organization_id=link.organization_id,
        before=before,
        after=None if deleted else _audited(link),
    )
