"""The cut formats for editing suites, one entry each: `CUT_FORMATS`.

An entry says everything the studio decides about a format: its name (as `--cut-formats`, the
export report and the export dialog use it), its file suffix, the OpenTimelineIO adapter that
writes and reads it and the package that brings that adapter, whether it is written unless asked
otherwise, what it cannot carry, and the function that writes it (`studio.timeline.interchange`
holds them; imported when a cut is written, so listing formats imports no OpenTimelineIO).
Writing (`interchange.write_cut`), reading back (`services.cut_import.read_cut`), the CLI's
`--cut-formats` and the export dialog all read this registry: a new format is one entry here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from studio.errors import InvalidInput


@dataclass(frozen=True)
class CutFormat:
    """One cut format: how it is named, written, read back, and what it loses."""

    name: str  # as --cut-formats names it, and the export report's key
    suite: str  # the editing suite it is for, shown to people
    suffix: str  # the file's suffix, which also tells the format of a file read back
    adapter: str  # the OpenTimelineIO adapter writing and reading it
    package: str | None  # the package bringing that adapter; None: OpenTimelineIO's own
    writer: str  # "module:function" writing the cut (timeline, media, recipes, path, picture)
    default: bool = True  # written unless asked otherwise
    note: str = ""  # a caution shown with the choice
    loses: str = ""  # what the format cannot carry
    studio_data: bool = False  # keeps take, recipe, gain and fades (else clips match by file)
    sound: bool = True  # False: picture only
    transitions: bool = True  # dissolves and fades (else only the cut points)

    def write_function(self) -> Callable[..., None]:
        """The function that writes this format, imported now."""
        module, _, attribute = self.writer.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def install_hint(self) -> str:
        return f"install {self.package}" if self.package else "reinstall opentimelineio"


_FORMATS = (
    CutFormat(
        name="otio",
        suite="Resolve",
        suffix=".otio",
        adapter="otio_json",
        package=None,
        writer="studio.timeline.interchange:write_otio",
        studio_data=True,
    ),
    CutFormat(
        name="xml",
        suite="Premiere",
        suffix=".xml",
        adapter="fcp_xml",
        package="otio-fcp-adapter",
        writer="studio.timeline.fcp7:write_fcp_xml",
        loses="studio metadata",
    ),
    CutFormat(
        name="edl",
        suite="CMX 3600",
        suffix=".edl",
        adapter="cmx_3600",
        package="otio-cmx3600-adapter",
        writer="studio.timeline.edl:write_edl",
        loses="studio metadata, sound effects and levels (picture on V, dialogue A, music A2)",
    ),
    CutFormat(
        name="fcpxml",
        suite="Final Cut Pro X",
        suffix=".fcpxml",
        adapter="fcpx_xml",
        package="otio-fcpx-xml-adapter",
        writer="studio.timeline.fcpxml:write_fcpxml",
        default=False,
        loses="studio metadata (OTIO's reader also drops its transitions)",
    ),
)
CUT_FORMATS: dict[str, CutFormat] = {f.name: f for f in _FORMATS}
DEFAULT_CUT_FORMATS = tuple(name for name, f in CUT_FORMATS.items() if f.default)


def parse_cut_formats(value: str | Iterable[str]) -> tuple[str, ...]:
    """The formats named in `value` ("otio,xml" or a sequence), in order, each once.

    Raises InvalidInput naming an unknown format."""
    names = value.split(",") if isinstance(value, str) else list(value)
    chosen: list[str] = []
    for raw in names:
        name = raw.strip().lower().lstrip(".")
        if not name:
            continue
        if name not in CUT_FORMATS:
            raise InvalidInput(
                f"unknown cut format {raw.strip()!r}", f"use some of {', '.join(CUT_FORMATS)}"
            )
        if name not in chosen:
            chosen.append(name)
    return tuple(chosen)


def cut_format(name: str) -> CutFormat:
    """The registered format `name`; InvalidInput for another."""
    if name not in CUT_FORMATS:
        raise InvalidInput(f"unknown cut format {name!r}", f"use one of {', '.join(CUT_FORMATS)}")
    return CUT_FORMATS[name]


def format_for_suffix(path: Path) -> CutFormat | None:
    """The registered format a file's suffix names, or None."""
    suffix = Path(path).suffix.lower()
    return next((f for f in CUT_FORMATS.values() if f.suffix == suffix), None)


def format_of(path: Path) -> CutFormat:
    """The cut format a file's suffix names (.otio, .xml, .fcpxml, .edl)."""
    found = format_for_suffix(path)
    if found is None:
        raise InvalidInput(
            f"cannot tell the cut format of {Path(path).name}",
            f"name it with one of {', '.join(f.suffix for f in CUT_FORMATS.values())}",
        )
    return found


def choices_help() -> str:
    """The formats as the CLI's help lists them: "otio (Resolve), …, fcpxml (… ; slow …)"."""
    return ", ".join(
        f"{f.name} ({f.suite}{'; ' + f.note if f.note else ''})" for f in CUT_FORMATS.values()
    )


__all__ = [
    "CUT_FORMATS",
    "DEFAULT_CUT_FORMATS",
    "CutFormat",
    "choices_help",
    "cut_format",
    "format_for_suffix",
    "format_of",
    "parse_cut_formats",
]
