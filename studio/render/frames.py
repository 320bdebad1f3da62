"""The streaming renderer: a Timeline's picture track → frames → looks → subtitles → a film.

Memory stays flat in the film's length: frames are produced one at a time, each clip's decoder is
opened when the clip (or a dissolve into it) starts and closed when it ends, so at most two are
open. `studio.render.pipeline.render_timeline` runs these frames into the encoder.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Protocol

import numpy as np

from studio.domain.camera import CameraMove
from studio.domain.project import DEFAULT_MAX_IMAGE_PIXELS
from studio.domain.timeline import Clip, Gap, Timeline, Track, TrackKind, Transition, TransitionKind
from studio.errors import Cancelled, InvalidInput
from studio.media import camera
from studio.media.codecs import DEFAULT_CODEC, video_codec
from studio.progress import JobContext
from studio.render import compose
from studio.render.looks import look_chain
from studio.timeline.edit import cut_points, normalize, track_rate

AUDIO_RATE = 48_000


class MediaLookup(Protocol):
    """Where the renderer finds an asset's media."""

    def path(self, asset_id: int) -> Path: ...

    def kind(self, asset_id: int) -> str: ...  # "image" | "video" | "audio"


@dataclass
class RenderSettings:
    """How a film is rendered: size, rate, look, framing, burned-in text and encoding."""

    width: int = 1920
    height: int = 1080
    fps: int | Fraction = 24
    look: str = "none"
    grain: float = 0.0
    vignette: float = 0.0
    lut_path: Path | None = None
    fit: str = "fill"  # "fill" crops to cover the frame, "fit" shows everything with bars
    letterbox: float | None = None  # a target aspect for scope, e.g. 2.39
    subtitles_burn: list | None = None  # cues: .start/.end in seconds of the film
    codec: str = DEFAULT_CODEC  # a name in studio.media.codecs.CODECS
    crf: int = 18
    preset: str = "veryfast"
    audio_bitrate: int = 160_000
    threads: int = 0
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS  # the project's; larger stills are refused

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or self.width % 2 or self.height % 2:
            raise InvalidInput(f"render size {self.width}x{self.height} must be positive and even")
        if Fraction(self.fps) <= 0:
            raise InvalidInput(f"render frame rate must be positive, got {self.fps}")
        if self.fit not in ("fill", "fit"):
            raise InvalidInput(f"unknown fit {self.fit!r}", "use 'fill' or 'fit'")
        if self.letterbox is not None and self.letterbox <= 0:
            raise InvalidInput(f"letterbox aspect must be positive, got {self.letterbox}")
        video_codec(self.codec)  # an unknown codec is refused here, naming the known ones


# ---------------------------------------------------------------------------------- planning


def picture_track(timeline: Timeline) -> Track | None:
    """The first video track, which the film's picture comes from."""
    return next((t for t in timeline.tracks if t.kind is TrackKind.VIDEO), None)


def film_frames(timeline: Timeline, settings: RenderSettings) -> int:
    """Frames in the rendered film: the timeline's duration at the output rate (a title card
    is an item of the timeline, like any other card)."""
    return round(timeline.duration.seconds * Fraction(settings.fps))


@dataclass
class _Slot:
    """One clip or gap of the picture track, with the transitions on each side."""

    item: Clip | Gap
    start: int
    before: Transition | None = None
    after: Transition | None = None

    @property
    def length(self) -> int:
        return self.item.duration.value

    @property
    def end(self) -> int:
        return self.start + self.length

    def lead(self) -> int:
        """Frames the clip plays before its start (dissolve in)."""
        return self.before.in_offset.value if _is_dissolve(self.before) else 0

    def tail(self) -> int:
        """Frames the clip plays after its end (dissolve out)."""
        return self.after.out_offset.value if _is_dissolve(self.after) else 0


def cut_frames(timeline: Timeline, settings: RenderSettings) -> frozenset[int]:
    """The film frames at which an item of the picture track starts (a cut, or the edit point
    of a transition): where the encoder puts a keyframe."""
    track = picture_track(timeline)
    if track is None:
        return frozenset()
    ratio = Fraction(track_rate(track)) / Fraction(settings.fps)  # track frames per film frame
    total = film_frames(timeline, settings)
    starts = (math.ceil(point.value / ratio) for point in cut_points(track))
    return frozenset(frame for frame in starts if frame < total)


