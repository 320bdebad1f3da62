"""The `studio` command: a thin Typer layer over `studio.services`.

Importing this package must stay cheap: no torch, diffusers or PySide6 here or in the command
modules' top levels; each command imports the services it needs when it runs.
"""

from __future__ import annotations

import sys

from .app import app, state


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a StudioError prints one clear line and exits 1 (`--debug` shows the trace).
    Trouble with the disk or the database is a StudioError too (`_as_studio_error`)."""
    from studio.errors import StudioError

    args = list(sys.argv[1:] if argv is None else argv)
    state.debug = "--debug" in args
    try:
        code = app(args=args, prog_name="studio", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except KeyboardInterrupt:
        _fail("interrupted", None, 130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a person at a terminal
        if state.debug:
            raise
        if _click_exit(exc):
            return
        error = exc if isinstance(exc, StudioError) else _as_studio_error(exc)
        if error is not None:
            _fail(error.message, error.hint, 1)
        _fail(f"unexpected {type(exc).__name__}: {exc}", "run again with --debug for details", 1)


def _click_exit(exc: Exception) -> bool:
    """Click's own ends (typer carries its own copy of click): an exit, an abort, a usage
    mistake, each as one line."""
    if isinstance(exc, _click_kinds("Exit")):
        sys.exit(exc.exit_code)
    if isinstance(exc, _click_kinds("Abort")):
        _fail("aborted", None, 1)
    if isinstance(exc, _click_kinds("UsageError")):
        message = exc.format_message()
        hint = "see `--help`"
        if " option: -" in message:
            hint = "see `--help`; a file or folder whose name starts with - is written ./-name"
        _fail(f"{message[:1].lower()}{message[1:]}", hint, exc.exit_code)
    if isinstance(exc, _click_kinds("ClickException")):
        _fail(exc.format_message(), None, exc.exit_code)
    return False


def _click_kinds(name: str) -> tuple[type, ...]:
    import click
    import typer

    modules = [click.exceptions, typer]
    try:
        from typer._click import exceptions as typer_click  # typer 0.2x carries its own click
    except ImportError:
        typer_click = None
    modules.append(typer_click)
    return tuple(k for m in modules if (k := getattr(m, name, None)) is not None)


def _as_studio_error(exc: Exception):
    """The disk's and SQLite's failures that escaped as they were, as one line that names the
    path; None for anything else (a mistake of ours)."""
    import sqlite3

    from studio.errors import StorageFailed, storage_failure

    if isinstance(exc, OSError):
        return storage_failure(exc)
    original = getattr(exc, "orig", exc)  # SQLAlchemy wraps the driver's error
    if isinstance(original, sqlite3.Error):
        from studio.store.db import database_failure

        return database_failure(original, "the project database") or StorageFailed(
            f"the project database failed: {original}", "run `studio doctor` on the project"
        )
    return None


def _fail(message: str, hint: str | None, code: int) -> None:
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    if hint:
        console.print(f"[dim]hint: {hint}[/]", soft_wrap=True)
    sys.exit(code)


__all__ = ["app", "main"]
