"""An installed wheel must find its migrations, translations, data and vendored assets."""

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RUN_FROM_WHEEL = textwrap.dedent(
    """
    import sys
    import smart_qn
    from flask_babel import force_locale, gettext
    from flask_migrate import upgrade
    from sqlalchemy import inspect
    from smart_qn import create_app
    from smart_qn.extensions import db

    assert smart_qn.__file__.startswith(sys.argv[1]), smart_qn.__file__
    app = create_app({"DATABASE_URL": "sqlite:///" + sys.argv[2]})
    with app.app_context():
        upgrade()
        assert "notice" in inspect(db.engine).get_table_names()
    with app.test_request_context(), force_locale("vi"):
        assert gettext("Fully online") == "Toàn trình"
    print("wheel ok")
    """
)


@pytest.mark.slow
def test_wheel_runs_migrations_and_translations_outside_the_checkout(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("smart_qn-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "smart_qn/migrations/env.py",
        "smart_qn/migrations/alembic.ini",
        "smart_qn/translations/vi/LC_MESSAGES/messages.mo",
        "smart_qn/data/quang_nam_units_history.json",
        "smart_qn/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "smart_qn/static/vendor/redoc/redoc.standalone.js",
    } <= names
    assert any(name.startswith("smart_qn/migrations/versions/") for name in names)

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    result = subprocess.run(
        [sys.executable, "-c", RUN_FROM_WHEEL, str(site), str(tmp_path / "wheel.sqlite3")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "wheel ok" in result.stdout
