"""Push notifications as communications staff compose them, and the rules that stand between a draft and
a million phones.

The life of a push: draft → pending approval → approved (or scheduled, when it has a send time) → sending →
sent, partly failed or failed; cancelled at any point before it has finished sending (cancelling while it
sends stops the batches not yet sent). An operation that the state does not allow raises IllegalTransition
(a surface answers 409); one the rules refuse raises PushRefused with a reason (403 for who may do it,
409 for the caps and the duplicate block); content that cannot be sent raises InvalidPush (422).

Two people for anything that can cause a public incident (Hawaii, 2018): a push to the whole province, an
emergency, or one that reaches more devices than PUSH_APPROVAL_REACH must be approved by a second
communicator or administrator, never the one who submitted it, and only after a test send of the very
content being approved (an edit after the test send asks for a new one). Every push is also held to a daily
number of province-wide pushes and may not repeat the same content to the same audience within ten
minutes, whoever approves it.

Operations take the user who acts, write exactly one audit row, and never commit: the caller commits the
change with its audit row, and the delivery jobs it starts run after that commit.
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smart_qn.accounts import audit
from smart_qn.accounts.users import User
from smart_qn.content.categories import Category
from smart_qn.content.notices import Notice, NoticeState, Urgency
from smart_qn.dbtypes import UTCDateTime, str_enum, utcnow
from smart_qn.extensions import db
from smart_qn.geography import AdminUnit, UnitLevel
from smart_qn.jobs import enqueue_after_commit
from smart_qn.localtime import province_zone
from smart_qn.push.transport import OutgoingMessage, payload_problems

DEFAULT_TTL = timedelta(hours=24)
MAX_TTL = timedelta(days=28)  # FCM's own limit; its default (4 weeks) is never used
DUPLICATE_WINDOW = timedelta(minutes=10)
TITLE_MAX = 120
BODY_MAX = 1000


class PushState(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    PARTLY_FAILED = "partly_failed"
    FAILED = "failed"
    CANCELLED = "cancelled"


# Once approved, a push is on its way: what counts against the caps and the duplicate block.
ON_ITS_WAY = (
    PushState.APPROVED,
    PushState.SCHEDULED,
    PushState.SENDING,
    PushState.SENT,
    PushState.PARTLY_FAILED,
)
CANCELLABLE = (
    PushState.DRAFT,
    PushState.PENDING_APPROVAL,
    PushState.APPROVED,
    PushState.SCHEDULED,
    PushState.SENDING,
)
FINISHED = {"sent": PushState.SENT, "partly_failed": PushState.PARTLY_FAILED, "failed": PushState.FAILED}

CONTENT_FIELDS = (
    "title_vi",
    "body_vi",
    "title_en",
    "body_en",
    "notice_id",
    "audience_unit_ids",
    "audience_categories",
    "urgency",
    "ttl_seconds",
    "send_at",
)


class IllegalTransition(Exception):
    """The push's state does not allow this operation (409)."""


