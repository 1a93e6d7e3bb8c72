"""Real-browser tests: Debian's headless Chromium, driven by Playwright, against the real app served on
127.0.0.1 from a background thread.

The server's threads cannot see the rolled-back transaction the other tests run in, so these tests have a
database of their own holding committed data: a SQLite file, and a throwaway PostgreSQL database when
TEST_DATABASE_URL is set, each migrated and demo-seeded once per session. What a test adds (users,
organizations, notices) stays until the session ends: every test makes its own rows, with unique names,
and asserts only on those and on the demo data.

Chromium comes from the system (`apt-get install chromium`), never from `playwright install`. Without it
the tests are skipped, except in CI (`CI=true`), where they fail.
"""

import contextlib
import os
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from smart_qn import create_app
from smart_qn.accounts import two_factor
from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import Role, User
from smart_qn.extensions import db
from tests import factories
from tests.conftest import BACKENDS, migrate_and_seed, throwaway_postgres_database

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# How long an expectation waits for the page (Playwright's default is 5 s; a shared CI machine is slow).
EXPECT_TIMEOUT_MS = 10_000

_OPEN_PAGES = pytest.StashKey[list[Page]]()


@pytest.fixture(scope="session", params=BACKENDS)
def live_app(request, tmp_path_factory):
    """The app the live server serves, on a database of its own with the demo data committed."""
    with contextlib.ExitStack() as stack:
        if request.param == "postgresql":
            url = stack.enter_context(throwaway_postgres_database("smart_qn_browser"))
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'live.sqlite3'}"
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "browser-test-secret",
                # Flask-Limiter's one limiter object is shared by every app in the process; the other tests
                # reset it at will (tests/conftest.py `rate_limited_client`).
                "API_RATE_LIMIT_ENABLED": False,
            }
        )
        migrate_and_seed(app)
        yield app
        with app.app_context():
            db.engine.dispose()


class _QuietRequestHandler(WSGIRequestHandler):
    """The app logs every request itself (smart_qn/ops.py); werkzeug's line would say it twice."""

    def log_request(self, code="-", size="-"):
        pass


@pytest.fixture(scope="session")
def live_server(live_app) -> str:
    """The base URL (http://127.0.0.1:PORT) of the real app, served from a background thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


def chromium_executable() -> str | None:
    return next((path for path in CHROMIUM_CANDIDATES if os.access(path, os.X_OK)), None)


@pytest.fixture(scope="session")
def browser() -> Browser:
    executable = chromium_executable()
    if executable is None:
        reason = f"Chromium is not installed ({' or '.join(CHROMIUM_CANDIDATES)}): apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(request, browser, live_server):
    """Opens a page in a new browser context (its own cookies: one signed-in person each), Vietnamese
    like the province's staff, relative URLs resolved against the live server:
    `new_page()` or `new_page("phone")`. The test fails if a page has a script error or breaks the
    Content-Security-Policy."""
    contexts = []
    pages = request.node.stash.setdefault(_OPEN_PAGES, [])
    problems = []

    def _note_blocked(page: Page, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"{page.url}: {message.text}")

    def open_page(viewport: str = "desktop") -> Page:
        context = browser.new_context(base_url=live_server, locale="vi-VN", **VIEWPORTS[viewport])
        context.set_default_timeout(EXPECT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: _note_blocked(page, message))
        page.on("pageerror", lambda error: problems.append(f"{page.url}: script error: {error}"))
        pages.append(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    # The admin's Content-Security-Policy blocks inline scripts and styles: a page that relies on them
    # looks fine in the test's assertions while part of it silently does not work.
    if problems:
        pytest.fail("The browser reported:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(request, new_page) -> Page:
    """A page in a fresh browser context; `@pytest.mark.viewport("phone")` makes it phone-sized."""
    marker = request.node.get_closest_marker("viewport")
    return new_page(marker.args[0] if marker else "desktop")


def _artifact_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


@pytest.fixture
def save_screenshot(request):
    """`save_screenshot(page, "dashboard")` writes test-artifacts/screenshots/dashboard-<database>.png
    (the whole page) and returns its path."""

    def save(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{_artifact_name(name)}-{request.node.callspec.params['live_app']}.png"
        page.screenshot(path=path, full_page=True)
        print(f"screenshot: {path}")
        return path

    return save


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, save what each of its pages showed, and say where in the report."""
    report = yield
    pages = item.stash.get(_OPEN_PAGES, [])
    if report.failed and report.when in ("setup", "call") and pages:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        lines = []
        for number, page in enumerate(pages, start=1):
            if page.is_closed():
                continue
            path = SCREENSHOTS / f"failed-{_artifact_name(item.nodeid)}-{number}.png"
            try:
                page.screenshot(path=path, full_page=True)
            except PlaywrightError as error:
                lines.append(f"no screenshot of {page.url}: {error}")
            else:
                lines.append(f"{path} (at {page.url})")
        report.sections.append(("browser screenshots", "\n".join(lines)))
    return report


