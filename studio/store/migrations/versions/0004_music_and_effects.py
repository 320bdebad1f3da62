"""music bed and sound effects: their own tables, out of the key/value `settings` table

The music bed was the asset id under the key "music"; the effects a list of
{"asset_id", "at", "gain_db"} under "effects". Entries naming an asset the project no longer
has were never used (the cut skipped them) and are not carried over.

Revision ID: 0004
Revises: 0003
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
assets = sa.table("assets", sa.column("id", sa.Integer))
music_bed = sa.table("music_bed", sa.column("asset_id", sa.Integer))
sound_effects = sa.table(
    "sound_effects",
    sa.column("id", sa.Integer),
    sa.column("asset_id", sa.Integer),
    sa.column("at_seconds", sa.Float),
    sa.column("gain_db", sa.Float),
)


def upgrade() -> None:
    op.create_table(
        "music_bed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_music_bed_asset_id_assets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_music_bed")),
    )
    op.create_table(
        "sound_effects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("at_seconds", sa.Float(), nullable=False),
        sa.Column("gain_db", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_sound_effects_asset_id_assets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sound_effects")),
    )
    conn = op.get_bind()
    known = {row[0] for row in conn.execute(sa.select(assets.c.id))}
    music = _value(conn, "music")
    if music in known:
        conn.execute(sa.insert(music_bed).values(asset_id=music))
    placed = [e for e in _value(conn, "effects") or [] if e.get("asset_id") in known]
    for effect in placed:
        conn.execute(
            sa.insert(sound_effects).values(
                asset_id=effect["asset_id"],
                at_seconds=float(effect["at"]),
                gain_db=float(effect.get("gain_db", 0.0)),
            )
        )
    conn.execute(sa.delete(settings).where(settings.c.key.in_(("music", "effects"))))


def downgrade() -> None:
    conn = op.get_bind()
    music = conn.execute(sa.select(music_bed.c.asset_id)).scalar()
    rows = conn.execute(
        sa.select(
            sound_effects.c.asset_id, sound_effects.c.at_seconds, sound_effects.c.gain_db
        ).order_by(sound_effects.c.id)
    ).all()
    effects = [{"asset_id": a, "at": at, "gain_db": gain} for a, at, gain in rows]
    if music is not None:
        _set_value(conn, "music", music)
    if effects:
        _set_value(conn, "effects", effects)
    op.drop_table("sound_effects")
    op.drop_table("music_bed")


def _value(conn: sa.Connection, key: str) -> object:
    row = conn.execute(sa.select(settings.c.value).where(settings.c.key == key)).first()
    return None if row is None else json.loads(row[0])


def _set_value(conn: sa.Connection, key: str, value: object) -> None:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    conn.execute(sa.delete(settings).where(settings.c.key == key))
    conn.execute(sa.insert(settings).values(key=key, value=text))
