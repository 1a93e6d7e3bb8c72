from datetime import timedelta

import pytest

from smart_qn.content.notices import Urgency
from smart_qn.dbtypes import utcnow
from tests.factories import NOT_LIVE

# Xã Bình Trị (20818) lies in Huyện Thăng Bình (513); Phường Tân Thạnh (20335) in Thành phố Tam Kỳ (502).
COMMUNE, DISTRICT, OTHER_DISTRICT = "20818", "513", "502"


def ids(response) -> list[int]:
    return [item["id"] for item in response.get_json()["items"]]


def test_commune_sees_its_own_its_districts_and_province_wide_notices(client, make):
    organization = make.organization()
    for_commune = make.notice(audience=[COMMUNE], organization=organization)
    for_district = make.notice(audience=[DISTRICT], organization=organization)
    for_province = make.notice(audience=["49"], organization=organization)
    for_other_district = make.notice(audience=[OTHER_DISTRICT], organization=organization)
    for_other_commune = make.notice(audience=["20335"], organization=organization)

    response = client.get(f"/api/v1/notices?unit={COMMUNE}&organization={organization.code}")

    assert response.status_code == 200
    assert set(ids(response)) == {for_commune.id, for_district.id, for_province.id}
    assert for_other_district.id not in ids(response) and for_other_commune.id not in ids(response)


def test_district_does_not_see_its_communes_notices(client, make):
    organization = make.organization()
    make.notice(audience=[COMMUNE], organization=organization)
    for_district = make.notice(audience=[DISTRICT], organization=organization)

    response = client.get(f"/api/v1/notices?unit={DISTRICT}&organization={organization.code}")

    assert ids(response) == [for_district.id]


def test_pinned_first_then_newest(client, make):
    organization = make.organization()
    now = utcnow()
    old_pinned = make.notice(organization=organization, pinned=True, publish_at=now - timedelta(days=9))
    newest = make.notice(organization=organization, publish_at=now - timedelta(minutes=5))
    older = make.notice(organization=organization, publish_at=now - timedelta(days=2))

    response = client.get(f"/api/v1/notices?organization={organization.code}")

    assert ids(response) == [old_pinned.id, newest.id, older.id]


@pytest.mark.parametrize("fields", NOT_LIVE.values(), ids=NOT_LIVE.keys())
def test_unpublished_notices_are_neither_listed_nor_served(client, make, fields):
    organization = make.organization()
    hidden = make.notice(organization=organization, **fields)

    assert ids(client.get(f"/api/v1/notices?organization={organization.code}")) == []
    response = client.get(f"/api/v1/notices/{hidden.id}")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_unknown_notice_is_404(client):
    assert client.get("/api/v1/notices/999999999").status_code == 404


def test_detail_has_sanitized_html_body(client, make):
    notice = make.notice(body_vi="Xem [chi tiết](https://quangnam.gov.vn) <script>alert(1)</script>")

    body = client.get(f"/api/v1/notices/{notice.id}").get_json()

    assert 'href="https://quangnam.gov.vn"' in body["body_html"]
    assert "<script>" not in body["body_html"]
    assert body["audience"] == [{"code": "49", "name": "Tỉnh Quảng Nam", "level": 1}]


def test_filters_by_category_and_urgency(client, make):
    organization, warnings = make.organization(), make.category_by_slug("thien-tai")
    emergency = make.notice(organization=organization, category=warnings, urgency=Urgency.EMERGENCY)
    make.notice(organization=organization, category=warnings)
    make.notice(organization=organization, urgency=Urgency.EMERGENCY)

    response = client.get(
        f"/api/v1/notices?organization={organization.code}&category=thien-tai&urgency=emergency"
    )

    assert ids(response) == [emergency.id]


def test_english_with_vietnamese_fallback(client, make):
    organization = make.organization()
    both = make.notice(
        organization=organization,
        title_en="Flood warning",
        summary_en="Rivers are rising.",
        body_en="Move to **higher ground**.",
    )
    vietnamese_only = make.notice(organization=organization, title_vi="Chỉ có tiếng Việt")

    items = {
        item["id"]: item
        for item in client.get(f"/api/v1/notices?organization={organization.code}&lang=en").get_json()[
            "items"
        ]
    }

    assert items[both.id]["language"] == "en" and items[both.id]["title"] == "Flood warning"
    assert items[vietnamese_only.id]["language"] == "vi"
    assert items[vietnamese_only.id]["title"] == "Chỉ có tiếng Việt"
    detail = client.get(f"/api/v1/notices/{both.id}?lang=en").get_json()
    assert "<strong>higher ground</strong>" in detail["body_html"]


def test_pagination(client, make):
    organization = make.organization()
    for _ in range(5):
        make.notice(organization=organization)

    first = client.get(f"/api/v1/notices?organization={organization.code}&page_size=2").get_json()
    last = client.get(f"/api/v1/notices?organization={organization.code}&page_size=2&page=3").get_json()

    assert first["pagination"] == {"page": 1, "page_size": 2, "total": 5, "total_pages": 3}
    assert len(first["items"]) == 2 and len(last["items"]) == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("colour=red", "colour"),
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page=0", "page"),
        ("urgency=panic", "urgency"),
        ("unit=99999", "unit"),
        ("category=no-such-thing", "category"),
        ("organization=NOPE", "organization"),
        ("lang=fr", "lang"),
    ],
)
def test_bad_query_is_422_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/notices?{query}")

    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and field in body["errors"]["query"]


def test_demo_notices_are_listed(client):
    body = client.get("/api/v1/notices?page_size=100").get_json()

    assert body["pagination"]["total"] >= 100
    assert {item["urgency"] for item in body["items"]} >= {"normal", "important"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_listed_notice_is_its_detail_without_the_body(client, make, lang):
    # The list presents rows read without the ORM, the detail an ORM object: both must say the same.
    organization = make.organization()
    notice = make.notice(
        organization=organization,
        audience=[COMMUNE, DISTRICT, OTHER_DISTRICT],
        title_en="Road closed",
        summary_en="Detour via QL1A.",
        pinned=True,
        expire_at=utcnow() + timedelta(days=3),
    )

    (listed,) = client.get(f"/api/v1/notices?organization={organization.code}&lang={lang}").get_json()[
        "items"
    ]
    detail = client.get(f"/api/v1/notices/{notice.id}?lang={lang}").get_json()

    assert listed == {key: value for key, value in detail.items() if key not in ("body_html", "attachments")}
    assert [unit["code"] for unit in listed["audience"]] == sorted([COMMUNE, DISTRICT, OTHER_DISTRICT])


def test_pages_of_the_unfiltered_list_follow_each_other(client):
    # Without filters the list runs a page statement made once, with the page bound at each request.
    six = client.get("/api/v1/notices?page_size=6").get_json()
    first = client.get("/api/v1/notices?page_size=3").get_json()
    second = client.get("/api/v1/notices?page_size=3&page=2").get_json()

    assert [item["id"] for item in first["items"] + second["items"]] == [item["id"] for item in six["items"]]
    assert second["pagination"]["total"] == six["pagination"]["total"] >= 6
