from tests.portal.conftest import elements


def result_links(response) -> list[str]:
    return [
        attrs["href"]
        for attrs, _text in elements(response, "a")
        if attrs.get("href", "").startswith(("/notices/", "/services/"))
    ]


def test_search_without_accents_finds_accented_notices_and_services(client, make):
    notice = make.notice(title_vi="Cảnh báo sạt lở đất zst")
    service = make.service(name_vi="Cấp giấy phép xây dựng sạt lở zst")

    response = client.get("/search?q=sat+lo+zst")

    assert response.status_code == 200
    assert set(result_links(response)) >= {f"/notices/{notice.id}", f"/services/{service.id}"}


def test_the_words_found_are_highlighted_and_the_rest_escaped(client, make):
    make.notice(title_vi="Đường <b>Quảng</b> Nam zsu", summary_vi="Sửa đường zsu.")

    response = client.get("/search?q=duong+zsu")
    page = response.get_data(as_text=True)

    marked = [text for _attrs, text in elements(response, "mark")]
    assert "Đường" in marked and "zsu" in marked
    assert "&lt;b&gt;" in page and "<b>Quảng</b>" not in page


def test_kind_narrows_the_search(client, make):
    make.notice(title_vi="Thông báo zsv")
    service = make.service(name_vi="Thủ tục zsv")

    response = client.get("/search?q=zsv&kind=service")

    assert result_links(response) == [f"/services/{service.id}"]


def test_english_results_fall_back_to_vietnamese_marked_as_such(english, make):
    make.notice(title_vi="Chỉ tiếng Việt zsw")

    response = english.get("/search?q=zsw")

    ((heading, _text),) = elements(response, "h2")
    assert heading == {"lang": "vi"}


def test_an_empty_search_shows_the_form_only(client):
    response = client.get("/search?q=")

    assert response.status_code == 200 and not elements(response, "ol")
    assert client.get("/search?q=lu&kind=everything").status_code == 404
