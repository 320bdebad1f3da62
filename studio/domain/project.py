"""The project and its settings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

# the largest image (width × height) a project decodes: keyframes, references, imports, bundles
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000

ASPECTS = {"16:9": (16, 9), "9:16": (9, 16), "2.39:1": (239, 100), "4:3": (4, 3), "1:1": (1, 1)}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class ProjectSettings:
    """What every generation and render of a project starts from."""

    fps: int = 24
    width: int = 1280
    height: int = 720
    aspect: str = "16:9"
    look: str = "none"
    style: str = "cinematic storyboard, muted palette"
    keyframe_backend: str = "previz"
    clip_backend: str = "camera"
    voice_backend: str = "piper"
    handles: int = 12  # extra frames generated before and after each clip, for trims and dissolves
    # picking another keyframe for a shot with a clip queues a new clip of it (same camera)
    clips_follow_picks: bool = True
    # images larger than this are refused from their header, before they are decoded
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS

    @classmethod
    def for_aspect(cls, aspect: str, fps: int = 24, height: int = 720, **kw) -> ProjectSettings:
        """Settings whose frame size matches `aspect` (even numbers, as H.264 needs)."""
        if aspect not in ASPECTS:
            raise ValueError(f"unknown aspect {aspect!r}; choose one of {', '.join(ASPECTS)}")
        num, den = ASPECTS[aspect]
        if num >= den:
            width = round(height * num / den / 2) * 2
        else:
            width, height = height, round(height * den / num / 2) * 2
        return cls(fps=fps, width=width, height=height, aspect=aspect, **kw)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ProjectSettings:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class Project:
    name: str
    settings: ProjectSettings = field(default_factory=ProjectSettings)
    created: datetime = field(default_factory=utcnow)
    id: int | None = None
