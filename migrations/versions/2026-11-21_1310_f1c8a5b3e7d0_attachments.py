"""Attachments: uploaded PDF documents and images, and the files of each notice's own content, in order

`attachment` describes an uploaded file (stored outside the database, named by its SHA-256). A revision
lists the files of its content as `attachment_ids` in its JSON (revisions written before have none);
`notice_attachment` links a notice to the files of the content it holds, with their position.

Both tables are new and created in place: `notice` is only referred to, never rebuilt in batch mode, which
would drop its FTS5 search triggers (see 9c3e5f1a2b7d).

Revision ID: f1c8a5b3e7d0
Revises: e0b7f4a2d6c9
Create Date: 2026-11-21 13:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f1c8a5b3e7d0"
down_revision = "e0b7f4a2d6c9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column(
            "media_type",
            sa.Enum(
                "application/pdf",
                "image/png",
                "image/jpeg",
                "image/webp",
                name="attachment_media_type",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("size > 0", name=op.f("ck_attachment_positive_size")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_attachment_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user_account.id"], name=op.f("fk_attachment_uploaded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index(op.f("ix_attachment_organization_id"), "attachment", ["organization_id"], unique=False)
    op.create_index(op.f("ix_attachment_sha256"), "attachment", ["sha256"], unique=False)
    op.create_table(
        "notice_attachment",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"], ["attachment.id"], name=op.f("fk_notice_attachment_attachment_id_attachment")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notice.id"],
            name=op.f("fk_notice_attachment_notice_id_notice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("notice_id", "attachment_id", name=op.f("pk_notice_attachment")),
    )
    op.create_index(
        op.f("ix_notice_attachment_attachment_id"), "notice_attachment", ["attachment_id"], unique=False
    )


def downgrade():
    # The stored files are left in ATTACHMENT_DIR: upgraded again, remove_orphans removes those that no
    # attachment names.
    op.drop_index(op.f("ix_notice_attachment_attachment_id"), table_name="notice_attachment")
    op.drop_table("notice_attachment")
    op.drop_index(op.f("ix_attachment_sha256"), table_name="attachment")
    op.drop_index(op.f("ix_attachment_organization_id"), table_name="attachment")
    op.drop_table("attachment")
