"""scene marks: the user's placements on a scene's plan (characters per beat, things per scene)

The plan itself is derived from the script; only what the user placed is stored. A downgrade
drops the placements (an older studio has no plan to hold them): the plan goes back to derived.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scene_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scene_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("beat", sa.Integer(), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("facing", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["scene_id"], ["scenes.id"], name=op.f("fk_scene_marks_scene_id_scenes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scene_marks")),
        sa.UniqueConstraint(
            "scene_id", "name", "beat", name=op.f("uq_scene_marks_scene_id_name_beat")
        ),
    )
    with op.batch_alter_table("scene_marks") as batch_op:
        batch_op.create_index(batch_op.f("ix_scene_marks_scene_id"), ["scene_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scene_marks") as batch_op:
        batch_op.drop_index(batch_op.f("ix_scene_marks_scene_id"))
    op.drop_table("scene_marks")
