"""Screenplay commands: `studio script …` and `studio shots …`."""

from __future__ import annotations

from pathlib import Path

import typer

from .output import console, print_json

script_app = typer.Typer(
    help="The screenplay: parse, import (with sync), export, report.", no_args_is_help=True
)
shots_app = typer.Typer(
    help="The shot list: list, add, remove, move, set, renumber.", no_args_is_help=True
)

PathArg = typer.Argument(..., help="The project folder.")


@shots_app.callback()
def _shots_project(ctx: typer.Context, path: Path = PathArg) -> None:
    ctx.obj = path


@script_app.command("parse")
def script_parse(
    file: Path = typer.Argument(..., help="A .fountain or .fdx screenplay."),
    as_json: bool = typer.Option(False, "--json", help="Print the elements as JSON."),
) -> None:
    """Parse a screenplay and print its elements."""
    from studio.script.fountain import parse_file

    screenplay = parse_file(file)
    if as_json:
        print_json(screenplay.to_json())
        return
    for element in screenplay.elements:
        print(f"{element.start_line:>5} {element.type:<14} {element.text}")


@script_app.command("export")
def script_export(
    path: Path = typer.Argument(..., help="A project folder, or a .fountain/.fdx file."),
    out: Path = typer.Argument(..., help="The file to write: .fountain, or .fdx (Final Draft)."),
) -> None:
    """Write the project's current script (or a converted file) as Fountain or Final Draft."""
    from studio.atomic import written
    from studio.script.formats import script_format
    from studio.services.script import screenplay_at

    form = script_format(out)  # an unknown suffix is refused before anything is read
    screenplay = screenplay_at(path)
    with written(out) as partial:
        partial.write_bytes(form.write(screenplay))
    console.print(f"wrote {out} ({form.name}, {len(screenplay.elements)} elements)")


