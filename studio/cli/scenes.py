"""`studio scenes PATH plan|place|check`: the scene plans (floor plans with marks, things and
cameras), placing a character or a thing on one, and the continuity checks."""

from __future__ import annotations

from pathlib import Path

import typer

from .output import console, print_json

scenes_app = typer.Typer(
    help="The scenes' plans: plan (set, marks per beat, things, a camera per shot), place a "
    "character or a thing, check the line of action and jumps.",
    no_args_is_help=True,
)

PathArg = typer.Argument(..., help="The project folder.")
SceneArg = typer.Argument(..., help="The scene's number: its position in the film, from 1.")


@scenes_app.callback()
def _scenes_project(ctx: typer.Context, path: Path = PathArg) -> None:
    ctx.obj = path


@scenes_app.command("plan")
def scenes_plan(
    ctx: typer.Context, scene: int = SceneArg, as_json: bool = typer.Option(False, "--json")
) -> None:
    """The scene's plan in metres: the set, each beat's marks, the things, each shot's camera."""
    from studio.services.project import open_readonly
    from studio.services.staging import scene_plan

    with open_readonly(ctx.obj) as store:
        plan = scene_plan(store, scene)
    if as_json:
        print_json(plan.to_json())
        return
    s = plan.set
    where = (
        f"interior {s.width:g} × {s.depth:g} m, ceiling {s.height:g} m"
        + "".join(f", {o.kind} on the {o.wall} wall" for o in s.openings)
        if s.interior
        else f"exterior, {s.ground} to a horizon at {s.horizon:g} m"
    )
    console.print(f"[bold]{plan.scene}. {plan.heading}[/]: {where}")
    for f in plan.figures:
        console.print(f"  {f.name:<14} {f.kind:<8} {f.size[2]:.2f} m tall")
    for t in plan.things:
        mark = " (placed)" if t.placed else ""
        console.print(f"  {t.name:<14} {t.kind.value:<10} at {t.x:g}, {t.y:g}{mark}")
    for beat in plan.beats:
        console.print(f"beat {beat.index} (shots {', '.join(beat.shots)}): {beat.reason}")
        for name, m in beat.marks.items():
            placed = " (placed)" if m.placed else ""
            console.print(
                f"  {name:<14} {m.x:6.2f} {m.y:6.2f}  facing {m.facing:6.1f}° {m.posture}{placed}"
            )
    for c in plan.cameras:
        subject = ", ".join(c.subject) or "the set"
        console.print(
            f"shot {c.shot:<5} {c.focal_mm:>3} mm at {c.x:.2f}, {c.y:.2f}, {c.height:.2f} m  pan "
            f"{c.pan:.1f}° tilt {c.tilt:.1f}°  {c.distance:.2f} m to {subject}"
            + (f"  ({c.side})" if c.side else "")
        )


@scenes_app.command("place")
def scenes_place(
    ctx: typer.Context,
    scene: int = SceneArg,
    name: str = typer.Argument(..., help="A character of the scene, or a thing of its plan."),
    x: float = typer.Argument(..., help="Metres east on the plan (write `--` before a negative)."),
    y: float = typer.Argument(..., help="Metres north on the plan."),
    facing: float = typer.Option(None, "--facing", help="Degrees, counter-clockwise from east."),
    beat: int = typer.Option(None, "--beat", help="The beat a character stands there from (0)."),
) -> None:
    """Put a character (from a beat on) or a thing (for the whole scene) on the plan; undoable."""
    from studio.services.project import open_project
    from studio.services.staging import place

    with open_project(ctx.obj) as project:
        plan = place(project, scene, name, x, y, facing=facing, beat=beat)
    console.print(f"placed {name} in scene {plan.scene} at {x:g}, {y:g}")


@scenes_app.command("check")
def scenes_check(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Shots that cross the line of action without a neutral shot, and characters who jump."""
    from studio.services.project import open_readonly
    from studio.services.staging import check_scenes

    with open_readonly(ctx.obj) as store:
        flags = check_scenes(store)
    if as_json:
        print_json({"flags": [f.to_json() for f in flags]})
        return
    if not flags:
        console.print("no continuity flags")
    for flag in flags:
        console.print(f"shot {flag.shot:<5} {flag.kind:<13} {flag.reason}")
