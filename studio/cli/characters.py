"""Character and voice commands: `studio characters …`, `studio voices list`, `studio dub`."""

from __future__ import annotations

from pathlib import Path

import typer

from .output import console, print_json

app = typer.Typer()  # this module's top-level commands; studio.cli.app adds them to the root

characters_app = typer.Typer(
    help="Character sheets: list, show, set, refs add, turnaround.", no_args_is_help=True
)
refs_app = typer.Typer(help="Reference images of a character.", no_args_is_help=True)
voices_app = typer.Typer(help="Piper voices installed on this machine.", no_args_is_help=True)
characters_app.add_typer(refs_app, name="refs")

PathArg = typer.Argument(..., help="The project folder.")


@characters_app.callback()
def _characters_project(ctx: typer.Context, path: Path = PathArg) -> None:
    ctx.obj = path


def _sheet_json(sheet, store) -> dict:
    return {
        "id": sheet.id,
        "name": sheet.name,
        "description": sheet.description,
        "appearance": sheet.appearance,
        "colour": sheet.colour,
        "seed": sheet.seed,
        "status": sheet.status.value,
        "voice": sheet.voice.to_json(),
        "references": [store.assets.get(a).path for a in sheet.reference_assets],
        "lines": len([line for line in store.lines.in_order() if line.character_id == sheet.id]),
    }


@characters_app.command("list")
def characters_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """The characters with their voices and line counts."""
    path: Path = ctx.obj
    from studio.services.project import open_readonly

    with open_readonly(path) as store:
        sheets = [_sheet_json(c, store) for c in store.characters.all()]
    if as_json:
        print_json(sheets)
        return
    for s in sheets:
        v = s["voice"]
        console.print(
            f"[bold]{s['name']:<16}[/] {s['lines']:>3} lines  voice {v['voice']} "
            f"{v['pitch_semitones']:+.1f} st ×{v['rate']:.2f}  {s['description'][:50]}"
        )


@characters_app.command("show")
def characters_show(ctx: typer.Context, name: str = typer.Argument(...)) -> None:
    """One character sheet as JSON."""
    path: Path = ctx.obj
    from studio.services.project import open_readonly

    with open_readonly(path) as store:
        print_json(_sheet_json(store.characters.by_name(name), store))


@characters_app.command("set")
def characters_set(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    description: str = typer.Option(None, "--description"),
    appearance: str = typer.Option(None, "--appearance", help="What they look like (prompts)."),
    colour: str = typer.Option(None, "--colour", help="#rrggbb for boards and the timeline."),
    seed: int = typer.Option(None, "--seed"),
    voice: str = typer.Option(None, "--voice", help="A voice id from `studio voices list`."),
    rate: float = typer.Option(None, "--rate", help="Speaking rate, 1.0 = normal."),
    pitch: float = typer.Option(None, "--pitch", help="Pitch shift in semitones."),
    variation: float = typer.Option(None, "--variation", help="Delivery variation (0–1)."),
    gain: float = typer.Option(None, "--gain", help="Voice gain in dB."),
) -> None:
    """Edit a character sheet and its voice."""
    path: Path = ctx.obj
    from studio.services.characters import set_character
    from studio.services.project import open_project

    with open_project(path) as project:
        sheet = set_character(
            project,
            name,
            description=description,
            appearance=appearance,
            colour=colour,
            seed=seed,
            voice=voice,
            rate=rate,
            pitch_semitones=pitch,
            variation=variation,
            gain_db=gain,
        )
    console.print(f"updated {sheet.name}")


@refs_app.command("add")
def refs_add(
    ctx: typer.Context, name: str = typer.Argument(...), images: list[Path] = typer.Argument(...)
) -> None:
    """Attach reference images to a character (they condition keyframes with IP-Adapter)."""
    path: Path = ctx.obj
    from studio.services.characters import add_references
    from studio.services.project import open_project

    with open_project(path) as project:
        sheet = add_references(project, name, images)
    console.print(f"{sheet.name} has {len(sheet.reference_assets)} reference images")


@characters_app.command("turnaround")
def characters_turnaround(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    backend: str = typer.Option(None, "--backend"),
    model: str = typer.Option("", "--model"),
) -> None:
    """Generate front, three-quarter and profile reference panels with a fixed seed."""
    path: Path = ctx.obj
    from studio.services.characters import turnaround
    from studio.services.project import open_project

    if model:
        from studio.generation.models import ModelLibrary

        model = ModelLibrary().resolve(model).id
    with open_project(path) as project:
        sheet = turnaround(project, name, backend, model)
    console.print(f"{sheet.name}: turnaround added ({len(sheet.reference_assets)} references)")


