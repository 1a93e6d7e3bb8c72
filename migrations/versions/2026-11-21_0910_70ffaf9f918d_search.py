"""Search: word forms folded and accented, of the text and the title; trigram indexes on PostgreSQL

The new columns of notices, service links and indicators are filled here for the rows that exist, as
`smart_qn.content.search.fill_search_columns` fills them (inlined, so that this migration keeps its meaning):
the words, casefolded with or without their accents, each capitalized to mark where it begins.

Revision ID: 70ffaf9f918d
Revises: cc62333e1932
Create Date: 2026-11-21 09:04:25.394351

"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

from smart_qn.text import fold_vi

# revision identifiers, used by Alembic.
revision = "70ffaf9f918d"
down_revision = "cc62333e1932"  # after the sync migration
branch_labels = None
depends_on = None

# table: (title columns, other searchable columns), in the order the listeners use.
SEARCHED = {
    "notice": (("title_vi", "title_en"), ("summary_vi", "summary_en", "body_vi", "body_en")),
    "service_link": (("name_vi", "name_en"), ("field", "agency_name", "tags")),
    "indicator": (("code", "name_vi", "name_en"), ("description_vi", "description_en")),
}
NEW_COLUMNS = ("search_folded", "search_accented", "search_title_folded", "search_title_accented")
BATCH = 1000
_WORD = re.compile(r"[^\W_]+")  # letters and digits: "GRDP_GROWTH" is two words


def _marked(word: str) -> str:
    return word[:1].upper() + word[1:]


def _folded_words(parts) -> str:
    return " ".join(_marked(word) for part in parts if part for word in _WORD.findall(fold_vi(part)))


def _accented_words(parts) -> str:
    return " ".join(
        _marked(word)
        for part in parts
        if part
        for word in _WORD.findall(unicodedata.normalize("NFC", unicodedata.normalize("NFC", part).casefold()))
    )


def _search_columns(title: tuple, body: tuple) -> dict:
    return {
        "search_folded": _folded_words(title + body),
        "search_accented": _accented_words(title + body),
        "search_title_folded": _folded_words(title),
        "search_title_accented": _accented_words(title),
    }


def _backfill(table_name: str) -> None:
    """Fill the new columns of every row of `table_name`, a batch of rows at a time."""
    titles, others = SEARCHED[table_name]
    table = sa.table(
        table_name,
        sa.column("id", sa.Integer),
        *(sa.column(name, sa.JSON if name == "tags" else sa.Text) for name in titles + others),
        *(sa.column(name, sa.Text) for name in NEW_COLUMNS),
    )
    update = (
        table.update()
        .where(table.c.id == sa.bindparam("row_id"))
        .values({name: sa.bindparam(name) for name in NEW_COLUMNS})
    )
    connection, last_id = op.get_bind(), 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, *(table.c[name] for name in titles + others))
            .where(table.c.id > last_id)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        values = []
        for row in rows:
            text = {name: getattr(row, name) for name in titles + others}
            if "tags" in text:
                text["tags"] = " ".join(text["tags"] or ())
            title, body = tuple(text[name] for name in titles), tuple(text[name] for name in others)
            values.append({"row_id": row.id, **_search_columns(title, body)})
        connection.execute(update, values)
        last_id = rows[-1].id


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in SEARCHED:
        # Adding columns is a plain ALTER TABLE on SQLite too (batch mode copies no table for it).
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in NEW_COLUMNS:
                batch_op.add_column(sa.Column(name, sa.Text(), server_default="", nullable=False))
        _backfill(table)
        # A GIN trigram index on PostgreSQL; on SQLite, which cannot use one for LIKE '%…%', an empty
        # partial index (WHERE 0) that only keeps the schema the same as the models declare it.
        op.create_index(
            f"ix_{table}_search_folded_trgm",
            table,
            ["search_folded"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"search_folded": "gin_trgm_ops"},
            sqlite_where=sa.text("0"),
        )


def downgrade():
    # pg_trgm stays installed: other objects may have come to depend on it.
    for table in reversed(SEARCHED):
        op.drop_index(f"ix_{table}_search_folded_trgm", table_name=table)
        # Not batch mode: on SQLite that would copy and drop the table, and dropping `notice` or
        # `indicator` with foreign keys on deletes the rows that reference them (ON DELETE CASCADE).
        # SQLite ≥ 3.35 drops a column in place.
        for name in reversed(NEW_COLUMNS):
            op.drop_column(table, name)
