"""Turnarounds turn: front, three-quarter and profile differ, the profile is narrower, and a
character is drawn as what its sheet says it is, at its height and build."""

from __future__ import annotations

import numpy as np

from studio.generation.backends.previz_turnaround import VIEWS, turnaround_panel
from studio.script.staging_things import character_build, character_kind

RED = (200, 40, 40)
SIZE = 320


def panel(description: str, view: str = "front", seed: int = 5) -> np.ndarray:
    kind, build = character_kind(description), character_build(description)
    return turnaround_panel("X", view, kind, RED, SIZE, seed, build)


def ink_box(img: np.ndarray) -> tuple[int, int, int, int]:
    """The box around the character's strokes: dark pixels right of the ruler, above the band."""
    picture = img[: int(SIZE * 0.9), int(SIZE * 0.15) :]
    dark = picture.astype(int).sum(axis=2) < 3 * 170
    dark[int(SIZE * 0.9 * 0.92) - 12 :] = False  # the floor line and the shadow under the feet
    ys, xs = np.nonzero(dark)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def width(img: np.ndarray) -> int:
    x0, _, x1, _ = ink_box(img)
    return x1 - x0


def height(img: np.ndarray) -> int:
    _, y0, _, y1 = ink_box(img)
    return y1 - y0


def test_the_three_views_differ_and_the_profile_is_the_narrowest() -> None:
    views = {view: panel("ASH, a lighthouse keeper", view) for view in VIEWS}
    front, three_quarter, profile = views.values()
    assert not np.array_equal(front, three_quarter)
    assert not np.array_equal(three_quarter, profile)
    assert width(profile) < 0.75 * width(front)
    assert np.array_equal(front, panel("ASH, a lighthouse keeper", "front"))  # deterministic


def test_a_robot_a_dog_and_a_drone_are_not_drawn_as_people() -> None:
    person = panel("a lighthouse keeper")
    robot, dog, drone = panel("a rusty robot"), panel("an old dog"), panel("a courier drone")
    for other in (robot, dog, drone):
        assert not np.array_equal(person, other)
    red = np.array(RED)

    def figure_colour(img: np.ndarray) -> int:  # the sheet's colour tints a person's clothes
        return int((np.abs(img.astype(int) - red).sum(axis=2) < 120).sum())

    assert figure_colour(person) > 200 and figure_colour(robot) == 0
    assert height(dog) < 0.45 * height(person)  # a dog is 0.6 m, a person 1.75 m
    _, drone_top, _, _ = ink_box(drone)
    _, person_top, _, _ = ink_box(person)
    assert drone_top < person_top + 0.2 * height(person)  # flying at eye height


def test_a_child_is_smaller_and_build_widens_the_figure() -> None:
    assert height(panel("KIT (8)")) < 0.8 * height(panel("a woman"))
    assert width(panel("a stocky man")) > width(panel("a thin man")) * 1.12
