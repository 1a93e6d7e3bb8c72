"""The notice listing index also covers expire_at, so counting live notices reads only the index

Revision ID: 5d1e2f7a9b30
Revises: 70ffaf9f918d
Create Date: 2026-11-21 09:50:00

"""

from alembic import op

revision = "5d1e2f7a9b30"
down_revision = "70ffaf9f918d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_listing")
        batch_op.create_index(
            "ix_notice_listing", ["state", "pinned", "publish_at", "expire_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_listing")
        batch_op.create_index("ix_notice_listing", ["state", "pinned", "publish_at"], unique=False)
