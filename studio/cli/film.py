"""The cut and the film: `studio assemble`, `studio timeline …`, `studio music`, `studio mix`,
`studio export`."""

from __future__ import annotations

from pathlib import Path

import typer

from studio.media.codecs import DEFAULT_CODEC
from studio.media.codecs import choices_help as codecs_help
from studio.timeline.cut_formats import DEFAULT_CUT_FORMATS
from studio.timeline.cut_formats import choices_help as cut_formats_help

from .output import console, print_json

app = typer.Typer()  # this module's top-level commands; studio.cli.app adds them to the root

timeline_app = typer.Typer(
    help="The assembled cut: show, status, trim, split, move, delete, import an editor's cut.",
    no_args_is_help=True,
)
PathArg = typer.Argument(..., help="The project folder.")


@timeline_app.callback()
def _timeline_project(ctx: typer.Context, path: Path = PathArg) -> None:
    ctx.obj = path


@app.command()
def assemble(
    path: Path = PathArg,
    update: bool = typer.Option(
        False, "--update", help="Replace only the shots the cut is behind, keeping the edits."
    ),
) -> None:
    """Assemble the cut from the shots' active takes, the dialogue and the music bed."""
    from studio.services.freshness import update_cut
    from studio.services.project import open_project
    from studio.services.timeline import assemble as run

    with open_project(path) as project:
        if update:
            timeline, updated = update_cut(project)
            console.print(f"updated {len(updated)} shots: {', '.join(b.number for b in updated)}")
        else:
            timeline = run(project)
    console.print(
        f"assembled {len(timeline.track('V1').items)} picture items, "
        f"{timeline.duration.to_seconds():.1f} s at {timeline.rate} fps"
    )


