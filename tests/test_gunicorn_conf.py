"""The production server settings (gunicorn.conf.py) as gunicorn reads them."""

import gc
import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.fixture
def settings(monkeypatch):
    monkeypatch.delenv("SMART_QN_DATABASE_URL", raising=False)
    return runpy.run_path(str(CONFIG))


def test_one_thread_per_worker_on_sqlite_and_four_with_a_database_server(monkeypatch, settings):
    assert settings["worker_class"] == "gthread"
    assert settings["threads"] == 1
    monkeypatch.setenv("SMART_QN_DATABASE_URL", "postgresql://db.example/smart_qn")
    assert runpy.run_path(str(CONFIG))["threads"] == 4


def test_a_loaded_worker_freezes_the_objects_it_has_so_that_collections_skip_them(settings):
    before = gc.get_freeze_count()
    kept_alive = [object() for _ in range(1000)]
    try:
        settings["post_worker_init"](worker=None)
        assert gc.get_freeze_count() >= before + len(kept_alive)
    finally:
        gc.unfreeze()