def _is_dissolve(transition: Transition | None) -> bool:
    return transition is not None and transition.kind is TransitionKind.DISSOLVE


def _slots(track: Track) -> list[_Slot]:
    items = normalize(track.items, track_rate(track))
    slots: list[_Slot] = []
    pending: Transition | None = None
    position = 0
    for item in items:
        if isinstance(item, Transition):
            if slots:
                slots[-1].after = item
            pending = item
            continue
        slots.append(_Slot(item, position, before=pending))
        pending = None
        position += item.duration.value
    return slots


# ---------------------------------------------------------------------------------- sources


class _Still:
    """A picture held for the whole clip: a still without a move, a title card, black."""

    def __init__(self, picture: np.ndarray) -> None:
        self._picture = picture

    def frame(self, offset: int) -> np.ndarray:
        return self._picture

    def close(self) -> None:
        self._picture = None


class _Video:
    """A clip's frames decoded in order from its media; frames past either end are held."""

    def __init__(
        self, path: Path, clip: Clip, settings: RenderSettings, lead: int, tail: int, at: int = 0
    ):
        from studio.media.decode import iter_frames

        self._src_start = clip.source_range.start.value
        first = max(0, self._src_start - lead, self._src_start + at)
        count = self._src_start + clip.duration.value + tail - first
        self._frames = iter_frames(path, first, count)
        self._next = first  # the media frame the iterator yields next
        self._last: np.ndarray | None = None
        self._settings = settings

    def frame(self, offset: int) -> np.ndarray:
        wanted = max(0, self._src_start + offset)
        while self._next <= wanted and self._frames is not None:
            decoded = next(self._frames, None)
            if decoded is None:
                self._frames = None
                break
            self._last = compose.fit_frame(
                decoded, self._settings.width, self._settings.height, self._settings.fit
            )
            self._next += 1
        if self._last is None:
            raise InvalidInput(f"its media has no frame {wanted}", "the file may be damaged")
        return self._last

    def close(self) -> None:
        if self._frames is not None:
            self._frames.close()
            self._frames = None


class _Move:
    """A still animated by a camera move; the clip's source range indexes the move's frames,
    which are computed one at a time exactly as `camera.move_frames` yields them."""

    def __init__(
        self, image: np.ndarray, clip: Clip, move: CameraMove, settings: RenderSettings
    ) -> None:
        self._move, self._w, self._h = move, settings.width, settings.height
        self._src_start = clip.source_range.start.value
        media = clip.media_duration.value if clip.media_duration else None
        self._total = media or self._src_start + clip.duration.value
        curve, boost = camera.move_curve(move.movement, self._total, move.handles)
        self._curve, self._strength = curve, move.motion * boost
        scale = max(
            camera.matrix_scale(self._matrix(t, image.shape[1], image.shape[0]))
            for t in (0.0, 0.5, 1.0)
        )
        self._image = camera.fit_source(image, scale)
        self._planes = None  # the fitted still in I420, made on the first I420 frame

    def frame_i420(self, offset: int) -> np.ndarray:
        """The frame as an I420 buffer ((h*3/2, w), see `camera.render_move_i420`)."""
        if self._planes is None:
            self._planes = camera.i420_source(self._image)
        index = min(max(0, self._src_start + offset), self._total - 1)
        matrix = self._matrix(self._curve[index], self._image.shape[1], self._image.shape[0])
        return camera.render_move_i420(self._planes, matrix, self._w, self._h)

    def _matrix(self, t: float, src_w: int, src_h: int) -> np.ndarray:
        move = self._move
        return camera.move_matrix(
            move.movement, t, self._strength, move.seed, src_w, src_h, self._w, self._h
        )

    def frame(self, offset: int) -> np.ndarray:
        index = min(max(0, self._src_start + offset), self._total - 1)
        matrix = self._matrix(self._curve[index], self._image.shape[1], self._image.shape[0])
        return camera.render_move_frame(self._image, matrix, self._w, self._h)

    def close(self) -> None:
        self._image = self._planes = None


