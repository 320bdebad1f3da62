"""Plain dataclasses for everything a project holds. No SQL, no Qt."""

from .camera import CameraMove
from .entities import (
    Angle,
    Asset,
    CharacterSheet,
    DialogueLine,
    Job,
    JobState,
    Move,
    Scene,
    Script,
    Shot,
    ShotSize,
    Status,
    Take,
    TakeKind,
    VoiceProfile,
)
from .project import Project, ProjectSettings
from .time import RationalTime, TimeRange
from .timeline import Clip, Gap, Timeline, Track, Transition

__all__ = [
    "Angle",
    "Asset",
    "CameraMove",
    "CharacterSheet",
    "Clip",
    "DialogueLine",
    "Gap",
    "Job",
    "JobState",
    "Move",
    "Project",
    "ProjectSettings",
    "RationalTime",
    "Scene",
    "Script",
    "Shot",
    "ShotSize",
    "Status",
    "Take",
    "TakeKind",
    "Timeline",
    "TimeRange",
    "Track",
    "Transition",
    "VoiceProfile",
]
