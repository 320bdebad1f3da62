"""The Typer application: the root of `studio`, with every command module's commands added to it.

The command modules never import this one; each holds its own Typers and this module adds them, the
top-level commands first and then the groups (the order `studio --help` lists them in).
"""

from __future__ import annotations

from dataclasses import dataclass

import typer

from . import (
    app_command,
    characters,
    film,
    generation,
    models,
    project,
    scenes,
    script,
    settings,
)


@dataclass
class State:
    debug: bool = False


state = State()

app = typer.Typer(
    name="studio",
    help="Microfilm Studio: turn a screenplay into a finished short film with local AI.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback on errors."),
) -> None:
    state.debug = debug


for _module in (app_command, characters, film, project):
    app.add_typer(_module.app)  # no name: its commands join the root's
app.add_typer(characters.characters_app, name="characters")
app.add_typer(characters.voices_app, name="voices")
app.add_typer(characters.lines_app, name="lines")
app.add_typer(film.timeline_app, name="timeline")
app.add_typer(generation.generate_app, name="generate")
app.add_typer(generation.jobs_app, name="jobs")
app.add_typer(generation.takes_app, name="takes")
app.add_typer(models.models_app, name="models")
app.add_typer(scenes.scenes_app, name="scenes")
app.add_typer(script.script_app, name="script")
app.add_typer(script.shots_app, name="shots")
app.add_typer(settings.settings_app, name="settings")
