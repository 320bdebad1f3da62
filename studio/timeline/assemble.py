"""Assembling the cut: shots in order, dialogue on its own track at its lines, the music bed.

Dialogue-first timing: a shot lasts at least as long as its lines (measured from the active voice
takes) plus pads. Each shot shows its active clip (using the clip's handles), or its active
keyframe animated by the shot's camera move when the clip is missing or too short, or a slate
card when it has neither. Scene transitions from the script become dissolves and fades. The
film's title card, when there is one, is the first item of the picture: the export renders
the cut as it is and adds nothing. Every line is linked to its shot's picture (`LineLink`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from fractions import Fraction

from studio.domain.camera import CameraMove
from studio.domain.entities import Asset, DialogueLine, Scene, Shot
from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import (
    Clip,
    Gap,
    Timeline,
    Track,
    TrackKind,
    Transition,
    TransitionKind,
    with_lines_linked,
)
from studio.timeline.shot_names import clip_name, slate_heading

LEAD_IN = Fraction(4, 10)  # seconds of picture before the first line of a shot
BETWEEN_LINES = Fraction(3, 10)
TAIL = Fraction(5, 10)  # after the last line, before the cut
DISSOLVE_FRAMES = 12
FADE_FRAMES = 18
TITLE_SECONDS = 3  # the opening title card; it fades up and down over a sixth of that each
CARD_MEDIA_SECONDS = 60


@dataclass
class ShotMedia:
    """What a shot can show, found by the caller in the project."""

    shot: Shot
    clip: Asset | None = None  # the active clip take's asset
    clip_take_id: int | None = None
    keyframe: Asset | None = None
    keyframe_take_id: int | None = None
    lines: list[tuple[DialogueLine, Asset | None, int | None]] = field(default_factory=list)
    # (line, active voice asset, voice take id)


@dataclass
class CutInputs:
    fps: int
    handles: int
    scenes: dict[int, Scene]
    shots: list[ShotMedia]
    music: Asset | None = None
    music_gain_db: float = -6.0
    effects: list[tuple[Asset, Fraction, float]] = field(default_factory=list)
    # (sound, where it starts in seconds, gain in dB)
    name: str = "main"
    title: dict | None = None  # the title page ({"title", "credit", "author"}): a title card
    title_image: Asset | None = None  # the card drawn as a still (without one: drawn at render)


def _seconds(asset: Asset | None) -> Fraction:
    if asset is None or asset.duration is None:
        return Fraction(0)
    return asset.duration.seconds


def shot_frames(media: ShotMedia, fps: int) -> tuple[int, list[int]]:
    """The shot's length in frames and each line's start offset within it (dialogue first)."""
    planned = media.shot.duration.rescaled_to(fps).value
    offsets: list[int] = []
    cursor = LEAD_IN
    for line, voice, _ in media.lines:
        cursor += _pause_before(line)
        offsets.append(math.floor(cursor * fps))
        spoken = _seconds(voice) if voice is not None else _estimate(line)
        cursor += spoken + BETWEEN_LINES
    needed = math.ceil((cursor - BETWEEN_LINES + TAIL) * fps) if media.lines else 0
    return max(planned, needed, 1), offsets


def _pause_before(line: DialogueLine) -> Fraction:
    """A (beat) or (pause) is time left before the line, not silence inside its take."""
    from studio.audio.delivery import PAUSE, PAUSE_SECONDS, delivery_tokens

    parenthetical = str(line.voice_override.get("delivery", line.parenthetical))
    if PAUSE in delivery_tokens(parenthetical):
        return Fraction(PAUSE_SECONDS).limit_denominator(100)
    return Fraction(0)


def _estimate(line: DialogueLine) -> Fraction:
    from studio.audio.dubbing import estimate_line_seconds

    return Fraction(estimate_line_seconds(line.text)).limit_denominator(1000)


def _picture(media: ShotMedia, frames: int, inputs: CutInputs) -> Clip:
    shot, fps, handles = media.shot, inputs.fps, inputs.handles
    meta = {"shot_number": shot.number, "description": shot.description}
    if media.clip is not None and media.clip.duration is not None:
        available = media.clip.duration.rescaled_to(fps).value
        if available - handles >= frames:
            return Clip(
                name=clip_name(shot.number),
                asset_id=media.clip.id,
                take_id=media.clip_take_id,
                shot_id=shot.id,
                source_range=TimeRange(RationalTime(handles, fps), RationalTime(frames, fps)),
                media_duration=RationalTime(available, fps),
                assembled_duration=RationalTime(frames, fps),
                metadata=meta,
            )
    if media.keyframe is not None:
        total = frames + 2 * handles
        return Clip(
            name=clip_name(shot.number),
            asset_id=media.keyframe.id,
            take_id=media.keyframe_take_id,
            shot_id=shot.id,
            source_range=TimeRange(RationalTime(handles, fps), RationalTime(frames, fps)),
            media_duration=RationalTime(total, fps),
            move=CameraMove(shot.movement, 1.0, shot.base_seed, handles),
            assembled_duration=RationalTime(frames, fps),
            metadata=meta,
        )
    slate = {"lines": [slate_heading(shot.number), shot.description[:80], "(no keyframe yet)"]}
    return Clip(  # from `handles` in, like a shot with media: a transition can lead into it
        name=clip_name(shot.number),
        shot_id=shot.id,
        source_range=TimeRange(RationalTime(handles, fps), RationalTime(frames, fps)),
        assembled_duration=RationalTime(frames, fps),
        metadata={**meta, "title_card": slate},
    )


def _transition(scene: Scene | None, fps: int) -> Transition | None:
    if scene is None:
        return None
    text = scene.transition.upper()
    if "DISSOLVE" in text or "MATCH" in text:
        half = RationalTime(DISSOLVE_FRAMES // 2, fps)
        return Transition(TransitionKind.DISSOLVE, half, half)
    if "FADE" in text or "BLACK" in text:
        half = RationalTime(FADE_FRAMES // 2, fps)
        return Transition(TransitionKind.DIP_TO_BLACK, half, half)
    return None


def title_card_lines(page: dict) -> list[str]:
    """The lines of a film's opening card from the title page (title, credit, author)."""
    lines = [str(page.get("title", "")).strip()]
    credit, author = str(page.get("credit", "")).strip(), str(page.get("author", "")).strip()
    if credit or author:
        lines.append("")
        lines += [text for text in (credit, author) if text]
    return lines


