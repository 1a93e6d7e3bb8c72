"""API tokens for the management API

New table `api_token`: one organization's token, its scopes and validity, the SHA-256 of its secret.

Revision ID: d8b3f5a0c2e6
Revises: b6f1d3a8c2e4
Create Date: 2026-11-21 15:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d8b3f5a0c2e6"
down_revision = "b6f1d3a8c2e4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=8), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_api_token_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_api_token_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["user_account.id"], name=op.f("fk_api_token_revoked_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_token_prefix")),
    )
    op.create_index(op.f("ix_api_token_organization_id"), "api_token", ["organization_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_api_token_organization_id"), table_name="api_token")
    op.drop_table("api_token")
