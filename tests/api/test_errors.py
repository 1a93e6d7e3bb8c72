def test_unknown_path_under_api_is_json_404(client):
    response = client.get("/api/v1/nowhere")

    assert response.status_code == 404
    assert response.get_json() == {"code": 404, "status": "Không tìm thấy"}


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/api/v1/notices")

    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD", "OPTIONS"}
    assert response.get_json()["code"] == 405


def test_pages_outside_the_api_get_html_errors(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
