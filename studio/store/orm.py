"""The project database's tables (SQLAlchemy 2.0 Core). The migrations in `migrations/` create
exactly these; a test compares the two."""

from __future__ import annotations

import sqlalchemy as sa

from studio.domain.entities import Angle, JobState, Move, ShotSize, Status, TakeKind

from .types import (
    JSONText,
    RationalTimeType,
    SettingsType,
    StrEnumType,
    VoiceProfileType,
)

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def pk() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


project = sa.Table(
    "project",
    metadata,
    pk(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("settings", SettingsType, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
)

scripts = sa.Table(
    "scripts",
    metadata,
    pk(),
    sa.Column("version", sa.Integer, nullable=False, unique=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("filename", sa.String(500), nullable=False),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
)

scenes = sa.Table(
    "scenes",
    metadata,
    pk(),
    sa.Column("order", sa.Integer, nullable=False, index=True),
    sa.Column("heading", sa.Text, nullable=False),
    sa.Column("int_ext", sa.String(16), nullable=False),
    sa.Column("location", sa.Text, nullable=False),
    sa.Column("time_of_day", sa.String(64), nullable=False),
    sa.Column("number", sa.String(32), nullable=False),
    sa.Column("synopsis", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
    sa.Column("status", StrEnumType(Status), nullable=False),
    sa.Column("transition", sa.Text, nullable=False, server_default=""),
)

scene_marks = sa.Table(
    "scene_marks",
    metadata,
    pk(),
    sa.Column("scene_id", sa.Integer, sa.ForeignKey("scenes.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("beat", sa.Integer, nullable=False),
    sa.Column("x", sa.Float, nullable=False),
    sa.Column("y", sa.Float, nullable=False),
    sa.Column("facing", sa.Float, nullable=True),
    sa.UniqueConstraint("scene_id", "name", "beat"),
)

characters = sa.Table(
    "characters",
    metadata,
    pk(),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("appearance", sa.Text, nullable=False),
    sa.Column("reference_assets", JSONText, nullable=False),
    sa.Column("voice", VoiceProfileType, nullable=False),
    sa.Column("colour", sa.String(16), nullable=False),
    sa.Column("seed", sa.Integer, nullable=False),
    sa.Column("status", StrEnumType(Status), nullable=False),
)

assets = sa.Table(
    "assets",
    metadata,
    pk(),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("path", sa.String(300), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("mime", sa.String(64), nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("duration", RationalTimeType, nullable=True),
    sa.Column("original_name", sa.String(500), nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
)

shots = sa.Table(
    "shots",
    metadata,
    pk(),
    sa.Column("scene_id", sa.Integer, sa.ForeignKey("scenes.id"), nullable=False, index=True),
    sa.Column("order", sa.Integer, nullable=False, index=True),
    sa.Column("number", sa.String(32), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("size", StrEnumType(ShotSize), nullable=False),
    sa.Column("angle", StrEnumType(Angle), nullable=False),
    sa.Column("movement", StrEnumType(Move), nullable=False),
    sa.Column("lens", sa.Integer, nullable=False),
    sa.Column("duration", RationalTimeType, nullable=False),
    sa.Column("prompt", sa.Text, nullable=False),
    sa.Column("negative_prompt", sa.Text, nullable=False),
    sa.Column("seed", sa.Integer, nullable=False),
    sa.Column("characters", JSONText, nullable=False),
    sa.Column("blocking", JSONText, nullable=False),
    sa.Column("keyframe_backend", sa.String(64), nullable=False),
    sa.Column("clip_backend", sa.String(64), nullable=False),
    sa.Column("model", sa.String(200), nullable=False),
    sa.Column("active_keyframe_take_id", sa.Integer, nullable=True),
    sa.Column("active_clip_take_id", sa.Integer, nullable=True),
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
    sa.Column("status", StrEnumType(Status), nullable=False),
)

dialogue_lines = sa.Table(
    "dialogue_lines",
    metadata,
    pk(),
    sa.Column("scene_id", sa.Integer, sa.ForeignKey("scenes.id"), nullable=False, index=True),
    sa.Column("character_id", sa.Integer, sa.ForeignKey("characters.id"), nullable=False),
    sa.Column("shot_id", sa.Integer, sa.ForeignKey("shots.id"), nullable=True, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("order", sa.Integer, nullable=False, index=True),
    sa.Column("parenthetical", sa.Text, nullable=False),
    sa.Column("extension", sa.String(32), nullable=False),
    sa.Column("dual", sa.String(8), nullable=False),
    sa.Column("voice_override", JSONText, nullable=False),
    sa.Column("active_voice_take_id", sa.Integer, nullable=True),
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
    sa.Column("status", StrEnumType(Status), nullable=False),
)

takes = sa.Table(
    "takes",
    metadata,
    pk(),
    sa.Column("kind", StrEnumType(TakeKind), nullable=False),
    sa.Column("owner_id", sa.Integer, nullable=False),
    sa.Column("asset_id", sa.Integer, sa.ForeignKey("assets.id"), nullable=False),
    sa.Column("recipe", JSONText, nullable=False),
    sa.Column("cache_key", sa.String(64), nullable=False, index=True),
    sa.Column("rating", sa.Integer, nullable=False),
    sa.Column("stale", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Index("ix_takes_kind_owner", "kind", "owner_id"),
)

jobs = sa.Table(
    "jobs",
    metadata,
    pk(),
    sa.Column("kind", StrEnumType(TakeKind), nullable=False),
    sa.Column("owner_id", sa.Integer, nullable=False),
    sa.Column("request", JSONText, nullable=False),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("backend", sa.String(64), nullable=False),
    sa.Column("state", StrEnumType(JobState), nullable=False),
    sa.Column("priority", sa.Integer, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("max_attempts", sa.Integer, nullable=False),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("progress", sa.Float, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("force", sa.Boolean, nullable=False),
    sa.Column("take_id", sa.Integer, nullable=True),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("started", sa.DateTime, nullable=True),
    sa.Column("finished", sa.DateTime, nullable=True),
    sa.Index("ix_jobs_state_order", "state", "priority", "position"),
)

timelines = sa.Table(
    "timelines",
    metadata,
    pk(),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("document", JSONText, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
)

music_bed = sa.Table(
    "music_bed",
    metadata,
    pk(),
    sa.Column("asset_id", sa.Integer, sa.ForeignKey("assets.id"), nullable=False),
)

sound_effects = sa.Table(
    "sound_effects",
    metadata,
    pk(),
    sa.Column("asset_id", sa.Integer, sa.ForeignKey("assets.id"), nullable=False),
    sa.Column("at_seconds", sa.Float, nullable=False),
    sa.Column("gain_db", sa.Float, nullable=False),
)

settings_kv = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", JSONText, nullable=False),
)
