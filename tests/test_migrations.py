"""The migrations are the only way the schema is built: they must match the models and run both ways."""

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from smart_qn import create_app
from smart_qn.config import bundled_dir
from smart_qn.content import demo
from smart_qn.extensions import db
from tests.conftest import POSTGRES_URL


def schema_drift() -> list:
    with db.engine.connect() as connection:
        return compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata
        )


def alembic_config() -> Config:
    config = Config(str(bundled_dir("migrations") / "alembic.ini"))
    config.set_main_option("script_location", str(bundled_dir("migrations")))
    return config


def test_exactly_one_head():
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_migrated_schema_matches_the_models(app):
    with app.app_context():
        assert schema_drift() == []


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}"
        return
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"smart_qn_roundtrip_{uuid.uuid4().hex[:8]}"
    server = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()


def test_upgrade_downgrade_upgrade(empty_database):
    app = create_app({"DATABASE_URL": empty_database, "TESTING": True})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) == {"alembic_version"}
        upgrade()
        assert schema_drift() == []
        db.engine.dispose()


def test_migrating_a_populated_database_keeps_its_rows(empty_database):
    """Down to the first revision and back up again, with the demo data in place."""
    app = create_app({"DATABASE_URL": empty_database, "TESTING": True})
    with app.app_context():
        upgrade()
        demo.seed(notices=20)
        before = row_counts()
        first = ScriptDirectory.from_config(alembic_config()).get_base()
        downgrade(revision=first)
        upgrade()
        assert row_counts() == before
        db.session.remove()
        db.engine.dispose()


def row_counts() -> dict[str, int]:
    tables = (
        "admin_unit",
        "organization",
        "notice",
        "notice_audience",
        "service_link",
        "indicator",
        "indicator_value",
    )
    with db.engine.connect() as connection:
        return {table: connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) for table in tables}
