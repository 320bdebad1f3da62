"""`studio app [PATH]`: open the desktop studio.

The core never imports the UI: this command hands over to the `ui.app` module in a fresh
interpreter (the same as running `studio-app`), so `studio` stays free of PySide6.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

app = typer.Typer()  # this module's top-level commands; studio.cli.app adds them to the root


@app.command(name="app")
def open_app(
    path: Path = typer.Argument(None, help="A project folder to open (optional)."),
) -> None:
    """Open the desktop studio, optionally with a project."""
    args = [sys.executable, "-m", "ui.app"] + ([str(path)] if path else [])
    sys.stdout.flush()
    os.execv(sys.executable, args)
