"""Dubbing use-cases: voice takes for dialogue lines through the job engine, and previews."""

from __future__ import annotations

import re
from pathlib import Path

from studio.atomic import written
from studio.domain.entities import DialogueLine, Job, Status
from studio.errors import InvalidInput, NotFound
from studio.generation.requests import VoiceRequest
from studio.progress import JobContext
from studio.services.project import OpenProject
from studio.store.project_store import ProjectStore


def select_lines(store: ProjectStore, spec: str | None = None) -> list[DialogueLine]:
    """Lines by their 1-based place in the script: None → all; "1-5,9" → those."""
    lines = store.lines.in_order()
    if not spec:
        return lines
    chosen: list[DialogueLine] = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        match = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", part)
        if not match:
            raise InvalidInput(f"--lines {part!r} is not a number or a range like 3-7")
        lo, hi = int(match[1]), int(match[2] or match[1])
        if lo < 1 or hi > len(lines):
            raise NotFound(f"the script has lines 1…{len(lines)}, not {part}")
        chosen += lines[lo - 1 : hi]
    return list({line.id: line for line in chosen}.values())


def voice_request(store: ProjectStore, line: DialogueLine, take_index: int = 0) -> VoiceRequest:
    from studio.generation.voice import voice_request_for

    sheet = store.characters.get(line.character_id)
    return voice_request_for(
        line.text,
        line.parenthetical,
        sheet.voice,
        line.voice_override,
        sheet.name,
        seed=(line.id or 0) * 7919 + take_index,
    )


def queue_dub(
    project: OpenProject,
    lines: str | None = None,
    takes: int = 1,
    force: bool = False,
    only_missing: bool = False,
) -> list[Job]:
    """Queue voice takes for dialogue lines. Stale lines (their text changed) get a new take
    that becomes active when it is made."""
    store = project.store
    chosen = select_lines(store, lines)
    if only_missing:
        chosen = [
            line
            for line in chosen
            if line.active_voice_take_id is None or line.status is Status.STALE
        ]
    items = [(line.id, voice_request(store, line, k)) for line in chosen for k in range(takes)]
    return project.queue.enqueue_many(items, force=force)


def preview_line(store: ProjectStore, line_number: int, out: Path) -> Path:
    """Speak one line (1-based place in the script) straight to a WAV file, without a take."""
    from studio.generation.backends.base import registry

    line = select_lines(store, str(line_number))[0]
    request = voice_request(store, line)
    result = registry.get(request.backend).generate(request, {}, JobContext())
    out = Path(out)
    with written(out) as partial:
        partial.write_bytes(result.data)
    return out


def set_line_voice(project: OpenProject, line_number: int, **given) -> DialogueLine:
    """Override the character's voice for one line (voice, rate, pitch_semitones, variation,
    gain_db, delivery); None leaves a field alone, "" clears it. Undoable."""
    from studio.commands import SetFields
    from studio.domain.entities import VoiceProfile

    line = select_lines(project.store, str(line_number))[0]
    allowed = set(VoiceProfile.__dataclass_fields__) | {"delivery"}
    unknown = set(given) - allowed
    if unknown:
        raise InvalidInput(f"a line has no voice setting {', '.join(sorted(unknown))}")
    override = dict(line.voice_override)
    for key, value in given.items():
        if value == "":
            override.pop(key, None)
        elif value is not None:
            override[key] = value
    project.history.execute(
        SetFields("lines", line.id, {"voice_override": override}, f"voice of line {line_number}")
    )
    return project.store.lines.get(line.id)
