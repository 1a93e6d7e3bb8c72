"""/api/v1/manage: organizations' own systems with API tokens: auth, scopes, the bulk upsert through the
entry engine, reading the organization's own figures, limits, caching and the audit trail."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from smart_qn.accounts import api_tokens
from smart_qn.accounts.api_tokens import Scope
from smart_qn.accounts.audit import AuditEvent
from smart_qn.accounts.organizations import Organization
from smart_qn.content.indicators import IndicatorReporter, IndicatorValue, ValueStatus
from smart_qn.content.periods import Frequency
from smart_qn.extensions import db
from smart_qn.reporting.values import IndicatorValueRevision, ValueSource

PATH = "/api/v1/manage/indicator-values"
ALL_SCOPES = list(Scope)
# Thăng Bình (513) and its commune Bình Trị (20818); Tiên Phước (514) is another district committee's.
OWN_DISTRICT, OWN_COMMUNE, OTHER_DISTRICT = "513", "20818", "514"


@pytest.fixture
def committees(app) -> tuple[Organization, Organization]:
    return tuple(
        db.session.scalar(select(Organization).filter_by(code=code)) for code in ("UBND-513", "UBND-514")
    )


@pytest.fixture
def indicator(make, committees):
    indicator = make.indicator(
        code="TEST_POOR_RATE", frequency=Frequency.ANNUAL, levels=[2, 3], minimum=0, maximum=100
    )
    indicator.reporters = [
        IndicatorReporter(organization=committee, levels=[2, 3]) for committee in committees
    ]
    db.session.flush()
    return indicator


@pytest.fixture
def issue(make):
    """A token's text for `organization`, created by an administrator."""
    admin = make.user(is_admin=True)

    def issue_token(organization, scopes=ALL_SCOPES, **fields) -> str:
        created = api_tokens.create(
            organization=organization,
            name=fields.pop("name", "Hệ thống thống kê"),
            scopes=list(scopes),
            expires_on=fields.pop("expires_on", None),
            by=admin,
        )
        db.session.flush()
        return created.text

    return issue_token


def prefix_in(text: str) -> str:
    """The public part of a token's text (`sqn_<prefix>_<secret>`)."""
    return text.split("_")[1]


def bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}", "Accept-Language": "en"}


def item(unit=OWN_DISTRICT, period="2024", value=4.1, **fields) -> dict:
    return {"indicator": "TEST_POOR_RATE", "unit": unit, "period": period, "value": value, **fields}


def stored(indicator) -> list[IndicatorValue]:
    return db.session.scalars(
        select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id).order_by(IndicatorValue.id)
    ).all()


def audit_rows(action: str) -> list[AuditEvent]:
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()


