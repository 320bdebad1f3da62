"""The formats a screenplay is written in (`studio script export`), one entry per file suffix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studio.errors import InvalidInput
from studio.script.elements import Screenplay
from studio.script.fdx_writer import write_fdx
from studio.script.writer import write_fountain


@dataclass(frozen=True)
class ScriptFormat:
    name: str
    write: Callable[[Screenplay], bytes]  # the file's bytes


SCRIPT_FORMATS = {
    ".fountain": ScriptFormat("Fountain", lambda sp: write_fountain(sp).encode("utf-8")),
    ".fdx": ScriptFormat("Final Draft", write_fdx),
}


def script_format(path: Path) -> ScriptFormat:
    """The format a script written to `path` takes, by its suffix; InvalidInput naming the file
    when no format has that suffix."""
    found = SCRIPT_FORMATS.get(Path(path).suffix.lower())
    if found is None:
        known = ", ".join(SCRIPT_FORMATS)
        raise InvalidInput(
            f"cannot write the script as {path}: unknown suffix", hint=f"end the name in {known}"
        )
    return found
