"""The film's colour: BT.709 primaries, transfer and matrix, limited (MPEG, 16-235) range.

Every picture the studio encodes is turned into YUV here, with the BT.709 matrix, and its
encoder is tagged BT.709 (`tag`), so the bitstream and the container's `colr` box say how to
read the colours back: browsers, players and editing suites then show them as they were drawn
(an untagged HD file is guessed at, and a BT.601 matrix read as BT.709 shifts every hue).
Decoding honours the tags: PyAV reads a tagged file back with the matrix it names, and an
untagged one (a clip made before) as BT.601, as it was written.
"""

from __future__ import annotations

from typing import Any

import av
import numpy as np
from av.video.reformatter import VideoReformatter

BT709 = 1  # the H.273 code point of BT.709 primaries, transfer and matrix
LIMITED_RANGE = 1  # FFmpeg's AVCOL_RANGE_MPEG: video levels, 16-235 (8 bit)


def tag(codec_context: Any) -> None:
    """Tag an encoder's output BT.709, limited range (the bitstream's VUI and the `colr` box
    the MP4 and MOV muxers write from it)."""
    codec_context.color_primaries = BT709
    codec_context.color_trc = BT709
    codec_context.colorspace = BT709
    codec_context.color_range = LIMITED_RANGE


class YuvConverter:
    """RGB uint8 pictures to frames of one YUV pixel format, BT.709 limited range (swscale,
    one context kept for the converter's life: use one per thread)."""

    def __init__(self, pix_fmt: str) -> None:
        self.pix_fmt = pix_fmt
        self._reformatter = VideoReformatter()

    def frame(self, rgb: np.ndarray) -> av.VideoFrame:
        """An (h, w, 3) uint8 RGB array as a tagged frame of `pix_fmt`."""
        picture = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        return self._reformatter.reformat(
            picture,
            format=self.pix_fmt,
            dst_colorspace="ITU709",
            dst_color_range="MPEG",
            dst_color_trc=BT709,
            dst_color_primaries=BT709,
        )


def rgb_to_i420(rgb: np.ndarray) -> np.ndarray:
    """An (h, w, 3) uint8 RGB picture (even sides) as one I420 buffer of (h*3/2, w) bytes: Y,
    then U and V at half size (centred on each 2x2 block of luma), BT.709 limited range."""
    return YuvConverter("yuv420p").frame(rgb).to_ndarray()


__all__ = ["BT709", "LIMITED_RANGE", "YuvConverter", "rgb_to_i420", "tag"]
