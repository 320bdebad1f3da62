"""The staging vocabulary drawn: every noun inks its box and nothing else, drawings differ,
unknown nouns are labelled blocks, hands hold what they are given."""

from __future__ import annotations

import numpy as np
import pytest

from studio.generation.backends.previz_pencil import PAPER
from studio.generation.backends.previz_things import DRAWINGS, draw_hand, draw_thing, drawing_for
from studio.script.staging_things import VOCABULARY

BOX = (40, 30, 260, 170)


def canvas() -> np.ndarray:
    img = np.empty((200, 300, 3), np.uint8)
    img[:] = PAPER
    return img


def changed(img: np.ndarray) -> np.ndarray:
    return np.any(img != np.array(PAPER, np.uint8), axis=2)


def inside(box: tuple[int, int, int, int]) -> np.ndarray:
    mask = np.zeros((200, 300), bool)
    x0, y0, x1, y1 = box
    mask[y0:y1, x0:x1] = True
    return mask


@pytest.mark.parametrize("thing", VOCABULARY, ids=lambda t: t.noun)
def test_every_noun_draws_inside_its_box_and_nowhere_else(thing) -> None:
    img = canvas()
    draw_thing(img, thing.noun, thing.kind.value, BOX)
    ink = changed(img)
    assert not ink[~inside(BOX)].any()
    assert ink[inside(BOX)].mean() > 0.04  # a drawing, not a speck
    assert drawing_for(thing.noun) is not None


def test_drawings_differ_and_the_same_call_draws_the_same_pixels() -> None:
    images: dict[bytes, str] = {}
    for thing in VOCABULARY:
        img = canvas()
        draw_thing(img, thing.noun, thing.kind.value, BOX)
        again = canvas()
        draw_thing(again, thing.noun, thing.kind.value, BOX)
        assert np.array_equal(img, again), thing.noun
        key = img.tobytes()
        other = images.setdefault(key, thing.noun)
        # only near-synonyms (couch/sofa, bike/bicycle…) share a drawing, and then their pixels
        assert other == thing.noun or drawing_for(other) is drawing_for(thing.noun)
    assert len(set(images.values())) >= 60
    assert len(DRAWINGS) >= 60


def test_plurals_and_synonyms_share_the_nouns_drawing() -> None:
    assert drawing_for("Knives") is drawing_for("knife") is not None
    assert drawing_for("couches") is drawing_for("sofa") is not None
    assert drawing_for("harpoons") is None


def test_an_unknown_noun_is_a_block_with_its_name_written_at_the_top() -> None:
    harpoon, oar = canvas(), canvas()
    draw_thing(harpoon, "harpoon", "prop", BOX)
    draw_thing(oar, "oar", "prop", BOX)
    x0, y0, x1, y1 = BOX
    label = (slice(y0 + 6, y0 + 24), slice(x0 + 20, x1 - 20))
    dark = harpoon[label].min(axis=2) < 150
    assert dark.sum() > 30  # letters drawn
    assert not np.array_equal(harpoon[label], oar[label])  # and they are the name's letters
    assert changed(harpoon)[inside(BOX)].mean() > 0.5  # the block fills its box


def test_a_box_partly_off_the_canvas_draws_its_visible_part() -> None:
    img = canvas()
    draw_thing(img, "car", "vehicle", (200, 120, 420, 260))
    assert changed(img)[inside((200, 120, 300, 200))].any()
    assert not changed(img)[~inside((200, 120, 300, 200))].any()
    draw_thing(img, "car", "vehicle", (400, 300, 500, 400))  # wholly off: nothing, no error


def test_hands_hold_what_they_are_given() -> None:
    drawn = {}
    for holding in (None, "pen", "cup", "letter", "harpoon"):
        img = canvas()
        draw_hand(img, BOX, holding)
        assert not changed(img)[~inside(BOX)].any()
        assert changed(img)[inside(BOX)].mean() > 0.05
        drawn[holding] = img.tobytes()
    assert len(set(drawn.values())) == 5


def test_the_figure_kinds_draw_differently() -> None:
    from studio.generation.backends.previz_turnaround import draw_character
    from studio.script.staging_things import ADULT, FIGURES

    drawn = {}
    for kind in (ADULT, FIGURES["dog"], FIGURES["drone"], FIGURES["robot"], FIGURES["horse"]):
        img = canvas()
        rng = np.random.default_rng(1)
        draw_character(img, kind, (150, 180), 150, 0.5, (200, 40, 40), rng)
        assert changed(img).sum() > 300, kind.kind
        drawn[kind.kind] = img.tobytes()
    assert len(set(drawn.values())) == 5