@dataclass(frozen=True)
class LiveOrganization:
    id: int
    code: str
    name_vi: str
    name_en: str | None


@dataclass(frozen=True)
class LiveUser:
    id: int
    email: str
    password: str
    display_name: str
    totp_secret: str | None
    recovery_codes: list[str]
    app: Flask = field(repr=False)

    def totp_code(self) -> str:
        """A code from the user's authenticator that the server accepts now: the current one, or a newer
        one when the current one was used already (each code signs in once)."""
        with self.app.app_context():
            last_step = db.session.get(User, self.id).totp_last_step
        totp = pyotp.TOTP(self.totp_secret)
        while True:
            current = totp.timecode(datetime.now(UTC))
            step = current if last_step is None else max(current, last_step + 1)
            if step <= current + two_factor.VALID_WINDOW:
                return totp.generate_otp(step)
            time.sleep(1)


@pytest.fixture
def live_db(live_app):
    """`with live_db() as session:` works in the live server's database, committing at the end."""

    @contextlib.contextmanager
    def session_scope():
        with live_app.app_context():
            yield db.session
            db.session.commit()

    return session_scope


@pytest.fixture
def live_organization(live_db):
    """Makes a new organization in the live database: `live_organization(name_vi="Sở …")`."""

    def make(**fields) -> LiveOrganization:
        with live_db():
            organization = factories.Factories().organization(**fields)
            return LiveOrganization(
                organization.id, organization.code, organization.name_vi, organization.name_en
            )

    return make


@pytest.fixture
def live_user(live_app, live_db):
    """Makes a user in the live database, with the password factories.TEST_PASSWORD and, for each
    organization code given (a demo one such as "SYT", or a `live_organization().code`), that role:
    `live_user(memberships={"SYT": Role.EDITOR})`, `live_user(is_admin=True)`; any other User field too.
    Administrators and communicators get an authenticator unless `authenticator=False` (they then have to
    set one up at their first sign-in); a user with one signs in with `user.totp_code()`."""

    def make(
        *, memberships: dict[str, Role] | None = None, authenticator: bool | None = None, **fields
    ) -> LiveUser:
        if authenticator is None:
            authenticator = fields.get("is_admin", False) or fields.get("is_communicator", False)
        with live_db() as session:
            organizations = {
                session.scalars(select(Organization).filter_by(code=code)).one(): role
                for code, role in (memberships or {}).items()
            }
            user = factories.Factories().user(memberships=organizations, **fields)
            recovery_codes = []
            if authenticator:
                secret = two_factor.new_secret()
                recovery_codes = two_factor.enroll(user, secret, pyotp.TOTP(secret).now())
                # Enrolment used the current code: the first sign-in may use it again.
                user.totp_last_step = None
                session.flush()
            return LiveUser(
                id=user.id,
                email=user.email,
                password=factories.TEST_PASSWORD,
                display_name=user.display_name,
                totp_secret=user.totp_secret,
                recovery_codes=recovery_codes,
                app=live_app,
            )

    return make


@pytest.fixture
def sign_in():
    """`sign_in(page, user)`: through the real sign-in page (and the code page when the user has an
    authenticator), ending on the dashboard. The page's context must not be signed in already (sign out
    first, or use another `new_page()`)."""

    def sign_in_as(page: Page, user: LiveUser) -> Page:
        page.goto("/admin/login")
        form = page.locator("main form")
        form.locator('input[name="email"]').fill(user.email)
        form.locator('input[name="password"]').fill(user.password)
        form.locator('button[type="submit"]').click()
        if user.totp_secret is not None:
            expect(page).to_have_url(re.compile(r"/admin/login/code$"))
            form.locator('input[name="code"]').fill(user.totp_code())
            form.locator('button[type="submit"]').click()
        expect(page).to_have_url(re.compile(r"/admin/$"))
        return page

    return sign_in_as