class PushRefused(Exception):
    """The rules refuse the operation: `status` is 403 (who may do it) or 409 (caps, duplicates)."""

    def __init__(self, message, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


class InvalidPush(ValueError):
    """The content cannot be sent; `errors` maps each field at fault to why (422)."""

    def __init__(self, errors: dict[str, Any]):
        super().__init__(", ".join(f"{field}: {error}" for field, error in errors.items()))
        self.errors = errors


class PushNotification(db.Model):
    __tablename__ = "push_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_vi: Mapped[str] = mapped_column(String(TITLE_MAX))
    body_vi: Mapped[str] = mapped_column(Text)
    # Without English, English devices get the Vietnamese text.
    title_en: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    body_en: Mapped[str | None] = mapped_column(Text)
    # The published notice the app opens when the push is tapped (deep link).
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id", ondelete="SET NULL"), index=True)
    # Admin unit ids; the province (or nothing) is everyone. Category slugs; none is every category.
    audience_unit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    audience_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency, "urgency"), default=Urgency.NORMAL)
    ttl_seconds: Mapped[int] = mapped_column(default=int(DEFAULT_TTL.total_seconds()))
    # None: sent as soon as it is approved.
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[PushState] = mapped_column(
        str_enum(PushState, "push_state"), default=PushState.DRAFT, index=True
    )
    # What the caps and the duplicate block compare: the texts, the link and the audience.
    content_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    province_wide: Mapped[bool] = mapped_column(default=False)
    needs_approval: Mapped[bool] = mapped_column(default=False)
    estimated_reach: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The content_key of what was last sent to test devices.
    tested_content_key: Mapped[str | None] = mapped_column(String(64))
    tested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sending_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    notice: Mapped[Notice | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<PushNotification {self.id} {self.state} {self.title_vi[:40]!r}>"

    @property
    def tested(self) -> bool:
        """Whether the content as it is now was sent to test devices."""
        return self.tested_content_key is not None and self.tested_content_key == self.content_key


def may_compose(user: User | None) -> bool:
    return user is not None and user.active and (user.is_communicator or user.is_admin)


def create_draft(fields: Mapping[str, Any], by: User) -> PushNotification:
    _require_composer(by)
    push = PushNotification(created_by=by, state=PushState.DRAFT)
    _apply(push, _validated(fields))
    db.session.add(push)
    db.session.flush()
    _audit("push.create", push, by, before=None)
    return push


def draft_for_notice(notice: Notice, by: User) -> PushNotification:
    """A push draft announcing a published notice: its title and summary, its audience, linked to it."""
    if notice.state is not NoticeState.PUBLISHED:
        raise IllegalTransition(_l("Only a published notice can be announced by a push."))
    return create_draft(
        {
            "title_vi": notice.title_vi[:TITLE_MAX],
            "body_vi": notice.summary_vi[:BODY_MAX],
            "title_en": (notice.title_en or "")[:TITLE_MAX] or None,
            "body_en": (notice.summary_en or "")[:BODY_MAX] or None,
            "notice_id": notice.id,
            "audience_unit_ids": [unit.id for unit in notice.audience],
            "urgency": notice.urgency.value,
        },
        by,
    )


def save(push: PushNotification, fields: Mapping[str, Any], expected_version: int, by: User) -> None:
    """Change a draft (an edit after a test send calls for a new test send)."""
    _require_composer(by)
    _require_state(push, PushState.DRAFT)
    if push.version != expected_version:
        raise IllegalTransition(_l("Someone else changed this push meanwhile: reload it and edit again."))
    before = _audited(push)
    _apply(push, _validated(fields, base=content_of(push)))
    _audit("push.save", push, by, before)


def record_test_send(push: PushNotification, by: User) -> None:
    """Note that the content as it is now was sent to the composer's test devices."""
    _require_composer(by)
    _require_state(push, PushState.DRAFT, PushState.PENDING_APPROVAL)
    before = _audited(push)
    push.tested_content_key = push.content_key
    push.tested_at = utcnow()
    _audit("push.test_send", push, by, before)


def submit(push: PushNotification, by: User, estimated_reach: int) -> None:
    """Send a draft on its way: to a second person for approval when it needs one, else approved (or
    scheduled) at once. `estimated_reach` is the number of registered devices it matches. A message FCM
    would refuse for its size is refused here, before anything is queued."""
    _require_composer(by)
    _require_state(push, PushState.DRAFT)
    if too_large := payload_problems_of(push):
        raise InvalidPush({f"body_{language}": " ".join(found) for language, found in too_large.items()})
    needs_approval = bool(approval_reasons(push, estimated_reach))
    if needs_approval and not push.tested:
        raise PushRefused(_l("Send it to your test devices first: this push needs approval."), 409)
    if not needs_approval:
        _clear_the_rules(push)
    before = _audited(push)
    push.estimated_reach, push.needs_approval = estimated_reach, needs_approval
    push.submitted_by, push.submitted_at = by, utcnow()
    if needs_approval:
        push.state = PushState.PENDING_APPROVAL
    else:
        _approve(push, by)
    _audit("push.submit", push, by, before)


def approve(push: PushNotification, by: User) -> None:
    _require_composer(by)
    _require_state(push, PushState.PENDING_APPROVAL)
    if push.submitted_by_id == by.id:
        raise PushRefused(_l("A push is approved by someone other than the person who submitted it."), 403)
    if not push.tested:
        raise PushRefused(_l("This content has not been sent to test devices yet."), 409)
    _clear_the_rules(push)
    before = _audited(push)
    _approve(push, by)
    _audit("push.approve", push, by, before)


def reject(push: PushNotification, by: User) -> None:
    """Send a push awaiting approval back to draft."""
    _require_composer(by)
    _require_state(push, PushState.PENDING_APPROVAL)
    before = _audited(push)
    push.state = PushState.DRAFT
    push.submitted_by, push.submitted_at = None, None
    _audit("push.reject", push, by, before)


def cancel(push: PushNotification, by: User) -> None:
    """Stop a push that has not finished: while it sends, the batches not yet sent are not sent."""
    _require_composer(by)
    _require_state(push, *CANCELLABLE)
    before = _audited(push)
    push.state = PushState.CANCELLED
    push.cancelled_by_id, push.cancelled_at = by.id, utcnow()
    _audit("push.cancel", push, by, before)


def start_sending(push: PushNotification, now: datetime) -> None:
    """The delivery job takes an approved push, or a scheduled one whose time has come."""
    _require_state(push, PushState.APPROVED, PushState.SCHEDULED)
    if push.state is PushState.SCHEDULED and push.send_at > now:
        raise IllegalTransition(_l("This push is scheduled for later."))
    before = _audited(push)
    push.state = PushState.SENDING
    push.sending_started_at = now
    _audit("push.start_sending", push, None, before)


def finish_sending(push: PushNotification, outcome: str, now: datetime) -> None:
    """`outcome`: "sent", "partly_failed" or "failed"."""
    _require_state(push, PushState.SENDING)
    before = _audited(push)
    push.state = FINISHED[outcome]
    push.finished_at = now
    _audit(f"push.{outcome}", push, None, before)


def due_pushes(now: datetime) -> list[PushNotification]:
    """Approved pushes, and scheduled ones whose time has come: what the delivery sweep starts."""
    return list(
        db.session.scalars(
            select(PushNotification)
            .where(
                (PushNotification.state == PushState.APPROVED)
                | ((PushNotification.state == PushState.SCHEDULED) & (PushNotification.send_at <= now))
            )
            .order_by(PushNotification.id)
        )
    )


def content_of(push: PushNotification) -> dict[str, Any]:
    return {
        "title_vi": push.title_vi,
        "body_vi": push.body_vi,
        "title_en": push.title_en,
        "body_en": push.body_en,
        "notice_id": push.notice_id,
        "audience_unit_ids": list(push.audience_unit_ids),
        "audience_categories": list(push.audience_categories),
        "urgency": push.urgency.value,
        "ttl_seconds": push.ttl_seconds,
        "send_at": push.send_at,
    }


def message_for(push: PushNotification, language: str, **target: str) -> OutgoingMessage:
    """The message devices speaking `language` get (Vietnamese when the push has no English), to `target`
    (token=, topic= or condition=)."""
    english = language == "en" and push.title_en and push.body_en
    data = {"notification_id": str(push.id)}
    if push.notice_id is not None:
        data["notice_id"] = str(push.notice_id)
    return OutgoingMessage(
        notification_id=push.id,
        title=push.title_en if english else push.title_vi,
        body=push.body_en if english else push.body_vi,
        ttl_seconds=push.ttl_seconds,
        urgency=push.urgency,
        data=data,
        **target,
    )


def payload_problems_of(push: PushNotification) -> dict[str, list[str]]:
    """What would make FCM refuse the push's message in each of its languages (the size does not depend
    on the target, hence the stand-in topic)."""
    languages = ["vi", "en"] if push.title_en and push.body_en else ["vi"]
    problems = {
        language: payload_problems(message_for(push, language, topic="check")) for language in languages
    }
    return {language: found for language, found in problems.items() if found}


def province_day_start(now: datetime) -> datetime:
    """Midnight in the province (Asia/Ho_Chi_Minh) of the day `now` falls in: caps are per local day."""
    zone = province_zone()
    return datetime.combine(now.astimezone(zone).date(), time(), zone)


def _approve(push: PushNotification, by: User) -> None:
    from smart_qn.push.delivery import deliver  # delivery builds on this module

    now = utcnow()
    push.approved_by, push.approved_at = by, now
    push.state = PushState.SCHEDULED if push.send_at and push.send_at > now else PushState.APPROVED
    # The delivery job starts once this is committed, or at the send time (the sweep is the safety net).
    if push.state is PushState.SCHEDULED:
        enqueue_after_commit(deliver.schedule, args=(push.id,), delay=(push.send_at - now).total_seconds())
    else:
        enqueue_after_commit(deliver, push.id)


def _clear_the_rules(push: PushNotification) -> None:
    """The caps and the duplicate block, checked at every step that sends a push on its way."""
    now = utcnow()
    on_its_way = PushNotification.state.in_(ON_ITS_WAY) & (PushNotification.id != push.id)
    if push.province_wide:
        cap = current_app.config["PUSH_DAILY_PROVINCE_WIDE_CAP"]
        sent_today = db.session.scalar(
            select(func.count())
            .select_from(PushNotification)
            .where(
                on_its_way,
                PushNotification.province_wide,
                PushNotification.approved_at >= province_day_start(now),
            )
        )
        if sent_today >= cap:
            raise PushRefused(
                _l("Today's limit of %(cap)d province-wide pushes has been reached.", cap=cap), 409
            )
    repeated = db.session.scalar(
        select(func.count())
        .select_from(PushNotification)
        .where(
            on_its_way,
            PushNotification.content_key == push.content_key,
            PushNotification.approved_at > now - DUPLICATE_WINDOW,
        )
    )
    if repeated:
        raise PushRefused(_l("The same push went to the same audience less than 10 minutes ago."), 409)


def approval_reasons(push: PushNotification, estimated_reach: int) -> list[str]:
    """Why the push needs a second person's approval; none: it goes out once submitted."""
    reasons = []
    if push.province_wide:
        reasons.append(_l("It goes to the whole province."))
    if push.urgency is Urgency.EMERGENCY:
        reasons.append(_l("It is an emergency."))
    limit = current_app.config["PUSH_APPROVAL_REACH"]
    if estimated_reach > limit:
        reasons.append(_l("It reaches more than %(limit)s devices.", limit=f"{limit:,}".replace(",", ".")))
    return reasons


def _require_composer(user: User) -> None:
    if not may_compose(user):
        raise PushRefused(_l("Only communicators and administrators may compose pushes."), 403)


def _require_state(push: PushNotification, *allowed: PushState) -> None:
    if push.state not in allowed:
        raise IllegalTransition(_l("Not possible for a push in this state."))


def _apply(push: PushNotification, content: dict[str, Any]) -> None:
    for field in CONTENT_FIELDS:
        setattr(push, field, content[field])
    province_ids = {
        unit_id
        for unit_id in content["audience_unit_ids"]
        if db.session.get(AdminUnit, unit_id).level == UnitLevel.PROVINCE
    }
    push.province_wide = not content["audience_unit_ids"] or bool(province_ids)
    push.content_key = _content_key(content)


def _content_key(content: Mapping[str, Any]) -> str:
    keyed = {field: content[field] for field in CONTENT_FIELDS if field not in ("ttl_seconds", "send_at")}
    keyed["audience_unit_ids"] = sorted(keyed["audience_unit_ids"])
    keyed["audience_categories"] = sorted(keyed["audience_categories"])
    return hashlib.sha256(json.dumps(keyed, sort_keys=True, default=str).encode()).hexdigest()


def _validated(fields: Mapping[str, Any], base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`base` with `fields` written over it, checked: InvalidPush lists everything at fault at once."""
    content = {
        "title_en": None,
        "body_en": None,
        "notice_id": None,
        "audience_unit_ids": [],
        "audience_categories": [],
        "urgency": Urgency.NORMAL.value,
        "ttl_seconds": int(DEFAULT_TTL.total_seconds()),
        "send_at": None,
    } | dict(base or {})
    errors = {name: _l("Not an editable field.") for name in fields if name not in CONTENT_FIELDS}
    content |= {name: value for name, value in fields.items() if name in CONTENT_FIELDS}
    for field, limit in (
        ("title_vi", TITLE_MAX),
        ("body_vi", BODY_MAX),
        ("title_en", TITLE_MAX),
        ("body_en", BODY_MAX),
    ):
        value = content.get(field)
        if field.endswith("_vi") and not (isinstance(value, str) and value.strip()):
            errors[field] = _l("Required.")
        elif value is not None and len(value) > limit:
            errors[field] = _l("Use at most %(count)d characters.", count=limit)
    if content["urgency"] not in set(Urgency):
        errors["urgency"] = _l("Choose normal, important or emergency.")
    else:
        content["urgency"] = Urgency(content["urgency"])
    ttl = content["ttl_seconds"]
    if not isinstance(ttl, int) or not 0 < ttl <= MAX_TTL.total_seconds():
        errors["ttl_seconds"] = _l("Between a second and 28 days.")
    unit_ids = sorted(set(content["audience_unit_ids"]))
    if unit_ids and db.session.scalar(
        select(func.count()).select_from(AdminUnit).where(AdminUnit.id.in_(unit_ids))
    ) != len(unit_ids):
        errors["audience_unit_ids"] = _l("No such administrative unit.")
    content["audience_unit_ids"] = unit_ids
    slugs = sorted(set(content["audience_categories"]))
    if slugs and db.session.scalar(
        select(func.count()).select_from(Category).where(Category.slug.in_(slugs))
    ) != len(slugs):
        errors["audience_categories"] = _l("No such category.")
    content["audience_categories"] = slugs
    if content["notice_id"] is not None:
        notice = db.session.get(Notice, content["notice_id"])
        if notice is None or notice.state is not NoticeState.PUBLISHED:
            errors["notice_id"] = _l("Link only to a published notice.")
    send_at = content["send_at"]
    if send_at is not None and send_at.tzinfo is None:
        errors["send_at"] = _l("A time needs its time zone.")
    if errors:
        raise InvalidPush(errors)
    return content


def _audited(push: PushNotification) -> dict[str, Any]:
    return content_of(push) | {
        "state": push.state,
        "needs_approval": push.needs_approval,
        "estimated_reach": push.estimated_reach,
        "tested_content_key": push.tested_content_key,
        "version": push.version,
    }


def _audit(action: str, push: PushNotification, by: User | None, before: dict | None) -> None:
    db.session.flush()
    audit.record(action, actor=by, object_type="push", object_id=push.id, before=before, after=_audited(push))