def title_card(page: dict, fps: int, image: Asset | None = None) -> Clip:
    """The opening title card: a card clip of TITLE_SECONDS showing `image` (the card drawn as
    a still) or, without one, drawn from its lines at render. A still has no length of its own:
    CARD_MEDIA_SECONDS of it are offered for trims (and cut formats write that as its media)."""
    frames = TITLE_SECONDS * fps
    return Clip(
        name="Title",
        asset_id=image.id if image is not None else None,
        source_range=TimeRange(RationalTime(0, fps), RationalTime(frames, fps)),
        media_duration=RationalTime(CARD_MEDIA_SECONDS * fps, fps),
        metadata={"title_card": {"lines": title_card_lines(page)}, "card": "title"},
    )


def assemble(inputs: CutInputs) -> Timeline:
    """The cut as a Timeline with tracks V1 (picture; the title card first when there is one),
    dialogue (every line linked to its shot) and music."""
    fps = inputs.fps
    picture: list = []
    dialogue: list = []
    if inputs.title is not None and inputs.shots:
        picture.append(title_card(inputs.title, fps, inputs.title_image))
    cursor = picture[0].duration.value if picture else 0  # frames
    dialogue_end = 0
    previous_scene: int | None = None
    for media in inputs.shots:
        frames, offsets = shot_frames(media, fps)
        if previous_scene is not None and media.shot.scene_id != previous_scene:
            transition = _transition(inputs.scenes.get(previous_scene), fps)
            if transition is not None:
                picture.append(transition)
        previous_scene = media.shot.scene_id
        picture.append(_picture(media, frames, inputs))
        for (line, voice, take_id), offset in zip(media.lines, offsets, strict=True):
            if voice is None or voice.duration is None:
                continue
            at = cursor + offset
            if at > dialogue_end:
                dialogue.append(Gap(RationalTime(at - dialogue_end, fps)))
            length = voice.duration.rescaled_to(fps).value
            # the take keeps its exact sample length; on the track it spans whole frames
            dialogue.append(
                Clip(
                    name=f"Line {line.order + 1}",
                    asset_id=voice.id,
                    take_id=take_id,
                    shot_id=media.shot.id,
                    line_id=line.id,
                    source_range=TimeRange(RationalTime(0, fps), RationalTime(max(1, length), fps)),
                    media_duration=RationalTime(max(1, length), fps),
                    metadata={"character_id": line.character_id, "text": line.text},
                )
            )
            dialogue_end = at + max(1, length)
        cursor += frames
    _fade_in(picture, fps)
    if picture:
        picture.append(
            Transition(
                TransitionKind.FADE_TO_BLACK, RationalTime(FADE_FRAMES, fps), RationalTime(0, fps)
            )
        )
    tracks = [
        Track("V1", TrackKind.VIDEO, tuple(picture)),
        Track("dialogue", TrackKind.DIALOGUE, tuple(dialogue)),
    ]
    if inputs.music is not None and cursor:
        tracks.append(music_track(inputs.music, cursor, fps, inputs.music_gain_db))
    tracks += effect_tracks(inputs.effects, fps)
    timeline = Timeline(inputs.name, fps, tuple(tracks), metadata={"assembled": True})
    return with_lines_linked(timeline)


