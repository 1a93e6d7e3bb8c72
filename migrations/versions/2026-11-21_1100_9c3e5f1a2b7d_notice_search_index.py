"""Notices are searched through an FTS5 index on SQLite; the unread search_text columns go

On SQLite, `notice_search` indexes `notice.search_folded` (external content: the index holds only the
words, the text stays in `notice`), so that a search reads the index instead of scanning every notice's
text. Triggers keep it in step with every insert, update and delete, whoever makes them. PostgreSQL keeps
its pg_trgm index and has no such table.

A later migration that rebuilds `notice` in batch mode (copy, drop, rename) drops these triggers with the
old table and must create them again; `tests/content/test_search.py` checks that they exist at the head.

`search_text`, written by the models but read by nothing since the search columns came, is dropped from
notices, service links and indicators; a downgrade restores it from the folded words.

Revision ID: 9c3e5f1a2b7d
Revises: 5d1e2f7a9b30
Create Date: 2026-11-21 11:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "9c3e5f1a2b7d"
down_revision = "5d1e2f7a9b30"
branch_labels = None
depends_on = None

TABLES_WITH_SEARCH_TEXT = ("notice", "service_link", "indicator")

# detail=none: the index answers "which notices have words beginning so" and nothing more, at the least
# size; the prefix indexes make those prefix queries (every search word is one) read one entry each.
CREATE_INDEX = """
CREATE VIRTUAL TABLE notice_search USING fts5(
    search_folded,
    content='notice', content_rowid='id',
    detail='none', prefix='2 3',
    tokenize='unicode61 remove_diacritics 0'
)
"""
TRIGGERS = {
    "notice_search_insert": """
        CREATE TRIGGER notice_search_insert AFTER INSERT ON notice BEGIN
            INSERT INTO notice_search (rowid, search_folded) VALUES (new.id, new.search_folded);
        END""",
    "notice_search_delete": """
        CREATE TRIGGER notice_search_delete AFTER DELETE ON notice BEGIN
            INSERT INTO notice_search (notice_search, rowid, search_folded)
                VALUES ('delete', old.id, old.search_folded);
        END""",
    "notice_search_update": """
        CREATE TRIGGER notice_search_update AFTER UPDATE OF id, search_folded ON notice BEGIN
            INSERT INTO notice_search (notice_search, rowid, search_folded)
                VALUES ('delete', old.id, old.search_folded);
            INSERT INTO notice_search (rowid, search_folded) VALUES (new.id, new.search_folded);
        END""",
}


def upgrade():
    # In place (SQLite ≥ 3.35): batch mode would copy and drop the tables, and dropping `notice` with
    # foreign keys on deletes the rows that reference it.
    for table in TABLES_WITH_SEARCH_TEXT:
        op.drop_column(table, "search_text")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(CREATE_INDEX)
        for trigger in TRIGGERS.values():
            op.execute(trigger)
        op.execute("INSERT INTO notice_search (notice_search) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE notice_search")
    for table in TABLES_WITH_SEARCH_TEXT:
        op.add_column(table, sa.Column("search_text", sa.Text(), server_default="", nullable=False))
        op.execute(f"UPDATE {table} SET search_text = lower(search_folded)")
