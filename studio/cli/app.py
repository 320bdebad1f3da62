"""The Typer application and the sub-command groups registered on it."""

from __future__ import annotations

from dataclasses import dataclass

import typer


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


from . import app_command as _app_command  # noqa: E402,F401
from . import characters as _characters  # noqa: E402,F401
from . import film as _film  # noqa: E402,F401
from . import generation as _generation  # noqa: E402,F401
from . import models as _models  # noqa: E402,F401  (each module registers commands)
from . import project as _project  # noqa: E402,F401
from . import script as _script  # noqa: E402,F401
