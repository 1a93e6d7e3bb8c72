"""Languages, ETags, caching, compression and rate limits of the public API."""

import gzip

import brotli
import pytest

from smart_qn.extensions import db


@pytest.fixture
def cached(app, monkeypatch):
    monkeypatch.setitem(app.config, "RESPONSE_CACHE_ENABLED", True)


def test_etag_and_304(client):
    first = client.get("/api/v1/categories")
    again = client.get("/api/v1/categories", headers={"If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200 and first.headers["ETag"].startswith('"')
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]


def test_a_different_etag_gets_the_body(client):
    response = client.get("/api/v1/categories", headers={"If-None-Match": '"something-else"'})

    assert response.status_code == 200 and response.get_json()


def test_cache_headers(client, app):
    response = client.get("/api/v1/notices")

    assert response.headers["Cache-Control"] == f"public, max-age={app.config['CACHE_MAX_AGE']}"
    assert response.headers["Vary"] == "Accept-Language, Accept-Encoding"
    assert response.headers["Content-Language"] == "vi"


def test_errors_are_not_cached(client):
    assert client.get("/api/v1/notices/999999").headers["Cache-Control"] == "no-store"


def test_accept_language_chooses_english_and_lang_overrides_it(client):
    english = client.get("/api/v1/categories", headers={"Accept-Language": "en-US,en;q=0.9,vi;q=0.5"})
    forced = client.get("/api/v1/categories?lang=vi", headers={"Accept-Language": "en"})
    unknown = client.get("/api/v1/categories", headers={"Accept-Language": "fr"})

    assert (
        english.headers["Content-Language"] == "en" and english.get_json()[0]["name"] == "Disaster prevention"
    )
    assert (
        forced.headers["Content-Language"] == "vi" and forced.get_json()[0]["name"] == "Phòng chống thiên tai"
    )
    assert unknown.headers["Content-Language"] == "vi"


def test_error_messages_are_translated(client):
    vietnamese = client.get("/api/v1/notices/999999").get_json()
    english = client.get("/api/v1/notices/999999?lang=en").get_json()
    unknown_field = client.get("/api/v1/notices?colour=red").get_json()

    assert (
        vietnamese["status"] == "Không tìm thấy"
        and vietnamese["message"] == "Không có thông báo đã đăng với mã này."
    )
    assert english["status"] == "Not Found" and english["message"] == "No published notice with this id."
    assert unknown_field["errors"]["query"]["colour"] == ["Tham số không được hỗ trợ."]


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip", "gzip", gzip.decompress), ("br, gzip", "br", brotli.decompress)],
)
def test_large_json_is_compressed(client, accept, encoding, decode):
    plain = client.get("/api/v1/notices?page_size=50")
    compressed = client.get("/api/v1/notices?page_size=50", headers={"Accept-Encoding": accept})

    assert "Content-Encoding" not in plain.headers
    assert compressed.headers["Content-Encoding"] == encoding
    assert decode(compressed.get_data()) == plain.get_data()
    assert compressed.headers["ETag"] == plain.headers["ETag"][:-1] + f'-{encoding}"'
    revalidated = client.get(
        "/api/v1/notices?page_size=50",
        headers={"Accept-Encoding": accept, "If-None-Match": compressed.headers["ETag"]},
    )
    assert revalidated.status_code == 304


def test_small_json_is_not_compressed(client, make):
    empty_list = f"/api/v1/notices?organization={make.organization().code}"

    assert "Content-Encoding" not in client.get(empty_list, headers={"Accept-Encoding": "gzip"}).headers


def test_response_cache_serves_until_content_changes(client, make, cached):
    notice = make.notice(title_vi="Bản đầu")
    db.session.commit()
    path = f"/api/v1/notices/{notice.id}"
    assert client.get(path).get_json()["title"] == "Bản đầu"

    db.session.execute(notice.__table__.update().values(title_vi="Sửa ngầm"))  # no ORM event: cache stays
    assert client.get(path).get_json()["title"] == "Bản đầu"

    notice.title_vi = "Bản mới"
    db.session.commit()
    assert client.get(path).get_json()["title"] == "Bản mới"


def test_response_cache_never_outlives_the_next_expiry(app, make, cached):
    from datetime import timedelta

    from smart_qn.api.http import entry_ttl
    from smart_qn.dbtypes import utcnow

    make.notice(expire_at=utcnow() + timedelta(seconds=30))

    assert entry_ttl() <= 30


def test_cache_is_per_language(client, make, cached):
    notice = make.notice(title_vi="Tiếng Việt", title_en="English", summary_en="S", body_en="B")
    db.session.commit()

    assert client.get(f"/api/v1/notices/{notice.id}").get_json()["title"] == "Tiếng Việt"
    assert (
        client.get(f"/api/v1/notices/{notice.id}", headers={"Accept-Language": "en"}).get_json()["title"]
        == "English"
    )


def test_rate_limit_answers_429_with_retry_after(rate_limited_client):
    limited_client = rate_limited_client("3 per minute")
    statuses = [limited_client.get("/api/v1/categories").status_code for _ in range(4)]
    refused = limited_client.get("/api/v1/categories")

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["code"] == 429


def test_rate_limits_are_per_client_address(rate_limited_client):
    limited_client = rate_limited_client("3 per minute")
    for _ in range(3):
        limited_client.get("/api/v1/categories", environ_base={"REMOTE_ADDR": "10.0.0.1"})

    assert (
        limited_client.get("/api/v1/categories", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 429
    )
    assert (
        limited_client.get("/api/v1/categories", environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 200
    )


def test_cache_hits_keep_every_rule(client, make, cached, monkeypatch):
    """Hits are answered in front of Flask: same headers, 304s, stored compressed forms, request ids."""
    from smart_qn.api.notices import routes

    organization = make.organization()
    for _ in range(30):
        make.notice(organization=organization)
    db.session.commit()
    path = f"/api/v1/notices?organization={organization.code}&page_size=30"
    gzip_header = {"Accept-Encoding": "gzip"}
    first, first_gzip = client.get(path), client.get(path, headers=gzip_header)
    monkeypatch.setattr(routes, "present_notices", lambda *_args, **_kw: pytest.fail("the view ran on a hit"))

    hit = client.get(path, headers={"X-Request-ID": "client-0001"})
    hit_gzip = client.get(path, headers=gzip_header)
    revalidated = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    head = client.head(path)

    assert hit.get_data() == first.get_data() and hit.headers["ETag"] == first.headers["ETag"]
    assert hit.headers["X-Request-ID"] == "client-0001"
    for name in ("Cache-Control", "Vary", "Content-Language", "Content-Type"):
        assert hit.headers[name] == first.headers[name], name
    assert hit_gzip.headers["Content-Encoding"] == "gzip" and hit_gzip.get_data() == first_gzip.get_data()
    assert revalidated.status_code == 304 and revalidated.headers["ETag"] == first.headers["ETag"]
    assert head.status_code == 200 and head.get_data() == b""