@voices_app.command("list")
def voices_list(
    as_json: bool = typer.Option(False, "--json"),
    folder: list[Path] = typer.Option([], "--folder", help="Extra voice folders."),
) -> None:
    """Voices found: the bundled one and any Piper .onnx voices in named folders."""
    from studio.audio.voices import list_voices

    voices = list_voices(folder)
    if as_json:
        print_json(
            [
                {
                    "id": v.id,
                    "name": v.name,
                    "language": v.language,
                    "sample_rate": v.sample_rate,
                    "model_path": str(v.model_path),
                    "source": v.source,
                }
                for v in voices
            ]
        )
        return
    for v in voices:
        console.print(f"{v.id:<16} {v.language:<8} {v.sample_rate} Hz  {v.source}")


@app.command()
def dub(
    path: Path = PathArg,
    lines: str = typer.Option(None, "--lines", help="Line numbers in script order: 1-5,9."),
    takes: int = typer.Option(1, "--takes", min=1, max=16),
    force: bool = typer.Option(False, "--force"),
    preview: int = typer.Option(None, "--preview", help="Speak this one line to --out."),
    out: Path = typer.Option(None, "--out", help="Where --preview writes its WAV."),
    executor: str = typer.Option("local", "--executor"),
) -> None:
    """Voice every dialogue line (a take per line through the job engine)."""
    from studio.services.dubbing import preview_line, queue_dub
    from studio.services.project import open_project

    with open_project(path) as project:
        if preview is not None:
            target = preview_line(project.store, preview, out or Path(f"line-{preview}.wav"))
            console.print(f"wrote {target}")
            return
        jobs = queue_dub(project, lines, takes, force)
        console.print(f"queued {len(jobs)} voice jobs")
        from .generation import _run

        _run(project, executor, None)


lines_app = typer.Typer(
    help="Dialogue lines: list them; override a line's voice.", no_args_is_help=True
)


@lines_app.callback()
def _lines_project(ctx: typer.Context, path: Path = PathArg) -> None:
    ctx.obj = path


@lines_app.command("list")
def lines_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Every line in script order, with its character, shot and voice take."""
    path: Path = ctx.obj
    from studio.services.project import open_readonly

    with open_readonly(path) as store:
        lines = store.lines.in_order()
        names = {c.id: c.name for c in store.characters.all()}
        shots = {s.id: s.number for s in store.shots.all()}
    rows = [
        {
            "number": i + 1,
            "id": line.id,
            "character": names.get(line.character_id, "?"),
            "shot": shots.get(line.shot_id),
            "text": line.text,
            "parenthetical": line.parenthetical,
            "status": line.status.value,
            "voice_take_id": line.active_voice_take_id,
            "override": line.voice_override,
        }
        for i, line in enumerate(lines)
    ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        flag = "" if r["status"] == "current" else f" [yellow]{r['status']}[/]"
        voiced = "♪" if r["voice_take_id"] else " "
        console.print(
            f"{r['number']:>4} {voiced} shot {r['shot'] or '-':>4} {r['character']:<12} "
            f"{r['parenthetical']} {r['text'][:60]}{flag}"
        )


@lines_app.command("set")
def lines_set(
    ctx: typer.Context,
    number: int = typer.Argument(..., help="Line number in script order."),
    voice: str = typer.Option(None, "--voice"),
    rate: float = typer.Option(None, "--rate"),
    pitch: float = typer.Option(None, "--pitch"),
    gain: float = typer.Option(None, "--gain"),
    delivery: str = typer.Option(None, "--delivery", help="whisper, shout, pause… or ''."),
) -> None:
    """Override the voice for one line (it wins over the character's)."""
    path: Path = ctx.obj
    from studio.services.dubbing import set_line_voice
    from studio.services.project import open_project

    with open_project(path) as project:
        line = set_line_voice(
            project,
            number,
            voice=voice,
            rate=rate,
            pitch_semitones=pitch,
            gain_db=gain,
            delivery=delivery,
        )
    console.print(f"line {number}: {line.voice_override or 'no override'}")
