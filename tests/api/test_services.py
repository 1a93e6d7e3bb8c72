from smart_qn.content.services import ServiceLevel


def test_lists_the_forty_demo_services(client):
    body = client.get("/api/v1/services?page_size=100").get_json()

    assert body["pagination"]["total"] == 40
    assert {item["level"] for item in body["items"]} == {"full", "partial"}


def test_filters_by_organization_field_and_level(client, make):
    organization = make.organization()
    wanted = make.service(organization=organization, field="Đất đai", level=ServiceLevel.PARTIAL)
    make.service(organization=organization, field="Đất đai", level=ServiceLevel.FULL)
    make.service(organization=organization, field="Hộ tịch", level=ServiceLevel.PARTIAL)

    response = client.get(f"/api/v1/services?organization={organization.code}&field=Đất đai&level=partial")

    assert [item["id"] for item in response.get_json()["items"]] == [wanted.id]


def test_level_label_in_both_languages(client, make):
    service = make.service(level=ServiceLevel.FULL)

    assert client.get(f"/api/v1/services/{service.id}").get_json()["level_label"] == "Toàn trình"
    assert client.get(f"/api/v1/services/{service.id}?lang=en").get_json()["level_label"] == "Fully online"


def test_unpublished_or_unknown_service_is_404(client, make):
    hidden = make.service(published=False)

    assert client.get(f"/api/v1/services/{hidden.id}").status_code == 404
    assert client.get("/api/v1/services/987654321").status_code == 404


def test_bad_level_is_422(client):
    response = client.get("/api/v1/services?level=4")

    assert response.status_code == 422
    assert "level" in response.get_json()["errors"]["query"]