def _fade_in(picture: list, fps: int) -> None:
    """The film fades up from black; after a title card (which fades up and dips to black
    before the first shot, as transitions every cut format carries) too."""
    if not picture:
        return
    fade = FADE_FRAMES
    if picture[0].metadata.get("card") == "title":
        ramp = max(1, round(picture[0].duration.value / 6))
        fade = ramp
        if len(picture) > 1 and isinstance(picture[1], Clip):
            dip = Transition(
                TransitionKind.DIP_TO_BLACK, RationalTime(ramp, fps), RationalTime(ramp, fps)
            )
            picture.insert(1, dip)
    up = Transition(TransitionKind.FADE_FROM_BLACK, RationalTime(0, fps), RationalTime(fade, fps))
    picture.insert(0, up)


def music_track(music: Asset, frames: int, fps: int, gain_db: float = -6.0) -> Track:
    """The music bed looped under `frames` of film, faded in over a second and out over two."""
    bed = Clip(
        name="Music",
        asset_id=music.id,
        source_range=TimeRange(RationalTime(0, fps), RationalTime(frames, fps)),
        media_duration=None,  # the bed loops under the whole film
        gain_db=gain_db,
        fade_in=fps,
        fade_out=2 * fps,
        metadata={"loop": True},
    )
    return Track("music", TrackKind.MUSIC, (bed,))


def with_sound(
    timeline: Timeline,
    music: Asset | None,
    effects: list[tuple[Asset, Fraction, float]],
    gain_db: float = -6.0,
) -> Timeline:
    """`timeline` (edited or not) with its music and effects tracks laid anew: the bed under
    the whole picture, the effects at their times; the picture and dialogue stay as they are."""
    fps = round(Fraction(timeline.rate))
    picture = next((t for t in timeline.tracks if t.kind is TrackKind.VIDEO), None)
    frames = picture.duration.rescaled_to(fps).value if picture else 0
    kept = [t for t in timeline.tracks if t.kind not in (TrackKind.MUSIC, TrackKind.SFX)]
    if music is not None and frames:
        kept.append(music_track(music, frames, fps, gain_db))
    return replace(timeline, tracks=(*kept, *effect_tracks(effects, fps)))


def effect_tracks(effects: list[tuple[Asset, Fraction, float]], fps: int) -> list[Track]:
    """Sound effects at their times; overlapping ones go to further tracks (sfx1, sfx2…)."""
    layers: list[list] = []  # per track: [end frame, items]
    for asset, at, gain in sorted(effects, key=lambda e: e[1]):
        start = math.floor(at * fps)
        length = max(1, asset.duration.rescaled_to(fps).value if asset.duration else fps)
        layer = next((lay for lay in layers if lay[0] <= start), None)
        if layer is None:
            layer = [0, []]
            layers.append(layer)
        if start > layer[0]:
            layer[1].append(Gap(RationalTime(start - layer[0], fps)))
        layer[1].append(
            Clip(
                name=asset.original_name or f"Effect {asset.id}",
                asset_id=asset.id,
                source_range=TimeRange(RationalTime(0, fps), RationalTime(length, fps)),
                media_duration=RationalTime(length, fps),
                gain_db=gain,
            )
        )
        layer[0] = start + length
    return [
        Track(f"sfx{i + 1}", TrackKind.SFX, tuple(items)) for i, (_, items) in enumerate(layers)
    ]
