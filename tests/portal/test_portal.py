"""The portal's HTTP behaviour on every page: security headers, ETags and 304s, caching, the language
switch, and HTML error pages in the reader's language that leave the API's JSON and the admin's alone."""

import gzip
import itertools

import brotli
import pytest
from werkzeug.exceptions import InternalServerError
from werkzeug.routing import IntegerConverter

from smart_qn.i18n import LANGUAGE_COOKIE
from smart_qn.portal import SECURITY_HEADERS as EXPECTED_HEADERS
from smart_qn.portal import error_page
from tests.portal.conftest import SECURITY_HEADERS, elements, page_language


def portal_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("portal.")]


@pytest.fixture
def example_values(app, make):
    """A value for every URL argument a portal route may have: one naming a live row where it can."""
    notice = make.notice()
    service = make.service()
    return {
        "notice_id": notice.id,
        "service_id": service.id,
        "code": notice.organization.code,
        "filename": "portal.css",
    }


def example_url(rule, values: dict) -> str:
    arguments = {}
    for name in rule.arguments:
        if name in values:
            arguments[name] = values[name]
        else:
            # A route with an argument of another kind still must answer with the headers (if only a 404).
            arguments[name] = 1 if isinstance(rule._converters.get(name), IntegerConverter) else "x"
    return rule.build(arguments, append_unknown=False)[1]


def test_every_portal_route_answers_with_the_security_headers(app, client, example_values):
    checked = 0
    for rule in portal_rules(app):
        url = example_url(rule, example_values)
        for language in ("vi", "en"):
            response = client.get(url, query_string={"lang": language})
            response.close()  # a static file's
            assert response.status_code < 500, url
            for header in SECURITY_HEADERS:
                assert response.headers.get(header) == EXPECTED_HEADERS[header], (url, header)
            checked += 1
    assert checked >= 2 * 12


def test_the_content_security_policy_allows_no_inline_code_nor_framing():
    policy = EXPECTED_HEADERS["Content-Security-Policy"]

    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy


@pytest.mark.parametrize("path", ["/", "/notices", "/services", "/organizations", "/units", "/search?q=lu"])
def test_pages_have_a_weak_etag_and_answer_304(client, path):
    first = client.get(path)
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200 and first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert {"Cookie", "Accept-Language"} <= {part.strip() for part in first.headers["Vary"].split(",")}
    assert again.status_code == 304 and again.get_data() == b""
    for header in SECURITY_HEADERS:
        assert header in again.headers


@pytest.mark.parametrize(
    ("accepted", "encoding", "decode"),
    [("gzip", "gzip", gzip.decompress), ("br, gzip", "br", brotli.decompress)],
)
def test_pages_are_compressed_as_the_browser_accepts(client, accepted, encoding, decode):
    plain = client.get("/notices")
    compressed = client.get("/notices", headers={"Accept-Encoding": accepted})

    assert "Content-Encoding" not in plain.headers
    assert compressed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert decode(compressed.get_data()) == plain.get_data()
    assert len(compressed.get_data()) < len(plain.get_data()) / 3
    assert compressed.headers["ETag"] == plain.headers["ETag"]
    revalidated = client.get(
        "/notices", headers={"Accept-Encoding": accepted, "If-None-Match": compressed.headers["ETag"]}
    )
    assert revalidated.status_code == 304 and revalidated.get_data() == b""


def test_a_changed_page_has_another_etag(client, make):
    before = client.get("/notices").headers["ETag"]
    make.notice(title_vi="Thông báo mới")

    response = client.get("/notices", headers={"If-None-Match": before})

    assert response.status_code == 200 and response.headers["ETag"] != before


def test_the_language_switch_keeps_the_page_and_is_remembered(client):
    vietnamese = client.get("/notices?urgency=important")
    (switch, _text) = elements(vietnamese, "a", hreflang="en")[0]

    english = client.get(switch["href"])
    later = client.get("/services")

    assert page_language(vietnamese) == "vi"
    assert switch["href"].startswith("/notices?") and "urgency=important" in switch["href"]
    assert page_language(english) == "en" and "lang=en" in english.headers["Set-Cookie"]
    assert english.headers["Cache-Control"] == "private, no-cache"
    assert page_language(later) == "en"


def test_accept_language_chooses_english_without_a_cookie(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert page_language(response) == "en" and response.headers["Content-Language"] == "en"


def test_every_page_has_a_skip_link_to_its_main_landmark_and_labelled_search(client):
    response = client.get("/")

    assert elements(response, "a", class_="skip", href="#main")
    assert elements(response, "main", id="main")
    ((search_input, _text),) = elements(response, "input", name="q")
    assert elements(response, "label", for_=search_input["id"])


@pytest.mark.parametrize(("language", "title"), [("vi", "Không tìm thấy"), ("en", "Not Found")])
def test_unknown_pages_get_an_html_404_in_the_readers_language(client, language, title):
    client.set_cookie(LANGUAGE_COOKIE, language)

    response = client.get("/no-such-page")

    assert response.status_code == 404 and response.mimetype == "text/html"
    assert page_language(response) == language
    assert elements(response, "h1")[0][1] == title
    assert response.headers["Cache-Control"] == "no-store"
    for header in SECURITY_HEADERS:
        assert header in response.headers


def test_a_wrong_method_is_an_html_405_with_allow(client):
    response = client.delete("/notices")

    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "GET" in response.headers["Allow"]
    assert page_language(response) == "vi"


def test_the_api_keeps_its_json_errors(client):
    missing = client.get("/api/v1/nowhere")
    wrong_method = client.delete("/api/v1/notices")

    assert missing.status_code == 404 and missing.get_json()["code"] == 404
    assert wrong_method.status_code == 405 and wrong_method.get_json()["code"] == 405


def test_the_admin_keeps_its_own_error_pages(client):
    response = client.get("/admin/static/no-such-file.css")

    assert response.status_code == 404
    assert b"portal.css" not in response.get_data()


def test_every_page_type_renders_in_both_languages(client, make):
    notice, service = make.notice(), make.service()
    paths = [
        "/",
        "/notices",
        f"/notices/{notice.id}",
        "/services",
        "/services?by=agency",
        f"/services/{service.id}",
        "/organizations",
        f"/organizations/{notice.organization.code}",
        "/units",
        "/units/513",
        "/search?q=lu",
    ]
    for path, language in itertools.product(paths, ("vi", "en")):
        response = client.get(f"{path}{'&' if '?' in path else '?'}lang={language}")
        assert response.status_code == 200, (path, language)
        assert page_language(response) == language, path
        assert len(elements(response, "h1")) == 1, path


@pytest.mark.parametrize(("language", "title"), [("vi", "Lỗi máy chủ"), ("en", "Internal Server Error")])
def test_a_server_error_is_an_html_page_in_the_readers_language(app, language, title):
    # The test app lets exceptions through to the test; production answers them with this page.
    with app.test_request_context("/notices", headers={"Cookie": f"{LANGUAGE_COOKIE}={language}"}):
        response = error_page(InternalServerError())

    assert response.status_code == 500 and response.mimetype == "text/html"
    assert f'<html lang="{language}">' in response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in response.get_data(as_text=True)
    for header in SECURITY_HEADERS:
        assert header in response.headers
