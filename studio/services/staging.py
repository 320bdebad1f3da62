"""Scene plans: derive one (`scene_plan`), place a character or a thing on it (`place`,
undoable), and check every scene's continuity (`check_scenes`). A scene is named by its
position in the film, 1-based, as `studio scenes PATH plan 2`."""

from __future__ import annotations

from studio.commands.staging import PlaceMark
from studio.domain.entities import Scene, SceneMark
from studio.errors import InvalidInput, NotFound
from studio.script.staging import PlacedMark, ScenePlan, plan_scene
from studio.script.staging_check import Flag, check_plan
from studio.services.project import OpenProject
from studio.store.project_store import ProjectStore


def scene_at(store: ProjectStore, number: int) -> Scene:
    """The scene at `number` (1-based) in the film, or one line saying what there is."""
    scenes = store.scenes.in_order()
    if not 1 <= number <= len(scenes):
        raise NotFound(
            f"no scene {number} in {store.folder}: it has {len(scenes)} scene(s), 1 to "
            f"{len(scenes)}"
        )
    return scenes[number - 1]


def scene_inputs(store: ProjectStore, numbers: list[int] | None = None):
    """What each scene asked (all by default) is planned from, with one read of each table:
    (position, scene, its shots, the sheets by id, its lines, its placements)."""
    scenes = store.scenes.in_order()
    wanted = set(numbers) if numbers else None
    cast = {c.id: c for c in store.characters.all()}
    shots_of: dict[int, list] = {}
    for shot in store.shots.in_order():
        shots_of.setdefault(shot.scene_id, []).append(shot)
    lines_of: dict[int, list] = {}
    for line in store.lines.in_order():
        lines_of.setdefault(line.scene_id, []).append(line)
    for position, scene in enumerate(scenes, start=1):
        if wanted is not None and position not in wanted:
            continue
        placements = [
            PlacedMark(m.name, m.beat, m.x, m.y, m.facing)
            for m in store.scene_marks.of_scene(scene.id)
        ]
        yield (
            position,
            scene,
            shots_of.get(scene.id, []),
            cast,
            lines_of.get(scene.id, []),
            placements,
        )


def _plans(store: ProjectStore, numbers: list[int] | None = None):
    """(position, scene, its shots, its plan) for the scenes asked (all by default)."""
    settings = store.settings()
    aspect = settings.width / settings.height
    for position, scene, shots, cast, lines, placements in scene_inputs(store, numbers):
        plan = plan_scene(position, scene, shots, cast, lines, placements, aspect)
        yield position, scene, shots, plan


def scene_plan(store: ProjectStore, number: int) -> ScenePlan:
    """The plan of scene `number`: derived from the script, with the user's placements."""
    scene_at(store, number)
    return next(plan for _, _, _, plan in _plans(store, [number]))


def plans_by_scene(store: ProjectStore, scene_ids: set[int] | None = None) -> dict[int, ScenePlan]:
    """The plans of the scenes with these ids (every scene by default), by scene id; archived
    scenes have none."""
    numbers = None
    if scene_ids is not None:
        scenes = store.scenes.in_order()
        numbers = [n for n, scene in enumerate(scenes, start=1) if scene.id in scene_ids]
        if not numbers:
            return {}
    return {scene.id: plan for _, scene, _, plan in _plans(store, numbers)}


def all_plans(store: ProjectStore) -> list[ScenePlan]:
    """Every scene's plan, in film order."""
    return [plan for _, _, _, plan in _plans(store)]


def place(
    project: OpenProject,
    number: int,
    name: str,
    x: float,
    y: float,
    facing: float | None = None,
    beat: int | None = None,
) -> ScenePlan:
    """Place a character (at `beat`, default 0) or a thing (for the whole scene) on scene
    `number`'s plan, as one undoable step; the plan after it."""
    store = project.store
    scene = scene_at(store, number)
    plan = scene_plan(store, number)
    figures = {f.name for f in plan.figures}
    things = {t.name for t in plan.things}
    wanted = name.strip()
    if wanted.upper() in figures:
        wanted = wanted.upper()
        beat = 0 if beat is None else beat
        if not 0 <= beat < len(plan.beats):
            raise InvalidInput(
                f"scene {number} has no beat {beat}: its beats are 0 to {len(plan.beats) - 1}"
            )
    elif wanted.lower() in things:
        wanted = wanted.lower()
        if beat not in (None, 0):
            raise InvalidInput(f"{wanted} stands for the whole of scene {number}: give no --beat")
        beat = 0
    else:
        known = ", ".join([*sorted(figures), *sorted(things)]) or "nothing yet"
        raise InvalidInput(f"scene {number} has no character or thing named {name!r}: {known}")
    for value, what in ((x, "x"), (y, "y"), (facing, "facing")):
        if value is not None and not abs(value) < 1e6:
            raise InvalidInput(f"place {wanted}: {what} must be a finite number of metres/degrees")
    mark = SceneMark(scene.id, wanted, beat, float(x), float(y), facing)
    project.history.execute(PlaceMark(mark, label=f"place {wanted} in scene {number}"))
    return scene_plan(store, number)


def check_scenes(store: ProjectStore) -> list[Flag]:
    """Every scene's continuity flags (`studio.script.staging_check`), in film order."""
    names = {c.id: c.name for c in store.characters.all()}
    flags: list[Flag] = []
    for _, _, shots, plan in _plans(store):
        flags += check_plan(plan, shots, names)
    return flags
