"""Editing service links: drafts, saves and conflicting saves, publishing, deletion, the audit trail and
what the delta sync sees."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.content import service_editing
from smart_qn.content.access import AccessDenied, Action
from smart_qn.content.lifecycle import IllegalTransition, InvalidContent
from smart_qn.content.service_editing import StaleEdit
from smart_qn.content.services import ServiceLevel, ServiceLink, ServiceTier
from smart_qn.content.sync import ItemKind, changes_between
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db


@pytest.fixture
def organization(make):
    return make.organization()


@pytest.fixture
def editor(make, organization):
    return make.user(memberships={organization: Role.EDITOR})


@pytest.fixture
def approver(make, organization):
    return make.user(memberships={organization: Role.APPROVER})


@pytest.fixture
def fields(make):
    return {
        "name_vi": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "level": "full",
        "tier": "commune",
        "url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193",
        "category_id": make.category().id,
        "tags": ["khai sinh", "trẻ em"],
    }


@pytest.fixture
def draft(organization, editor, fields):
    return service_editing.create_draft(organization, fields, by=editor)


@pytest.fixture
def published(draft, approver):
    service_editing.publish(draft, by=approver)
    return draft


def audit_trail(link_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "service", AuditEvent.object_id == str(link_id))
            .order_by(AuditEvent.id)
        )
    )


def actions(link_id: int) -> list[str]:
    return [event.action for event in audit_trail(link_id)]


def sync_change(link: ServiceLink, since):
    """The sync's report of `link` between `since` and now, or None if it reports nothing."""
    changes = changes_between(since, utcnow() + timedelta(seconds=1))
    return next((c for c in changes if c.kind is ItemKind.SERVICE and c.key == str(link.id)), None)


def test_a_draft_is_unpublished_tidied_and_audited_once(draft, editor, fields):
    assert not draft.published and draft.never_published and draft.first_published_at is None
    assert (draft.name_vi, draft.level, draft.tier) == (
        "Đăng ký khai sinh",
        ServiceLevel.FULL,
        ServiceTier.COMMUNE,
    )
    assert draft.tags == ["khai sinh", "trẻ em"] and draft.featured is False and draft.fee is None
    [created] = audit_trail(draft.id)
    assert (created.action, created.actor, created.before) == ("service.create", editor, None)
    assert created.organization_id == draft.organization_id
    assert created.after["name_vi"] == "Đăng ký khai sinh"
    assert created.after["published"] is False and created.after["version"] == draft.version == 1


def test_text_is_trimmed_empty_optional_text_is_none_and_tags_lose_blanks_and_repeats(
    organization, editor, fields
):
    link = service_editing.create_draft(
        organization,
        fields | {"name_vi": "  Khai tử ", "name_en": "  ", "fee": "", "tags": [" a ", "", "a", "b"]},
        by=editor,
    )

    assert (link.name_vi, link.name_en, link.fee, link.tags) == ("Khai tử", None, None, ["a", "b"])


def test_only_members_create_drafts(make, editor, fields):
    communicator = make.user(is_communicator=True)

    for user in (editor, communicator):
        with pytest.raises(AccessDenied) as denied:
            service_editing.create_draft(make.organization(), fields, by=user)
        assert denied.value.status == 404


@pytest.mark.parametrize(
    "change, at_fault",
    [
        ({"name_vi": "   "}, "name_vi"),
        ({"name_vi": "x" * 401}, "name_vi"),
        ({"procedure_code": "1." * 21}, "procedure_code"),
        ({"field": ""}, "field"),
        ({"url": "ftp://dichvucong.gov.vn/thu-tuc"}, "url"),
        ({"url": "dichvucong.gov.vn/thu-tuc"}, "url"),
        ({"url": "https://"}, "url"),
        ({"url": "https://dich vu cong.gov.vn"}, "url"),
        ({"url": "https://[dichvucong.gov.vn/"}, "url"),
        ({"url": "https://dichvucong.gov.vn/" + "a" * 480}, "url"),
        ({"level": "4"}, "level"),
        ({"tier": "ward"}, "tier"),
        ({"category_id": 10**9}, "category_id"),
        ({"tags": "khai sinh"}, "tags"),
        ({"tags": ["x" * 41]}, "tags"),
        ({"tags": [f"tag {n}" for n in range(21)]}, "tags"),
        ({"featured": "yes"}, "featured"),
        ({"published": True}, "published"),
    ],
)
def test_invalid_content_is_refused_with_the_field_at_fault(organization, editor, fields, change, at_fault):
    with pytest.raises(InvalidContent) as invalid:
        service_editing.create_draft(organization, fields | change, by=editor)

    assert list(invalid.value.errors) == [at_fault]
    assert (
        db.session.scalar(select(ServiceLink).where(ServiceLink.organization_id == organization.id)) is None
    )


