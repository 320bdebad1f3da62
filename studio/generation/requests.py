"""Frozen generation requests: everything one generation needs, and nothing else.

A request's canonical JSON (sorted keys, no spaces) and its sha256 are stable across runs and
machines. The cache key is that hash plus the backend's version and the model's identity; it is
stored with every take as part of its recipe, and re-running the recipe reproduces the take.
Media inputs (a source keyframe, reference images) are named by their sha256, so a request can
travel to a farm worker together with the bytes it names and nothing else.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar


@dataclass(frozen=True)
class Figure:
    """A character in the frame: where it stands (x in 0..1, left to right) and how to draw it."""

    name: str
    x: float = 0.5
    colour: str = "#c0392b"
    appearance: str = ""
    seed: int = 0


@dataclass(frozen=True)
class StagedFigure:
    """A character where the scene plan puts it at the shot's beat, in metres (see
    `studio.script.staging`: x east, y north, facing degrees counter-clockwise from +x)."""

    name: str
    kind: str = "person"  # person, child, dog, drone…
    height: float = 1.75  # standing height
    x: float = 0.0
    y: float = 0.0
    facing: float = -90.0
    person: bool = True
    width: float = 0.5  # across and front to back, for what is not drawn as a person
    depth: float = 0.3
    elevation: float = 0.0  # a drone flies
    posture: str = "standing"  # standing, sitting
    colour: str = "#7f8c8d"  # the character sheet's


@dataclass(frozen=True)
class StagedThing:
    """A prop, vehicle, animal, set piece or landscape feature on the plan: its box in metres
    (width along x, depth along y, height), its centre x, y and its base z."""

    name: str
    kind: str
    size: tuple[float, float, float]
    x: float
    y: float
    z: float = 0.0


@dataclass(frozen=True)
class StagedOpening:
    """A door or a window: its centre on a wall, its width, height and sill."""

    kind: str
    wall: str
    x: float
    y: float
    width: float
    height: float
    sill: float = 0.0


@dataclass(frozen=True)
class StagedSet:
    """The room (walls as (start, end) in plan metres, its ceiling, its openings) or the open
    ground (metres to the horizon, ground or water)."""

    interior: bool = False
    width: float = 40.0
    depth: float = 40.0
    height: float = 0.0
    walls: tuple[tuple[tuple[float, float], tuple[float, float]], ...] = ()
    openings: tuple[StagedOpening, ...] = ()
    horizon: float = 5000.0
    ground: str = "ground"


@dataclass(frozen=True)
class Stage:
    """The staged view of a shot: its camera in the scene plan and what stands in the scene at
    the shot's beat. Pan and facings are degrees counter-clockwise from +x, tilt up from level,
    roll clockwise; the lens is a full-frame focal length (36 × 24 mm sensor)."""

    x: float
    y: float
    height: float
    pan: float
    tilt: float = 0.0
    roll: float = 0.0
    focal_mm: float = 35.0
    sensor: tuple[float, float] = (36.0, 24.0)
    subject: tuple[str, ...] = ()
    figures: tuple[StagedFigure, ...] = ()
    things: tuple[StagedThing, ...] = ()
    set: StagedSet = StagedSet()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Stage:
        data = dict(data)
        the_set = dict(data.get("set", {}))
        the_set["walls"] = tuple((tuple(a), tuple(b)) for a, b in the_set.get("walls", ()))
        the_set["openings"] = tuple(StagedOpening(**o) for o in the_set.get("openings", ()))
        data["set"] = StagedSet(**the_set)
        data["sensor"] = tuple(data.get("sensor", (36.0, 24.0)))
        data["subject"] = tuple(data.get("subject", ()))
        data["figures"] = tuple(StagedFigure(**f) for f in data.get("figures", ()))
        data["things"] = tuple(
            StagedThing(**{**t, "size": tuple(t["size"])}) for t in data.get("things", ())
        )
        return cls(**data)


@dataclass(frozen=True)
class _Request:
    kind: ClassVar[str] = ""
    # fields added after takes were stored: left out of the JSON (so of the hash and the cache
    # key) while they hold their default, so that every earlier request keeps its hash
    omitted_at_default: ClassVar[tuple[str, ...]] = ()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        defaults = {f.name: f.default for f in fields(self)}
        for name in self.omitted_at_default:
            if data[name] == defaults[name]:
                del data[name]
        data["kind"] = self.kind
        return data

    def canonical(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()

    def cache_key(self, backend_version: str, model_identity: str = "") -> str:
        key = f"{self.hash}|{backend_version}|{model_identity}"
        return hashlib.sha256(key.encode()).hexdigest()

    def media_inputs(self) -> tuple[str, ...]:
        """The sha256 of every media file this request reads."""
        return ()


@dataclass(frozen=True)
class KeyframeRequest(_Request):
    kind: ClassVar[str] = "keyframe"

    backend: str = "previz"
    model: str = ""  # a model-library id; empty for built-in backends
    prompt: str = ""
    negative_prompt: str = ""
    width: int = 640
    height: int = 360
    seed: int = 0
    steps: int = 20
    guidance: float = 7.0
    # a caption's label for backends that draw one (a character sheet's "ANNA front"). A shot's
    # request leaves it empty: a number burned into a picture would go stale on a renumber, so
    # shot numbers are drawn where pictures are shown (cards, PDF), from the shot at that time
    shot_number: str = ""
    # the shot, for backends that draw it (previz)
    description: str = ""
    setting: str = ""  # the scene's INT / EXT, for backends that draw the place
    size: str = "MS"
    angle: str = "eye"
    movement: str = "static"
    lens: int = 35
    figures: tuple[Figure, ...] = ()
    # image-to-image and character conditioning
    init_image: str | None = None  # sha256 of a keyframe or previz panel
    strength: float = 0.6
    references: tuple[str, ...] = ()  # sha256 of character reference images
    reference_scale: float = 0.6
    loras: tuple[tuple[str, float], ...] = ()  # (model-library id, scale)
    # the shot staged in its scene plan; None: drawn from the shot's words alone (earlier takes)
    stage: Stage | None = None

    omitted_at_default: ClassVar[tuple[str, ...]] = ("stage",)

    def media_inputs(self) -> tuple[str, ...]:
        return tuple(x for x in (self.init_image, *self.references) if x)


@dataclass(frozen=True)
class ClipRequest(_Request):
    kind: ClassVar[str] = "clip"

    source_keyframe: str  # sha256 of the keyframe image the clip starts from
    backend: str = "camera"
    model: str = ""
    movement: str = "static"
    frames: int = 72  # the shot's duration in frames, without handles
    handles: int = 12  # extra frames before and after
    fps: int = 24
    width: int = 640
    height: int = 360
    seed: int = 0
    prompt: str = ""
    negative_prompt: str = ""
    steps: int = 25
    guidance: float = 3.0
    motion: float = 1.0  # strength of the move (camera) or motion bucket scale (video models)
    # the size a video model generates at, (width, height); None: the shot's size within the
    # model's native budget. The clip is scaled to width×height either way
    generation_size: tuple[int, int] | None = None
    # the staged previz keyframe the clip starts from: the camera backend re-draws it along the
    # move's path in the scene plan (parallax) instead of warping the picture
    staged: KeyframeRequest | None = None

    omitted_at_default: ClassVar[tuple[str, ...]] = ("generation_size", "staged")

    @property
    def total_frames(self) -> int:
        return self.frames + 2 * self.handles

    def media_inputs(self) -> tuple[str, ...]:
        return (self.source_keyframe,)


@dataclass(frozen=True)
class VoiceRequest(_Request):
    kind: ClassVar[str] = "voice"

    text: str
    backend: str = "piper"
    model: str = ""  # unused by Piper (the voice names the model); kept for a uniform cache key
    voice: str = "joe"
    rate: float = 1.0
    variation: float = 0.667
    pitch_semitones: float = 0.0
    gain_db: float = 0.0
    delivery: str = ""  # the parenthetical: (whispering), (shouting)…
    seed: int = 0
    sample_rate: int = 48000
    character: str = ""


REQUEST_TYPES: dict[str, type[_Request]] = {
    cls.kind: cls for cls in (KeyframeRequest, ClipRequest, VoiceRequest)
}

Request = KeyframeRequest | ClipRequest | VoiceRequest


def request_from_json(data: dict[str, Any]) -> Request:
    """Rebuild a request from its JSON form (a take's recipe or a job row)."""
    data = dict(data)
    cls = REQUEST_TYPES[data.pop("kind")]
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{cls.__name__} has no field(s) {', '.join(sorted(unknown))}")
    if "figures" in data:
        data["figures"] = tuple(Figure(**f) for f in data["figures"])
    for name in ("references",):
        if name in data:
            data[name] = tuple(data[name])
    if data.get("generation_size") is not None:
        data["generation_size"] = tuple(int(v) for v in data["generation_size"])
    if data.get("staged") is not None:
        data["staged"] = request_from_json({**data["staged"], "kind": "keyframe"})
    if data.get("stage") is not None:
        data["stage"] = Stage.from_json(data["stage"])
    if "loras" in data:
        data["loras"] = tuple((str(a), float(b)) for a, b in data["loras"])
    return cls(**data)


@dataclass
class GenerationResult:
    """What a backend returns: the media bytes and what is known about them."""

    data: bytes
    extension: str  # ".png", ".mp4", ".wav"
    mime: str
    width: int = 0
    height: int = 0
    frames: int = 0
    fps: int = 0
    sample_rate: int = 0
    duration_seconds: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)  # device, steps run, model details…