def open_source(
    item: Clip, media: MediaLookup, settings: RenderSettings, lead: int, tail: int, at: int = 0
):
    """A frame source for `item`, whose frames come out fitted to the output size; its first
    frame asked will be `at` (frames from the clip's start; a video seeks there)."""
    width, height = settings.width, settings.height
    if item.asset_id is None:
        card = item.metadata.get("title_card")
        if card is None:
            return _Still(compose.black(width, height))
        return _Still(compose.card([str(line) for line in card.get("lines", [])], width, height))
    kind = media.kind(item.asset_id)
    path = Path(media.path(item.asset_id))
    if not path.is_file():
        raise InvalidInput(f"its media file {path} is missing")
    if kind == "video":
        return _Video(path, item, settings, lead, tail, at)
    if kind != "image":
        raise InvalidInput(f"it holds {kind} media, which cannot be shown on a picture track")
    from studio.media.decode import read_image

    image = read_image(path.read_bytes(), str(path), settings.max_image_pixels)
    if item.move is not None:
        return _Move(image, item, item.move, settings)
    return _Still(compose.fit_frame(image, width, height, settings.fit))


# ---------------------------------------------------------------------------------- frames


class StillCache:
    """The last few stills and moved stills a seeker opened (decoded and fitted), by slot: a
    seek back to a shot seen before draws its first frame without decoding its image again.
    A still is stateless per frame, so one kept source serves every player. Bounded: the
    oldest is closed when a new one comes past `size`."""

    def __init__(self, size: int = 24) -> None:
        self.size = size
        self._kept: OrderedDict[int, object] = OrderedDict()

    def get(self, index: int):
        source = self._kept.get(index)
        if source is not None:
            self._kept.move_to_end(index)
        return source

    def put(self, index: int, source) -> None:
        self._kept[index] = source
        self._kept.move_to_end(index)
        while len(self._kept) > self.size:
            _, old = self._kept.popitem(last=False)
            old.close()

    def holds(self, index: int, source) -> bool:
        return self._kept.get(index) is source

    def close(self) -> None:
        for source in self._kept.values():
            source.close()
        self._kept.clear()