def test_every_problem_is_listed_at_once(organization, editor):
    with pytest.raises(InvalidContent) as invalid:
        service_editing.create_draft(organization, {"url": "nowhere"}, by=editor)

    assert set(invalid.value.errors) == {"name_vi", "field", "url", "level", "tier"}


def test_an_editor_saves_a_draft_without_touching_what_the_sync_sees(draft, editor):
    updated_at, version = draft.updated_at, draft.version

    changes = service_editing.save(
        draft, {"name_en": "Birth registration", "fee": "Miễn phí"}, version, by=editor
    )

    assert {name: (c.before, c.after) for name, c in changes.items()} == {
        "name_en": (None, "Birth registration"),
        "fee": (None, "Miễn phí"),
    }
    db.session.refresh(draft)
    assert draft.name_en == "Birth registration" and draft.version == version + 1
    assert draft.updated_at == updated_at
    saved = audit_trail(draft.id)[-1]
    assert saved.action == "service.save" and saved.actor == editor
    assert saved.changed_fields() == ["fee", "name_en", "version"]
    assert (saved.before["name_en"], saved.after["name_en"]) == (None, "Birth registration")


def test_a_save_that_changes_nothing_writes_nothing(draft, editor, fields):
    assert service_editing.save(draft, {"name_vi": " Đăng ký khai sinh "}, draft.version, by=editor) == {}
    assert actions(draft.id) == ["service.create"]
    assert draft.version == 1


def test_invalid_saves_write_nothing(draft, editor):
    with pytest.raises(InvalidContent) as invalid:
        service_editing.save(draft, {"url": "javascript:alert(1)"}, draft.version, by=editor)

    assert list(invalid.value.errors) == ["url"]
    assert actions(draft.id) == ["service.create"]


def test_a_stale_save_is_refused_with_what_changed_meanwhile(make, organization, draft, editor):
    colleague = make.user(memberships={organization: Role.EDITOR})
    loaded = draft.version
    service_editing.save(draft, {"name_vi": "Đăng ký khai sinh (sửa)", "tags": []}, loaded, by=colleague)

    with pytest.raises(StaleEdit) as stale:
        service_editing.save(draft, {"fee": "Miễn phí"}, loaded, by=editor)

    assert stale.value.expected_version == loaded and stale.value.current_version == draft.version != loaded
    assert stale.value.current["name_vi"] == "Đăng ký khai sinh (sửa)"
    assert {name: (c.before, c.after) for name, c in stale.value.changes.items()} == {
        "name_vi": ("Đăng ký khai sinh", "Đăng ký khai sinh (sửa)"),
        "tags": (["khai sinh", "trẻ em"], []),
    }
    assert draft.fee is None
    assert actions(draft.id) == ["service.create", "service.save"]
    # Made knowing what changed, the next save goes through.
    service_editing.save(draft, {"fee": "Miễn phí"}, stale.value.current_version, by=editor)
    assert draft.fee == "Miễn phí"


def test_a_publish_in_between_makes_a_save_stale_too(draft, approver):
    loaded = draft.version
    service_editing.publish(draft, by=approver)

    with pytest.raises(StaleEdit) as stale:
        service_editing.save(draft, {"fee": "Miễn phí"}, loaded, by=approver)

    assert {name: (c.before, c.after) for name, c in stale.value.changes.items()} == {
        "published": (False, True)
    }


def test_links_made_outside_the_admin_have_their_history_from_their_first_change(
    make, organization, approver
):
    demo_link = make.service(organization=organization)
    service_editing.save(demo_link, {"fee": "50.000 đồng"}, 1, by=approver)

    with pytest.raises(StaleEdit) as stale:
        service_editing.save(demo_link, {"fee": "Miễn phí"}, 1, by=approver)
    assert {name: (c.before, c.after) for name, c in stale.value.changes.items()} == {
        "fee": (None, "50.000 đồng")
    }

    with pytest.raises(StaleEdit) as unknown:
        service_editing.save(demo_link, {"fee": "Miễn phí"}, 99, by=approver)
    assert unknown.value.changes is None


