"""Generation use-cases: queue keyframes and clips for shots, run the queue, pick and rate takes,
re-run a take's recipe, and bring your own media in as takes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from studio.commands import SetFields
from studio.domain.entities import CharacterSheet, Job, Scene, Shot, Take, TakeKind
from studio.domain.events import JobEvent, TakeMade
from studio.domain.time import RationalTime
from studio.errors import InvalidInput, NotFound
from studio.generation import lineage
from studio.generation.backends.base import registry
from studio.generation.backends.previz import caption_height
from studio.generation.requests import (
    ClipRequest,
    Figure,
    KeyframeRequest,
    request_from_json,
)
from studio.generation.stage import stage_for
from studio.jobs.runner import ACTIVE_FIELD, JobRunner, RunSummary
from studio.script.staging import ScenePlan
from studio.services.project import OpenProject
from studio.services.staging import plans_by_scene
from studio.store.project_store import ProjectStore


def select_shots(store: ProjectStore, spec: str | None = None) -> list[Shot]:
    """Shots by number: None → all; "1-20,25,12A" → those (ranges over numeric numbers)."""
    shots = store.shots.in_order()
    if not spec:
        return shots
    wanted: list[Shot] = []
    by_number = {s.number: s for s in shots}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        match = re.fullmatch(r"(\d+)\s*-\s*(\d+)", part)
        if match:
            lo, hi = int(match[1]), int(match[2])
            wanted += [s for s in shots if s.number.isdigit() and lo <= int(s.number) <= hi]
        elif part in by_number:
            wanted.append(by_number[part])
        else:
            raise NotFound(f"no shot numbered {part!r}", "`studio shots PATH list` lists them")
    seen: set[int] = set()
    return [s for s in wanted if not (s.id in seen or seen.add(s.id))]


def _figures(shot: Shot, sheets: dict[int, CharacterSheet]) -> tuple[Figure, ...]:
    present = [sheets[cid] for cid in shot.characters if cid in sheets]
    figures = []
    for i, sheet in enumerate(present):
        default_x = (i + 1) / (len(present) + 1)
        x = float(shot.blocking.get(str(sheet.id), default_x))
        figures.append(Figure(sheet.name, round(x, 4), sheet.colour, sheet.appearance, sheet.seed))
    return tuple(figures)


def keyframe_request(
    store: ProjectStore,
    shot: Shot,
    take_index: int = 0,
    backend: str | None = None,
    model: str | None = None,
    scene: Scene | None = None,
    sheets: dict[int, CharacterSheet] | None = None,
    width: int | None = None,
    height: int | None = None,
    plans: dict[int, ScenePlan] | None = None,
) -> KeyframeRequest:
    """The frozen request for take `take_index` of a shot's keyframe, staged in its scene's
    plan (`plans` by scene id, when the caller planned them already)."""
    from studio.script.prompts import build_shot_prompt

    settings = store.settings()
    scene = scene or store.scenes.get(shot.scene_id)
    sheets = sheets if sheets is not None else {c.id: c for c in store.characters.all()}
    people = [sheets[cid] for cid in shot.characters if cid in sheets]
    prompt = build_shot_prompt(settings.style, scene, shot, people)
    chosen = backend or shot.keyframe_backend or settings.keyframe_backend
    references: tuple[str, ...] = ()
    if "references" in registry.get(chosen).capabilities.accepts:
        # character reference images condition the keyframe (IP-Adapter) where the backend can
        references = tuple(
            store.assets.get(asset_id).sha256
            for person in people
            for asset_id in person.reference_assets
        )
    if plans is None:
        plans = plans_by_scene(store, {shot.scene_id})
    width, height = width or settings.width, height or settings.height
    stage = None
    if shot.scene_id in plans:
        picture = height - caption_height(width, height) if chosen == "previz" else height
        colours = {sheet.name: sheet.colour for sheet in sheets.values()}
        stage = stage_for(plans[shot.scene_id], shot, take_index, width / picture, colours)
    return KeyframeRequest(
        backend=chosen,
        model=model if model is not None else shot.model,
        prompt=prompt.prompt,
        negative_prompt=prompt.negative,
        width=width,
        height=height,
        seed=shot.base_seed + take_index,
        description=shot.description,
        setting=scene.int_ext,
        size=shot.size.value,
        angle=shot.angle.value,
        movement=shot.movement.value,
        lens=shot.lens,
        figures=_figures(shot, sheets),
        references=references,
        stage=stage,
    )


def clip_request(
    store: ProjectStore,
    shot: Shot,
    take_index: int = 0,
    backend: str | None = None,
    model: str | None = None,
    generation_size: tuple[int, int] | None = None,
) -> ClipRequest:
    """The request for a clip of a shot, from its active keyframe. `generation_size` makes a
    model generate at that size instead of its native resolution (the clip is then scaled to
    the project's size)."""
    if shot.active_keyframe_take_id is None:
        raise InvalidInput(
            f"shot {shot.number} has no active keyframe to make a clip from",
            "generate keyframes first (`studio generate keyframes`) or pick one",
        )
    settings = store.settings()
    keyframe = store.takes.get(shot.active_keyframe_take_id)
    asset = store.assets.get(keyframe.asset_id)
    frames = shot.duration.rescaled_to(settings.fps).value
    made_from = keyframe.recipe.get("request")
    staged = request_from_json(made_from) if made_from else None
    if not (isinstance(staged, KeyframeRequest) and staged.stage and staged.backend == "previz"):
        staged = None
    return ClipRequest(
        source_keyframe=asset.sha256,
        backend=backend or shot.clip_backend or settings.clip_backend,
        model=model if model is not None else "",
        movement=shot.movement.value,
        frames=max(1, frames),
        handles=settings.handles,
        fps=settings.fps,
        width=settings.width,
        height=settings.height,
        seed=shot.base_seed + take_index,
        prompt=shot.prompt or shot.description,
        negative_prompt=shot.negative_prompt,
        generation_size=generation_size,
        staged=staged,
    )


def queue_keyframes(
    project: OpenProject,
    shots: str | None = None,
    takes: int = 1,
    backend: str | None = None,
    model: str | None = None,
    force: bool = False,
    priority: int = 0,
    width: int | None = None,
    height: int | None = None,
) -> list[Job]:
    """Queue `takes` keyframe takes (seeds seed, seed+1, …) for each selected shot. Re-running
    the same command queues the same requests, which reuse their takes: it resumes, it does not
    duplicate."""
    store = project.store
    scenes = {s.id: s for s in store.scenes.in_order(include_archived=True)}
    sheets = {c.id: c for c in store.characters.all()}
    selected = select_shots(store, shots)
    plans = plans_by_scene(store, {shot.scene_id for shot in selected})
    items = [
        (
            shot.id,
            keyframe_request(
                store, shot, k, backend, model, scenes[shot.scene_id], sheets, width, height, plans
            ),
        )
        for shot in selected
        for k in range(takes)
    ]
    return project.queue.enqueue_many(items, priority=priority, force=force)


def queue_clips(
    project: OpenProject,
    shots: str | None = None,
    takes: int = 1,
    backend: str | None = None,
    model: str | None = None,
    force: bool = False,
    priority: int = 0,
    generation_size: tuple[int, int] | None = None,
) -> list[Job]:
    """Queue `takes` clip takes for each selected shot that has an active keyframe."""
    store = project.store
    selected = [s for s in select_shots(store, shots) if s.active_keyframe_take_id is not None]
    if not selected:
        raise InvalidInput(
            "none of the selected shots has an active keyframe", "generate keyframes first"
        )
    items = [
        (shot.id, clip_request(store, shot, k, backend, model, generation_size))
        for shot in selected
        for k in range(takes)
    ]
    return project.queue.enqueue_many(items, priority=priority, force=force)


def run_queue(
    project: OpenProject,
    executor: str = "local",
    address: str | None = None,
    on_event: Callable[[JobEvent], None] | None = None,
    runner_ready: Callable[[JobRunner], None] | None = None,
    **executor_options,
) -> RunSummary:
    """Run queued jobs until the queue is empty (or paused, or the runner is stopped)."""
    from studio.jobs.executors import make_executor

    unsubscribe = project.events.subscribe(on_event, JobEvent) if on_event else None
    try:
        with make_executor(executor, address, **executor_options) as ex:
            runner = JobRunner(project.queue, ex)
            if runner_ready is not None:
                runner_ready(runner)
            return runner.run()
    finally:
        if unsubscribe is not None:
            unsubscribe()


# -- takes ----------------------------------------------------------------------------------


def takes_of(store: ProjectStore, kind: TakeKind, owner_id: int) -> list[Take]:
    return store.takes.of_owner(kind, owner_id)


def pick_take(project: OpenProject, take_id: int) -> Take:
    """Make a take the active one of its shot or line (undoable; no take is ever deleted).

    Picking a keyframe leaves the shot's clip out of date when it was made from another one;
    the project's `clips_follow_picks` setting (on by default) then queues a new clip from the
    picked keyframe with the clip's camera settings, which becomes active when it lands."""
    take = project.store.takes.get(take_id)
    repo, field = ACTIVE_FIELD[take.kind]
    project.history.execute(
        SetFields(repo, take.owner_id, {field: take.id}, f"pick {take.kind.value} take {take_id}")
    )
    if take.kind is TakeKind.KEYFRAME and project.store.settings().clips_follow_picks:
        reanimate(project, project.store.shots.get(take.owner_id))
    return take


def reanimate(project: OpenProject, shot: Shot) -> Job | None:
    """Queue a clip of the shot's active keyframe with its active clip's camera settings, when
    that clip is out of date; None when there is nothing to follow."""
    store = project.store
    if lineage.clip_current(store, shot) is not False:
        return None
    request = lineage.reanimated(
        store.takes.get(shot.active_clip_take_id), lineage.active_keyframe_sha(store, shot)
    )
    return project.queue.enqueue(shot.id, request) if request is not None else None


def rate_take(project: OpenProject, take_id: int, rating: int) -> None:
    if not 0 <= rating <= 5:
        raise InvalidInput(f"rating {rating} is out of range", "rate from 0 to 5")
    project.store.takes.get(take_id)
    project.history.execute(SetFields("takes", take_id, {"rating": rating}, f"rate take {take_id}"))


def rerun_take(project: OpenProject, take_id: int) -> Job:
    """Queue the take's recipe again. Built-in backends reproduce it byte for byte (the job then
    reports so and adds no take); others add a new take beside it."""
    take = project.store.takes.get(take_id)
    if "request" not in take.recipe:
        raise InvalidInput(f"take {take_id} was imported, it has no recipe to re-run")
    request = request_from_json(take.recipe["request"])
    return project.queue.enqueue(take.owner_id, request, priority=10, force=True)


def import_takes(project: OpenProject, shot_number: str, files: Iterable[Path]) -> list[Take]:
    """Add images as keyframe takes and videos as clip takes of a shot, validated first."""
    from studio.media.decode import check_video, read_image

    store = project.store
    shot = store.shots.by_number(shot_number)
    limit = store.settings().max_image_pixels
    made = []
    for path in map(Path, files):
        if not path.is_file():
            raise InvalidInput(f"{path} does not exist")
        suffix = path.suffix.lower()
        if suffix in (".png", ".jpg", ".jpeg", ".webp"):
            pixels = read_image(path.read_bytes(), str(path), limit)
            kind, media = TakeKind.KEYFRAME, "image"
            width, height, duration = pixels.shape[1], pixels.shape[0], None
        elif suffix in (".mp4", ".mov", ".mkv", ".webm"):
            info = check_video(path, str(path), limit)
            kind, media = TakeKind.CLIP, "video"
            width, height = info.width, info.height
            duration = RationalTime(info.frames, int(round(info.fps)))
        else:
            raise InvalidInput(
                f"{path}: {suffix or 'no extension'} is neither an image nor a video",
                "import .png/.jpg/.webp keyframes or .mp4/.mov clips",
            )
        blob = store.media.put_file(path)
        asset = store.assets.for_blob(
            blob,
            media,
            f"{media}/{suffix.lstrip('.')}",
            width=width,
            height=height,
            duration=duration,
            original_name=path.name,
        )
        take = store.takes.add(
            Take(kind=kind, owner_id=shot.id, asset_id=asset.id, recipe={"imported": path.name})
        )
        repo, field = ACTIVE_FIELD[kind]
        if getattr(store.shots.get(shot.id), field) is None:
            store.shots.set_fields(shot.id, **{field: take.id})
        made.append(take)
        project.events.publish(TakeMade(kind, shot.id, take.id))
    return made


__all__ = [
    "clip_request",
    "import_takes",
    "keyframe_request",
    "pick_take",
    "queue_clips",
    "queue_keyframes",
    "rate_take",
    "reanimate",
    "rerun_take",
    "run_queue",
    "select_shots",
]