class _TrackPlayer:
    """Plays a picture track frame by frame, in order, opening sources as clips come up."""

    def __init__(
        self,
        track: Track,
        media: MediaLookup,
        settings: RenderSettings,
        stills: StillCache | None = None,
        slots: list[_Slot] | None = None,
    ) -> None:
        self.slots = slots if slots is not None else _slots(track)
        self.rate = track_rate(track)
        self.media, self.settings = media, settings
        self._stills = stills  # opened stills kept across players (a seeker's seeks)
        self._open: dict[int, object] = {}
        self._index = 0
        self._black = compose.black(settings.width, settings.height)

    def close(self) -> None:
        for index, source in self._open.items():
            self._let_go(index, source)
        self._open.clear()

    def _let_go(self, index: int, source) -> None:
        if self._stills is None or not self._stills.holds(index, source):
            source.close()

    def _source(self, index: int, offset: int):
        if index not in self._open:
            kept = self._stills.get(index) if self._stills is not None else None
            if kept is None:
                slot = self.slots[index]
                kept = open_source(
                    slot.item, self.media, self.settings, slot.lead(), slot.tail(), at=offset
                )
                if self._stills is not None and isinstance(kept, _Still | _Move):
                    self._stills.put(index, kept)
            self._open[index] = kept
        return self._open[index]

    def _where(self, slot: _Slot) -> str:
        seconds = slot.start / Fraction(self.rate)
        return f"at {int(seconds // 60):02d}:{float(seconds % 60):05.2f}"

    def _picture(self, index: int, offset: int, i420: bool = False) -> np.ndarray:
        """Slot `index`'s picture `offset` frames after its start (negative: before it); in
        I420 when asked and the source can give it (a moved still), else RGB."""
        slot = self.slots[index]
        if isinstance(slot.item, Gap):
            return self._black
        try:
            source = self._source(index, offset)
            if i420 and hasattr(source, "frame_i420"):
                return source.frame_i420(offset)
            return source.frame(offset)
        except InvalidInput as err:
            clip = slot.item
            raise InvalidInput(
                f"clip {clip.name!r} (asset {clip.asset_id}) {self._where(slot)}: {err.message}",
                err.hint or "regenerate the take or replace the clip's media",
            ) from err

    def _release(self, frame: int) -> None:
        for index in list(self._open):
            slot = self.slots[index]
            if frame >= slot.end + slot.tail():
                self._let_go(index, self._open.pop(index))

    def frame(self, frame: int, i420: bool = False) -> np.ndarray:
        """The composed picture of track frame `frame` (frames come in increasing order). With
        `i420`, a frame needing no RGB work (no fade or transition) may come as an I420 buffer
        (a 2-D array) instead of RGB."""
        while self._index < len(self.slots) and frame >= self.slots[self._index].end:
            self._index += 1
        self._release(frame)
        if self._index >= len(self.slots):
            return self._black
        index = self._index
        slot = self.slots[index]
        offset = frame - slot.start
        plain = i420 and self._clip_fade(slot, offset) == 1.0 and not self._blending(index, offset)
        picture = self._picture(index, offset, plain)
        if picture.ndim == 2:
            return picture
        picture = self._transition_in(index, offset, picture)
        picture = self._transition_out(index, offset, picture)
        return compose.fade(picture, self._clip_fade(slot, offset))

    def _clip_fade(self, slot: _Slot, offset: int) -> float:
        item = slot.item
        if not isinstance(item, Clip):
            return 1.0
        gain = 1.0
        if item.fade_in and offset < item.fade_in:
            gain = min(gain, offset / item.fade_in)
        if item.fade_out and offset >= slot.length - item.fade_out:
            gain = min(gain, (slot.length - 1 - offset) / item.fade_out)
        return gain

    def _blending(self, index: int, offset: int) -> bool:
        """Whether a transition touches slot `index`'s picture at `offset`."""
        slot = self.slots[index]
        before, after = slot.before, slot.after
        if before is not None and offset < before.out_offset.value:
            return True
        return after is not None and offset >= slot.length - after.in_offset.value

    def _transition_in(self, index: int, offset: int, picture: np.ndarray) -> np.ndarray:
        transition = self.slots[index].before
        if transition is None or offset >= transition.out_offset.value:
            return picture
        frames_in, frames_out = transition.in_offset.value, transition.out_offset.value
        if transition.kind is TransitionKind.DISSOLVE and index > 0:
            previous = self.slots[index - 1]
            outgoing = self._picture(index - 1, previous.length + offset)
            weight = compose.dissolve_weight(frames_in + offset, frames_in + frames_out)
            return compose.dissolve(outgoing, picture, weight)
        if transition.kind in (TransitionKind.FADE_FROM_BLACK, TransitionKind.DIP_TO_BLACK):
            return compose.fade(picture, offset / frames_out)
        return picture

    def _transition_out(self, index: int, offset: int, picture: np.ndarray) -> np.ndarray:
        slot = self.slots[index]
        transition = slot.after
        if transition is None:
            return picture
        frames_in, frames_out = transition.in_offset.value, transition.out_offset.value
        step = offset - (slot.length - frames_in)
        if step < 0:
            return picture
        if transition.kind is TransitionKind.DISSOLVE and index + 1 < len(self.slots):
            incoming = self._picture(index + 1, offset - slot.length)
            weight = compose.dissolve_weight(step, frames_in + frames_out)
            return compose.dissolve(picture, incoming, weight)
        if transition.kind in (TransitionKind.FADE_TO_BLACK, TransitionKind.DIP_TO_BLACK):
            return compose.fade(picture, (frames_in - 1 - step) / frames_in)
        return picture