@script_app.command("import")
def script_import(
    path: Path = PathArg,
    script: Path = typer.Argument(..., help="A .fountain or .fdx screenplay."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what would change; change nothing."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Break a screenplay down into scenes, shots, characters and lines (syncing an edit)."""
    from studio.services.project import open_project
    from studio.services.script import import_script, preview_import

    with open_project(path) as project:
        plan = preview_import(project.store, script) if dry_run else import_script(project, script)
    if as_json:
        print_json(plan.to_json())
        return
    verb = "would change" if dry_run else "imported"
    b = plan.breakdown
    console.print(
        f"{verb} [bold]{b.title or script.name}[/]: {len(b.scenes)} scenes, "
        f"{len(b.shots)} shots, {len(b.characters)} characters, {len(b.lines)} lines"
    )
    for kind in ("scenes", "shots", "lines"):
        counts = getattr(plan, kind).counts()
        console.print(f"  {kind:<7} " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@script_app.command("report")
def script_report(
    path: Path = typer.Argument(..., help="A project folder or a screenplay file."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Pages, runtime, scenes, characters with their lines and words, longest speeches."""
    from studio.script.report import script_report as make_report
    from studio.services.script import screenplay_at

    screenplay = screenplay_at(path)
    report = make_report(screenplay)
    if as_json:
        print_json(report.to_json())
    else:
        print(report.to_text())


@shots_app.command("list")
def shots_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json"),
    archived: bool = typer.Option(False, "--archived", help="Include archived shots."),
) -> None:
    """The shot list in film order."""
    path: Path = ctx.obj
    from studio.services.freshness import clip_status
    from studio.services.project import open_readonly

    with open_readonly(path) as store:
        shots = store.shots.in_order(include_archived=archived)
        scenes = {s.id: s for s in store.scenes.in_order(include_archived=True)}
        names = {c.id: c.name for c in store.characters.all()}
        current = clip_status(store, shots)
    if as_json:
        print_json(
            [
                {
                    "id": s.id,
                    "number": s.number,
                    "scene": scenes[s.scene_id].heading,
                    "description": s.description,
                    "size": s.size.value,
                    "angle": s.angle.value,
                    "move": s.movement.value,
                    "lens": s.lens,
                    "duration": s.duration.to_seconds(),
                    "characters": [names.get(c, "?") for c in s.characters],
                    "status": s.status.value,
                    "active_keyframe_take_id": s.active_keyframe_take_id,
                    "active_clip_take_id": s.active_clip_take_id,
                    "clip_current": current[s.id],
                }
                for s in shots
            ]
        )
        return
    scene_id = None
    for s in shots:
        if s.scene_id != scene_id:
            scene_id = s.scene_id
            console.print(f"[bold]{scenes[scene_id].heading}[/]")
        flag = "" if s.status.value == "current" else f" [yellow]{s.status.value}[/]"
        if current[s.id] is False:
            flag += " [yellow]clip out of date[/]"
        who = ",".join(names.get(c, "?") for c in s.characters)
        console.print(
            f"  {s.number:>4} {s.size.value:<6} {s.angle.value:<8} {s.movement.value:<10}"
            f" {s.duration.to_seconds():5.1f}s {who:<18} {s.description[:60]}{flag}",
            markup=True,
            highlight=False,
        )
    console.print(f"{len(shots)} shots")


def _shot_options():
    return dict(
        size=typer.Option(None, "--size", help="EWS WS FS MWS MS MCU CU ECU INSERT"),
        angle=typer.Option(None, "--angle", help="eye low high overhead dutch pov"),
        move=typer.Option(None, "--move", help="static push_in pull_out pan_left … handheld"),
        duration=typer.Option(None, "--duration", help="Seconds."),
        prompt=typer.Option(None, "--prompt"),
        characters=typer.Option(None, "--characters", help="Names, comma-separated."),
    )


_o = _shot_options()


@shots_app.command("set")
def shots_set(
    ctx: typer.Context,
    number: str = typer.Argument(..., help="Shot number."),
    size: str = _o["size"],
    angle: str = _o["angle"],
    move: str = _o["move"],
    duration: str = _o["duration"],
    prompt: str = _o["prompt"],
    characters: str = _o["characters"],
    negative: str = typer.Option(None, "--negative", help="Negative prompt."),
    lens: int = typer.Option(None, "--lens", help="Focal length in mm."),
    seed: int = typer.Option(None, "--seed"),
    description: str = typer.Option(None, "--description"),
    status: str = typer.Option(None, "--status", help="current or stale."),
) -> None:
    """Edit a shot's fields."""
    path: Path = ctx.obj
    from studio.services.project import open_project
    from studio.services.shots import set_shot

    with open_project(path) as project:
        shot = set_shot(
            project,
            number,
            size=size,
            angle=angle,
            move=move,
            duration=duration,
            prompt=prompt,
            characters=characters,
            negative_prompt=negative,
            lens=lens,
            seed=seed,
            description=description,
            status=status,
        )
    console.print(
        f"shot {shot.number}: {shot.size.value} {shot.angle.value} "
        f"{shot.movement.value} {shot.duration.to_seconds():.2f}s"
    )


@shots_app.command("add")
def shots_add(
    ctx: typer.Context,
    description: str = typer.Argument("", help="What the shot shows."),
    after: str = typer.Option(None, "--after", help="Insert after this shot (default: last)."),
    size: str = _o["size"],
    angle: str = _o["angle"],
    move: str = _o["move"],
    duration: str = _o["duration"],
    prompt: str = _o["prompt"],
    characters: str = _o["characters"],
) -> None:
    """Add a shot (it survives re-imports of the script). It is numbered between its
    neighbours (27A after 27, A1 before 1); no other shot's number changes."""
    path: Path = ctx.obj
    from studio.services.project import open_project
    from studio.services.shots import add_shot

    with open_project(path) as project:
        shot = add_shot(
            project,
            after,
            description,
            size=size,
            angle=angle,
            move=move,
            duration=duration,
            prompt=prompt,
            characters=characters,
        )
    console.print(f"added shot {shot.number}")


@shots_app.command("remove")
def shots_remove(ctx: typer.Context, number: str = typer.Argument(...)) -> None:
    """Take a shot out of the film (archived with its takes, not deleted)."""
    path: Path = ctx.obj
    from studio.services.project import open_project
    from studio.services.shots import remove_shot

    with open_project(path) as project:
        remove_shot(project, number)
    console.print(f"removed shot {number} (archived; its takes are kept)")


@shots_app.command("move")
def shots_move(
    ctx: typer.Context,
    number: str = typer.Argument(...),
    to: int = typer.Argument(..., help="New position, 1-based."),
) -> None:
    """Move a shot to another position in the film (every shot keeps its number)."""
    path: Path = ctx.obj
    from studio.services.project import open_project
    from studio.services.shots import move_shot

    with open_project(path) as project:
        move_shot(project, number, to)
    console.print(f"moved shot {number} to position {to}")


@shots_app.command("renumber")
def shots_renumber(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print old → new.")
) -> None:
    """Number every shot 1, 2, 3… in film order (the only command that changes numbers)."""
    path: Path = ctx.obj
    from studio.services.project import open_project
    from studio.services.shots import renumber_shots

    with open_project(path) as project:
        before = {s.id: s.number for s in project.store.shots.in_order()}
        shots = renumber_shots(project)
    changed = {before[s.id]: s.number for s in shots if before[s.id] != s.number}
    if as_json:
        print_json({"renumbered": changed, "shots": len(shots)})
        return
    for old, new in changed.items():
        console.print(f"  {old:>5} → {new}", highlight=False)
    console.print(f"{len(changed)} of {len(shots)} shots renumbered")
