"""Notices keep what their search snippets are cut from

New columns of `notice`: `snippet_text_vi` and `snippet_text_en`, the plain text of the summary and the
rendered body (whitespace collapsed; the English one from the English summary and body, each falling back to
the Vietnamese, and null when the notice has neither in English), and `snippet_folded_vi`/`_en`, that text
folded to ASCII one character for one (null when it does not fold so). They are filled here for the notices
that exist as `smart_qn.content.search.fill_snippet_columns` fills them (inlined, so that this migration keeps
its meaning).

Revision ID: e3a7c9d1f5b2
Revises: d8b3f5a0c2e6
Create Date: 2026-11-21 17:00:00

"""

import html
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "e3a7c9d1f5b2"
down_revision = "d8b3f5a0c2e6"
branch_labels = None
depends_on = None

NEW_COLUMNS = ("snippet_text_vi", "snippet_folded_vi", "snippet_text_en", "snippet_folded_en")
BATCH = 500
_BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|br|hr|table|tr|td|th)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def _plain_text(sanitized_html: str | None) -> str:
    if not sanitized_html:
        return ""
    return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", sanitized_html))).split())


def _fold_ascii(text: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    folded = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return folded if len(folded) == len(text) else None


def _source(summary: str | None, body_html: str | None) -> tuple[str, str | None]:
    text = " ".join(part for part in (" ".join((summary or "").split()), _plain_text(body_html)) if part)
    return text, _fold_ascii(text)


def _columns(row) -> dict:
    text_vi, folded_vi = _source(row.summary_vi, row.body_html_vi)
    text_en = folded_en = None
    if row.summary_en or row.body_html_en:
        text_en, folded_en = _source(row.summary_en or row.summary_vi, row.body_html_en or row.body_html_vi)
    return {
        "snippet_text_vi": text_vi,
        "snippet_folded_vi": folded_vi,
        "snippet_text_en": text_en,
        "snippet_folded_en": folded_en,
    }


def _backfill() -> None:
    """Fill the new columns of every notice, a batch at a time."""
    read = ("summary_vi", "summary_en", "body_html_vi", "body_html_en")
    notice = sa.table(
        "notice", sa.column("id", sa.Integer), *(sa.column(name, sa.Text) for name in read + NEW_COLUMNS)
    )
    update = (
        notice.update()
        .where(notice.c.id == sa.bindparam("row_id"))
        .values({name: sa.bindparam(name) for name in NEW_COLUMNS})
    )
    connection, last_id = op.get_bind(), 0
    while True:
        rows = connection.execute(
            sa.select(notice.c.id, *(notice.c[name] for name in read))
            .where(notice.c.id > last_id)
            .order_by(notice.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(update, [{"row_id": row.id, **_columns(row)} for row in rows])
        last_id = rows[-1].id


def upgrade():
    # Adding columns is a plain ALTER TABLE on SQLite too (batch mode copies no table for it).
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("snippet_text_vi", sa.Text(), server_default="", nullable=False))
        for name in NEW_COLUMNS[1:]:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
    _backfill()


def downgrade():
    # Not batch mode: on SQLite that would copy and drop `notice`, and with foreign keys on, dropping it
    # deletes the rows that reference it (ON DELETE CASCADE). SQLite ≥ 3.35 drops a column in place.
    for name in reversed(NEW_COLUMNS):
        op.drop_column("notice", name)
