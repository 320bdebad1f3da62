"""The built-in `camera` clip backend: animates a keyframe with the shot's camera move.

The move's maths (easing, framing, the warp) lives in `studio.media.camera`, which the renderer
shares; this module only turns a `ClipRequest` into an encoded clip.
"""

from __future__ import annotations

import io

from studio.errors import InvalidInput
from studio.generation.backends.base import Capabilities
from studio.generation.backends.camera_staged import PATHS, staged_frames
from studio.generation.requests import ClipRequest, GenerationResult, Request
from studio.media.camera import MOVES, move_frames
from studio.progress import JobContext


class CameraBackend:
    """Animates a keyframe with the camera move into an H.264 mezzanine clip; no GPU."""

    name = "camera"
    version = "2"  # 2: BT.709, tagged (1 wrote BT.601 untagged; its takes still read right)
    capabilities = Capabilities(kind="clip", accepts=frozenset({"image"}), max_width=4096)
    crf = 14

    def generate(
        self, request: Request, inputs: dict[str, bytes], ctx: JobContext
    ) -> GenerationResult:
        """Render the clip and return it as MP4 bytes."""
        from studio.media.decode import read_image
        from studio.media.encode import VideoEncoder

        request = _validated(request)
        ctx.check_cancelled()
        sha = request.source_keyframe
        if sha not in inputs:
            raise InvalidInput(f"source keyframe {sha} was not provided to the camera backend")
        image = read_image(inputs[sha], f"source keyframe {sha}")
        total, buffer = request.total_frames, io.BytesIO()
        if request.staged is not None and request.movement in PATHS:
            frames = staged_frames(
                request.staged, request.movement, total, request.width, request.height,
                request.motion, request.handles,
            )  # fmt: skip
        else:
            frames = move_frames(
                image, request.movement, total, request.width, request.height,
                request.motion, request.seed, request.handles,
            )  # fmt: skip
        with VideoEncoder(
            buffer, request.width, request.height, request.fps, crf=self.crf, preset="veryfast"
        ) as encoder:
            for index, frame in enumerate(frames):
                ctx.check_cancelled()
                encoder.write_frame(frame)
                if index % 8 == 0:
                    ctx.report(index / total, f"camera move: frame {index + 1} of {total}")
        ctx.report(1.0, "clip encoded")
        info = {"backend": self.name, "movement": request.movement, "motion": request.motion}
        info["staged"] = request.staged is not None and request.movement in PATHS
        return GenerationResult(
            buffer.getvalue(), ".mp4", "video/mp4", request.width, request.height,
            frames=total, fps=request.fps, duration_seconds=total / request.fps, info=info,
        )  # fmt: skip


def _validated(request: Request) -> ClipRequest:
    if not isinstance(request, ClipRequest):
        raise InvalidInput(f"the camera backend makes clips, not {request.kind} requests")
    if request.movement not in MOVES:
        raise InvalidInput(
            f"unknown camera move {request.movement!r}", f"use one of {', '.join(MOVES)}"
        )
    if request.width % 2 or request.height % 2 or request.width < 16 or request.height < 16:
        raise InvalidInput(
            f"clip size {request.width}x{request.height} cannot be encoded",
            "use even sizes of at least 16 pixels",
        )
    if request.frames < 1 or request.handles < 0 or request.fps < 1 or request.motion < 0:
        raise InvalidInput(
            f"clip of {request.frames} frames, {request.handles} handles at {request.fps} fps "
            f"with motion {request.motion} is not possible",
            "frames and fps must be positive, handles and motion not negative",
        )
    return request
