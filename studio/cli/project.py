"""Project commands: new, info, doctor, bundle, unbundle."""

from __future__ import annotations

from pathlib import Path

import typer

from .output import console, print_json

app = typer.Typer()  # this module's top-level commands; studio.cli.app adds them to the root

PathArg = typer.Argument(..., help="The project folder.")


@app.command()
def new(
    path: Path = PathArg,
    name: str = typer.Option(None, "--name", help="The film's name (default: the folder's)."),
    fps: int = typer.Option(24, "--fps", help="Frames per second: 24, 25 or 30."),
    aspect: str = typer.Option("16:9", "--aspect", help="16:9, 9:16, 2.39:1, 4:3 or 1:1."),
) -> None:
    """Create a new project folder."""
    from studio.errors import InvalidInput
    from studio.services.project import new_project

    if fps not in (24, 25, 30):
        raise InvalidInput(f"--fps {fps} is not supported", "use 24, 25 or 30")
    try:
        project = new_project(path, name=name, fps=fps, aspect=aspect)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with project:
        s = project.store.settings()
        console.print(f"created [bold]{path}[/] ({s.width}×{s.height}, {s.fps} fps, {s.aspect})")


@app.command()
def info(
    path: Path = PathArg,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Counts of scenes, shots, characters, lines, takes and jobs."""
    from studio.services.project import open_readonly, project_info

    with open_readonly(path) as store:
        data = project_info(store)
    if as_json:
        print_json(data.to_json())
        return
    s = data.settings
    console.print(f"[bold]{data.name}[/]  {s['width']}×{s['height']} {s['fps']} fps {s['aspect']}")
    console.print(
        f"{data.scenes} scenes, {data.shots} shots, {data.characters} characters, "
        f"{data.lines} lines, {data.takes} takes"
    )
    if data.jobs:
        console.print(
            "jobs: " + ", ".join(f"{n} {state}" for state, n in sorted(data.jobs.items()))
        )


@app.command()
def doctor(
    path: Path = PathArg,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    quick: bool = typer.Option(False, "--quick", help="Check presence only, not hashes."),
) -> None:
    """Check every referenced media file; list orphans. Exits 1 on damage."""
    from studio.services.doctor import doctor_project

    report = doctor_project(path, verify_hashes=not quick)
    if as_json:
        print_json(report.to_json())
    else:
        console.print(f"checked {report.checked} media files")
        for label, items in (
            ("missing", report.missing),
            ("corrupt", report.corrupt),
            ("dangling", report.dangling),
            ("schema", report.schema),
            ("orphan", report.orphans),
        ):
            for item in items:
                colour = "yellow" if label == "orphan" else "red"
                console.print(f"[{colour}]{label}[/] {item}")
        console.print("[red]damaged[/]" if report.damaged else "[green]healthy[/]")
    if report.damaged:
        raise typer.Exit(1)


@app.command()
def bundle(
    path: Path = PathArg,
    out: Path = typer.Argument(..., help="The .studio file to write."),
) -> None:
    """Pack the project into one .studio file."""
    from studio.services.project import bundle_project, open_readonly

    with open_readonly(path) as store:
        manifest = bundle_project(store, out)
    console.print(f"wrote {out} ({len(manifest['files'])} files, {manifest['total_size']} bytes)")


@app.command()
def unbundle(
    file: Path = typer.Argument(..., help="The .studio bundle."),
    dest: Path = typer.Argument(
        ..., help="A new or empty folder (a name with a leading - as ./-x)."
    ),
    max_size: str = typer.Option(
        None, "--max-size", help="The most it may unpack to, e.g. 100G (default 32G)."
    ),
    max_ratio: float = typer.Option(
        None, "--max-ratio", help="How many times an entry may inflate (default 100)."
    ),
) -> None:
    """Unpack a .studio bundle into a new folder (never writes outside it), after checking its
    sizes against the free space and its project.db against what the studio makes."""
    from dataclasses import replace

    from studio.errors import InvalidInput
    from studio.services.project import unbundle_project
    from studio.store.bundle import Limits, parse_size

    limits = Limits()
    if max_size is not None:
        try:
            limits = replace(limits, max_size=parse_size(max_size))
        except ValueError as exc:
            raise InvalidInput(f"--max-size: {exc}") from None
    if max_ratio is not None:
        limits = replace(limits, max_ratio=max_ratio)
    unbundle_project(file, dest, limits)
    console.print(f"unpacked into {dest}")
