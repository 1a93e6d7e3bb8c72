from datetime import date
from pathlib import Path

import pytest

from smart_qn import create_app
from smart_qn.config import ConfigError


def test_defaults_use_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("SMART_QN_DATABASE_URL", raising=False)
    app = create_app()

    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{Path(app.instance_path) / 'smart_qn.sqlite3'}"
    )
    assert app.config["UNITS_AS_OF"] == date(2024, 12, 31)
    assert app.config["DEFAULT_LANGUAGE"] == "vi"


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("SMART_QN_DATABASE_URL", "postgresql://postgres@127.0.0.1/smart_qn")
    monkeypatch.setenv("SMART_QN_UNITS_AS_OF", "2025-07-01")
    monkeypatch.setenv("SMART_QN_DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("SMART_QN_PAGE_SIZE_MAX", "50")
    app = create_app()

    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://postgres@127.0.0.1/smart_qn"
    assert app.config["UNITS_AS_OF"] == date(2025, 7, 1)
    assert app.config["DEFAULT_LANGUAGE"] == "en"
    assert app.config["PAGE_SIZE_MAX"] == 50


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.setenv("SMART_QN_ENVIRONMENT", "production")

    with pytest.raises(ConfigError, match="secret key"):
        create_app()


def test_production_starts_with_a_real_secret_key(monkeypatch):
    monkeypatch.setenv("SMART_QN_ENVIRONMENT", "production")
    monkeypatch.setenv("SMART_QN_SECRET_KEY", "a-long-random-production-secret")

    assert create_app().config["SECRET_KEY"] == "a-long-random-production-secret"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SMART_QN_UNITS_AS_OF", "31/12/2024", "UNITS_AS_OF"),
        ("SMART_QN_DEFAULT_LANGUAGE", "fr", "DEFAULT_LANGUAGE"),
        ("SMART_QN_PAGE_SIZE_DEFAULT", "500", "PAGE_SIZE_DEFAULT"),
        ("SMART_QN_ENVIRONMENT", "staging", "ENVIRONMENT"),
    ],
)
def test_bad_settings_fail_at_start_with_a_clear_message(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigError, match=message):
        create_app()


def test_pooled_connections_are_pinged_only_where_a_server_can_drop_them(tmp_path):
    sqlite_app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    postgres_app = create_app({"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/nowhere"})

    assert sqlite_app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": False}
    assert postgres_app.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
