import re

from openapi_spec_validator import validate


def test_openapi_document_is_valid(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    validate(spec)
    assert spec["info"]["title"] == "Smart Quảng Nam API"


def test_every_operation_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    operations = [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in {"get", "put", "post", "patch", "delete"}
    ]
    assert len(operations) >= 11
    for path, method, operation in operations:
        assert operation.get("summary"), f"{method} {path} has no summary"
        assert operation["responses"].keys() & {"200", "201", "204"}, f"{method} {path}"
        if method != "delete":
            assert "422" in operation["responses"], f"{method} {path} does not document bad input"
        for parameter in operation.get("parameters", []):
            assert "schema" in parameter and "type" in parameter["schema"], (path, parameter)
        if "{" in path:
            assert "404" in operation["responses"], f"{method} {path} does not document 404"


def test_page_size_maximum_is_documented(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()

    parameters = spec["paths"]["/api/v1/notices"]["get"]["parameters"]
    page_size = next(parameter for parameter in parameters if parameter["name"] == "page_size")
    assert page_size["schema"]["maximum"] == app.config["PAGE_SIZE_MAX"]


def test_docs_pages_use_only_vendored_assets(client):
    for path in ("/api/docs", "/api/docs/redoc"):
        page = client.get(path)
        assert page.status_code == 200, path
        html = page.get_data(as_text=True)
        external = [
            url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if url.startswith(("http", "//"))
        ]
        assert external == [], path
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
            with client.get(asset) as response:
                assert response.status_code == 200, asset
