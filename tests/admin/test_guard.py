"""Every admin route requires a signed-in user unless deliberately public: checked over the URL map, so that
a route added later without thinking about it fails here (as GOV.UK Notify's route-authentication test)."""

import itertools

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from smart_qn.accounts.users import Role
from smart_qn.admin.guard import is_public
from tests.admin.conftest import csrf_token

# The only routes that may answer without a session: signing in (two steps, and the first-time set-up
# of the second factor) and the stylesheet.
EXPECTED_PUBLIC = {"admin.login", "admin.second_factor", "admin.enroll_second_factor", "admin.static"}


def admin_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")]


def example_urls(rule) -> list[str]:
    """A URL of the rule for every value its `any(…)` parts accept."""
    choices = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        if isinstance(converter, AnyConverter):
            choices[name] = sorted(converter.items)
        else:
            choices[name] = [1 if isinstance(converter, IntegerConverter) else "x"]
    names = list(choices)
    return [
        rule.build(dict(zip(names, values, strict=True)), append_unknown=False)[1]
        for values in itertools.product(*choices.values())
    ]


def test_only_the_sign_in_pages_are_public(app):
    with app.test_request_context():
        public = {rule.endpoint for rule in admin_rules(app) if is_public(rule.endpoint)}
    assert public == EXPECTED_PUBLIC


def test_every_other_admin_route_sends_an_anonymous_visitor_to_sign_in(app, client):
    checked = 0
    for rule in admin_rules(app):
        if rule.endpoint in EXPECTED_PUBLIC:
            continue
        for url, method in itertools.product(example_urls(rule), sorted(rule.methods - {"HEAD", "OPTIONS"})):
            response = client.open(url, method=method)
            if method == "GET":
                assert response.status_code == 302, (method, url)
                assert "/admin/login" in response.location, (method, url)
            else:
                # Without a session there is no CSRF token either: refused before anything else runs.
                assert response.status_code in (302, 400), (method, url, response.status_code)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("path", ["/admin/", "/admin/users", "/admin/audit"])
def test_a_forged_session_cookie_is_not_a_session(client, path):
    client.set_cookie("smart_qn_session", "eyJ0b2tlbiI6ImZha2UifQ.forged.signature")
    response = client.get(path)
    assert response.status_code == 302 and "/admin/login" in response.location


# Every admin route that names an object is tried by every kind of user somewhere: a route naming a kind of
# object not listed here fails until its access is tested.
OBJECT_ACCESS_TESTS = {
    "notice_id": "tests/admin/test_access_matrix.py (every notice route × every kind of user)",
    "service_id": "tests/admin/test_services.py (every service route × every kind of user)",
    "attachment_id": "tests/admin/test_attachments.py (members, other organizations, anonymous)",
    "user_id": "administrators only: test_account_routes_refuse_everyone_else below",
    "push_id": "tests/admin/test_push.py (every push route: editors and approvers 403, communicators)",
    "api_token_id": "tests/admin/test_api_tokens.py (administrators only: editors and approvers 403)",
}


def test_every_route_naming_an_object_has_its_access_tested(app):
    for rule in admin_rules(app):
        named = {argument for argument in rule.arguments if argument.endswith("_id")}
        assert named <= OBJECT_ACCESS_TESTS.keys(), (rule.rule, named - OBJECT_ACCESS_TESTS.keys())


def test_account_routes_refuse_everyone_else(app, client, make, sign_in):
    sign_in(make.user(memberships={make.organization(): Role.APPROVER}))
    token = csrf_token(client, "/admin/")
    checked = 0
    for rule in admin_rules(app):
        if "user_id" not in rule.arguments:
            continue
        for url, method in itertools.product(example_urls(rule), sorted(rule.methods - {"HEAD", "OPTIONS"})):
            response = client.open(
                url, method=method, data={"csrf_token": token} if method == "POST" else None
            )
            assert response.status_code == 403, (method, url)
            checked += 1
    assert checked >= 5
