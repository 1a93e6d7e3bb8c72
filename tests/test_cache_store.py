"""The shared store on a real Redis (TEST_REDIS_URL, set by CI), and the in-process one."""

import os
import time

import pytest

from smart_qn.cache_store import GENERATION_KEY, MemoryStore, RedisStore
from smart_qn.content.search import SearchQuery, search
from smart_qn.extensions import db

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture
def redis_store():
    if not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    store = RedisStore(REDIS_URL)
    store.client.flushdb()
    yield store
    store.client.flushdb()


@pytest.fixture(params=["memory", "redis"])
def any_store(request):
    return MemoryStore() if request.param == "memory" else request.getfixturevalue("redis_store")


def test_entries_expire(any_store):
    any_store.set("a", b"value", ttl=0.2)

    assert any_store.get("a") == b"value"
    time.sleep(0.3)
    assert any_store.get("a") is None


def test_counters(any_store):
    assert any_store.counter("c") == 0
    assert [any_store.increment("c"), any_store.increment("c")] == [1, 2]
    assert any_store.counter("c") == 2


def test_memory_store_is_bounded():
    store = MemoryStore(max_entries=3)
    for key in "abcd":
        store.set(key, b"x", ttl=60)

    assert [store.get(key) for key in "abcd"].count(b"x") == 3 and store.get("d") == b"x"


def test_instances_sharing_redis_invalidate_together(app, client, make, monkeypatch, redis_store):
    monkeypatch.setitem(app.config, "RESPONSE_CACHE_ENABLED", True)
    monkeypatch.setitem(app.extensions, "smart_qn.cache_store", redis_store)
    another_instance = RedisStore(REDIS_URL)
    notice = make.notice(title_vi="Trước")
    db.session.commit()
    path = f"/api/v1/notices/{notice.id}"

    client.get(path)
    assert any(redis_store.client.scan_iter("response:*"))
    generation = another_instance.counter(GENERATION_KEY)
    notice.title_vi = "Sau"
    db.session.commit()

    assert another_instance.counter(GENERATION_KEY) == generation + 1
    assert client.get(path).get_json()["title"] == "Sau"


def test_instances_sharing_redis_search_the_same_services(app, make, monkeypatch, redis_store):
    monkeypatch.setitem(app.extensions, "smart_qn.cache_store", redis_store)
    another_instance = RedisStore(REDIS_URL)
    service = make.service(name_vi="Thủ tục Zqr")
    db.session.commit()
    query = SearchQuery.parse("zqr")
    assert [hit.row.id for hit in search(query).hits] == [service.id]  # and the snapshot is taken

    # Another instance unpublishes the service: its commit moves the generation they share.
    db.session.connection().exec_driver_sql(
        f"UPDATE service_link SET published = false WHERE id = {service.id}"
    )
    another_instance.increment(GENERATION_KEY)

    assert search(query).hits == []


def test_rate_limit_counters_live_in_redis(rate_limited_client, redis_store):
    client = rate_limited_client("2 per minute", REDIS_URL=REDIS_URL)

    statuses = [client.get("/api/v1/categories").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert any(redis_store.client.scan_iter("LIMITS*"))
