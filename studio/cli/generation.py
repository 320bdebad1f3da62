"""Generation commands: `studio generate`, `studio jobs`, `studio takes`."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from .output import console, print_json

generate_app = typer.Typer(
    help="Queue keyframes and clips for shots, then run the queue.", no_args_is_help=True
)
jobs_app = typer.Typer(
    help="The job queue: list, run, pause, resume, cancel, retry, move.", no_args_is_help=True
)
takes_app = typer.Typer(
    help="Takes of a shot: list, pick, rate, re-run, import.", no_args_is_help=True
)

PathArg = typer.Argument(..., help="The project folder.")


@takes_app.callback()
def _takes_project(ctx: typer.Context, path: Path = PathArg) -> None:
    ctx.obj = path


@jobs_app.callback()
def _jobs_project(ctx: typer.Context, path: Path = PathArg) -> None:
    ctx.obj = path


ShotsOpt = typer.Option(None, "--shots", help="Shot numbers: 1-20,25,12A (default: all).")
TakesOpt = typer.Option(1, "--takes", min=1, max=64, help="Takes per shot (seeds seed..seed+N-1).")
BackendOpt = typer.Option(None, "--backend", help="Backend name (default: the project's).")
ModelOpt = typer.Option(None, "--model", help="A model-library id or a model folder.")
ExecutorOpt = typer.Option("local", "--executor", help="local, inline or ray.")
AddressOpt = typer.Option(None, "--address", help="Ray: auto or ray://HOST:PORT.")
ForceOpt = typer.Option(False, "--force", help="Make new takes even for identical requests.")
NoRunOpt = typer.Option(False, "--queue-only", help="Queue the jobs without running them.")


def _resolve_model(model: str | None) -> str | None:
    if not model:
        return model
    from studio.generation.models import ModelLibrary

    return ModelLibrary().resolve(model).id


def _queue_and_run(
    path: Path, kind: str, executor: str, address: str | None, queue_only: bool, **options
) -> None:
    from studio.services import generation
    from studio.services.project import open_project

    options["model"] = _resolve_model(options.get("model"))
    queue = generation.queue_keyframes if kind == "keyframe" else generation.queue_clips
    with open_project(path) as project:
        jobs = queue(project, **options)
        console.print(f"queued {len(jobs)} {kind} jobs")
        if not queue_only:
            _run(project, executor, address)


@generate_app.command("keyframes")
def generate_keyframes(
    path: Path = PathArg,
    shots: str = ShotsOpt,
    takes: int = TakesOpt,
    backend: str = BackendOpt,
    model: str = ModelOpt,
    executor: str = ExecutorOpt,
    address: str = AddressOpt,
    force: bool = ForceOpt,
    queue_only: bool = NoRunOpt,
) -> None:
    """Queue keyframe takes for shots and run them."""
    _queue_and_run(
        path,
        "keyframe",
        executor,
        address,
        queue_only,
        shots=shots,
        takes=takes,
        backend=backend,
        model=model,
        force=force,
    )


@generate_app.command("clips")
def generate_clips(
    path: Path = PathArg,
    shots: str = ShotsOpt,
    takes: int = TakesOpt,
    backend: str = BackendOpt,
    model: str = ModelOpt,
    executor: str = ExecutorOpt,
    address: str = AddressOpt,
    force: bool = ForceOpt,
    queue_only: bool = NoRunOpt,
    size: str = typer.Option(
        None,
        "--size",
        help="Generate at WIDTHxHEIGHT instead of the model's native resolution "
        "(the clip is scaled to the project's size).",
    ),
) -> None:
    """Queue clips from each shot's active keyframe and run them."""
    _queue_and_run(
        path,
        "clip",
        executor,
        address,
        queue_only,
        shots=shots,
        takes=takes,
        backend=backend,
        model=model,
        force=force,
        generation_size=parse_size(size) if size else None,
    )


