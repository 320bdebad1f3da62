"""The title card is the cut's first item, and every cut format writes it."""

from __future__ import annotations

from studio.domain.timeline import Clip, Transition, TransitionKind
from studio.services import script, timeline
from studio.services.project import new_project
from studio.store.media_lookup import StoreMedia
from studio.timeline.cut_formats import CUT_FORMATS
from studio.timeline.interchange import write_cuts
from tests.core.export.test_export import SCRIPT


def test_a_cut_of_slates_opens_on_its_title_card_and_writes_every_format(tmp_path):
    source = tmp_path / "two-lamps.fountain"
    source.write_text(SCRIPT)
    with new_project(tmp_path / "project", name="Two Lamps") as project:
        script.import_script(project, source)
        cut = timeline.assemble(project)  # no keyframes yet: every shot is a slate
        up, card, dip, first = cut.track("V1").items[:4]
        assert isinstance(up, Transition) and up.kind is TransitionKind.FADE_FROM_BLACK
        assert isinstance(card, Clip) and card.name == "Title" and card.duration.value == 72
        assert project.store.assets.find(card.asset_id).kind == "image"
        assert isinstance(dip, Transition) and dip.kind is TransitionKind.DIP_TO_BLACK
        assert first.metadata["title_card"]["lines"][0] == "SHOT 1"
        files = write_cuts(cut, StoreMedia(project.store), {}, tmp_path / "out", tuple(CUT_FORMATS))
        assert set(files) == set(CUT_FORMATS) and all(f.stat().st_size for f in files.values())
