import sqlite3

from sqlalchemy import create_engine, text

import smart_qn.extensions  # noqa: F401  (registers the SQLite connection settings on every engine)


def pragma(engine, name: str):
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_a_new_sqlite_database_gets_large_pages_and_wal(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)"))

    assert pragma(engine, "page_size") == 16384
    assert pragma(engine, "journal_mode") == "wal"
    assert pragma(engine, "foreign_keys") == 1
    engine.dispose()


def test_an_existing_database_keeps_its_page_size(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        connection.execute("INSERT INTO t (body) VALUES ('kept')")
    engine = create_engine(f"sqlite:///{path}")

    with engine.begin() as connection:
        connection.execute(text("INSERT INTO t (body) VALUES ('added')"))

    assert pragma(engine, "page_size") == 4096
    assert pragma(engine, "journal_mode") == "wal"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT body FROM t ORDER BY id")).scalars().all() == ["kept", "added"]
    engine.dispose()
