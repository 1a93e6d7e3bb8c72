def test_organizations_active_on_the_default_date(client):
    organizations = {item["code"]: item for item in client.get("/api/v1/organizations").get_json()}

    assert organizations["SYT"]["name"] == "Sở Y tế"
    assert organizations["UBND-513"]["unit"]["code"] == "513"
    assert organizations["UBND-513"]["kind"] == "district_committee"
    assert "STC2025" not in organizations  # formed 2025-03-01


def test_organizations_after_the_2025_department_mergers(client):
    organizations = {
        item["code"]: item for item in client.get("/api/v1/organizations?as_of=2025-04-01").get_json()
    }

    assert "STC2025" in organizations and "SKHDT" not in organizations
    assert "UBND-519" not in organizations  # Nông Sơn merged into Quế Sơn on 2025-01-01


def test_organizations_by_kind(client):
    kinds = {item["kind"] for item in client.get("/api/v1/organizations?kind=central_agency").get_json()}

    assert kinds == {"central_agency"}


def test_categories_in_both_languages(client):
    vietnamese = client.get("/api/v1/categories").get_json()
    english = client.get("/api/v1/categories?lang=en").get_json()

    assert vietnamese[0] == {
        "slug": "thien-tai",
        "name": "Phòng chống thiên tai",
        "name_vi": "Phòng chống thiên tai",
        "name_en": "Disaster prevention",
    }
    assert english[0]["name"] == "Disaster prevention"
