"""Delta sync: deletion tombstones, and updated_at on service links and indicators

Revision ID: cc62333e1932
Revises: 4b039bc5fc35
Create Date: 2026-11-21 09:03:01.062001

"""

import sqlalchemy as sa
from alembic import op

revision = "cc62333e1932"
down_revision = "4b039bc5fc35"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "deleted_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "notice",
                "service",
                "indicator",
                name="item_kind",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deleted_item")),
    )
    with op.batch_alter_table("deleted_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deleted_item_deleted_at"), ["deleted_at"], unique=False)

    # Existing rows count as changed now; the default only fills them and is then dropped.
    for table in ("indicator", "service_link"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
                )
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("updated_at", server_default=None)


def downgrade():
    for table in ("service_link", "indicator"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("updated_at")

    with op.batch_alter_table("deleted_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deleted_item_deleted_at"))

    op.drop_table("deleted_item")
