"""What a take was made from: a clip from a keyframe image and camera settings, a voice take
from a line's text and voice. The runner writes it into every new take's recipe ("sources");
takes stored before it existed are read from their request, which names the same things.

A clip is *current* when it was made from its shot's active keyframe (the same picture: the
keyframe's sha256), a voice take when the line would be spoken now as it was then.
"""

from __future__ import annotations

from typing import Any

from studio.domain.entities import Shot, Take, TakeKind
from studio.generation.requests import ClipRequest, Request, VoiceRequest, request_from_json
from studio.store.project_store import ProjectStore

CAMERA_FIELDS = ("backend", "model", "movement", "motion", "frames", "handles", "generation_size")
VOICE_FIELDS = ("text", "voice", "rate", "variation", "pitch_semitones", "gain_db", "delivery")


def sources_of(store: ProjectStore, owner_id: int, request: Request) -> dict[str, Any]:
    """The sources a take made from `request` for shot or line `owner_id` records."""
    if isinstance(request, ClipRequest):
        return {
            "keyframe": request.source_keyframe,
            "keyframe_take_id": keyframe_take_with(store, owner_id, request.source_keyframe),
            "camera": camera_of(request),
        }
    if isinstance(request, VoiceRequest):
        return {"line_id": owner_id, **{name: getattr(request, name) for name in VOICE_FIELDS}}
    return {}


def camera_of(request: ClipRequest) -> dict[str, Any]:
    data = request.to_json()
    return {name: data.get(name) for name in CAMERA_FIELDS}


def keyframe_take_with(store: ProjectStore, shot_id: int, sha256: str) -> int | None:
    """The shot's keyframe take showing the image `sha256` (the active one when several do)."""
    shot = store.shots.find(shot_id)
    matching = [
        take.id
        for take in store.takes.of_owner(TakeKind.KEYFRAME, shot_id)
        if store.assets.get(take.asset_id).sha256 == sha256
    ]
    if shot is not None and shot.active_keyframe_take_id in matching:
        return shot.active_keyframe_take_id
    return matching[0] if matching else None


def request_of(take: Take) -> Request | None:
    """The request a take was generated from; None for an imported take."""
    data = take.recipe.get("request")
    return request_from_json(data) if data else None


def clip_keyframe(take: Take) -> str | None:
    """The sha256 of the keyframe image a clip take was animated from (None: not known, as for
    an imported clip)."""
    sources = take.recipe.get("sources") or {}
    if sources.get("keyframe"):
        return sources["keyframe"]
    request = request_of(take)
    return request.source_keyframe if isinstance(request, ClipRequest) else None


def active_keyframe_sha(store: ProjectStore, shot: Shot) -> str | None:
    keyframe = store.takes.find(shot.active_keyframe_take_id)
    return store.assets.get(keyframe.asset_id).sha256 if keyframe else None


def clip_made_from(take: Take, keyframe_sha: str | None) -> bool:
    """Whether clip `take` was made from the keyframe image `keyframe_sha`. A clip whose source
    is not known (imported) or a shot without a keyframe counts as made from it."""
    made_from = clip_keyframe(take)
    return made_from is None or keyframe_sha is None or made_from == keyframe_sha


def clip_current(store: ProjectStore, shot: Shot) -> bool | None:
    """True when the shot's active clip was made from its active keyframe, False when it is out
    of date, None when the shot has no clip."""
    clip = store.takes.find(shot.active_clip_take_id)
    if clip is None:
        return None
    return clip_made_from(clip, active_keyframe_sha(store, shot))


def voice_current(take: Take, wanted: VoiceRequest) -> bool:
    """Whether voice `take` speaks the line as `wanted` (today's request for it) would: the same
    words, voice and delivery. An imported take counts as current."""
    sources = take.recipe.get("sources") or {}
    if not sources:
        made = request_of(take)
        if not isinstance(made, VoiceRequest):
            return True
        sources = {name: getattr(made, name) for name in VOICE_FIELDS}
    return all(sources.get(name) == getattr(wanted, name) for name in VOICE_FIELDS)


def reanimated(take: Take, keyframe_sha: str) -> ClipRequest | None:
    """Clip take `take`'s request with the same camera settings, from another keyframe image;
    None when the take has no request to follow (imported)."""
    from dataclasses import replace

    request = request_of(take)
    if not isinstance(request, ClipRequest):
        return None
    return replace(request, source_keyframe=keyframe_sha)