class FrameSeeker:
    """The timeline's picture by frame index, for a player: RGB frames at the settings' size
    (a preview size), made by the same code as the film's. Frames asked in increasing order
    come from one running track player (each video decoded on); a frame before the last one,
    or more than `jump` frames after it, restarts the player there (a video seeks to it).
    Only the timeline's picture is drawn: no look, burned-in text or extra title card."""

    def __init__(
        self, timeline: Timeline, media: MediaLookup, settings: RenderSettings, jump: int = 48
    ) -> None:
        self.timeline, self.media, self.settings, self.jump = timeline, media, settings, jump
        self.track = picture_track(timeline)
        self.frames = round(timeline.duration.seconds * Fraction(settings.fps))
        rate = track_rate(self.track) if self.track is not None else settings.fps
        self._ratio = Fraction(rate) / Fraction(settings.fps)
        self._player: _TrackPlayer | None = None
        self._last = -1  # the track frame the player gave last
        self._black = compose.black(settings.width, settings.height)
        self._stills = StillCache()
        self._slots = _slots(self.track) if self.track is not None else []

    def frame(self, index: int) -> np.ndarray:
        """Film frame `index` (0 ≤ index < frames) as an RGB array."""
        if not 0 <= index < self.frames:
            raise InvalidInput(f"the cut has no frame {index} (it has {self.frames})")
        if self.track is None or not self.track.items:
            return self._black
        wanted = int(index * self._ratio)
        if self._player is None or wanted < self._last or wanted > self._last + self.jump:
            self._close_player()
            self._player = _TrackPlayer(
                self.track, self.media, self.settings, self._stills, self._slots
            )
        self._last = wanted
        return self._player.frame(wanted)

    def _close_player(self) -> None:
        if self._player is not None:
            self._player.close()
            self._player = None
        self._last = -1

    def close(self) -> None:
        """Close the open decoders and the kept stills (the next frame opens them again)."""
        self._close_player()
        self._stills.close()


def _body_frames(
    timeline: Timeline, media: MediaLookup, settings: RenderSettings, i420: bool = False
) -> Iterator[np.ndarray]:
    track = picture_track(timeline)
    count = round(timeline.duration.seconds * Fraction(settings.fps))
    if track is None or not track.items:
        black = compose.black(settings.width, settings.height)
        for _ in range(count):
            yield black
        return
    player = _TrackPlayer(track, media, settings)
    ratio = Fraction(track_rate(track)) / Fraction(settings.fps)
    try:
        for index in range(count):
            yield player.frame(int(index * ratio), i420)
    finally:
        player.close()


def iter_timeline_frames(
    timeline: Timeline,
    media: MediaLookup,
    settings: RenderSettings,
    ctx: JobContext | None = None,
    i420: bool = False,
) -> Iterator[np.ndarray]:
    """Yield the film's frames, RGB uint8 settings.height×settings.width×3, one at a time:
    the picture track (its cards included) with transitions, looks and subtitles.
    With `i420` (for an H.264 encoder; see `needs_rgb`), the frames that need no RGB work come
    as I420 buffers ((h*3/2, w) uint8) instead, saving a colour conversion."""
    return _film_frames(timeline, media, settings, ctx, i420 and not needs_rgb(settings))


def needs_rgb(settings: RenderSettings) -> bool:
    """Whether every frame gets RGB work (a look, LUT, grain, vignette, bars or subtitles), or
    the encoder takes RGB: then no frame may skip RGB by coming as I420."""
    return bool(
        not video_codec(settings.codec).takes_i420 or settings.look != "none" or settings.lut_path
        or settings.grain > 0 or settings.vignette > 0 or settings.letterbox
        or settings.subtitles_burn
    )  # fmt: skip


def _film_frames(
    timeline: Timeline, media: MediaLookup, settings: RenderSettings, ctx, i420: bool
) -> Iterator[np.ndarray]:
    """`iter_timeline_frames`; with `i420`, the frames needing no RGB work come as I420."""
    apply_look = look_chain(settings)
    burner = (
        compose.SubtitleBurner(settings.subtitles_burn, settings.width, settings.height)
        if settings.subtitles_burn
        else None
    )
    fps = Fraction(settings.fps)
    body = _body_frames(timeline, media, settings, i420)
    for index, picture in enumerate(_chain(body)):
        if ctx is not None:
            ctx.check_cancelled()
        if picture.ndim == 2:
            yield picture
            continue
        picture = apply_look(picture, index)
        if burner is not None:
            picture = burner.burn(picture, float(index / fps))
        yield picture


def _chain(*iterators: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
    for iterator in iterators:
        try:
            yield from iterator
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()


__all__ = [
    "AUDIO_RATE",
    "Cancelled",
    "FrameSeeker",
    "MediaLookup",
    "RenderSettings",
    "film_frames",
    "iter_timeline_frames",
    "needs_rgb",
    "picture_track",
]
