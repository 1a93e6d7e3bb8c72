"""API tokens: created with a secret shown once and stored hashed, verified by prefix and secret, refused
when revoked or expired, with their last use noted at most once a minute."""

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from smart_qn.accounts import api_tokens
from smart_qn.accounts.api_tokens import ApiToken, Refusal, Scope, TokenRefused
from smart_qn.accounts.audit import AuditEvent
from smart_qn.extensions import db

TODAY = date(2026, 11, 21)


@pytest.fixture
def admin(make):
    return make.user(is_admin=True)


@pytest.fixture
def created(make, admin):
    return api_tokens.create(
        organization=make.organization(),
        name="  Kho dữ liệu y tế ",
        scopes=[Scope.WRITE_VALUES, Scope.READ_VALUES],
        expires_on=TODAY,
        by=admin,
    )


def test_the_text_carries_the_prefix_and_only_a_hash_is_stored(created):
    mark, prefix, secret = created.text.split("_", 2)
    token = created.token

    assert (mark, prefix) == ("sqn", token.prefix)
    assert len(prefix) == 8 and len(secret) >= 43
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.secret_hash
    assert token.name == "Kho dữ liệu y tế"
    assert token.scopes == ["indicator-values:read", "indicator-values:write"]
    assert token.label == f"Kho dữ liệu y tế ({prefix})"


def test_creation_is_audited_without_the_secret(created, admin):
    (row,) = db.session.scalars(select(AuditEvent).filter_by(action="api_tokens.created")).all()

    assert (row.actor_id, row.object_id, row.organization_id) == (
        admin.id,
        str(created.token.id),
        created.token.organization_id,
    )
    assert row.after["prefix"] == created.token.prefix
    assert created.text.rsplit("_", 1)[1] not in str(row.after)


def test_each_token_gets_its_own_prefix_and_secret(make, admin):
    made = [
        api_tokens.create(
            organization=make.organization(), name="x", scopes=[Scope.READ_VALUES], expires_on=None, by=admin
        )
        for _ in range(5)
    ]

    assert len({item.token.prefix for item in made}) == 5
    assert len({item.text for item in made}) == 5


def test_verify_finds_the_token_by_prefix_and_secret(created):
    assert api_tokens.verify(created.text, today=TODAY) is created.token
    assert api_tokens.verify(f"  {created.text} ", today=TODAY) is created.token


@pytest.mark.parametrize(
    "text", ["", "sqn", "sqn_short_secret", "xyz_abcdefgh_secret", "sqn_ABCDEFGH_secret", "sqn_abcdefgh_"]
)
def test_a_malformed_text_is_refused_before_any_lookup(text):
    with pytest.raises(TokenRefused) as refused:
        api_tokens.verify(text, today=TODAY)

    assert refused.value.reason is Refusal.MALFORMED and refused.value.prefix is None


def test_a_wrong_secret_is_as_unknown_as_an_unknown_prefix(created):
    prefix = created.token.prefix
    with pytest.raises(TokenRefused) as wrong:
        api_tokens.verify(f"sqn_{prefix}_{'a' * 43}", today=TODAY)
    with pytest.raises(TokenRefused) as unknown:
        api_tokens.verify(f"sqn_{'0' * 8}_{'a' * 43}", today=TODAY)

    assert wrong.value.reason is unknown.value.reason is Refusal.UNKNOWN
    assert wrong.value.token is None and unknown.value.token is None


def test_verify_compares_in_constant_time(created, monkeypatch):
    compared = []
    real = api_tokens.hmac.compare_digest
    monkeypatch.setattr(
        api_tokens.hmac,
        "compare_digest",
        lambda left, right: compared.append((left, right)) or real(left, right),
    )

    api_tokens.verify(created.text, today=TODAY)
    with pytest.raises(TokenRefused):
        api_tokens.verify(f"sqn_{'0' * 8}_{'a' * 43}", today=TODAY)

    assert [left for left, _right in compared] == [created.token.secret_hash, hashlib.sha256(b"").hexdigest()]


def test_a_token_is_valid_through_its_last_day(created):
    assert api_tokens.verify(created.text, today=TODAY) is created.token
    with pytest.raises(TokenRefused) as refused:
        api_tokens.verify(created.text, today=TODAY + timedelta(days=1))

    assert refused.value.reason is Refusal.EXPIRED and refused.value.token is created.token


def test_a_revoked_token_is_refused_and_revoking_again_changes_nothing(created, admin):
    assert api_tokens.revoke(created.token, by=admin) is True
    revoked_at = created.token.revoked_at

    assert api_tokens.revoke(created.token, by=admin) is False
    assert created.token.revoked_at == revoked_at and created.token.revoked_by is admin
    with pytest.raises(TokenRefused) as refused:
        api_tokens.verify(created.text, today=TODAY)
    assert refused.value.reason is Refusal.REVOKED
    assert len(db.session.scalars(select(AuditEvent).filter_by(action="api_tokens.revoked")).all()) == 1


def test_last_use_is_noted_at_most_once_a_minute(created):
    token: ApiToken = created.token
    start = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)

    api_tokens.note_use(token, start)
    api_tokens.note_use(token, start + timedelta(seconds=59))
    assert token.last_used_at == start

    api_tokens.note_use(token, start + timedelta(seconds=60))
    assert token.last_used_at == start + timedelta(seconds=60)
