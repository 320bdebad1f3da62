"""Linked sound through the CLI: a trim of the picture carries the lines, unlink is undoable."""

from __future__ import annotations

from typer.testing import CliRunner

from studio.cli.app import app
from studio.domain.timeline import Clip, Timeline
from studio.services.project import open_project
from studio.services.timeline import load_timeline, unlink_lines
from studio.timeline.linked import sync_offsets
from tests.core.timeline.test_otio_import import built, folder  # noqa: F401 - fixtures


def lines(timeline: Timeline) -> dict[str, int]:
    return {
        item.name: span.start.value
        for item, span in timeline.track("dialogue").spans()
        if isinstance(item, Clip)
    }


def shot_starts(timeline: Timeline) -> dict[int, int]:
    return {
        item.shot_id: span.start.value
        for item, span in timeline.track("V1").spans()
        if isinstance(item, Clip) and item.shot_id is not None
    }


def invoke(*args: str) -> str:
    done = CliRunner().invoke(app, ["timeline", *args])
    assert done.exit_code == 0, done.output
    return done.output


def test_trimming_a_shot_keeps_every_later_line_where_it_was_in_its_shot(folder):  # noqa: F811
    with open_project(folder) as project:
        before = load_timeline(project.store)
    invoke(str(folder), "trim", "3", "--end", "-20")  # shot 1, after the title card
    with open_project(folder) as project:
        after = load_timeline(project.store)
    for item, span in after.track("dialogue").spans():
        if not isinstance(item, Clip):
            continue
        was = lines(before)[item.name] - shot_starts(before)[item.shot_id]
        assert span.start.value - shot_starts(after)[item.shot_id] == was, item.name
    assert set(sync_offsets(after, "dialogue").values()) == {0}
    assert "(linked)" in invoke(str(folder), "show")


def test_unlinked_lines_stay_in_film_time_and_the_unlink_undoes(folder):  # noqa: F811
    with open_project(folder) as project:
        before = load_timeline(project.store)
    linked = sorted(sync_offsets(before, "dialogue"))
    invoke(str(folder), "unlink", *map(str, linked))
    invoke(str(folder), "trim", "3", "--end", "-20")
    with open_project(folder) as project:
        after = load_timeline(project.store)
    assert lines(after) == lines(before)  # nothing followed the picture
    assert sync_offsets(after, "dialogue") == {}


def test_unlinking_is_one_undoable_step(folder):  # noqa: F811
    with open_project(folder) as project:
        before = load_timeline(project.store)
        unlink_lines(project, "dialogue", sorted(sync_offsets(before, "dialogue")))
        assert project.history.undo_label == "unlink 3 lines"
        project.history.undo()
        assert set(sync_offsets(load_timeline(project.store), "dialogue").values()) == {0}
