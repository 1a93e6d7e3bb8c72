def test_default_map_has_one_province_18_districts_241_communes(client):
    items = client.get("/api/v1/units").get_json()["items"]

    assert [sum(1 for unit in items if unit["level"] == level) for level in (1, 2, 3)] == [1, 18, 241]


def test_as_of_chooses_the_map(client):
    early_2025 = client.get("/api/v1/units?as_of=2025-03-01&level=3").get_json()["items"]
    after_merger = client.get("/api/v1/units?as_of=2025-07-01").get_json()["items"]

    assert len(early_2025) == 233
    assert [unit["name"] for unit in after_merger if unit["level"] == 1] == ["Thành phố Đà Nẵng"]
    assert not [unit for unit in after_merger if unit["level"] == 2]


def test_reused_code_resolves_by_date(client):
    before = client.get("/api/v1/units/20335").get_json()
    after = client.get("/api/v1/units/20335?as_of=2025-07-01").get_json()

    assert before["name"] == "Phường Tân Thạnh" and before["parent"]["code"] == "502"
    assert after["name"] == "Phường Bàn Thạch" and after["parent"]["code"] == "48"
    assert "20335" in [unit["code"] for unit in after["predecessors"]]


def test_successors_across_the_2025_merger_of_nong_son(client):
    nong_son = client.get("/api/v1/units/519").get_json()

    assert [unit["code"] for unit in nong_son["successors"]] == ["509"]
    assert client.get("/api/v1/units/519?as_of=2025-01-01").status_code == 404


def test_tree_nests_communes_under_districts(client):
    (province,) = client.get("/api/v1/units?format=tree").get_json()["items"]

    assert province["code"] == "49" and len(province["children"]) == 18
    assert sum(len(district["children"]) for district in province["children"]) == 241


def test_children_of_a_parent(client):
    items = client.get("/api/v1/units?parent=513").get_json()["items"]

    assert items and {unit["parent_code"] for unit in items} == {"513"}


def test_english_names(client):
    assert client.get("/api/v1/units/502?lang=en").get_json()["name_en"] == "Tam Ky City"


def test_bad_arguments_are_422(client):
    for query in ("level=4", "as_of=yesterday", "format=xml", "parent=00000"):
        assert client.get(f"/api/v1/units?{query}").status_code == 422, query
