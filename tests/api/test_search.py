from datetime import timedelta

import pytest

from smart_qn.content.notices import NoticeState
from smart_qn.dbtypes import utcnow
from smart_qn.text import fold_vi


def items(response) -> list[dict]:
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def found(response) -> list[tuple[str, int | str]]:
    return [(item["kind"], item["id"] or item["code"]) for item in items(response)]


def test_finds_every_kind_with_what_a_client_needs(client, make):
    notice = make.notice(title_vi="Thông báo Zsa về đường Hùng Vương")
    service = make.service(name_vi="Thủ tục Zsa")
    indicator = make.indicator(code="ZSA_RATE", name_vi="Tỷ lệ Zsa")

    body = client.get("/api/v1/search?q=zsa").get_json()

    assert body["pagination"] == {"page": 1, "page_size": 20, "total": 3, "total_pages": 1}
    by_kind = {item["kind"]: item for item in body["items"]}
    assert by_kind["notice"]["id"] == notice.id and by_kind["notice"]["code"] is None
    assert by_kind["service"]["id"] == service.id and by_kind["service"]["code"] is None
    assert by_kind["indicator"]["code"] == indicator.code and by_kind["indicator"]["id"] is None
    assert by_kind["notice"] == {
        "kind": "notice",
        "id": notice.id,
        "code": None,
        "title": "Thông báo Zsa về đường Hùng Vương",
        "language": "vi",
        "score": 1.0,
        "snippet": "Tóm tắt thông báo. Nội dung thông báo.",
        "highlights": [],
        "title_highlights": [[10, 13]],
    }


@pytest.mark.parametrize("q", ["quang nam zsb", "Quảng Nam ZSB", "QUANG NAM zsb", "quảng   nam,  zsb"])
def test_accents_and_case_do_not_matter(client, make, q):
    accented = make.notice(title_vi="Tỉnh Quảng Nam Zsb")
    plain = make.service(name_vi="Quang Nam Zsb")

    assert {item["id"] for item in items(client.get("/api/v1/search", query_string={"q": q}))} == {
        accented.id,
        plain.id,
    }


def test_duong_finds_duong_with_its_accents_highlighted(client, make):
    notice = make.notice(
        title_vi="Cấm xe Zsc", body_vi="Tạm cấm xe trên **Đường** Bạch Đằng từ 20 giờ đến 23 giờ."
    )

    (item,) = items(client.get("/api/v1/search?q=duong%20zsc"))

    assert item["id"] == notice.id
    assert [item["snippet"][start:end] for start, end in item["highlights"]] == ["Đường"]
    assert [item["title"][start:end] for start, end in item["title_highlights"]] == ["Zsc"]


def test_exact_accents_and_titles_rank_first(client, make):
    now = utcnow()
    body_folded = make.notice(title_vi="Tin Zsd", body_vi="Quàng.", publish_at=now - timedelta(minutes=1))
    title_folded = make.notice(title_vi="Quang Zsd", publish_at=now - timedelta(minutes=2))
    body_exact = make.notice(title_vi="Tin Zsd", body_vi="Quảng.", publish_at=now - timedelta(minutes=3))
    title_exact = make.notice(title_vi="Quảng Zsd", publish_at=now - timedelta(minutes=4))

    response = client.get("/api/v1/search", query_string={"q": "Quảng zsd"})

    assert [item["id"] for item in items(response)] == [
        title_exact.id,
        title_folded.id,
        body_exact.id,
        body_folded.id,
    ]
    assert [item["score"] for item in items(response)] == [1.0, 0.875, 0.75, 0.625]


def test_every_word_must_match(client, make):
    both = make.service(name_vi="Đăng ký khai sinh Zse")
    make.service(name_vi="Đăng ký kết hôn Zse")

    assert found(client.get("/api/v1/search?q=zse%20khai%20sinh")) == [("service", both.id)]


