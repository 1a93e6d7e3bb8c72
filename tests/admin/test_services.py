"""The admin's service link pages, through the real pages (sign-in, CSRF tokens): the access matrix of every
route on one link, the list and its filters, the form's messages and conflicts, and what residents then
get from the public API and its sync.

The matrix's expected answers are written out, not computed with smart_qn.content.access, so that a change
to the rules has to change this table too; a new route on a link fails `test_every_service_route_is_in_the_
matrix` until it is added."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.users import Role
from smart_qn.cache_store import content_generation
from smart_qn.content import service_editing
from smart_qn.content.access import Action
from smart_qn.content.services import ServiceLevel, ServiceLink, ServiceTier
from smart_qn.content.sync import ItemKind, changes_between
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from tests.admin.conftest import csrf_token, post_form


@dataclass(frozen=True)
class ServiceRoute:
    endpoint: str
    method: str
    path: str  # with {id}
    action: Action  # what the route needs of the user
    published: bool  # the link's state first, so that the step itself is allowed
    step: str | None = None


ROUTES = {
    "open the form": ServiceRoute("admin.edit_service", "GET", "/admin/services/{id}", Action.VIEW, False),
    "save a draft": ServiceRoute("admin.edit_service", "POST", "/admin/services/{id}", Action.EDIT, False),
    # Saving a published link changes what residents see at once: it takes the right to publish.
    "save a published link": ServiceRoute(
        "admin.edit_service", "POST", "/admin/services/{id}", Action.PUBLISH, True
    ),
    "publish": ServiceRoute(
        "admin.service_step", "POST", "/admin/services/{id}/publish", Action.PUBLISH, False, "publish"
    ),
    "unpublish": ServiceRoute(
        "admin.service_step", "POST", "/admin/services/{id}/unpublish", Action.PUBLISH, True, "unpublish"
    ),
    "delete": ServiceRoute(
        "admin.service_step", "POST", "/admin/services/{id}/delete", Action.DELETE, False, "delete"
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
def english(client):
    """The pages in English, whose messages do not depend on the Vietnamese catalog being up to date."""
    client.set_cookie("lang", "en")


def service_routes_in(app) -> set[tuple[str, str, str | None]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or "service_id" not in rule.arguments:
            continue
        steps = sorted(rule._converters["step"].items) if "step" in rule.arguments else [None]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found |= {(rule.endpoint, method, step) for step in steps}
    return found


def test_every_service_route_is_in_the_matrix(app):
    covered = {(route.endpoint, route.method, route.step) for route in ROUTES.values()}
    assert service_routes_in(app) == covered


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
            "communicator": with_second_factor(make.user(is_communicator=True)),
        },
    )


def link_in(organization, make, *, published: bool) -> ServiceLink:
    author = make.user(memberships={organization: Role.APPROVER})
    link = service_editing.create_draft(
        organization,
        {
            "name_vi": "Cấp phiếu lý lịch tư pháp",
            "field": "Lý lịch tư pháp",
            "level": "full",
            "tier": "province",
        }
        | {"url": "https://dichvucong.gov.vn/thu-tuc/2.001417"},
        by=author,
    )
    if published:
        service_editing.publish(link, by=author)
    db.session.flush()
    return link


def form_data(link: ServiceLink, **changes) -> dict:
    """The edit form as the page fills it in, with `changes` typed over it."""
    content = service_editing.content_of(link)
    data = {
        name: "" if value is None else value
        for name, value in content.items()
        if name not in ("tags", "featured", "category_id")
    }
    data |= {"tags": ", ".join(content["tags"]), "category_id": content["category_id"] or ""}
    if content["featured"]:
        data["featured"] = "y"
    return data | {"version": link.version} | changes


def audit_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def audit_actions(link_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "service", AuditEvent.object_id == str(link_id))
            .order_by(AuditEvent.id)
        )
    )


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("route_name", list(ROUTES))
def test_access(client, sign_in, make, people, who, route_name):
    own, open_organization, users = people
    route = ROUTES[route_name]
    organization = open_organization if who == "editor where editors may publish" else own
    link = link_in(organization, make, published=route.published)
    state = (link.published, link.version)
    sign_in(users[who])
    data = {"csrf_token": csrf_token(client, "/admin/")}
    if route.method == "POST" and route.step is None:
        data |= form_data(link, fee="Miễn phí")
    audited_before = audit_rows()

    response = client.open(route.path.format(id=link.id), method=route.method, data=data)

    expected = EXPECTED[who][route.action]
    if expected == OK:
        assert response.status_code in (200, 302), response.status_code
        if route.method == "POST":
            assert audit_rows() == audited_before + 1
    else:
        assert response.status_code == expected
        assert audit_rows() == audited_before
        current = db.session.execute(
            select(ServiceLink.published, ServiceLink.version).where(ServiceLink.id == link.id)
        ).one()
        assert tuple(current) == state


@pytest.mark.parametrize(
    "who, status",
    [("editor", 403), ("approver", 409), ("administrator", 409), ("approver of another organization", 404)],
)
def test_what_was_published_is_never_deleted(client, sign_in, make, people, who, status):
    own, _, users = people
    link = link_in(own, make, published=True)
    sign_in(users[who])
    audited_before = audit_rows()

    response = post_form(client, f"/admin/services/{link.id}/delete", {}, token_from="/admin/")

    assert response.status_code == status
    assert audit_rows() == audited_before
    assert db.session.get(ServiceLink, link.id) is not None


def test_an_editor_creates_a_draft_through_the_form(client, sign_in, make, organization, editor):
    category = make.category()
    sign_in(editor)

    response = post_form(
        client,
        "/admin/services/new",
        {
            "organization_id": organization.id,
            "name_vi": "  Đăng ký kết hôn ",
            "name_en": "",
            "field": "Hộ tịch",
            "level": "partial",
            "tier": "commune",
            "category_id": category.id,
            "url": "https://dichvucong.quangnam.gov.vn/thu-tuc/ket-hon",
            "tags": "kết hôn, , hộ tịch",
        },
    )

    assert response.status_code == 302
    link = db.session.scalar(select(ServiceLink).where(ServiceLink.organization_id == organization.id))
    assert response.location.endswith(f"/admin/services/{link.id}")
    assert (link.name_vi, link.name_en, link.level, link.tier) == (
        "Đăng ký kết hôn",
        None,
        ServiceLevel.PARTIAL,
        ServiceTier.COMMUNE,
    )
    assert link.tags == ["kết hôn", "hộ tịch"] and link.category_id == category.id
    assert not link.published and link.never_published
    assert audit_actions(link.id) == ["service.create"]


def test_only_members_get_the_new_link_form_and_only_for_their_organizations(
    client, sign_in, make, organization, editor, with_second_factor
):
    elsewhere = make.organization()
    sign_in(editor)

    page = client.get("/admin/services/new").get_data(as_text=True)
    assert f'value="{organization.id}"' in page and f'value="{elsewhere.id}"' not in page
    response = post_form(
        client,
        "/admin/services/new",
        {"organization_id": elsewhere.id, "name_vi": "X", "field": "Y", "level": "full", "tier": "commune"}
        | {"url": "https://example.vn"},
    )
    assert response.status_code == 422
    assert db.session.scalar(select(ServiceLink).where(ServiceLink.organization_id == elsewhere.id)) is None

    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    sign_in(with_second_factor(make.user(is_communicator=True)))
    assert client.get("/admin/services/new").status_code == 403


def test_invalid_content_is_shown_beside_the_fields_and_nothing_typed_is_lost(
    client, sign_in, make, organization, editor, english
):
    sign_in(editor)

    response = post_form(
        client,
        "/admin/services/new",
        {
            "organization_id": organization.id,
            "name_vi": " ",
            "name_en": "Marriage registration",
            "field": "Hộ tịch",
            "tier": "commune",
            "url": "dichvucong.quangnam.gov.vn/ket-hon",
            "fee": "Miễn phí",
            "tags": "kết hôn, " + "x" * 41,
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for name in ("name_vi", "url", "tags", "level"):
        assert f'id="{name}-errors"' in page, name
    assert "Give the full web address, starting with https:// or http://." in page
    assert "Each tag has at most 40 characters." in page
    assert 'value="Marriage registration"' in page and 'value="dichvucong.quangnam.gov.vn/ket-hon"' in page
    assert 'value="Miễn phí"' in page and "kết hôn, xxxx" in page
    assert (
        db.session.scalar(select(ServiceLink).where(ServiceLink.organization_id == organization.id)) is None
    )


def test_a_save_goes_through_and_is_audited_once(client, sign_in, make, organization, editor):
    link = link_in(organization, make, published=False)
    sign_in(editor)

    response = post_form(
        client,
        f"/admin/services/{link.id}",
        form_data(link, fee="Miễn phí", processing_time="3 ngày làm việc", featured="y"),
    )

    assert response.status_code == 302
    db.session.refresh(link)
    assert (link.fee, link.processing_time, link.featured) == ("Miễn phí", "3 ngày làm việc", True)
    assert audit_actions(link.id) == ["service.create", "service.save"]
    saved = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "service.save"))
    assert saved.actor_id == editor.id
    assert (saved.before["fee"], saved.after["fee"]) == (None, "Miễn phí")


def test_a_stale_save_is_refused_with_the_changes_and_what_was_typed(
    client, sign_in, make, organization, editor, english
):
    link = link_in(organization, make, published=False)
    colleague = make.user(memberships={organization: Role.EDITOR})
    sign_in(editor)
    typed = form_data(link, name_en="Judicial record certificate", fee="200.000 đồng")
    service_editing.save(link, {"fee": "Miễn phí", "processing_time": "10 ngày"}, link.version, by=colleague)
    db.session.flush()
    version_now = link.version

    response = post_form(client, f"/admin/services/{link.id}", typed)

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this link while you were editing it" in page
    assert '<th scope="row">Fee</th><td>—</td><td>Miễn phí</td>' in page
    assert '<th scope="row">Processing time</th><td>—</td><td>10 ngày</td>' in page
    assert 'value="Judicial record certificate"' in page and 'value="200.000 đồng"' in page
    assert f'name="version" type="hidden" value="{version_now}"' in page
    db.session.refresh(link)
    assert (link.name_en, link.fee, link.version) == (None, "Miễn phí", version_now)
    assert audit_actions(link.id) == ["service.create", "service.save"]

    # Saved again from the page it got, the editor's version wins, knowingly.
    response = post_form(client, f"/admin/services/{link.id}", typed | {"version": version_now})
    assert response.status_code == 302
    db.session.refresh(link)
    assert (link.name_en, link.fee) == ("Judicial record certificate", "200.000 đồng")


def test_an_editor_is_told_to_ask_an_approver_to_change_a_published_link(
    client, sign_in, make, organization, editor, english
):
    link = link_in(organization, make, published=True)
    sign_in(editor)

    page = client.get(f"/admin/services/{link.id}").get_data(as_text=True)
    assert "only an approver of" in page and ">Save</button>" not in page
    assert "/unpublish" not in page and "/delete" not in page

    response = post_form(client, f"/admin/services/{link.id}", form_data(link, fee="Gõ thử"))
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Ask one to make this change" in page and 'value="Gõ thử"' in page


def test_publishing_what_is_already_published_is_a_conflict_page(
    client, sign_in, make, organization, approver, english
):
    link = link_in(organization, make, published=True)
    sign_in(approver)

    response = post_form(client, f"/admin/services/{link.id}/publish", {}, token_from="/admin/")

    assert response.status_code == 409
    assert "This link is already published." in response.get_data(as_text=True)
    assert audit_actions(link.id) == ["service.create", "service.publish"]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/services/new",
        "/admin/services/{id}",
        "/admin/services/{id}/publish",
        "/admin/services/{id}/delete",
    ],
)
def test_a_post_without_the_csrf_token_is_refused(client, sign_in, make, organization, approver, path):
    link = link_in(organization, make, published=False)
    sign_in(approver)
    audited_before = audit_rows()

    response = client.post(path.format(id=link.id), data=form_data(link, organization_id=organization.id))

    assert response.status_code == 400
    assert audit_rows() == audited_before
    db.session.refresh(link)
    assert not link.published


def test_the_list_shows_only_the_users_organizations_links(client, sign_in, make, organization, editor):
    ours = make.service(organization=organization, name_vi="Thủ tục của chúng tôi")
    theirs = make.service(organization=make.organization(), name_vi="Thủ tục của cơ quan khác")
    sign_in(editor)

    page = client.get("/admin/services").get_data(as_text=True)

    assert f"/admin/services/{ours.id}" in page and ours.name_vi in page
    assert f"/admin/services/{theirs.id}" not in page and theirs.name_vi not in page


def test_an_administrator_sees_every_organizations_links(client, sign_in, make, with_second_factor):
    links = [make.service(organization=make.organization()) for _ in range(2)]
    sign_in(with_second_factor(make.user(is_admin=True)))

    for link in links:
        page = client.get(f"/admin/services?organization={link.organization_id}").get_data(as_text=True)
        assert f"/admin/services/{link.id}" in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=giay+phep", {"permit"}),
        ("q=%C4%90%C4%82NG+K%C3%9D", {"marriage"}),  # ĐĂNG KÝ
        ("q=hon+ket", {"marriage"}),
        ("q=xay", {"permit"}),
        ("status=draft", {"draft"}),
        ("status=published", {"permit", "marriage"}),
        ("status=unpublished", {"withdrawn"}),
        ("level=partial", {"marriage", "draft"}),
        ("field=H%E1%BB%99+t%E1%BB%8Bch", {"marriage", "withdrawn"}),  # Hộ tịch
        ("status=published&level=full", {"permit"}),
    ],
)
def test_filters_and_search(client, sign_in, make, organization, approver, query, expected):
    links = {
        "permit": make.service(organization=organization, name_vi="Cấp giấy phép xây dựng", field="Xây dựng"),
        "marriage": make.service(
            organization=organization, name_vi="Đăng ký kết hôn", level=ServiceLevel.PARTIAL
        ),
        "draft": make.service(
            organization=organization,
            name_vi="Thủ tục nháp",
            field="Đất đai",
            level=ServiceLevel.PARTIAL,
            published=False,
        ),
        "withdrawn": make.service(
            organization=organization, name_vi="Thủ tục đã gỡ", published=False, first_published_at=utcnow()
        ),
    }
    sign_in(approver)

    page = client.get(f"/admin/services?organization={organization.id}&{query}").get_data(as_text=True)

    assert {name for name, link in links.items() if f'/admin/services/{link.id}"' in page} == expected


def test_the_list_is_paged(client, sign_in, make, organization, approver):
    links = [make.service(organization=organization, name_vi=f"Thủ tục {n:02d}") for n in range(26)]
    sign_in(approver)

    first = client.get(f"/admin/services?organization={organization.id}").get_data(as_text=True)
    second = client.get(f"/admin/services?organization={organization.id}&page=2").get_data(as_text=True)

    assert f'/admin/services/{links[24].id}"' in first and f'/admin/services/{links[25].id}"' not in first
    assert f'/admin/services/{links[25].id}"' in second and f'/admin/services/{links[0].id}"' not in second
    assert 'rel="next"' in first and 'rel="prev"' in second and 'rel="next"' not in second


@pytest.fixture
def cached(app, monkeypatch):
    monkeypatch.setitem(app.config, "RESPONSE_CACHE_ENABLED", True)


def test_an_unpublished_link_leaves_the_api_its_cache_and_the_sync_at_once(
    client, sign_in, make, organization, approver, cached
):
    link = link_in(organization, make, published=True)
    db.session.commit()
    path = f"/api/v1/services/{link.id}"
    assert client.get(path).status_code == 200
    generation, since = content_generation(), utcnow()
    sign_in(approver)

    response = post_form(client, f"/admin/services/{link.id}/unpublish", {}, token_from="/admin/")

    assert response.status_code == 302
    assert content_generation() > generation
    assert client.get(path).status_code == 404
    db.session.refresh(link)
    [change] = [
        change
        for change in changes_between(since, utcnow() + timedelta(seconds=1))
        if change.kind is ItemKind.SERVICE and change.key == str(link.id)
    ]
    assert change.item is None  # a tombstone
    assert audit_actions(link.id) == ["service.create", "service.publish", "service.unpublish"]


def test_a_deleted_draft_is_gone_with_one_audit_row(client, sign_in, make, organization, editor):
    link = link_in(organization, make, published=False)
    link_id = link.id
    sign_in(editor)

    response = post_form(client, f"/admin/services/{link_id}/delete", {}, token_from="/admin/")

    assert response.status_code == 302 and response.location.endswith("/admin/services")
    db.session.expire_all()
    assert db.session.get(ServiceLink, link_id) is None
    assert audit_actions(link_id) == ["service.create", "service.delete"]