@timeline_app.command("show")
def timeline_show(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """The tracks and their items with positions in frames."""
    path: Path = ctx.obj
    from studio.domain.timeline import Clip, Gap
    from studio.services.project import open_readonly
    from studio.services.timeline import load_timeline

    with open_readonly(path) as store:
        timeline = load_timeline(store)
    if timeline is None:
        console.print("no timeline yet: run `studio assemble`")
        raise typer.Exit(1)
    if as_json:
        print_json(timeline.to_json())
        return
    from studio.timeline.linked import sync_offsets

    offsets = {
        t.name: sync_offsets(timeline, t.name) for t in timeline.tracks if t.kind == "dialogue"
    }
    for track in timeline.tracks:
        console.print(f"[bold]{track.name}[/] ({track.kind}) {track.duration.value} frames")
        for i, (item, span) in enumerate(track.spans()):
            kind = (
                "clip"
                if isinstance(item, Clip)
                else "gap"
                if isinstance(item, Gap)
                else f"{item.kind}"
            )
            name = getattr(item, "name", "")
            sync = _sync_note(offsets.get(track.name, {}), i, item)
            console.print(
                f"  {i:>3} {span.start.value:>6} +{span.duration.value:<5} {kind:<16} {name}{sync}"
            )


@timeline_app.command("status")
def timeline_status(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json"),
    export_dir: Path = typer.Option(
        None, "--export", help="An export's folder, to say whether it is older than the cut."
    ),
) -> None:
    """What the cut is behind (by shot, with the reason) and what is out of date."""
    path: Path = ctx.obj
    from studio.services.freshness import cut_status
    from studio.services.project import open_readonly

    with open_readonly(path) as store:
        status = cut_status(store, export_dir)
    if as_json:
        print_json(status.to_json())
        return
    if not status.has_cut:
        console.print("no timeline yet: run `studio assemble`")
    for behind in status.behind:
        console.print(f"  shot {behind.number:>5}: {'; '.join(behind.reasons)}", highlight=False)
    if status.has_cut and not status.behind:
        console.print("the cut is up to date")
    elif status.behind:
        console.print(f"the cut is behind {len(status.behind)} shots: `studio assemble --update`")
    for label, values in (
        ("not in the cut", status.not_in_cut),
        ("clips out of date (shots)", status.clips_out_of_date),
        ("voice takes out of date (lines)", status.voices_out_of_date),
    ):
        if values:
            console.print(f"{label}: {', '.join(map(str, values))}", highlight=False)
    if status.export_behind is not None:
        older = status.export_behind
        console.print("the export is older than the cut" if older else "the export shows the cut")


def _sync_note(offsets: dict[int, int | None], index: int, item) -> str:
    """A linked line's note: in sync, or its offset from its picture in frames."""
    if getattr(item, "link", None) is None:
        return ""
    offset = offsets.get(index)
    if offset is None:
        return "  (linked; its shot is not in the cut)"
    return "  (linked)" if offset == 0 else f"  (linked, {offset:+d} frames out of sync)"


def _edit(path: Path, fn, *args) -> None:
    from studio.services.project import open_project

    with open_project(path) as project:
        result = fn(project, *args)
    for change in result.lines:  # linked lines the edit of the picture trimmed or removed
        console.print(f"[yellow]{change.describe()}[/]")
    console.print(f"timeline now {result.timeline.duration.value} frames")


@timeline_app.command("trim")
def timeline_trim(
    ctx: typer.Context,
    index: int = typer.Argument(..., help="Item index."),
    start: int = typer.Option(0, "--start", help="Frames to move the in point."),
    end: int = typer.Option(0, "--end", help="Frames to move the out point."),
    track: str = typer.Option("V1", "--track"),
) -> None:
    """Trim a clip's in/out points (ripple)."""
    path: Path = ctx.obj
    from studio.services.timeline import trim

    _edit(path, trim, track, index, start, end)


@timeline_app.command("split")
def timeline_split(
    ctx: typer.Context,
    frame: int = typer.Argument(...),
    track: str = typer.Option("V1", "--track"),
) -> None:
    """Split the clip under a frame in two."""
    path: Path = ctx.obj
    from studio.services.timeline import split

    _edit(path, split, track, frame)


@timeline_app.command("move")
def timeline_move(
    ctx: typer.Context,
    index: int = typer.Argument(...),
    to: int = typer.Argument(..., help="New start frame."),
    track: str = typer.Option("V1", "--track"),
) -> None:
    """Move a clip to another frame (overwriting what lies there)."""
    path: Path = ctx.obj
    from studio.services.timeline import move_clip

    _edit(path, move_clip, track, index, to)


@timeline_app.command("delete")
def timeline_delete(
    ctx: typer.Context,
    index: int = typer.Argument(...),
    track: str = typer.Option("V1", "--track"),
) -> None:
    """Delete a clip and close the gap (ripple delete)."""
    path: Path = ctx.obj
    from studio.services.timeline import ripple_delete

    _edit(path, ripple_delete, track, index)


@timeline_app.command("slip")
def timeline_slip(
    ctx: typer.Context,
    index: int = typer.Argument(...),
    frames: int = typer.Argument(..., help="Frames later (positive) or earlier in its media."),
    track: str = typer.Option("V1", "--track"),
) -> None:
    """Show another part of a clip's media in the same place (its linked lines follow)."""
    path: Path = ctx.obj
    from studio.services.timeline import slip

    _edit(path, slip, track, index, frames)


@timeline_app.command("unlink")
def timeline_unlink(
    ctx: typer.Context,
    indexes: list[int] = typer.Argument(..., help="Item indexes of linked lines."),
    track: str = typer.Option("dialogue", "--track"),
) -> None:
    """Unlink lines from their shot's picture (undoable): edits of the picture leave them
    where they are in film time."""
    path: Path = ctx.obj
    from studio.services.project import open_project
    from studio.services.timeline import unlink_lines

    with open_project(path) as project:
        unlink_lines(project, track, indexes)
    console.print(f"unlinked {len(indexes)} line(s) on {track}")


@timeline_app.command("import")
def timeline_import(
    ctx: typer.Context,
    cut: Path = typer.Argument(..., help="The editor's cut: an .otio file (or .otioz/.otiod)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would change; change nothing."),
    allow_missing: bool = typer.Option(
        False, "--allow-missing", help="Place gaps where a clip's media is not in the project."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Bring an editor's cut back from OpenTimelineIO as the project's timeline (undoable)."""
    path: Path = ctx.obj
    from studio.services.cut_import import import_cut
    from studio.services.project import open_project

    with open_project(path) as project:
        report = import_cut(project, cut, dry_run=dry_run, allow_missing=allow_missing)
    if as_json:
        print_json(report.to_json())
        return
    for track in report.tracks:
        counts = ", ".join(f"{n} {k}" for k, n in track.counts().items() if n)
        frames = f"{track.frames_before} → {track.frames_after} frames"
        console.print(f"[bold]{track.track}[/] {track.status} ({frames}): {counts or 'no clips'}")
        for clip in track.clips:
            if clip.changes != ("kept",):
                console.print(f"  {'+'.join(clip.changes):<16} {clip.label}")
        for line in track.transitions:
            console.print(f"  {line}")
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    verb = "would be" if report.dry_run else "now"
    console.print(
        f"timeline {verb} {report.timeline.duration.value} frames (was {report.before_frames})"
    )


@app.command()
def music(
    path: Path = PathArg,
    file: Path = typer.Argument(None, help="A WAV, FLAC or MP3 file for the music bed."),
    clear: bool = typer.Option(False, "--clear", help="Take the music bed out of the film."),
) -> None:
    """Set the film's music bed (stored in the project's media), or take it out (undoable)."""
    from studio.errors import InvalidInput
    from studio.services.project import open_project
    from studio.services.timeline import clear_music_bed, load_timeline, set_music_bed

    if (file is None) == (not clear):
        raise InvalidInput("give a music file or --clear, not both or neither")
    with open_project(path) as project:
        if clear:
            clear_music_bed(project)
            console.print("music bed taken out of the film")
            return
        asset = set_music_bed(project, file)
        laid = load_timeline(project.store) is not None
    where = "laid under the cut" if laid else "it goes under the cut at `studio assemble`"
    console.print(f"music bed: {file.name} ({asset.duration.to_seconds():.1f} s); {where}")


@app.command()
def mix(
    path: Path = PathArg,
    target: float = typer.Option(-16.0, "--target", help="LUFS: -16 web, -23 EBU R128, -14."),
    out: Path = typer.Option(None, "--out", help="Write the mix as a 48 kHz stereo WAV."),
    binaural: bool = typer.Option(False, "--binaural", help="Headphone (binaural) render."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Mix dialogue and music (ducking, loudness, space) and report what was measured."""
    from studio.audio import mix_plans
    from studio.services.export import timeline_for_export, timeline_mix_stream
    from studio.services.project import open_project

    with open_project(path) as project:
        timeline = timeline_for_export(project)
        stream = timeline_mix_stream(project.store, timeline, target, binaural)
        report = mix_plans.measured(stream, project.store.cache / "mix").report
        if out is not None:
            from studio.atomic import written

            with written(out) as partial:  # a killed mix leaves the previous file whole
                stream.write_wav(partial)  # block by block: memory stays flat in the film's length
    if as_json:
        print_json(report.to_json())
        return
    r = report.to_json()
    console.print(
        f"integrated {_level(r['integrated_lufs'], 'LUFS')} (target {target}), true peak "
        f"{_level(r['true_peak_dbtp'], 'dBTP')}, music ducked {r['ducking_db']:.1f} dB, "
        f"{r['duration_seconds']:.1f} s" + (f" → {out}" if out else "")
    )


def _level(value: float | None, unit: str) -> str:
    """A measured level; None is silence (its level is minus infinity)."""
    return "silence" if value is None else f"{value:.1f} {unit}"


@app.command("export")
def export(
    path: Path = PathArg,
    out: Path = typer.Option(..., "--out", help="The folder to write into."),
    preset: str = typer.Option(
        "720p", "--preset", help="1080p, 720p, vertical, scope, 4:3, square or draft (480p, fast)."
    ),
    fps: int = typer.Option(None, "--fps", help="24, 25 or 30 (default: the project's)."),
    look: str = typer.Option("none", "--look", help="none, bw, bw_grain, vintage…"),
    subtitles: str = typer.Option("sidecar", "--subtitles", help="sidecar, burn or none."),
    animatic: bool = typer.Option(False, "--animatic", help="Also an animatic of the keyframes."),
    codec: str = typer.Option(DEFAULT_CODEC, "--codec", help=f"{codecs_help()}."),
    crf: int = typer.Option(None, "--crf", help="Quality (default: the preset's, else 20)."),
    target: float = typer.Option(-16.0, "--target", help="Loudness target in LUFS."),
    cut_formats: str = typer.Option(
        ",".join(DEFAULT_CUT_FORMATS),
        "--cut-formats",
        help=f"Cuts for editing suites: {cut_formats_help()}, comma-separated; '' for none.",
    ),
) -> None:
    """Render film.mp4 with film.srt/.vtt, the cut (.otio, .xml, .edl; .fcpxml on request)
    and storyboard.pdf (and an animatic)."""
    from studio.cli.progress import TaskProgress
    from studio.services.export import export_film
    from studio.services.export_options import ExportOptions
    from studio.services.project import open_project, open_readonly, writable

    options = ExportOptions(
        preset=preset,
        fps=fps,
        codec=codec,
        crf=crf,
        look=look,
        subtitles=subtitles,
        target_lufs=target,
        cut_formats=tuple(cut_formats.split(",")),
        animatic=animatic,
    )
    # a project that cannot be written here exports its stored cut, read-only
    opened = open_project(path) if writable(path) else open_readonly(path)
    with opened as project, TaskProgress("exporting") as progress:
        report = export_film(project, out, options, ctx=progress.ctx)
    for kind, file in report.files.items():
        console.print(f"  {kind:<10} {file}")
    console.print(
        f"exported {report.duration_seconds:.1f} s of film in {report.seconds:.1f} s to {out}"
    )


@app.command()
def demo(
    out: Path = typer.Option(Path("demo-out"), "--out", help="The folder for the film."),
    executor: str = typer.Option("local", "--executor", help="local or inline."),
    no_animatic: bool = typer.Option(False, "--no-animatic", help="Skip the animatic."),
) -> None:
    """Make the demo film from the sample screenplay, on any machine, with no model weights."""
    from studio.cli.progress import TaskProgress
    from studio.services.demo import run_demo

    with TaskProgress("exporting") as progress:
        report = run_demo(
            out,
            say=lambda m: console.print(m),
            executor=executor,
            export_ctx=progress.ctx,
            animatic=not no_animatic,
        )
    console.print(f"[bold green]Your film is ready in {Path(report['folder'])}[/]")
    for kind, file in report["files"].items():
        console.print(f"  {kind:<10} {file}")


@app.command()
def sfx(
    path: Path = PathArg,
    file: Path = typer.Argument(None, help="A WAV, FLAC or MP3 sound effect."),
    at: float = typer.Option(None, "--at", help="Where it starts, in seconds into the film."),
    gain: float = typer.Option(0.0, "--gain", help="Gain in dB."),
    listed: bool = typer.Option(False, "--list", help="List the effects placed in the film."),
    remove: int = typer.Option(None, "--remove", help="Take out the effect with this id."),
    as_json: bool = typer.Option(False, "--json", help="With --list: print JSON."),
) -> None:
    """Place a sound effect in the film (on the effects tracks of the cut); list or remove them."""
    from studio.errors import InvalidInput
    from studio.services.project import open_project, open_readonly
    from studio.services.timeline import add_effect, load_timeline, placed_effects, remove_effect

    if sum((file is not None, listed, remove is not None)) != 1:
        raise InvalidInput("give an effect file with --at, or --list, or --remove ID")
    if listed:
        with open_readonly(path) as store:
            effects = [e.to_json() for e in placed_effects(store)]
        if as_json:
            print_json(effects)
            return
        for e in effects:
            at, gain = e["at_seconds"], e["gain_db"]
            console.print(f"{e['id']:>4}  {at:>9.2f} s  {gain:+.1f} dB  {e['name']}")
        return
    with open_project(path) as project:
        if remove is not None:
            remove_effect(project, remove)
            console.print(f"effect {remove} taken out of the film")
            return
        if at is None:
            raise InvalidInput("say where the effect starts: --at SECONDS")
        asset = add_effect(project, file, at, gain)
        laid = load_timeline(project.store) is not None
    where = "placed in the cut" if laid else "it goes into the cut at `studio assemble`"
    console.print(
        f"effect {file.name} at {at:.2f} s ({asset.duration.to_seconds():.2f} s long); {where}"
    )
