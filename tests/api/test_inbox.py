"""The inbox: pushes that reached a device of a unit and categories, in its language, over the last days."""

from datetime import datetime, timedelta

import pytest

from smart_qn.content.notices import NoticeState
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.push import notifications as push
from smart_qn.push.notifications import PushState

# Xã Bình Trị (20818) lies in Huyện Thăng Bình (513); Thành phố Tam Kỳ (502) is another district.
COMMUNE, DISTRICT, OTHER_DISTRICT, PROVINCE = "20818", "513", "502", "49"
_titles = iter(range(1_000_000))


@pytest.fixture
def communicator(make):
    return make.user(is_communicator=True)


@pytest.fixture
def approver(make):
    return make.user(is_communicator=True)


@pytest.fixture
def send(make, communicator, approver):
    """`send(units=[...], **fields)`: a push composed, approved and committed, so that its delivery job
    runs (inline, to the outbox) and it ends sent. Province-wide ones are tested and approved by another."""

    def make_push(units=(), **fields):
        draft = push.create_draft(
            {
                "title_vi": f"Thông báo đẩy {next(_titles)}",
                "body_vi": "Nội dung thông báo.",
                "audience_unit_ids": [make.unit(code).id for code in units],
            }
            | fields,
            communicator,
        )
        if draft.province_wide:
            push.record_test_send(draft, communicator)
        push.submit(draft, communicator, estimated_reach=1)
        if draft.state is PushState.PENDING_APPROVAL:
            push.approve(draft, approver)
        db.session.commit()
        db.session.refresh(draft)
        return draft

    return make_push


def inbox(client, query: str = f"unit={COMMUNE}", **headers):
    return client.get(f"/api/v1/inbox?{query}", headers=headers)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def test_a_commune_gets_the_province_its_district_and_its_own_pushes(client, send):
    everyone = send(units=())
    province = send(units=[PROVINCE])
    district = send(units=[DISTRICT])
    commune = send(units=[COMMUNE])
    other_district = send(units=[OTHER_DISTRICT])
    district_and_other = send(units=[OTHER_DISTRICT, DISTRICT])

    listed = ids(inbox(client))

    assert all(draft.state is PushState.SENT for draft in (everyone, province, district, commune))
    assert set(listed) == {everyone.id, province.id, district.id, commune.id, district_and_other.id}
    assert other_district.id not in listed
    assert commune.id not in ids(inbox(client, f"unit={DISTRICT}"))


def test_categories_narrow_what_reached_the_device(client, send, make):
    floods, health = make.category(), make.category()
    for_all = send(units=[COMMUNE])
    for_floods = send(units=[COMMUNE], audience_categories=[floods.slug])
    for_either = send(units=[COMMUNE], audience_categories=[floods.slug, health.slug])

    assert ids(inbox(client)) == [for_all.id]
    assert ids(inbox(client, f"unit={COMMUNE}&categories=")) == [for_all.id]
    assert ids(inbox(client, f"unit={COMMUNE}&categories={health.slug}")) == [for_either.id, for_all.id]
    assert ids(inbox(client, f"unit={COMMUNE}&categories={health.slug},{floods.slug}")) == [
        for_either.id,
        for_floods.id,
        for_all.id,
    ]


def test_items_are_in_the_language_asked_for_falling_back_to_vietnamese(client, send, make):
    notice = make.notice()
    bilingual = send(
        units=[COMMUNE],
        title_vi="Mất điện",
        body_vi="Từ 7 giờ.",
        title_en="Power cut",
        body_en="From 7:00.",
        notice_id=notice.id,
        urgency="important",
    )
    vietnamese_only = send(units=[COMMUNE], title_vi="Cắt nước", body_vi="Cả ngày.")

    english = inbox(client, f"unit={COMMUNE}&lang=en").get_json()["items"]
    by_header = inbox(client, **{"Accept-Language": "en"}).get_json()["items"]
    vietnamese = inbox(client).get_json()["items"]

    assert english == by_header
    sent_at = [datetime.fromisoformat(item.pop("sent_at")) for item in english]
    assert sent_at == [vietnamese_only.sending_started_at, bilingual.sending_started_at]
    assert english == [
        {
            "id": vietnamese_only.id,
            "language": "vi",
            "title": "Cắt nước",
            "body": "Cả ngày.",
            "urgency": "normal",
            "notice_id": None,
        },
        {
            "id": bilingual.id,
            "language": "en",
            "title": "Power cut",
            "body": "From 7:00.",
            "urgency": "important",
            "notice_id": notice.id,
        },
    ]
    assert [(item["language"], item["title"]) for item in vietnamese] == [
        ("vi", "Cắt nước"),
        ("vi", "Mất điện"),
    ]


