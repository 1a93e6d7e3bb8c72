"""Device registration: idempotent by token, secrets, updates, unregistering, and the topic rows kept."""

import pytest
from sqlalchemy import select

from smart_qn.extensions import db
from smart_qn.push import devices
from smart_qn.push.devices import (
    Device,
    DeviceTopic,
    Language,
    Platform,
    TopicState,
    UnknownCategories,
    WrongSecret,
)
from smart_qn.push.topics import topics_of

TOKEN = "dGVzdC10b2tlbi1mb3ItYS1waG9uZS0wMDAxOkFQQTkxYkda" + "x" * 60 + "Zz9k"


def register(make, token: str = TOKEN, **fields) -> devices.Registration:
    values = {
        "token": token,
        "platform": Platform.ANDROID,
        "language": Language.VI,
        "admin_unit": make.unit("20818"),
        "categories": ["thien-tai"],
        "app_version": "1.0.0",
    }
    return devices.register(**values | fields)


def rows_of(token: str) -> dict[str, TopicState]:
    return {
        row.topic: row.state
        for row in db.session.scalars(select(DeviceTopic).where(DeviceTopic.token == token))
    }


def test_registering_puts_the_device_in_its_topics_waiting_for_fcm(make):
    registration = register(make)

    assert registration.created
    assert rows_of(TOKEN) == dict.fromkeys(topics_of(registration.device), TopicState.SUBSCRIBE_PENDING)
    assert registration.device.secret_hash != registration.secret
    assert devices.authenticate(registration.device.id, registration.secret) is registration.device


def test_registering_the_same_token_again_updates_the_same_device_with_a_new_secret(make):
    first = register(make)
    again = register(make, admin_unit=make.unit("503"), language=Language.EN, categories=[])

    assert not again.created
    assert again.device.id == first.device.id
    assert db.session.scalar(select(db.func.count()).select_from(Device).where(Device.token == TOKEN)) == 1
    assert (again.device.language, again.device.admin_unit.code, again.device.categories) == ("en", "503", [])
    with pytest.raises(WrongSecret):
        devices.authenticate(first.device.id, first.secret)
    assert devices.authenticate(first.device.id, again.secret) is again.device


def test_topics_no_longer_wanted_wait_to_be_unsubscribed(make):
    device = register(make).device
    old_topics = topics_of(device)
    db.session.execute(db.update(DeviceTopic).values(state=TopicState.SUBSCRIBED))

    devices.update(device, admin_unit=make.unit("503"), categories=["y-te"])

    new_topics = topics_of(device)
    assert rows_of(TOKEN) == {
        **dict.fromkeys(old_topics - new_topics, TopicState.UNSUBSCRIBE_PENDING),
        **dict.fromkeys(old_topics & new_topics, TopicState.SUBSCRIBED),
        **dict.fromkeys(new_topics - old_topics, TopicState.SUBSCRIBE_PENDING),
    }


def test_a_topic_wanted_again_before_fcm_was_told_is_subscribed_again(make):
    device = register(make).device
    devices.update(device, categories=[])
    devices.update(device, categories=["thien-tai"])

    assert rows_of(TOKEN)["category-thien-tai"] is TopicState.SUBSCRIBE_PENDING


def test_a_new_token_replaces_the_old_whose_subscriptions_are_left_to_remove(make):
    device = register(make).device
    new_token = "bmV3LXRva2Vu" + "y" * 60

    devices.update(device, token=new_token)

    assert device.token == new_token
    assert set(rows_of(TOKEN).values()) == {TopicState.UNSUBSCRIBE_PENDING}
    assert rows_of(new_token) == dict.fromkeys(topics_of(device), TopicState.SUBSCRIBE_PENDING)
    old_rows = db.session.scalars(select(DeviceTopic).where(DeviceTopic.token == TOKEN)).all()
    assert {row.device_id for row in old_rows} == {None}


def test_taking_the_token_of_another_device_merges_it(make):
    mine = register(make).device
    other = register(make, token="b3RoZXI" + "z" * 60).device
    other_id = other.id

    devices.update(mine, token=other.token)

    assert db.session.get(Device, other_id) is None
    rows = db.session.scalars(select(DeviceTopic).where(DeviceTopic.token == mine.token)).all()
    assert {row.device_id for row in rows} == {mine.id}


def test_unregistering_keeps_the_token_until_fcm_is_told(make):
    registration = register(make)
    device_id = registration.device.id

    devices.unregister(registration.device)

    assert db.session.get(Device, device_id) is None
    rows = db.session.scalars(select(DeviceTopic).where(DeviceTopic.token == TOKEN)).all()
    assert rows and {(row.device_id, row.state) for row in rows} == {(None, TopicState.UNSUBSCRIBE_PENDING)}


def test_registering_again_after_unregistering_takes_the_waiting_rows_back(make):
    devices.unregister(register(make).device)

    again = register(make)

    assert again.created
    assert rows_of(TOKEN) == dict.fromkeys(topics_of(again.device), TopicState.SUBSCRIBE_PENDING)


def test_unknown_categories_are_refused_and_nothing_is_written(make):
    with pytest.raises(UnknownCategories) as refused:
        register(make, categories=["thien-tai", "no-such-thing"])

    assert refused.value.slugs == ["no-such-thing"]
    assert db.session.scalar(select(Device).where(Device.token == TOKEN)) is None
    assert rows_of(TOKEN) == {}


def test_a_wrong_secret_is_not_the_same_as_an_unknown_device(make):
    device = register(make).device

    with pytest.raises(WrongSecret):
        devices.authenticate(device.id, "not-the-secret")
    assert devices.authenticate(device.id + 1000, "anything") is None


def test_the_token_is_shown_masked_only(make):
    device = register(make).device

    assert device.masked_token == "dGVz…Zz9k"
    assert TOKEN not in repr(device)
    assert TOKEN not in repr(db.session.scalars(select(DeviceTopic)).first())


def test_the_factory_registers_like_the_app(make):
    tester = make.user(is_communicator=True)
    device = make.device(categories=["y-te"], tester=tester)

    assert device.tester_id == tester.id
    assert rows_of(device.token) == dict.fromkeys(topics_of(device), TopicState.SUBSCRIBE_PENDING)
