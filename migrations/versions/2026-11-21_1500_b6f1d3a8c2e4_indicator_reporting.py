"""Indicator reporting: who reports which figures, per-period targets, plausible ranges, drafts with
pending corrections, and a revision for every change of a figure

New tables `indicator_reporter`, `indicator_target` and `indicator_value_revision`; new columns on
`indicator` (method_vi, method_en, minimum, maximum, grace_days) and `indicator_value` (pending_value,
pending_note, organization_id, published_at). Published figures get `published_at` from their last
update, and every indicator gets the usual reporters (smart_qn.reporting.assignments.default_reporters):
its owner for the province level, each district People's Committee for its district's and communes'
levels.

Revision ID: b6f1d3a8c2e4
Revises: a4d2b8c6e1f3
Create Date: 2026-11-21 15:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b6f1d3a8c2e4"
down_revision = "a4d2b8c6e1f3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("method_vi", sa.Text(), nullable=True))
        batch.add_column(sa.Column("method_en", sa.Text(), nullable=True))
        batch.add_column(sa.Column("minimum", sa.Numeric(20, 4), nullable=True))
        batch.add_column(sa.Column("maximum", sa.Numeric(20, 4), nullable=True))
        batch.add_column(sa.Column("grace_days", sa.Integer(), nullable=True))

    op.create_table(
        "indicator_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("value", sa.Numeric(20, 4), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_target_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_target")),
        sa.UniqueConstraint("indicator_id", "period", name=op.f("uq_indicator_target_indicator_id_period")),
    )
    op.create_table(
        "indicator_reporter",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_reporter_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_indicator_reporter_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("indicator_id", "organization_id", name=op.f("pk_indicator_reporter")),
    )

    with op.batch_alter_table("indicator_value") as batch:
        batch.add_column(sa.Column("pending_value", sa.Numeric(20, 4), nullable=True))
        batch.add_column(sa.Column("pending_note", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("organization_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_indicator_value_organization_id"), ["organization_id"])
        batch.create_foreign_key(
            batch.f("fk_indicator_value_organization_id_organization"),
            "organization",
            ["organization_id"],
            ["id"],
        )

    op.create_table(
        "indicator_value_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(20, 4), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "saved",
                "published",
                "unpublished",
                "discarded",
                name="value_revision_action",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "form",
                "import",
                "api",
                name="value_source",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_indicator_value_revision_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["value_id"],
            ["indicator_value.id"],
            name=op.f("fk_indicator_value_revision_value_id_indicator_value"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value_revision")),
    )
    op.create_index(
        op.f("ix_indicator_value_revision_value_id"), "indicator_value_revision", ["value_id"], unique=False
    )

    op.execute("UPDATE indicator_value SET published_at = updated_at WHERE status = 'published'")
    _add_default_reporters()


def _add_default_reporters():
    connection = op.get_bind()
    indicator = sa.table(
        "indicator",
        sa.column("id", sa.Integer),
        sa.column("organization_id", sa.Integer),
        sa.column("levels", sa.JSON),
    )
    organization = sa.table(
        "organization", sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("admin_unit_id")
    )
    reporter = sa.table(
        "indicator_reporter",
        sa.column("indicator_id", sa.Integer),
        sa.column("organization_id", sa.Integer),
        sa.column("levels", sa.JSON),
    )
    committees = (
        connection.execute(
            sa.select(organization.c.id).where(
                organization.c.kind == "district_committee", organization.c.admin_unit_id.is_not(None)
            )
        )
        .scalars()
        .all()
    )
    rows = []
    for indicator_id, owner_id, levels in connection.execute(
        sa.select(indicator.c.id, indicator.c.organization_id, indicator.c.levels)
    ):
        local_levels = [level for level in levels if level != 1]
        if 1 in levels:
            rows.append({"indicator_id": indicator_id, "organization_id": owner_id, "levels": [1]})
        if local_levels:
            rows.extend(
                {"indicator_id": indicator_id, "organization_id": committee_id, "levels": local_levels}
                for committee_id in committees
                if not (committee_id == owner_id and 1 in levels)
            )
    if rows:
        op.bulk_insert(reporter, rows)


def downgrade():
    op.drop_index(op.f("ix_indicator_value_revision_value_id"), table_name="indicator_value_revision")
    op.drop_table("indicator_value_revision")
    with op.batch_alter_table("indicator_value") as batch:
        batch.drop_constraint(batch.f("fk_indicator_value_organization_id_organization"), type_="foreignkey")
        batch.drop_index(batch.f("ix_indicator_value_organization_id"))
        batch.drop_column("published_at")
        batch.drop_column("organization_id")
        batch.drop_column("pending_note")
        batch.drop_column("pending_value")
    op.drop_table("indicator_reporter")
    op.drop_table("indicator_target")
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("grace_days")
        batch.drop_column("maximum")
        batch.drop_column("minimum")
        batch.drop_column("method_en")
        batch.drop_column("method_vi")
