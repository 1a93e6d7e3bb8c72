"""A small key-value store with expiry and counters: in the process by default, Redis when
SMART_QN_REDIS_URL is set (so that every app instance sees the same entries and counters)."""

import threading
import time
from collections import OrderedDict

import redis
from flask import Flask, current_app

_EXTENSION = "smart_qn.cache_store"
# Incremented by every commit that changes content (see smart_qn.api.http): whatever is derived from
# content and kept between requests is keyed on it.
GENERATION_KEY = "content-generation"
# In a session's `info` (set by smart_qn.api.http): the session has flushed content changes it has not yet
# committed, which nothing kept between requests reflects.
UNCOMMITTED_CONTENT = "uncommitted_content"


class MemoryStore:
    """Process-local; bounded so a flood of distinct URLs cannot grow it without limit: when full, the
    oldest entry goes."""

    def __init__(self, max_entries: int = 20_000):
        self._entries: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._counters: dict[str, int] = {}
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires < time.monotonic():
            self._entries.pop(key, None)
            return None
        return value

    def set(self, key: str, value: bytes, ttl: float) -> None:
        with self._lock:
            self._entries.pop(key, None)
            while len(self._entries) >= self._max_entries:
                self._entries.popitem(last=False)
            self._entries[key] = (value, time.monotonic() + ttl)

    def counter(self, key: str) -> int:
        return self._counters.get(key, 0)

    def increment(self, key: str) -> int:
        with self._lock:
            self._counters[key] = self._counters.get(key, 0) + 1
            return self._counters[key]

    def ping(self) -> bool:
        return True


class RedisStore:
    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def get(self, key: str) -> bytes | None:
        return self.client.get(key)

    def set(self, key: str, value: bytes, ttl: float) -> None:
        self.client.set(key, value, px=max(1, int(ttl * 1000)))

    def counter(self, key: str) -> int:
        return int(self.client.get(key) or 0)

    def increment(self, key: str) -> int:
        return int(self.client.incr(key))

    def ping(self) -> bool:
        return bool(self.client.ping())


def init_app(app: Flask) -> None:
    url = app.config["REDIS_URL"]
    app.extensions[_EXTENSION] = RedisStore(url) if url else MemoryStore()


def store() -> MemoryStore | RedisStore:
    return current_app.extensions[_EXTENSION]


def content_generation() -> int:
    return store().counter(GENERATION_KEY)
