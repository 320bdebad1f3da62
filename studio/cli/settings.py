"""`studio settings PATH show|set`: the project's settings, and those that may change."""

from __future__ import annotations

from pathlib import Path

import typer

from .output import console, print_json

settings_app = typer.Typer(
    help="The project's settings: show, set (style, look, handles, clips following picks, "
    "the image size limit).",
    no_args_is_help=True,
)

PathArg = typer.Argument(..., help="The project folder.")


@settings_app.callback()
def _settings_project(ctx: typer.Context, path: Path = PathArg) -> None:
    ctx.obj = path


@settings_app.command("show")
def settings_show(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Every setting of the project."""
    from studio.services.project import open_readonly

    with open_readonly(ctx.obj) as store:
        data = store.settings().to_json()
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        console.print(f"{key:<20} {value}")


@settings_app.command("set")
def settings_set(
    ctx: typer.Context,
    style: str = typer.Option(None, "--style", help="The film's look in words (prompts)."),
    look: str = typer.Option(None, "--look", help="The grade the export applies."),
    handles: int = typer.Option(None, "--handles", help="Frames made before and after a clip."),
    follow_picks: bool = typer.Option(
        None,
        "--follow-picks/--no-follow-picks",
        help="Picking another keyframe queues a new clip of the shot.",
    ),
    max_image_pixels: int = typer.Option(
        None, "--max-image-pixels", help="Images larger than this are refused from their header."
    ),
) -> None:
    """Change the settings named; the frame size, rate and aspect stay as the project was made."""
    from studio.errors import InvalidInput
    from studio.services.project import change_settings, open_project

    changes = {
        key: value
        for key, value in (
            ("style", style),
            ("look", look),
            ("handles", handles),
            ("clips_follow_picks", follow_picks),
            ("max_image_pixels", max_image_pixels),
        )
        if value is not None
    }
    if not changes:
        raise InvalidInput(
            "nothing to set", "name a setting, e.g. --max-image-pixels 100000000 (see --help)"
        )
    with open_project(ctx.obj) as project:
        settings = change_settings(project, **changes).to_json()
    for key in changes:
        console.print(f"{key} = {settings[key]}")
