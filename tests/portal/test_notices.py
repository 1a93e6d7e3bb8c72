from datetime import timedelta

import pytest
from sqlalchemy import select

from smart_qn.accounts.organizations import Organization
from smart_qn.content.attachments import NoticeAttachment
from smart_qn.content.notices import Urgency
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.i18n import LANGUAGE_COOKIE
from tests.factories import NOT_LIVE, SAMPLE_PDF
from tests.portal.conftest import elements, page_language


def notice_links(response) -> list[str]:
    return [
        attrs["href"] for attrs, _text in elements(response, "a") if attrs["href"].startswith("/notices/")
    ]


def test_the_list_filters_by_unit_category_and_urgency(client, make):
    organization, category = make.organization(), make.category()
    wanted = make.notice(
        organization=organization, category=category, audience=["513"], urgency=Urgency.EMERGENCY
    )
    make.notice(organization=organization, category=category, audience=["502"], urgency=Urgency.EMERGENCY)
    make.notice(organization=organization, category=category, audience=["513"], urgency=Urgency.NORMAL)
    make.notice(organization=organization, audience=["513"], urgency=Urgency.EMERGENCY)

    response = client.get(f"/notices?unit=20818&category={category.slug}&urgency=emergency")

    assert response.status_code == 200
    assert notice_links(response) == [f"/notices/{wanted.id}"]


def test_the_list_has_pages_that_keep_the_filters(client, make):
    organization = make.organization()
    now = utcnow()
    notices = [
        make.notice(organization=organization, publish_at=now - timedelta(minutes=minutes))
        for minutes in range(1, 23)
    ]

    first = client.get(f"/notices?organization={organization.code}")
    ((next_link, _text),) = elements(first, "a", rel="next")
    second = client.get(next_link["href"])

    assert notice_links(first) == [f"/notices/{notice.id}" for notice in notices[:20]]
    assert f"organization={organization.code}" in next_link["href"]
    assert notice_links(second) == [f"/notices/{notice.id}" for notice in notices[20:]]
    assert client.get(f"/notices?organization={organization.code}&page=3").status_code == 404


@pytest.mark.parametrize(
    "query", ["category=no-such-category", "unit=99999", "urgency=apocalyptic", "page=0", "page=x"]
)
def test_unknown_filters_are_a_404_page(client, query):
    response = client.get(f"/notices?{query}")

    assert response.status_code == 404 and response.mimetype == "text/html"


def test_english_page_falls_back_to_vietnamese_content_marked_as_such(english, make):
    only_vietnamese = make.notice(title_vi="Thông báo chỉ có tiếng Việt")
    translated = make.notice(
        title_vi="Thông báo song ngữ", title_en="Bilingual notice", summary_en="In English."
    )

    listing = english.get(f"/notices?organization={only_vietnamese.organization.code}")
    detail = english.get(f"/notices/{only_vietnamese.id}")
    translated_detail = english.get(f"/notices/{translated.id}")

    assert page_language(listing) == "en"
    (heading,) = [attrs for attrs, _text in elements(listing, "h2") if attrs]
    assert heading == {"lang": "vi"}
    assert page_language(detail) == "en"
    assert elements(detail, "header", lang="vi") and elements(detail, "div", class_="body", lang="vi")
    assert elements(translated_detail, "h1")[0][1] == "Bilingual notice"
    assert not elements(translated_detail, "header", lang="vi")


def test_a_notice_shows_its_organization_dates_audience_and_files(client, make):
    # A demo organization: the API's name maps, kept in the process, could still hold an earlier test's
    # row under a new one's id (ids come back after each test's rollback).
    organization = db.session.scalar(select(Organization).filter_by(code="SGDDT"))
    attachment = make.attachment(organization, data=SAMPLE_PDF, filename="ke-hoach.pdf")
    notice = make.notice(
        organization=organization,
        audience=["513", "502"],
        publish_at=utcnow().replace(hour=1, minute=30, second=0, microsecond=0) - timedelta(days=1),
        expire_at=utcnow() + timedelta(days=3),
    )
    notice.attachment_links = [NoticeAttachment(attachment=attachment, position=0)]
    db.session.flush()

    response = client.get(f"/notices/{notice.id}")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert elements(response, "a", href="/organizations/SGDDT")[0][1] == "Sở Giáo dục và Đào tạo"
    published_in_vietnam = (notice.publish_at + timedelta(hours=7)).strftime("%d/%m/%Y %H:%M")
    assert published_in_vietnam in page
    assert "Huyện Thăng Bình" in page and "Thành phố Tam Kỳ" in page
    ((file_link, name),) = elements(response, "a", href=f"/api/v1/attachments/{attachment.id}/ke-hoach.pdf")
    assert name == "ke-hoach.pdf"
    served = client.get(file_link["href"])
    served.close()
    assert served.status_code == 200


def test_a_notice_has_share_friendly_title_and_open_graph_tags(client, make):
    notice = make.notice(title_vi="Cảnh báo lũ trên sông Vu Gia", summary_vi="Mực nước đang lên.")

    response = client.get(f"/notices/{notice.id}")

    assert elements(response, "title")[0][1].startswith("Cảnh báo lũ trên sông Vu Gia")
    properties = {
        attrs["property"]: attrs["content"]
        for attrs, _text in elements(response, "meta")
        if "property" in attrs
    }
    assert properties["og:title"] == "Cảnh báo lũ trên sông Vu Gia"
    assert properties["og:description"] == "Mực nước đang lên."
    assert properties["og:url"] == f"http://localhost/notices/{notice.id}"
    assert properties["og:type"] == "article" and properties["og:locale"] == "vi_VN"


@pytest.mark.parametrize("fields", NOT_LIVE.values(), ids=NOT_LIVE.keys())
@pytest.mark.parametrize(("language", "title"), [("vi", "Không tìm thấy"), ("en", "Not Found")])
def test_a_notice_residents_may_not_see_is_a_404_page_in_their_language(
    client, make, fields, language, title
):
    hidden = make.notice(**fields)
    client.set_cookie(LANGUAGE_COOKIE, language)

    response = client.get(f"/notices/{hidden.id}")

    assert response.status_code == 404 and response.mimetype == "text/html"
    assert page_language(response) == language and elements(response, "h1")[0][1] == title


def test_an_unknown_notice_is_a_404_page(client):
    assert client.get("/notices/2147483647").status_code == 404
    assert client.get("/notices/2147483648").status_code == 404
