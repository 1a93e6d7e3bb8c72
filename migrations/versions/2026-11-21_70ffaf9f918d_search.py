"""Search: folded titles, accented forms for exact matches, trigram indexes on PostgreSQL

`search_text` now holds the folded words separated by single spaces (no punctuation), so that a query word
can be matched at the start of a word; it is recomputed here with the new columns. The forms are those of
`smart_qn.content.search.fill_search_columns`, inlined so that this migration keeps its meaning.

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
NEW_COLUMNS = ("search_text_accented", "search_title", "search_title_accented")
BATCH = 1000
_WORD = re.compile(r"[^\W_]+")  # letters and digits: "GRDP_GROWTH" is two words


def _folded_words(parts) -> str:
    return " ".join(word for part in parts if part for word in _WORD.findall(fold_vi(part)))


def _accented_words(parts) -> str:
    return " ".join(
        word
        for part in parts
        if part
        for word in _WORD.findall(unicodedata.normalize("NFC", unicodedata.normalize("NFC", part).casefold()))
    )


def _upgraded(title, body) -> dict:
    return {
        "search_text": _folded_words(title + body),
        "search_text_accented": _accented_words(title + body),
        "search_title": _folded_words(title),
        "search_title_accented": _accented_words(title),
    }


def _downgraded(title, body) -> dict:
    # The former search_text: fold_all(), punctuation kept.
    return {"search_text": " ".join(fold_vi(part) for part in title + body if part)}


def _rewrite(table_name: str, columns: tuple[str, ...], compute) -> None:
    """Recompute the search columns of every row of `table_name`, a batch of rows at a time."""
    titles, others = SEARCHED[table_name]
    table = sa.table(
        table_name,
        sa.column("id", sa.Integer),
        *(sa.column(name, sa.JSON if name == "tags" else sa.Text) for name in titles + others),
        *(sa.column(name, sa.Text) for name in columns),
    )
    update = (
        table.update()
        .where(table.c.id == sa.bindparam("row_id"))
        .values({name: sa.bindparam(name) for name in columns})
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
            values.append(
                {"row_id": row.id, **compute(tuple(text[n] for n in titles), tuple(text[n] for n in others))}
            )
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
        _rewrite(table, ("search_text", *NEW_COLUMNS), _upgraded)
        # A GIN trigram index on PostgreSQL; on SQLite, which cannot use one for LIKE '%…%', an empty
        # partial index (WHERE 0) that only keeps the schema the same as the models declare it.
        op.create_index(
            f"ix_{table}_search_text_trgm",
            table,
            ["search_text"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            sqlite_where=sa.text("0"),
        )


def downgrade():
    # pg_trgm stays installed: other objects may have come to depend on it.
    for table in reversed(SEARCHED):
        op.drop_index(f"ix_{table}_search_text_trgm", table_name=table)
        # Not batch mode: on SQLite that would copy and drop the table, and dropping `notice` or
        # `indicator` with foreign keys on deletes the rows that reference them (ON DELETE CASCADE).
        # SQLite ≥ 3.35 drops a column in place.
        for name in reversed(NEW_COLUMNS):
            op.drop_column(table, name)
        _rewrite(table, ("search_text",), _downgraded)
