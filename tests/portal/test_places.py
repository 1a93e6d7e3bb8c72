from tests.portal.conftest import elements


def test_an_organization_page_lists_its_notices_services_and_indicators(client, make):
    organization = make.organization(name_vi="Sở Thử nghiệm zsx")
    notice = make.notice(organization=organization)
    service = make.service(organization=organization)
    indicator = make.indicator(organization=organization, name_vi="Chỉ tiêu zsx")
    make.value(indicator, "49", "2024", 12.5)

    response = client.get(f"/organizations/{organization.code}")

    assert response.status_code == 200
    assert "Sở Thử nghiệm zsx" in elements(response, "title")[0][1]
    assert elements(response, "a", href=f"/notices/{notice.id}")
    assert elements(response, "a", href=f"/services/{service.id}")
    assert "12,5 %" in {text for _attrs, text in elements(response, "td")}


def test_a_unit_page_lists_the_notices_seen_there_and_its_communes(client, make):
    for_the_district = make.notice(audience=["513"])
    for_another = make.notice(audience=["502"])

    response = client.get("/units/513")

    assert elements(response, "h1")[0][1] == "Huyện Thăng Bình"
    assert elements(response, "a", href=f"/notices/{for_the_district.id}")
    assert not elements(response, "a", href=f"/notices/{for_another.id}")
    assert elements(response, "a", href="/units/20818")


def test_the_organization_and_unit_lists_link_to_their_pages(client):
    organizations = client.get("/organizations")
    units = client.get("/units")

    assert elements(organizations, "a", href="/organizations/SGDDT")
    assert elements(units, "a", href="/units/513") and elements(units, "a", href="/units/49")


def test_unknown_organizations_and_units_are_404_pages(client):
    assert client.get("/organizations/NO_SUCH_BODY").status_code == 404
    assert client.get("/units/99999").status_code == 404