def test_only_those_who_may_publish_save_a_published_link(make, organization, published, editor, approver):
    with pytest.raises(AccessDenied) as denied:
        service_editing.save(published, {"fee": "Miễn phí"}, published.version, by=editor)
    assert (denied.value.status, denied.value.action) == (403, Action.PUBLISH)
    assert actions(published.id) == ["service.create", "service.publish"]

    updated_at = published.updated_at
    service_editing.save(published, {"fee": "Miễn phí"}, published.version, by=approver)
    db.session.refresh(published)
    assert published.fee == "Miễn phí" and published.updated_at > updated_at

    self_publishing = make.organization(editors_may_publish=True)
    own_editor = make.user(memberships={self_publishing: Role.EDITOR})
    link = make.service(organization=self_publishing)
    service_editing.save(link, {"fee": "Miễn phí"}, link.version, by=own_editor)
    assert link.fee == "Miễn phí"


def test_publish_and_unpublish_change_what_residents_see_and_the_sync_follows(draft, editor, approver):
    with pytest.raises(AccessDenied) as denied:
        service_editing.publish(draft, by=editor)
    assert denied.value.status == 403

    since = utcnow()
    service_editing.publish(draft, by=approver)
    assert draft.published and draft.first_published_at is not None and not draft.never_published
    assert sync_change(draft, since).item is draft
    with pytest.raises(IllegalTransition):
        service_editing.publish(draft, by=approver)

    first_published_at, since = draft.first_published_at, utcnow()
    service_editing.unpublish(draft, by=approver)
    assert not draft.published and draft.first_published_at == first_published_at
    tombstone = sync_change(draft, since)
    assert tombstone is not None and tombstone.item is None
    with pytest.raises(IllegalTransition):
        service_editing.unpublish(draft, by=approver)

    assert actions(draft.id) == ["service.create", "service.publish", "service.unpublish"]
    unpublished = audit_trail(draft.id)[-1]
    assert (unpublished.before["published"], unpublished.after["published"]) == (True, False)


def test_saving_an_unpublished_link_sends_nothing_to_the_sync(published, approver, editor):
    service_editing.unpublish(published, by=approver)
    since = utcnow()

    service_editing.save(published, {"fee": "Miễn phí"}, published.version, by=editor)

    assert sync_change(published, since) is None


def test_a_never_published_draft_is_deleted_with_one_audit_row(draft, editor):
    link_id = draft.id

    service_editing.delete_draft(draft, by=editor)
    db.session.flush()

    assert db.session.get(ServiceLink, link_id) is None
    [deleted] = [event for event in audit_trail(link_id) if event.action == "service.delete"]
    assert deleted.actor == editor and deleted.after is None
    assert deleted.before["name_vi"] == "Đăng ký khai sinh"
    assert actions(link_id) == ["service.create", "service.delete"]


def test_what_was_published_is_never_deleted(published, editor, approver):
    service_editing.unpublish(published, by=approver)

    with pytest.raises(AccessDenied) as denied:
        service_editing.delete_draft(published, by=editor)
    assert denied.value.status == 403
    with pytest.raises(IllegalTransition):
        service_editing.delete_draft(published, by=approver)
    assert db.session.get(ServiceLink, published.id) is not None


def test_a_link_published_outside_the_admin_counts_as_published(make, organization, editor, approver):
    demo_link = make.service(organization=organization)
    assert demo_link.published and demo_link.first_published_at is None and not demo_link.never_published

    with pytest.raises(IllegalTransition):
        service_editing.delete_draft(demo_link, by=approver)

    service_editing.unpublish(demo_link, by=approver)
    assert demo_link.first_published_at is not None and not demo_link.never_published
    with pytest.raises(AccessDenied):
        service_editing.delete_draft(demo_link, by=editor)


def test_nobody_outside_the_organization_touches_its_links(make, organization, draft):
    outsider = make.user(memberships={make.organization(): Role.APPROVER})
    live = make.service(organization=organization)

    for operation in (
        lambda: service_editing.save(draft, {"fee": "x"}, draft.version, by=outsider),
        lambda: service_editing.publish(draft, by=outsider),
        lambda: service_editing.delete_draft(draft, by=outsider),
        lambda: service_editing.save(live, {"fee": "x"}, live.version, by=outsider),
        lambda: service_editing.unpublish(live, by=outsider),
    ):
        with pytest.raises(AccessDenied) as denied:
            operation()
        assert denied.value.status == 404


def test_an_admin_may_do_everything(make, organization, fields):
    admin = make.user(is_admin=True)

    link = service_editing.create_draft(organization, fields, by=admin)
    service_editing.publish(link, by=admin)
    service_editing.save(link, {"featured": True}, link.version, by=admin)
    service_editing.unpublish(link, by=admin)

    assert actions(link.id) == ["service.create", "service.publish", "service.save", "service.unpublish"]
