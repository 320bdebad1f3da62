"""The model library: `studio models list|scan|add|remove` (the user's own weights on disk)."""

from __future__ import annotations

from pathlib import Path

import typer

from .output import console, print_json

models_app = typer.Typer(
    help="Local models: list, scan folders and the HF cache, add, set, remove.",
    no_args_is_help=True,
)


def _show(entries, as_json: bool) -> None:
    if as_json:
        print_json([e.to_json() for e in entries])
        return
    for e in entries:
        caps = ",".join(e.capabilities) or "-"
        line = f"{e.id:<28} {e.kind:<11} {e.pipeline_class or '-':<34} {caps:<32} {e.path}"
        if e.refused:
            console.print(f"[yellow]{line}[/]\n    [yellow]refused:[/] {e.refused}")
        else:
            console.print(line)
    if not entries:
        console.print("no models yet: `studio models add PATH` or `studio models scan FOLDER`")


@models_app.command("list")
def models_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """Models in the library, with ids, pipelines and what they can do."""
    from studio.generation.models import ModelLibrary

    _show(ModelLibrary().list(), as_json)


@models_app.command("scan")
def models_scan(
    folders: list[Path] = typer.Argument(None, help="Folders to search (remembered)."),
    no_hf_cache: bool = typer.Option(False, "--no-hf-cache", help="Skip the HF cache."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Find models in your model folders and the Hugging Face cache (never downloads)."""
    from studio.generation.models import ModelLibrary

    _show(ModelLibrary().scan(list(folders or []), hf_cache=not no_hf_cache), as_json)


@models_app.command("add")
def models_add(
    path: Path = typer.Argument(..., help="A diffusers folder, or a .safetensors file."),
    config: Path = typer.Option(
        None,
        "--config",
        help="A diffusers folder of the same architecture, for a single-file checkpoint.",
    ),
    allow_pickle: bool = typer.Option(
        False,
        "--allow-pickle",
        help="Accept .ckpt/.bin/.pt files (they can run code: only files you trust).",
    ),
) -> None:
    """Add one model to the library."""
    from studio.generation.models import ModelLibrary

    entry = ModelLibrary().add(path, allow_pickle=allow_pickle, config=config)
    console.print(
        f"added {entry.id}: {entry.pipeline_class or entry.kind} "
        f"({', '.join(entry.capabilities) or entry.kind})"
    )


@models_app.command("set")
def models_set(
    model_id: str = typer.Argument(...),
    native_size: str = typer.Option(
        None,
        "--native-size",
        help="WIDTHxHEIGHT a video model was trained at (e.g. 1280x720 for Wan 2.1 720P), "
        "where its files do not say; 'auto' forgets it.",
    ),
) -> None:
    """Tell the library what a model's files do not say."""
    from studio.generation.models import ModelLibrary

    from .generation import parse_size

    if native_size is None:
        raise typer.BadParameter("nothing to set: give --native-size")
    size = None if native_size.strip().lower() == "auto" else parse_size(native_size)
    entry = ModelLibrary().set_native_size(model_id, size)
    shown = "×".join(map(str, size)) if size else "its family's default"
    console.print(f"{entry.id}: clips generate within {shown}")


@models_app.command("remove")
def models_remove(model_id: str = typer.Argument(...)) -> None:
    """Forget a model (its files stay where they are)."""
    from studio.generation.models import ModelLibrary

    ModelLibrary().remove(model_id)
    console.print(f"removed {model_id}")
