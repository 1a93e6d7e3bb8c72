"""Delta sync: everything the app needs to mirror, including withdrawals, across pages and time."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from smart_qn.api.sync import routes as sync_routes
from smart_qn.content import sync as sync_content
from smart_qn.content.notices import Notice, NoticeState
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db


class Clock:
    """The sync endpoint's and the tombstones' clock. It starts a minute ahead of the real one, so the
    demo data loaded moments ago is history to the first sync."""

    def __init__(self, monkeypatch):
        self.now = utcnow() + timedelta(minutes=1)
        monkeypatch.setattr(sync_routes, "utcnow", lambda: self.now)
        monkeypatch.setattr(sync_content, "utcnow", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def sync_all(client, since=None, limit=500) -> tuple[list[dict], str]:
    items, cursor = [], since
    while True:
        query = f"?limit={limit}" + (f"&since={cursor}" if cursor else "")
        response = client.get(f"/api/v1/sync{query}")
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        items += page["items"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return items, cursor


def by_key(items) -> dict:
    return {(item["kind"], item["id"]): item for item in items}


def test_first_sync_is_the_full_current_set_across_pages(client, clock):
    everything = client.get("/api/v1/sync?limit=500").get_json()
    paged, _ = sync_all(client, limit=37)

    assert not everything["has_more"]
    assert [(i["kind"], i["id"]) for i in paged] == [(i["kind"], i["id"]) for i in everything["items"]]
    assert {item["kind"] for item in paged} == {"notice", "service", "indicator"}
    assert not any(item["deleted"] for item in paged)
    # Live at the sync's clock, not the real one: a demo notice may go live or expire in between.
    live_notices = db.session.scalar(select(func.count()).select_from(Notice).where(Notice.live(clock.now)))
    assert sum(1 for item in paged if item["kind"] == "notice") == live_notices


def test_publish_edit_unpublish_delete(client, clock, make):
    _, cursor = sync_all(client)

    clock.advance(minutes=1)
    notice = make.notice(title_vi="Mới đăng", publish_at=clock.now - timedelta(seconds=30))
    clock.advance(minutes=1)
    published, cursor = sync_all(client, cursor)
    assert by_key(published)[("notice", str(notice.id))]["notice"]["title"] == "Mới đăng"

    notice.title_vi = "Đã sửa"
    notice.updated_at = clock.now
    db.session.flush()
    clock.advance(minutes=1)
    edited, cursor = sync_all(client, cursor)
    assert [item["notice"]["title"] for item in edited if item["id"] == str(notice.id)] == ["Đã sửa"]

    notice.state = NoticeState.UNPUBLISHED
    notice.updated_at = clock.now
    db.session.flush()
    clock.advance(minutes=1)
    withdrawn, cursor = sync_all(client, cursor)
    assert by_key(withdrawn)[("notice", str(notice.id))] | {"changed_at": None} == {
        "kind": "notice",
        "id": str(notice.id),
        "deleted": True,
        "changed_at": None,
        "notice": None,
    }

    service = make.service()
    _, cursor = sync_all(client, cursor)
    db.session.delete(service)
    db.session.flush()
    clock.advance(minutes=1)
    deleted, cursor = sync_all(client, cursor)
    assert by_key(deleted)[("service", str(service.id))]["deleted"] is True


def test_expiry_by_the_clock_is_a_tombstone(client, clock, make):
    notice = make.notice(
        publish_at=clock.now - timedelta(hours=1), expire_at=clock.now + timedelta(minutes=5)
    )
    notice.updated_at = clock.now - timedelta(hours=1)
    db.session.flush()
    _, cursor = sync_all(client)

    clock.advance(minutes=2)
    still_live, cursor = sync_all(client, cursor)
    clock.advance(minutes=10)
    expired, _ = sync_all(client, cursor)

    assert ("notice", str(notice.id)) not in by_key(still_live)
    assert by_key(expired)[("notice", str(notice.id))]["deleted"] is True


def test_scheduled_notice_arrives_when_it_goes_live(client, clock, make):
    notice = make.notice(publish_at=clock.now + timedelta(minutes=5))
    notice.updated_at = clock.now - timedelta(hours=1)
    db.session.flush()
    first, cursor = sync_all(client)
    clock.advance(minutes=10)
    later, _ = sync_all(client, cursor)

    assert ("notice", str(notice.id)) not in by_key(first)
    assert by_key(later)[("notice", str(notice.id))]["deleted"] is False


def test_nothing_changed_gives_nothing(client, clock):
    # Past every publish and expiry time of the demo notices (dated around today), so that none goes
    # live or expires by the clock in the window (as one would, at some minute of the day).
    clock.advance(days=400)
    _, cursor = sync_all(client)
    clock.advance(minutes=5)

    items, _ = sync_all(client, cursor)

    assert items == []


def test_malformed_or_tampered_cursor_is_400(client):
    _, cursor = sync_all(client)

    for bad in ("garbage", cursor[:-2] + "xx"):
        response = client.get(f"/api/v1/sync?since={bad}")
        assert response.status_code == 400
        assert "since" in response.get_json()["errors"]["query"]


def test_too_old_cursor_is_410(client, clock, app):
    _, cursor = sync_all(client)
    clock.advance(days=app.config["SYNC_MAX_AGE_DAYS"] + 1)

    response = client.get(f"/api/v1/sync?since={cursor}&lang=en")

    assert response.status_code == 410
    assert "sync again" in response.get_json()["message"]