def test_a_link_to_a_notice_no_longer_published_is_left_out(client, send, make):
    notice = make.notice()
    linked = send(units=[COMMUNE], notice_id=notice.id)
    notice.state = NoticeState.ARCHIVED
    db.session.commit()

    (item,) = inbox(client).get_json()["items"]

    assert (item["id"], item["notice_id"]) == (linked.id, None)


def test_only_pushes_that_went_out_are_listed(client, send, make, communicator):
    # The delivery job (inline in tests) finished each of them: set back to the state of interest.
    sending = send(units=[COMMUNE])
    sending.state = PushState.SENDING
    partly_failed = send(units=[COMMUNE])
    partly_failed.state = PushState.PARTLY_FAILED
    failed = send(units=[COMMUNE])
    failed.state = PushState.FAILED
    db.session.flush()

    def composed(**fields):
        return push.create_draft(
            {
                "title_vi": f"Chưa gửi {next(_titles)}",
                "body_vi": "Nội dung.",
                "audience_unit_ids": [make.unit(COMMUNE).id],
            }
            | fields,
            communicator,
        )

    draft = composed()
    pending = composed(urgency="emergency")
    push.record_test_send(pending, communicator)
    push.submit(pending, communicator, estimated_reach=1)
    scheduled = composed(send_at=utcnow() + timedelta(hours=2))
    push.submit(scheduled, communicator, estimated_reach=1)
    cancelled = composed()
    push.cancel(cancelled, communicator)
    db.session.commit()

    assert [draft.state, pending.state, scheduled.state, cancelled.state] == [
        PushState.DRAFT,
        PushState.PENDING_APPROVAL,
        PushState.SCHEDULED,
        PushState.CANCELLED,
    ]
    assert set(ids(inbox(client))) == {sending.id, partly_failed.id}


def test_newest_first_over_the_last_inbox_days(client, send, app, monkeypatch):
    now = utcnow()
    recent, older, too_old = send(units=[COMMUNE]), send(units=[COMMUNE]), send(units=[COMMUNE])
    for draft, age in (
        (older, timedelta(days=29)),
        (recent, timedelta(hours=1)),
        (too_old, timedelta(days=31)),
    ):
        draft.sending_started_at = now - age
    db.session.commit()

    assert ids(inbox(client)) == [recent.id, older.id]
    monkeypatch.setitem(app.config, "INBOX_DAYS", 7)
    assert ids(inbox(client)) == [recent.id]


def test_pages(client, send):
    sent = [send(units=[COMMUNE]) for _ in range(3)]
    newest_first = [draft.id for draft in reversed(sent)]

    first = inbox(client, f"unit={COMMUNE}&page_size=2").get_json()
    second = inbox(client, f"unit={COMMUNE}&page_size=2&page=2").get_json()
    beyond = inbox(client, f"unit={COMMUNE}&page_size=2&page=3").get_json()

    assert [item["id"] for item in first["items"] + second["items"]] == newest_first
    assert first["pagination"] == {"page": 1, "page_size": 2, "total": 3, "total_pages": 2}
    assert beyond["items"] == [] and beyond["pagination"]["total"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "unit"),
        ("unit=99999", "unit"),
        (f"unit={COMMUNE}&categories=no-such-category", "categories"),
        (f"unit={COMMUNE}&categories={','.join(f'c{n}' for n in range(21))}", "categories"),
        (f"unit={COMMUNE}&state=sent", "state"),
    ],
)
def test_bad_queries_are_refused_naming_the_parameter(client, query, field):
    response = inbox(client, query)

    assert response.status_code == 422
    assert list(response.get_json()["errors"]["query"]) == [field]


def test_an_unknown_category_is_named(client, make):
    known = make.category()

    response = inbox(client, f"unit={COMMUNE}&categories={known.slug},lu-lut-gia&lang=en")

    assert response.get_json()["errors"]["query"]["categories"] == ["Unknown categories: lu-lut-gia."]


def test_etag_and_304(client, send):
    send(units=[COMMUNE])
    first = inbox(client)

    again = inbox(client, **{"If-None-Match": first.headers["ETag"]})

    assert first.headers["Cache-Control"].startswith("public, max-age=")
    assert again.status_code == 304 and again.get_data() == b""


def test_the_response_cache_forgets_the_inbox_when_a_push_goes_out(
    client, make, communicator, app, monkeypatch
):
    monkeypatch.setitem(app.config, "RESPONSE_CACHE_ENABLED", True)
    scheduled = push.create_draft(
        {
            "title_vi": "Lịch cắt điện",
            "body_vi": "Sáng mai.",
            "audience_unit_ids": [make.unit(COMMUNE).id],
            "send_at": utcnow() + timedelta(minutes=5),
        },
        communicator,
    )
    push.submit(scheduled, communicator, estimated_reach=1)
    db.session.commit()
    assert scheduled.state is PushState.SCHEDULED
    assert ids(inbox(client)) == []

    push.start_sending(scheduled, scheduled.send_at)
    db.session.commit()

    assert ids(inbox(client)) == [scheduled.id]