def test_the_token_describes_itself(client, issue, committees):
    text = issue(committees[0], [Scope.READ_VALUES], expires_on=date(2099, 12, 31))

    response = client.get("/api/v1/manage/token", headers=bearer(text))

    assert response.status_code == 200
    assert response.get_json() == {
        "name": "Hệ thống thống kê",
        "prefix": prefix_in(text),
        "organization": {"code": "UBND-513", "name": committees[0].name_en},
        "scopes": ["indicator-values:read"],
        "expires_on": "2099-12-31",
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        (None, "missing"),
        ("Basic dXNlcjpwYXNz", "missing"),
        ("Bearer not-a-token", "malformed"),
        ("Bearer sqn_abcdefgh_" + "x" * 43, "unknown"),
    ],
)
def test_no_valid_token_is_401_and_audited(client, authorization, reason):
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get("/api/v1/manage/token", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json()["message"]
    refused = audit_rows("manage_api.refused")
    assert [row.after for row in refused] == [{"operation": "read_token", "reason": reason}]
    assert refused[0].actor_id is None


def test_a_wrong_secret_is_unknown_and_the_audit_never_holds_a_secret(client, issue, committees):
    text = issue(committees[0])
    wrong = text[:-4] + ("aaaa" if not text.endswith("aaaa") else "bbbb")

    response = client.get("/api/v1/manage/token", headers=bearer(wrong))

    assert response.status_code == 401
    (row,) = audit_rows("manage_api.refused")
    assert row.after["reason"] == "unknown"
    assert row.actor_label == prefix_in(text)
    secret = wrong.rsplit("_", 1)[1]
    assert secret not in str(row.after) and secret not in row.actor_label


def test_an_expired_token_is_401(client, issue, committees):
    text = issue(committees[0], expires_on=date.today() - timedelta(days=2))

    response = client.get("/api/v1/manage/token", headers=bearer(text))

    assert response.status_code == 401
    assert "expired" in response.get_json()["message"]
    assert audit_rows("manage_api.refused")[0].organization_id == committees[0].id


def test_a_revoked_token_is_refused_at_once(client, issue, committees, make):
    text = issue(committees[0])
    assert client.get("/api/v1/manage/token", headers=bearer(text)).status_code == 200
    token = db.session.scalar(select(api_tokens.ApiToken).filter_by(prefix=prefix_in(text)))

    api_tokens.revoke(token, by=make.user(is_admin=True))
    db.session.flush()
    response = client.get("/api/v1/manage/token", headers=bearer(text))

    assert response.status_code == 401
    assert response.get_json()["message"] == "This API token has been revoked."
    assert audit_rows("manage_api.refused")[0].after["reason"] == "revoked"


def test_a_scope_the_token_lacks_is_403(client, issue, committees, indicator):
    reader = issue(committees[0], [Scope.READ_VALUES])
    writer = issue(committees[0], [Scope.WRITE_VALUES])

    assert client.put(PATH, json={"items": [item()]}, headers=bearer(reader)).status_code == 403
    assert client.get(PATH, headers=bearer(writer)).status_code == 403
    publishing = client.put(PATH, json={"items": [item()], "publish": True}, headers=bearer(writer))

    assert publishing.status_code == 403
    assert "indicator-values:publish" in publishing.get_json()["message"]
    assert stored(indicator) == []
    assert [row.after["status"] for row in audit_rows("manage_api.upsert_values")] == [403, 403]


def test_a_batch_is_saved_as_drafts_with_revisions_and_audit_rows(client, issue, committees, indicator):
    text = issue(committees[0], [Scope.WRITE_VALUES])
    items = [
        item(period="2023", value=4.0),
        item(period="2024", value="7,5", note="Tạm tính"),
        item(OWN_COMMUNE),
    ]

    response = client.put(PATH, json={"items": items}, headers=bearer(text))

    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["counts"] == {"new": 3, "changed": 0, "unchanged": 0}
    assert answer["published"] is False
    assert [(row["index"], row["unit"], row["period"], row["outcome"]) for row in answer["items"]] == [
        (0, "513", "2023", "new"),
        (1, "513", "2024", "new"),
        (2, "20818", "2024", "new"),
    ]
    # 4.0 → 7.5 is a jump worth a second look.
    assert answer["items"][1]["previous_value"] == 4.0 and answer["items"][1]["warning"]
    values = stored(indicator)
    assert {(value.status, value.organization_id) for value in values} == {
        (ValueStatus.DRAFT, committees[0].id)
    }
    label = f"Hệ thống thống kê ({prefix_in(text)})"
    revisions = db.session.scalars(
        select(IndicatorValueRevision).where(IndicatorValueRevision.value_id.in_([v.id for v in values]))
    ).all()
    assert {(revision.source, revision.actor_label, revision.user_id) for revision in revisions} == {
        (ValueSource.API, label, None)
    }
    (call,) = audit_rows("manage_api.upsert_values")
    assert (call.actor_id, call.actor_label, call.organization_id) == (None, label, committees[0].id)
    assert call.after == {"items": 3, "publish": False, "new": 3, "changed": 0, "unchanged": 0, "status": 200}
    assert audit_rows("indicator_values.saved")[0].actor_label == label


def test_the_same_batch_twice_changes_nothing_the_second_time(client, issue, committees, indicator):
    text = issue(committees[0], [Scope.WRITE_VALUES])
    body = {"items": [item(period="2023"), item(period="2024", note="x")]}
    assert client.put(PATH, json=body, headers=bearer(text)).status_code == 200
    revisions = db.session.scalar(select(func.count()).select_from(IndicatorValueRevision))

    again = client.put(PATH, json=body, headers=bearer(text))

    assert again.get_json()["counts"] == {"new": 0, "changed": 0, "unchanged": 2}
    assert db.session.scalar(select(func.count()).select_from(IndicatorValueRevision)) == revisions
    assert len(audit_rows("indicator_values.saved")) == 1


def test_one_wrong_item_saves_nothing_and_names_each_wrong_item(client, issue, committees, indicator):
    text = issue(committees[0], [Scope.WRITE_VALUES])
    items = [item(), item(period="2023", value="1.234,5"), item(OWN_COMMUNE, period="2099"), item(value=200)]

    response = client.put(PATH, json={"items": items}, headers=bearer(text))

    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]["items"]
    assert set(errors) == {"1", "2", "3"}
    assert (
        list(errors["1"]) == ["value"] and list(errors["2"]) == ["period"] and list(errors["3"]) == ["value"]
    )
    assert stored(indicator) == []
    (call,) = audit_rows("manage_api.upsert_values")
    assert call.after == {"items": 4, "wrong_items": 3, "status": 422}


