from smart_qn.content.services import ServiceLevel
from tests.portal.conftest import elements


def service_links(response) -> list[str]:
    return [
        attrs["href"] for attrs, _text in elements(response, "a") if attrs["href"].startswith("/services/")
    ]


def test_the_directory_groups_services_by_field_or_by_agency(client, make):
    organization = make.organization(name_vi="Sở Thử nghiệm Dịch vụ")
    birth = make.service(name_vi="Đăng ký khai sinh zsp", field="Hộ tịch zsp", organization=organization)

    by_field = client.get("/services")
    by_agency = client.get("/services?by=agency")

    assert "Hộ tịch zsp" in {text for _attrs, text in elements(by_field, "h2")}
    assert f"/services/{birth.id}" in service_links(by_field)
    assert elements(by_agency, "a", href=f"/organizations/{organization.code}")
    assert f"/services/{birth.id}" in service_links(by_agency)


def test_searching_without_accents_finds_services_with_them(client, make):
    wanted = make.service(name_vi="Cấp đổi giấy phép lái xe zsq")
    make.service(name_vi="Đăng ký kết hôn zsq")

    response = client.get("/services?q=giay+phep+zsq")

    assert service_links(response) == [f"/services/{wanted.id}"]


def test_the_level_is_shown_and_filters(client, make):
    full = make.service(name_vi="Thủ tục toàn trình zsr", level=ServiceLevel.FULL)
    partial = make.service(name_vi="Thủ tục một phần zsr", level=ServiceLevel.PARTIAL)

    everything = client.get("/services?q=zsr&lang=en")
    only_partial = client.get("/services?q=zsr&level=partial")

    levels = {text for _attrs, text in elements(everything, "span") if text.endswith(")")}
    assert levels == {"Fully online (level 4)", "Partly online (level 3)"}
    assert service_links(only_partial) == [f"/services/{partial.id}"]
    assert f"/services/{full.id}" in service_links(everything)


def test_a_service_links_out_to_the_public_service_portal(client, make):
    service = make.service(url="https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc.html?ma=1.001")

    response = client.get(f"/services/{service.id}")

    assert elements(response, "a", href="https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc.html?ma=1.001")


def test_an_unpublished_or_unknown_service_is_a_404_page(client, make):
    hidden = make.service(published=False)

    assert client.get(f"/services/{hidden.id}").status_code == 404
    assert client.get("/services?by=colour").status_code == 404
    assert client.get("/services?level=5").status_code == 404