def parse_size(text: str) -> tuple[int, int]:
    """'1280x720' → (1280, 720); InvalidInput for anything else."""
    from studio.errors import InvalidInput

    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if match is None or min(int(match[1]), int(match[2])) < 16:
        raise InvalidInput(
            f"--size {text!r} is not a size", "write it as WIDTHxHEIGHT, e.g. 832x480"
        )
    return int(match[1]), int(match[2])


def _run(project, executor: str, address: str | None) -> None:
    from studio.cli.progress import JobProgress
    from studio.services.generation import run_queue

    with JobProgress(project.store) as progress:
        summary = run_queue(
            project, executor, address, on_event=progress.on_event, runner_ready=progress.attach
        )
    console.print(
        f"done {summary.done}, reused {summary.reused}, failed {summary.failed}, "
        f"cancelled {summary.cancelled}, retried {summary.retried}"
    )
    for error in summary.errors[:10]:
        console.print(f"[red]failed[/] {error}")
    if summary.failed:
        raise typer.Exit(1)


@jobs_app.command("list")
def jobs_list(
    ctx: typer.Context,
    state: str = typer.Option(None, "--state", help="queued, running, done, failed, cancelled."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List jobs in run order."""
    path: Path = ctx.obj
    from studio.domain.entities import JobState
    from studio.services.project import open_readonly

    with open_readonly(path) as store:
        states = [JobState(state)] if state else list(JobState)
        jobs = store.jobs.in_state(*states)
        shot_numbers = {s.id: s.number for s in store.shots.all()}
    if as_json:
        print_json(
            [
                {
                    "id": j.id,
                    "kind": j.kind.value,
                    "owner_id": j.owner_id,
                    "state": j.state.value,
                    "backend": j.backend,
                    "priority": j.priority,
                    "progress": j.progress,
                    "error": j.error,
                    "take_id": j.take_id,
                }
                for j in jobs
            ]
        )
        return
    for j in jobs:
        owner = (
            f"shot {shot_numbers.get(j.owner_id, '?')}"
            if j.kind.value != "voice"
            else f"line {j.owner_id}"
        )
        extra = f"  [red]{j.error}[/]" if j.error and j.state.value == "failed" else ""
        console.print(
            f"{j.id:>6} {j.state.value:<9} {j.kind.value:<8} {owner:<10} "
            f"{j.backend:<10} p{j.priority}{extra}"
        )
    console.print(f"{len(jobs)} jobs")


@jobs_app.command("run")
def jobs_run(ctx: typer.Context, executor: str = ExecutorOpt, address: str = AddressOpt) -> None:
    """Process the queue until it is empty, with progress."""
    path: Path = ctx.obj
    from studio.services.project import open_project

    with open_project(path) as project:
        _run(project, executor, address)


@jobs_app.command("pause")
def jobs_pause(ctx: typer.Context) -> None:
    """Pause the queue: no new job starts."""
    path: Path = ctx.obj
    from studio.services import jobs
    from studio.services.project import open_project

    with open_project(path) as project:
        jobs.pause(project)
    console.print("queue paused")


@jobs_app.command("resume")
def jobs_resume(ctx: typer.Context) -> None:
    """Resume a paused queue."""
    path: Path = ctx.obj
    from studio.services import jobs
    from studio.services.project import open_project

    with open_project(path) as project:
        jobs.resume(project)
    console.print("queue resumed")


@jobs_app.command("cancel")
def jobs_cancel(
    ctx: typer.Context, job_id: str = typer.Argument(..., help="A job id or 'all'.")
) -> None:
    """Cancel a queued job (or all queued jobs)."""
    path: Path = ctx.obj
    from studio.services import jobs
    from studio.services.project import open_project

    with open_project(path) as project:
        if job_id == "all":
            console.print(f"cancelled {jobs.cancel_all_queued(project)} jobs")
        else:
            jobs.cancel(project, int(job_id))
            console.print(f"cancelled job {job_id}")


@jobs_app.command("retry")
def jobs_retry(ctx: typer.Context, job_id: int = typer.Argument(...)) -> None:
    """Put a failed or cancelled job back in the queue."""
    path: Path = ctx.obj
    from studio.services import jobs
    from studio.services.project import open_project

    with open_project(path) as project:
        jobs.retry(project, job_id)
    console.print(f"job {job_id} queued again")


@jobs_app.command("move")
def jobs_move(
    ctx: typer.Context,
    job_id: int = typer.Argument(...),
    to: int = typer.Argument(..., help="New place among queued jobs (0 = next)."),
) -> None:
    """Reorder a queued job."""
    path: Path = ctx.obj
    from studio.services import jobs
    from studio.services.project import open_project

    with open_project(path) as project:
        jobs.move(project, job_id, to)
    console.print(f"job {job_id} moved to {to}")


@takes_app.command("list")
def takes_list(
    ctx: typer.Context,
    shot: str = typer.Argument(..., help="Shot number."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The takes of a shot, keyframes and clips, with the active ones marked."""
    path: Path = ctx.obj
    from studio.domain.entities import TakeKind
    from studio.services.project import open_readonly

    with open_readonly(path) as store:
        s = store.shots.by_number(shot)
        takes = store.takes.of_owner(TakeKind.KEYFRAME, s.id) + store.takes.of_owner(
            TakeKind.CLIP, s.id
        )
        paths = {t.id: store.assets.get(t.asset_id).path for t in takes}
    active = {s.active_keyframe_take_id, s.active_clip_take_id}
    if as_json:
        print_json(
            [
                {
                    "id": t.id,
                    "kind": t.kind.value,
                    "active": t.id in active,
                    "rating": t.rating,
                    "seed": t.recipe.get("seed"),
                    "path": paths[t.id],
                    "recipe": t.recipe,
                }
                for t in takes
            ]
        )
        return
    for t in takes:
        mark = "[green]*[/]" if t.id in active else " "
        console.print(
            f"{mark} {t.id:>6} {t.kind.value:<8} {'★' * t.rating:<5} "
            f"seed {t.recipe.get('seed', '-')!s:<8} {paths[t.id]}"
        )


@takes_app.command("pick")
def takes_pick(ctx: typer.Context, take: int = typer.Argument(...)) -> None:
    """Make a take the active one of its shot or line."""
    path: Path = ctx.obj
    from studio.services.generation import pick_take
    from studio.services.project import open_project

    with open_project(path) as project:
        pick_take(project, take)
    console.print(f"take {take} is active")


@takes_app.command("rate")
def takes_rate(
    ctx: typer.Context,
    take: int = typer.Argument(...),
    rating: int = typer.Argument(..., help="0 to 5."),
) -> None:
    """Rate a take 0–5."""
    path: Path = ctx.obj
    from studio.services.generation import rate_take
    from studio.services.project import open_project

    with open_project(path) as project:
        rate_take(project, take, rating)
    console.print(f"take {take} rated {rating}")


@takes_app.command("rerun")
def takes_rerun(
    ctx: typer.Context, take: int = typer.Argument(...), executor: str = ExecutorOpt
) -> None:
    """Re-run a take's recipe (built-in backends reproduce it byte for byte)."""
    path: Path = ctx.obj
    from studio.services.generation import rerun_take
    from studio.services.project import open_project

    with open_project(path) as project:
        rerun_take(project, take)
        _run(project, executor, None)


@takes_app.command("import")
def takes_import(
    ctx: typer.Context,
    shot: str = typer.Argument(..., help="Shot number."),
    files: list[Path] = typer.Argument(..., help="Images and videos."),
) -> None:
    """Bring your own keyframes (images) and clips (videos) in as takes of a shot."""
    path: Path = ctx.obj
    from studio.services.generation import import_takes
    from studio.services.project import open_project

    with open_project(path) as project:
        made = import_takes(project, shot, files)
    console.print(f"imported {len(made)} takes into shot {shot}")