def test_a_malformed_item_is_422_at_its_index(client, issue, committees, indicator):
    text = issue(committees[0], [Scope.WRITE_VALUES])
    malformed = {"indicator": "TEST_POOR_RATE", "period": "2024", "value": 1}

    response = client.put(PATH, json={"items": [item(), malformed]}, headers=bearer(text))

    assert response.status_code == 422
    assert "unit" in response.get_json()["errors"]["json"]["items"]["1"]
    assert stored(indicator) == []
    assert audit_rows("manage_api.upsert_values")[0].after == {"status": 422}


def test_too_many_items_is_422(client, issue, committees, indicator, app, monkeypatch):
    monkeypatch.setitem(app.config, "MANAGE_API_MAX_ITEMS", 2)
    text = issue(committees[0], [Scope.WRITE_VALUES])

    response = client.put(
        PATH, json={"items": [item(period=p) for p in ("2022", "2023", "2024")]}, headers=bearer(text)
    )

    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["items"] == ["At most 2 figures per call."]


def test_a_token_cannot_write_another_organizations_unit(client, issue, committees, indicator):
    text = issue(committees[0], ALL_SCOPES)

    response = client.put(PATH, json={"items": [item(), item(OTHER_DISTRICT)]}, headers=bearer(text))

    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["items"]["1"]["unit"][0].startswith("Not your unit")
    assert stored(indicator) == []


def test_publishing_needs_and_uses_the_publish_scope(client, issue, committees, indicator):
    text = issue(committees[0], [Scope.WRITE_VALUES, Scope.PUBLISH_VALUES])

    response = client.put(PATH, json={"items": [item()], "publish": True}, headers=bearer(text))

    assert response.status_code == 200
    (value,) = stored(indicator)
    assert value.status is ValueStatus.PUBLISHED and value.published_at is not None
    assert audit_rows("indicator_values.published")


def test_a_correction_of_a_published_figure_waits_beside_it(client, issue, committees, indicator, make):
    make.value(indicator, OWN_DISTRICT, "2024", 4.1, organization_id=committees[0].id)
    text = issue(committees[0])

    response = client.put(PATH, json={"items": [item(value=4.3)]}, headers=bearer(text))
    listed = client.get(PATH, query_string={"status": "pending"}, headers=bearer(text)).get_json()

    assert response.get_json()["counts"]["changed"] == 1
    (value,) = stored(indicator)
    assert (value.value, value.pending_value) == (Decimal("4.1"), Decimal("4.3"))
    assert [(row["value"], row["pending_value"]) for row in listed["items"]] == [(4.1, 4.3)]


def test_reading_lists_the_organizations_own_figures_only(client, issue, committees, indicator, make):
    own, other = committees
    make.value(indicator, OWN_DISTRICT, "2023", 3.0, organization_id=own.id)
    make.value(indicator, OWN_COMMUNE, "2024", 5.0, status=ValueStatus.DRAFT, organization_id=own.id)
    make.value(indicator, OTHER_DISTRICT, "2024", 9.0, status=ValueStatus.DRAFT, organization_id=other.id)
    text = issue(own, [Scope.READ_VALUES])

    def listed(**query) -> list[tuple]:
        response = client.get(
            PATH, query_string={"indicator": "TEST_POOR_RATE", **query}, headers=bearer(text)
        )
        assert response.status_code == 200, response.get_json()
        assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers
        return [(row["unit"]["code"], row["period"], row["status"]) for row in response.get_json()["items"]]

    assert listed() == [("513", "2023", "published"), ("20818", "2024", "draft")]
    assert listed(status="draft") == [("20818", "2024", "draft")]
    assert listed(unit=OTHER_DISTRICT) == []
    assert listed(period="2023") == [("513", "2023", "published")]
    assert listed(page_size=1)[0] == ("513", "2023", "published")
    other_token = issue(other, [Scope.READ_VALUES])
    theirs = client.get(PATH, query_string={"indicator": "TEST_POOR_RATE"}, headers=bearer(other_token))
    assert [row["unit"]["code"] for row in theirs.get_json()["items"]] == ["514"]
    calls = audit_rows("manage_api.list_values")
    assert len(calls) == 6
    assert calls[1].after == {
        "filters": {"indicator": "TEST_POOR_RATE", "page": "1", "status": "draft"},
        "status": 200,
    }


