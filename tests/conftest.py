"""Test set-up shared by every feature.

Each database-backed test runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL too. The schema
is built by the Alembic migrations and the demo data is loaded once per database; every test then runs in
a transaction (with savepoints for the code's own commits) that is rolled back afterwards.
"""

import contextlib
import contextvars
import os
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from flask.testing import FlaskClient
from flask_migrate import upgrade

from hatch_build import compile_catalogs
from smart_qn import create_app, jobs
from smart_qn.accounts.organizations import OrganizationKind
from smart_qn.api import references
from smart_qn.cache_store import MemoryStore
from smart_qn.config import bundled_dir
from smart_qn.content import demo, search
from smart_qn.extensions import Session, db, huey, limiter
from tests import factories

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
DEMO_NOTICES = 200


def pytest_configure(config):
    """Tests read the compiled catalogs: compile them from the committed .po files first."""
    compile_catalogs(Path(__file__).resolve().parent.parent / "translations")


def pytest_report_header(config):
    where = sa.make_url(POSTGRES_URL).render_as_string() if POSTGRES_URL else "not set: SQLite only"
    return [f"databases: {', '.join(BACKENDS)} (TEST_DATABASE_URL: {where})"]


def pytest_terminal_summary(terminalreporter):
    """Say how many tests passed on each database, so a log shows the PostgreSQL run happened."""
    passed = Counter()
    for report in terminalreporter.stats.get("passed", []):
        parameters = report.nodeid.partition("[")[2].rstrip("]").split("-")
        passed[
            next((backend for backend in ("sqlite", "postgresql") if backend in parameters), "no database")
        ] += 1
    terminalreporter.write_line(
        "passed per database: " + ", ".join(f"{name} {n}" for name, n in sorted(passed.items()))
    )


def reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    except sa.exc.OperationalError as error:
        pytest.exit(f"TEST_DATABASE_URL is set but PostgreSQL is unreachable: {error}", returncode=3)
    finally:
        engine.dispose()


def database_url(backend: str, tmp_path_factory) -> str:
    if backend == "postgresql":
        reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"


def migrate_and_seed(app) -> None:
    """Build the schema with the migrations and load the reference data and the demo content."""
    with app.app_context():
        upgrade()
        demo.seed(
            notices=DEMO_NOTICES, anchor=datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        )
        db.session.remove()


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, tmp_path_factory):
    app = create_app(
        {
            "DATABASE_URL": database_url(request.param, tmp_path_factory),
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "ATTACHMENT_DIR": str(tmp_path_factory.mktemp("attachments")),
            "IMPORT_DIR": str(tmp_path_factory.mktemp("imports")),
            # Tests about them turn these on (tests/api/test_http.py).
            "RESPONSE_CACHE_ENABLED": False,
            "API_RATE_LIMIT_ENABLED": False,
        }
    )
    migrate_and_seed(app)
    yield app
    with app.app_context():
        db.engine.dispose()


class TestSession(Session):
    """Flask-SQLAlchemy's session always picks the app's engine; tests need it bound to their connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


@pytest.fixture(autouse=True)
def _transaction(request):
    """Roll back everything a database test did."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    app.extensions["smart_qn.cache_store"] = MemoryStore()
    # Each test's store starts at content generation 0, and a rolled-back test's row ids come back with
    # other names: what the process keeps of content (maps of names, the snapshot that services and
    # indicators are searched in) must not outlive the test that filled it.
    references.forget()
    search.forget_snapshots()
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"class_": TestSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
        )
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
            huey.flush()  # jobs a test scheduled for later (the queue is the process's own)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production, even though the test holds one open
    (the test's context would otherwise be reused and `g` shared between requests)."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def alembic_config() -> Config:
    config = Config(str(bundled_dir("migrations") / "alembic.ini"))
    config.set_main_option("script_location", str(bundled_dir("migrations")))
    return config


@contextlib.contextmanager
def recorded_statements():
    """The SQL statements the test's connection runs inside the block, as a list filled as they run."""
    statements = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement)

    connection = db.session.get_bind()
    sa.event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(connection, "before_cursor_execute", record)


@contextlib.contextmanager
def throwaway_postgres_database(prefix: str):
    """The URL of a new database on TEST_DATABASE_URL's server, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    server = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """The URL of a new, empty database (a throwaway PostgreSQL database when TEST_DATABASE_URL is set)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    with throwaway_postgres_database("smart_qn_empty") as url:
        yield url


@pytest.fixture
def restore_job_queue():
    """Put the one job queue of the process back as it was after a test that configured it otherwise."""
    saved = (huey.storage_class, huey.storage_kwargs, huey.immediate, huey.storage, jobs._app)
    yield
    huey.storage_class, huey.storage_kwargs, immediate, storage, jobs._app = saved
    huey.immediate = immediate
    huey.storage = storage


@pytest.fixture
def rate_limited_client(app):
    """Makes test clients of app instances of their own with the rate limiter registered (the shared test
    app has it off): `rate_limited_client("3 per minute", **more_settings)`."""
    created = []

    def make(limit: str, **config):
        limited = create_app(
            {
                "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "TESTING": True,
                "API_RATE_LIMIT_ENABLED": True,
                "API_RATE_LIMIT": limit,
                "RESPONSE_CACHE_ENABLED": False,
                **config,
            }
        )
        created.append(limited)
        limiter.reset()
        return limited.test_client()

    yield make
    if created:
        limiter.reset()
    for limited in created:
        with limited.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def make(app):
    """Factories for model rows, flushed into the test's transaction."""
    return factories.Factories()


# Organizations that report indicator figures (smart_qn.reporting): a department reports the province's, a
# district People's Committee its district's and communes'.


@pytest.fixture
def department(make):
    return make.organization()


@pytest.fixture
def thang_binh(make):
    """UBND huyện Thăng Bình (district 513)."""
    return make.organization(kind=OrganizationKind.DISTRICT_COMMITTEE, admin_unit=make.unit("513"))


@pytest.fixture
def tam_ky(make):
    """UBND thành phố Tam Kỳ (district 502)."""
    return make.organization(kind=OrganizationKind.DISTRICT_COMMITTEE, admin_unit=make.unit("502"))