def test_kind_narrows_the_search(client, make):
    make.notice(title_vi="Zsf")
    service = make.service(name_vi="Zsf")

    assert found(client.get("/api/v1/search?q=zsf&kind=service")) == [("service", service.id)]


def test_english_with_vietnamese_fallback(client, make):
    both = make.notice(title_vi="Cảnh báo lũ Zsg", title_en="Flood warning Zsg", summary_en="Rivers rise.")
    vietnamese_only = make.notice(title_vi="Chỉ tiếng Việt Zsg")

    by_id = {item["id"]: item for item in items(client.get("/api/v1/search?q=zsg&lang=en"))}

    assert by_id[both.id]["language"] == "en" and by_id[both.id]["title"] == "Flood warning Zsg"
    assert by_id[both.id]["snippet"].startswith("Rivers rise.")
    assert by_id[vietnamese_only.id]["language"] == "vi"
    assert by_id[vietnamese_only.id]["title"] == "Chỉ tiếng Việt Zsg"


def test_snippets_are_short_plain_text_cut_with_an_ellipsis(client, make):
    body = " ".join(["Đoạn mở đầu **không liên quan**."] * 15) + " Sơ tán dân ở Zsh ngay. " + "Hết. " * 40
    make.notice(title_vi="Sơ tán", body_vi=body)

    (item,) = items(client.get("/api/v1/search?q=zsh"))

    assert len(item["snippet"]) <= 160
    assert item["snippet"].startswith("…") and item["snippet"].endswith("…")
    assert "**" not in item["snippet"] and "<" not in item["snippet"]
    assert [item["snippet"][start:end] for start, end in item["highlights"]] == ["Zsh"]


def test_highlights_fold_to_the_search_words(client, make):
    make.notice(title_vi="Mưa lớn ở Quảng Nam Zsi", body_vi="Đề nghị người dân ở QUẢNG NAM chú ý.")

    (item,) = items(client.get("/api/v1/search?q=quang%20nam%20zsi"))

    words = {fold_vi(item["snippet"][start:end]) for start, end in item["highlights"]}
    assert words == {"quang", "nam"}
    assert [item["title"][start:end] for start, end in item["title_highlights"]] == ["Quảng", "Nam", "Zsi"]


@pytest.mark.parametrize(
    "fields",
    [
        {"state": NoticeState.DRAFT},
        {"state": NoticeState.IN_REVIEW},
        {"publish_at": utcnow() + timedelta(days=1)},
        {"publish_at": utcnow() - timedelta(days=3), "expire_at": utcnow() - timedelta(days=1)},
    ],
    ids=["draft", "in-review", "scheduled", "expired"],
)
def test_drafts_scheduled_and_expired_notices_are_never_found(client, make, fields):
    organization = make.organization()
    make.notice(title_vi="Zsj", organization=organization, **fields)

    assert items(client.get("/api/v1/search?q=zsj")) == []
    assert items(client.get(f"/api/v1/notices?q=zsj&organization={organization.code}")) == []


def test_pages(client, make):
    now = utcnow()
    notices = [make.notice(title_vi=f"Zsk {n}", publish_at=now - timedelta(hours=n)) for n in range(1, 4)]

    first = client.get("/api/v1/search?q=zsk&page_size=2").get_json()
    second = client.get("/api/v1/search?q=zsk&page_size=2&page=2").get_json()

    assert [item["id"] for item in first["items"] + second["items"]] == [notice.id for notice in notices]
    assert second["pagination"] == {"page": 2, "page_size": 2, "total": 3, "total_pages": 2}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "q"),
        ("q=", "q"),
        ("q=%20%20%20", "q"),
        ("q=" + "a" * 201, "q"),
        ("q=x&kind=event", "kind"),
        ("q=x&kind=", "kind"),
        ("q=x&sort=date", "sort"),
        ("q=x&page=0", "page"),
        ("q=a%00b", "q"),
    ],
    ids=[
        "missing",
        "empty",
        "blank",
        "too-long",
        "unknown-kind",
        "empty-kind",
        "unknown-parameter",
        "page-0",
        "nul",
    ],
)
def test_bad_queries_are_422(client, query, field):
    response = client.get(f"/api/v1/search?{query}")

    assert response.status_code == 422
    assert field in response.get_json()["errors"]["query"]