def test_bad_filters_are_422(client, issue, committees):
    text = issue(committees[0], [Scope.READ_VALUES])

    for query, field in [
        ({"status": "secret"}, "status"),
        ({"indicator": "NOPE"}, "indicator"),
        ({"x": "1"}, "x"),
    ]:
        response = client.get(PATH, query_string=query, headers=bearer(text))
        assert response.status_code == 422, query
        assert field in response.get_json()["errors"]["query"], query


def test_last_use_is_noted(client, issue, committees):
    text = issue(committees[0], [Scope.READ_VALUES])

    client.get("/api/v1/manage/token", headers=bearer(text))

    token = db.session.scalar(select(api_tokens.ApiToken).filter_by(prefix=prefix_in(text)))
    db.session.refresh(token)
    assert token.last_used_at is not None


def test_calls_are_limited_per_token(rate_limited_client, issue, committees):
    limited = rate_limited_client("1000 per minute", MANAGE_API_READ_RATE_LIMIT="2 per minute")
    first, second = issue(committees[0]), issue(committees[0])

    statuses = [limited.get("/api/v1/manage/token", headers=bearer(first)).status_code for _ in range(3)]
    other = limited.get("/api/v1/manage/token", headers=bearer(second))

    assert statuses == [200, 200, 429]
    refused = limited.get("/api/v1/manage/token", headers=bearer(first))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert other.status_code == 200


def test_writes_have_their_own_limit(rate_limited_client, issue, committees, indicator):
    limited = rate_limited_client("1000 per minute", MANAGE_API_WRITE_RATE_LIMIT="1 per minute")
    text = issue(committees[0], [Scope.WRITE_VALUES, Scope.READ_VALUES])
    body = {"items": [item()]}

    assert limited.put(PATH, json=body, headers=bearer(text)).status_code == 200
    assert limited.put(PATH, json=body, headers=bearer(text)).status_code == 429
    assert limited.get(PATH, headers=bearer(text)).status_code == 200


def test_the_document_lists_the_operations_with_the_bearer_scheme(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (`sqn_…`), created by an administrator for one organization.",
    }
    operations = {
        (path, method): operation
        for path, item_ in spec["paths"].items()
        for method, operation in item_.items()
        if method in {"get", "put", "post", "patch", "delete"}
    }
    manage = {key for key in operations if key[0].startswith("/api/v1/manage/")}
    assert manage == {
        ("/api/v1/manage/token", "get"),
        ("/api/v1/manage/indicator-values", "get"),
        ("/api/v1/manage/indicator-values", "put"),
    }
    for key, operation in operations.items():
        secured = {"bearerAuth": []} in operation.get("security", [])
        assert secured == (key in manage), key
        if key in manage:
            assert {"401", "429"} <= operation["responses"].keys(), key


def test_answers_never_come_from_the_response_cache(rate_limited_client, issue, committees):
    cached_app_client = rate_limited_client("1000 per minute", RESPONSE_CACHE_ENABLED=True)
    text = issue(committees[0], [Scope.READ_VALUES])

    answers = [cached_app_client.get("/api/v1/manage/token", headers=bearer(text)) for _ in range(2)]
    unknown = cached_app_client.get("/api/v1/manage/token", headers=bearer("sqn_abcdefgh_" + "x" * 43))

    assert [answer.status_code for answer in answers] == [200, 200]
    assert all(
        answer.headers["Cache-Control"] == "no-store" and "ETag" not in answer.headers for answer in answers
    )
    assert len(audit_rows("manage_api.read_token")) == 2
    assert unknown.status_code == 401
