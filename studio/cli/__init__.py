"""The `studio` command: a thin Typer layer over `studio.services`.

Importing this package must stay cheap: no torch, diffusers or PySide6 here or in the command
modules' top levels; each command imports the services it needs when it runs.
"""

from __future__ import annotations

import sys

from .app import app, state


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a StudioError prints one clear line and exits 1 (`--debug` shows the trace)."""
    from studio.errors import StudioError

    args = list(sys.argv[1:] if argv is None else argv)
    state.debug = "--debug" in args
    try:
        code = app(args=args, prog_name="studio", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except KeyboardInterrupt:
        _fail("interrupted", None, 130)
    except StudioError as exc:
        if state.debug:
            raise
        _fail(exc.message, exc.hint, 1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a person at a terminal
        import click

        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            _fail("aborted", None, 1)
        if state.debug:
            raise
        _fail(f"unexpected {type(exc).__name__}: {exc}", "run again with --debug for details", 1)


def _fail(message: str, hint: str | None, code: int) -> None:
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    if hint:
        console.print(f"[dim]hint: {hint}[/]", soft_wrap=True)
    sys.exit(code)


__all__ = ["app", "main"]
