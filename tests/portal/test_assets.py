import re

from smart_qn.portal.assets import FOREVER, fingerprint


def stylesheet_url(client) -> str:
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', client.get("/").get_data(as_text=True))[1]


def test_the_stylesheet_is_served_under_its_fingerprint_and_kept_for_a_year(client):
    url = stylesheet_url(client)

    response = client.get(url)
    response.close()

    assert url == f"/assets/portal.css?v={fingerprint('portal.css')}"
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == FOREVER == "public, max-age=31536000, immutable"


def test_without_the_current_fingerprint_the_file_is_revalidated(client):
    response = client.get("/assets/portal.css?v=0123456789ab")
    response.close()

    assert response.status_code == 200 and "immutable" not in response.headers["Cache-Control"]


def test_the_home_page_and_its_assets_are_light(client):
    home = client.get("/")
    stylesheet = client.get(stylesheet_url(client))
    stylesheet.close()

    assert len(home.get_data()) + int(stylesheet.headers["Content-Length"]) < 100 * 1024
    assert "<script" not in home.get_data(as_text=True)
