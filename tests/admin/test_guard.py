"""Every admin route requires a signed-in user unless deliberately public: checked over the URL map, so that
a route added later without thinking about it fails here (as GOV.UK Notify's route-authentication test)."""

import pytest

from smart_qn.admin.guard import is_public

# The only routes that may answer without a session: signing in (two steps, and the first-time set-up
# of the second factor) and the stylesheet.
EXPECTED_PUBLIC = {"admin.login", "admin.second_factor", "admin.enroll_second_factor", "admin.static"}


def admin_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")]


def example_url(rule) -> str:
    values = {name: 1 if "int" in str(rule._converters.get(name)).lower() else "x" for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def test_only_the_sign_in_pages_are_public(app):
    with app.test_request_context():
        public = {rule.endpoint for rule in admin_rules(app) if is_public(rule.endpoint)}
    assert public == EXPECTED_PUBLIC


def test_every_other_admin_route_sends_an_anonymous_visitor_to_sign_in(app, client):
    checked = 0
    for rule in admin_rules(app):
        if rule.endpoint in EXPECTED_PUBLIC:
            continue
        url = example_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
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
