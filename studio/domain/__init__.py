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
    MusicBed,
    Scene,
    Script,
    Shot,
    ShotSize,
    SoundEffect,
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
    "MusicBed",
    "Project",
    "ProjectSettings",
    "RationalTime",
    "Scene",
    "Script",
    "Shot",
    "ShotSize",
    "SoundEffect",
    "Status",
    "Take",
    "TakeKind",
    "Timeline",
    "TimeRange",
    "Track",
    "Transition",
    "VoiceProfile",
]
