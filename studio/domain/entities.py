"""The project's things: script versions, scenes, shots, characters, dialogue, media, takes, jobs.

Plain dataclasses. `studio.store.orm` maps them onto tables; nothing here knows about SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .project import utcnow
from .time import RationalTime


class Status(StrEnum):
    """Where a scene, shot or line stands against the current script."""

    CURRENT = "current"
    STALE = "stale"  # the script changed under it: takes are kept, flagged for review
    ARCHIVED = "archived"  # removed from the script: kept with its takes, out of the cut


class ShotSize(StrEnum):
    EXTREME_WIDE = "EWS"
    WIDE = "WS"
    FULL = "FS"
    MEDIUM_WIDE = "MWS"
    MEDIUM = "MS"
    MEDIUM_CLOSE = "MCU"
    CLOSE = "CU"
    EXTREME_CLOSE = "ECU"
    INSERT = "INSERT"


class Angle(StrEnum):
    EYE = "eye"
    LOW = "low"
    HIGH = "high"
    OVERHEAD = "overhead"
    DUTCH = "dutch"
    POV = "pov"


class Move(StrEnum):
    STATIC = "static"
    PUSH_IN = "push_in"
    PULL_OUT = "pull_out"
    PAN_LEFT = "pan_left"
    PAN_RIGHT = "pan_right"
    TILT_UP = "tilt_up"
    TILT_DOWN = "tilt_down"
    DOLLY_LEFT = "dolly_left"
    DOLLY_RIGHT = "dolly_right"
    TRACKING = "tracking"
    HANDHELD = "handheld"


class TakeKind(StrEnum):
    KEYFRAME = "keyframe"
    CLIP = "clip"
    VOICE = "voice"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class Script:
    """One version of the screenplay's source text; every import adds a version."""

    version: int
    source: str
    format: str = "fountain"
    filename: str = ""
    title: str = ""
    created: datetime = field(default_factory=utcnow)
    id: int | None = None


@dataclass
class Scene:
    order: int
    heading: str
    int_ext: str = ""  # INT, EXT, INT./EXT., EST
    location: str = ""
    time_of_day: str = ""
    number: str = ""  # the script's scene number (#1A#) or the order as text
    synopsis: str = ""
    fingerprint: str = ""  # what two-way sync matches on
    status: Status = Status.CURRENT
    transition: str = ""  # how it hands over to the next scene: "CUT TO:", "DISSOLVE TO:"…
    id: int | None = None


@dataclass
class SceneMark:
    """A user's placement on a scene's plan: a character at a beat, or a prop or set piece
    (beat 0) for the whole scene. It overrides what the plan derives from the script."""

    scene_id: int
    name: str  # a character's name, or a thing's ("table", "chair 2")
    beat: int
    x: float  # metres on the plan
    y: float
    facing: float | None = None  # degrees; None keeps the derived facing
    id: int | None = None


@dataclass
class VoiceProfile:
    """How a character speaks."""

    voice: str = "joe"
    rate: float = 1.0  # 1.0 = the voice's own speed; 1.2 = 20 % faster
    variation: float = 0.667  # Piper noise scale: how much delivery varies
    pitch_semitones: float = 0.0
    gain_db: float = 0.0

    def to_json(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: dict | None) -> VoiceProfile:
        data = data or {}
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class CharacterSheet:
    name: str  # normalised: upper case, no extension or CONT'D
    description: str = ""
    appearance: str = ""
    reference_assets: list[int] = field(default_factory=list)
    voice: VoiceProfile = field(default_factory=VoiceProfile)
    colour: str = "#c0392b"
    seed: int = 0  # a per-character seed carries consistency when no reference conditioning exists
    status: Status = Status.CURRENT
    id: int | None = None


@dataclass
class Shot:
    scene_id: int
    order: int  # position in the whole film
    number: str  # "12", "12A": what the crew calls it
    description: str = ""
    size: ShotSize = ShotSize.MEDIUM
    angle: Angle = Angle.EYE
    movement: Move = Move.STATIC
    lens: int = 35  # focal length in mm (full-frame equivalent)
    duration: RationalTime = field(default_factory=lambda: RationalTime(72, 24))
    prompt: str = ""
    negative_prompt: str = ""
    seed: int = 0
    characters: list[int] = field(default_factory=list)  # CharacterSheet ids, in blocking order
    blocking: dict[str, float] = field(default_factory=dict)  # str(character id) -> x in 0..1
    keyframe_backend: str = ""  # empty: the project's default
    clip_backend: str = ""
    model: str = ""
    active_keyframe_take_id: int | None = None
    active_clip_take_id: int | None = None
    fingerprint: str = ""
    status: Status = Status.CURRENT
    id: int | None = None

    @property
    def base_seed(self) -> int:
        """The seed of the shot's first take: its own seed when set, else one made from its id.
        Take n of a keyframe or clip uses base_seed + n; a held keyframe's move uses take 0's."""
        return self.seed if self.seed else (self.id or 0) * 1009 + 17


@dataclass
class DialogueLine:
    scene_id: int
    character_id: int
    text: str
    order: int  # position in the whole script
    shot_id: int | None = None
    parenthetical: str = ""
    extension: str = ""  # V.O., O.S.
    dual: str = ""  # "left" / "right" for dual dialogue
    voice_override: dict = field(default_factory=dict)  # VoiceProfile fields that win for this line
    active_voice_take_id: int | None = None
    fingerprint: str = ""
    status: Status = Status.CURRENT
    id: int | None = None


@dataclass
class Asset:
    """A file in the content-addressed media store."""

    sha256: str
    kind: str  # image, video, audio
    path: str  # relative to the project folder: media/ab/abcdef….png
    size: int
    mime: str = ""
    width: int = 0
    height: int = 0
    duration: RationalTime | None = None
    original_name: str = ""
    created: datetime = field(default_factory=utcnow)
    id: int | None = None


@dataclass
class MusicBed:
    """The film's music bed: a sound from the media store, looped under the whole picture."""

    asset_id: int
    id: int | None = None


@dataclass
class SoundEffect:
    """A sound effect placed in the film: its sound, where it starts and its gain."""

    asset_id: int
    at_seconds: float  # into the film
    gain_db: float = 0.0
    id: int | None = None


@dataclass
class Take:
    """One generation (or an imported file) for a shot or a line, with its recipe."""

    kind: TakeKind
    owner_id: int  # a Shot id for keyframes and clips, a DialogueLine id for voices
    asset_id: int
    recipe: dict = field(default_factory=dict)
    cache_key: str = ""
    rating: int = 0
    stale: bool = False
    note: str = ""
    created: datetime = field(default_factory=utcnow)
    id: int | None = None


@dataclass
class Job:
    """One queued generation, persisted so that a crash loses nothing."""

    kind: TakeKind
    owner_id: int
    request: dict  # the frozen request's canonical JSON
    request_hash: str
    backend: str
    state: JobState = JobState.QUEUED
    priority: int = 0  # higher runs first
    position: int = 0  # order within a priority; reordering changes it
    attempts: int = 0
    max_attempts: int = 3
    error: str = ""
    progress: float = 0.0
    message: str = ""
    force: bool = False  # make a new take even if an identical request already has one
    take_id: int | None = None
    created: datetime = field(default_factory=utcnow)
    started: datetime | None = None
    finished: datetime | None = None
    id: int | None = None
