"""Faster notice search on SQLite: prefix indexes for words of 2 to 7 letters, and liveness by id

The FTS5 index of notices (`notice_search`) kept prefix indexes for 2 and 3 letters only, so a longer
search word ("thong", "quang") made it gather and merge the entries of every word that begins so, on
every search. It is rebuilt with prefix indexes up to 7 letters, which covers nearly every Vietnamese
syllable: each search word then reads one entry. Its triggers refer to it by name and stay as they are.

`ix_notice_live_by_id` (id, state, publish_at, expire_at) lets the search tell which of the notices the
FTS5 index finds are live without reading their rows, bodies included (the search names it: INDEXED BY).
PostgreSQL matches notices through the trigram index and has it empty (WHERE false).

Revision ID: a4d2b8c6e1f3
Revises: 4d9f6a1c3e5b
Create Date: 2026-11-21 14:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a4d2b8c6e1f3"
down_revision = "4d9f6a1c3e5b"
branch_labels = None
depends_on = None

INDEX_SQL = """
CREATE VIRTUAL TABLE notice_search USING fts5(
    search_folded,
    content='notice', content_rowid='id',
    detail='none', prefix='{prefixes}',
    tokenize='unicode61 remove_diacritics 0'
)
"""


def _rebuild_notice_search(prefixes: str) -> None:
    op.execute("DROP TABLE notice_search")
    op.execute(INDEX_SQL.format(prefixes=prefixes))
    op.execute("INSERT INTO notice_search (notice_search) VALUES ('rebuild')")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_notice_search("2 3 4 5 6 7")
    op.create_index(
        "ix_notice_live_by_id",
        "notice",
        ["id", "state", "publish_at", "expire_at"],
        unique=False,
        postgresql_where=sa.false(),
    )


def downgrade():
    op.drop_index("ix_notice_live_by_id", table_name="notice")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_notice_search("2 3")
