"""Character sheets: description, appearance, reference images, turnaround, voice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from studio.commands import SetFields
from studio.domain.entities import Asset, CharacterSheet, VoiceProfile
from studio.errors import InvalidInput
from studio.generation.requests import Figure, KeyframeRequest
from studio.progress import JobContext
from studio.services.project import OpenProject
from studio.store.project_store import ProjectStore

TURNAROUND_VIEWS = ("front", "three-quarter", "profile")


def set_character(project: OpenProject, name: str, **given: Any) -> CharacterSheet:
    """Edit a sheet: description, appearance, colour, seed, or voice fields (voice, rate,
    variation, pitch_semitones, gain_db)."""
    sheet = project.store.characters.by_name(name)
    changes: dict[str, Any] = {}
    voice_fields = {
        k: v for k, v in given.items() if k in VoiceProfile.__dataclass_fields__ and v is not None
    }
    if voice_fields:
        changes["voice"] = replace(sheet.voice, **voice_fields)
    for key in ("description", "appearance", "colour", "seed"):
        if given.get(key) is not None:
            changes[key] = given[key]
    if not changes:
        raise InvalidInput("nothing to change", "pass --description, --appearance, --pitch, …")
    project.history.execute(SetFields("characters", sheet.id, changes, f"edit {sheet.name}"))
    return project.store.characters.get(sheet.id)


def add_references(project: OpenProject, name: str, images: Iterable[Path]) -> CharacterSheet:
    """Store reference images of a character (validated) and attach them to its sheet."""
    from studio.media.decode import read_image

    store = project.store
    sheet = store.characters.by_name(name)
    ids = list(sheet.reference_assets)
    limit = store.settings().max_image_pixels
    for path in map(Path, images):
        if not path.is_file():
            raise InvalidInput(f"{path} does not exist")
        data = path.read_bytes()
        pixels = read_image(data, str(path), limit)
        asset = _store_image(store, data, path.suffix or ".png", pixels.shape, path.name)
        if asset.id not in ids:
            ids.append(asset.id)
    project.history.execute(
        SetFields(
            "characters", sheet.id, {"reference_assets": ids}, f"add references to {sheet.name}"
        )
    )
    return store.characters.get(sheet.id)


def _store_image(
    store: ProjectStore, data: bytes, extension: str, shape: tuple, name: str = ""
) -> Asset:
    blob = store.media.put_bytes(data, extension)
    return store.assets.for_blob(
        blob,
        "image",
        f"image/{extension.lstrip('.').lower()}",
        width=int(shape[1]),
        height=int(shape[0]),
        original_name=name,
    )


def turnaround(
    project: OpenProject, name: str, backend: str | None = None, model: str = "", size: int = 512
) -> CharacterSheet:
    """Front, three-quarter and profile reference panels with the character's fixed seed,
    added to the sheet's references. The previz backend draws the character turned, as what
    its sheet says it is (a robot, a dog, a child…), at its height and build; a model backend
    gets each view's prompt."""
    from studio.generation.backends.base import registry
    from studio.script.prompts import turnaround_prompts

    store = project.store
    settings = store.settings()
    sheet = store.characters.by_name(name)
    chosen = registry.get(backend or settings.keyframe_backend)
    ids = list(sheet.reference_assets)
    prompts = turnaround_prompts(settings.style, sheet)
    for view, (prompt, negative) in zip(TURNAROUND_VIEWS, prompts, strict=True):
        if chosen.name == "previz":
            data, extension, shape = _pencil_turnaround(sheet, view, size), ".png", (size, size)
        else:
            request = KeyframeRequest(
                backend=chosen.name,
                model=model,
                prompt=prompt,
                negative_prompt=negative,
                width=size,
                height=size,
                seed=sheet.seed,
                shot_number=f"{sheet.name} {view}",
                description=f"{view} view. {sheet.appearance or sheet.description}",
                size="FS",
                figures=(Figure(sheet.name, 0.5, sheet.colour, sheet.appearance, sheet.seed),),
            )
            result = chosen.generate(request, {}, JobContext())
            data, extension, shape = result.data, result.extension, (result.height, result.width)
        asset = _store_image(store, data, extension, shape, f"{sheet.name}-{view}")
        if asset.id not in ids:
            ids.append(asset.id)
    project.history.execute(
        SetFields("characters", sheet.id, {"reference_assets": ids}, f"turnaround of {sheet.name}")
    )
    return store.characters.get(sheet.id)


def _pencil_turnaround(sheet: CharacterSheet, view: str, size: int) -> bytes:
    """The previz reference panel of one view: the sheet's kind, height and build, turned."""
    from studio.generation.backends.previz import parse_colour
    from studio.generation.backends.previz_turnaround import turnaround_panel
    from studio.media.decode import encode_png
    from studio.script.staging_things import sheet_build, sheet_kind

    rgb = turnaround_panel(
        sheet.name,
        view,
        sheet_kind(sheet),
        parse_colour(sheet.colour),
        size,
        sheet.seed,
        sheet_build(sheet),
    )
    return encode_png(rgb)
