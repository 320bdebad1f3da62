"""Watching the cut: the timeline's picture and mix at a preview size, drawn ahead for a player.

The picture is the renderer's (`studio.render.frames.FrameSeeker`) and the sound the export's
mix (`timeline_mix_stream`), so the preview shows and sounds like the film it would export.
"""

from __future__ import annotations

from collections.abc import Callable

from studio.domain.project import DEFAULT_MAX_IMAGE_PIXELS
from studio.domain.timeline import Clip, Timeline, TrackKind
from studio.render.frames import FrameSeeker, RenderSettings
from studio.render.preview import CutPreview
from studio.services.export import timeline_media, timeline_mix_stream
from studio.services.project import OpenProject
from studio.services.timeline import load_timeline
from studio.store.project_store import ProjectStore

PREVIEW_WIDTH, PREVIEW_HEIGHT = 640, 360


def preview_settings(
    timeline: Timeline,
    width: int = PREVIEW_WIDTH,
    height: int = PREVIEW_HEIGHT,
    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS,
):
    """How the preview draws: the timeline's own rate at `width`×`height`, framed as exported."""
    return RenderSettings(
        width=width, height=height, fps=timeline.rate, max_image_pixels=max_image_pixels
    )


def _has_sound(timeline: Timeline) -> bool:
    kinds = (TrackKind.DIALOGUE, TrackKind.MUSIC, TrackKind.SFX)
    return any(
        isinstance(item, Clip) and item.asset_id is not None
        for track in timeline.tracks
        if track.kind in kinds and not track.muted
        for item in track.items
    )


def open_preview(
    target: OpenProject | ProjectStore,
    timeline: Timeline | None = None,
    width: int = PREVIEW_WIDTH,
    height: int = PREVIEW_HEIGHT,
    on_frame: Callable[[int], None] | None = None,
) -> CutPreview | None:
    """The cut (`timeline`, or the stored one) ready to play: its threads start drawing at
    frame 0; None when there is no cut or it is empty. Close it when done."""
    store = target.store if isinstance(target, OpenProject) else target
    timeline = timeline if timeline is not None else load_timeline(store)
    if timeline is None or timeline.duration.value <= 0:
        return None
    media = timeline_media(store, timeline)
    limit = store.settings().max_image_pixels
    seeker = FrameSeeker(timeline, media, preview_settings(timeline, width, height, limit))
    mix = timeline_mix_stream(store, timeline, media=media) if _has_sound(timeline) else None
    return CutPreview(seeker, mix, on_frame=on_frame, plans=store.cache / "mix")


__all__ = ["PREVIEW_HEIGHT", "PREVIEW_WIDTH", "open_preview", "preview_settings"]
