"""A pinhole camera for staged previz panels: world metres → camera → pixels.

World axes are the scene plan's: x east, y north, z up. The camera looks along its pan (degrees
counter-clockwise from +x), tilted up by its tilt and rolled clockwise by its roll. The sensor's
width (36 mm full-frame) spans the picture's width, so the horizontal field of view is
2·atan(18 / f) and a pixel's focal length is width · f / 36; pixels are square and the principal
point is the picture's centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from studio.generation.requests import Stage

NEAR = 0.05  # metres: nothing nearer the lens is drawn


@dataclass(frozen=True)
class Pinhole:
    position: np.ndarray  # (3,) metres
    right: np.ndarray  # unit vectors of the camera in world coordinates
    up: np.ndarray
    forward: np.ndarray
    focal_px: float
    cx: float
    cy: float

    @classmethod
    def of(cls, stage: Stage, width: int, picture_height: int) -> Pinhole:
        pan, tilt, roll = (math.radians(v) for v in (stage.pan, stage.tilt, stage.roll))
        forward = np.array(
            [math.cos(tilt) * math.cos(pan), math.cos(tilt) * math.sin(pan), math.sin(tilt)]
        )
        right = np.array([math.sin(pan), -math.cos(pan), 0.0])
        up = np.cross(right, forward)
        if roll:  # clockwise as the viewer sees it: the right vector dips
            right, up = (
                right * math.cos(roll) - up * math.sin(roll),
                up * math.cos(roll) + right * math.sin(roll),
            )
        focal_px = width * stage.focal_mm / stage.sensor[0]
        position = np.array([stage.x, stage.y, stage.height])
        return cls(position, right, up, forward, focal_px, width / 2, picture_height / 2)

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """(n, 3) world points → (n, 3) camera points: right, up, depth along the view."""
        rel = np.asarray(points, dtype=np.float64).reshape(-1, 3) - self.position
        return np.stack([rel @ self.right, rel @ self.up, rel @ self.forward], axis=1)

    def image(self, cam: np.ndarray) -> np.ndarray:
        """(n, 3) camera points (depth > 0) → (n, 2) pixels."""
        depth = cam[:, 2]
        return np.stack(
            [
                self.cx + self.focal_px * cam[:, 0] / depth,
                self.cy - self.focal_px * cam[:, 1] / depth,
            ],
            axis=1,
        )

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixels and depths of world points (depths ≤ NEAR are behind: their pixels are
        meaningless)."""
        cam = self.to_camera(points)
        safe = cam.copy()
        safe[:, 2] = np.maximum(safe[:, 2], NEAR)
        return self.image(safe), cam[:, 2]

    def polygon(self, points: np.ndarray) -> np.ndarray | None:
        """A world polygon clipped to the near plane and projected; None when none of it is in
        front of the camera."""
        return self.clipped(self.to_camera(points))

    def clipped(self, cam: np.ndarray) -> np.ndarray | None:
        """`polygon` for a polygon already in camera coordinates."""
        if cam[:, 2].min() >= NEAR:
            return self.image(cam)
        clipped: list[np.ndarray] = []
        n = len(cam)
        for i in range(n):
            a, b = cam[i], cam[(i + 1) % n]
            a_in, b_in = a[2] >= NEAR, b[2] >= NEAR
            if a_in:
                clipped.append(a)
            if a_in != b_in:
                t = (NEAR - a[2]) / (b[2] - a[2])
                clipped.append(a + (b - a) * t)
        if len(clipped) < 2:
            return None
        return self.image(np.array(clipped))

    def direction(self, vector: np.ndarray) -> tuple[float, float]:
        """A world direction in camera terms: (across to the right, along the view)."""
        v = np.asarray(vector, dtype=np.float64)
        return float(v @ self.right), float(v @ self.forward)


def box_corners(x: float, y: float, z: float, size: tuple[float, float, float]) -> np.ndarray:
    """The 8 corners of an upright box centred on (x, y) standing on z: bottom four first
    (south-west, south-east, north-east, north-west), then the top four."""
    w, d, h = size
    base = [
        (x - w / 2, y - d / 2),
        (x + w / 2, y - d / 2),
        (x + w / 2, y + d / 2),
        (x - w / 2, y + d / 2),
    ]
    return np.array([(bx, by, z) for bx, by in base] + [(bx, by, z + h) for bx, by in base])


# the faces of `box_corners`: their corners, and the axis (0 x, 1 y, 2 z) and side (-1, +1)
# their outward normal points along
BOX_FACES: tuple[tuple[tuple[int, ...], int, int], ...] = (
    ((0, 1, 5, 4), 1, -1),  # south
    ((1, 2, 6, 5), 0, 1),  # east
    ((2, 3, 7, 6), 1, 1),  # north
    ((3, 0, 4, 7), 0, -1),  # west
    ((4, 5, 6, 7), 2, 1),  # top
    ((0, 1, 2, 3), 2, -1),  # bottom
)
