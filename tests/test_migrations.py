"""The migrations are the only way the schema is built: they must match the models and run both ways."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from smart_qn import create_app
from smart_qn.content import demo
from smart_qn.content.search import declared_by_models
from smart_qn.extensions import db
from tests.conftest import alembic_config


def schema_drift() -> list:
    with db.engine.connect() as connection:
        return compare_metadata(
            MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": declared_by_models}
            ),
            db.metadata,
        )


def test_exactly_one_head():
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_migrated_schema_matches_the_models(app):
    with app.app_context():
        assert schema_drift() == []


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