def test_the_longest_query_is_200_characters_after_trimming(client):
    assert client.get("/api/v1/search", query_string={"q": " " + "a" * 200 + " "}).status_code == 200


# q on the lists -----------------------------------------------------------------------------------------


def test_notices_q_filters_and_ranks_with_the_other_filters(client, make):
    organization = make.organization()
    now = utcnow()
    in_body = make.notice(
        organization=organization, title_vi="Thông báo", body_vi="Đường ngập.", publish_at=now
    )
    in_title = make.notice(
        organization=organization, title_vi="Đường ngập", publish_at=now - timedelta(days=1)
    )
    pinned_unrelated = make.notice(organization=organization, title_vi="Lịch tiếp dân", pinned=True)
    make.notice(title_vi="Đường ngập ở nơi khác")  # another organization

    response = client.get(f"/api/v1/notices?q=duong&organization={organization.code}")

    assert [item["id"] for item in items(response)] == [in_title.id, in_body.id]
    assert pinned_unrelated.id not in [item["id"] for item in items(response)]
    assert response.get_json()["pagination"]["total"] == 2


def test_notices_without_q_keep_their_order(client, make):
    organization = make.organization()
    now = utcnow()
    older = make.notice(organization=organization, title_vi="Đường", publish_at=now - timedelta(days=1))
    newer = make.notice(organization=organization, title_vi="Tin", publish_at=now)

    assert [
        item["id"] for item in items(client.get(f"/api/v1/notices?organization={organization.code}"))
    ] == [
        newer.id,
        older.id,
    ]


def test_services_q(client, make):
    organization = make.organization()
    by_field = make.service(organization=organization, name_vi="Trích lục", field="Hộ tịch")
    by_name = make.service(organization=organization, name_vi="Cấp bản sao hộ tịch", field="Chứng thực")
    make.service(organization=organization, name_vi="Cấp phép xây dựng", field="Xây dựng")

    response = client.get(f"/api/v1/services?q=HO%20TICH&organization={organization.code}")

    assert [item["id"] for item in items(response)] == [by_name.id, by_field.id]


def test_indicators_q(client, make):
    organization = make.organization()
    named = make.indicator(organization=organization, name_vi="Tỷ lệ hộ nghèo Zsl")
    described = make.indicator(
        organization=organization, name_vi="Chỉ số Zsl", description_vi="Tỷ lệ hộ nghèo theo chuẩn mới."
    )
    make.indicator(organization=organization, name_vi="Tăng trưởng Zsl")

    response = client.get(f"/api/v1/indicators?q=ho%20ngheo&organization={organization.code}")

    assert [item["code"] for item in items(response)] == [named.code, described.code]


def test_unpublished_services_are_not_listed_by_q(client, make):
    organization = make.organization()
    make.service(organization=organization, name_vi="Thủ tục Zsm", published=False)

    assert items(client.get(f"/api/v1/services?q=zsm&organization={organization.code}")) == []


@pytest.mark.parametrize("resource", ["notices", "services", "indicators"])
@pytest.mark.parametrize("q", ["", "%20", "a" * 201])
def test_lists_refuse_a_blank_or_too_long_q(client, resource, q):
    response = client.get(f"/api/v1/{resource}?q={q}")

    assert response.status_code == 422
    assert "q" in response.get_json()["errors"]["query"]


def test_search_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    operation = spec["paths"]["/api/v1/search"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["q"]["required"] is True
    assert parameters["q"]["schema"]["maxLength"] == 200
    assert parameters["kind"]["schema"]["enum"] == ["notice", "service", "indicator"]
    for resource in ("notices", "services", "indicators"):
        names = [parameter["name"] for parameter in spec["paths"][f"/api/v1/{resource}"]["get"]["parameters"]]
        assert "q" in names, resource
