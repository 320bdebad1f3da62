"""What a PNG, JPEG or WebP file says about itself, read from its header without decoding it.

A 48 KB PNG can declare 20000×20000 pixels and take gigabytes once decoded: `read_image` asks
this module first. The header is checked for being whole too (a PNG cut short has no IEND, a
JPEG no end-of-image marker, a WebP fewer bytes than its RIFF header declares), so a file cut in
half is refused instead of decoding with a grey bottom.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from studio.domain.project import DEFAULT_MAX_IMAGE_PIXELS
from studio.errors import InvalidInput

__all__ = [
    "DEFAULT_MAX_IMAGE_PIXELS",
    "ImageHeader",
    "ImageTooLarge",
    "check_pixels",
    "image_header",
]

_PNG = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers: SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC)
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# JPEG markers without a length: TEM, RST0-7, SOI, EOI
_BARE = {0x01, *range(0xD0, 0xDA)}


class ImageTooLarge(InvalidInput):
    """An image larger than the project's max_image_pixels."""


@dataclass(frozen=True)
class ImageHeader:
    """An image's format and picture size, as its header declares them."""

    format: str  # "png", "jpeg" or "webp"
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


def _damaged(name: str, size: int, why: str) -> InvalidInput:
    return InvalidInput(
        f"image {name} is damaged ({size} bytes): {why}", "export or copy the image again"
    )


def image_header(data: bytes, name: str) -> ImageHeader:
    """The format and size `data` declares; InvalidInput naming `name` when it is not a whole
    PNG, JPEG or WebP."""
    if data.startswith(_PNG):
        return _png(data, name)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data, name)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data, name)
    raise InvalidInput(
        f"image {name} is corrupt or not a PNG/JPEG/WebP ({len(data)} bytes)",
        "use a PNG, JPEG or WebP file",
    )


def check_pixels(header: ImageHeader, name: str, max_pixels: int) -> None:
    """Refuse an image larger than `max_pixels` (the project setting max_image_pixels)."""
    if header.pixels > max_pixels:
        raise ImageTooLarge(
            f"{name} is {header.width}×{header.height} pixels ({_mp(header.pixels)}); "
            f"the limit is {_mp(max_pixels)} (project setting max_image_pixels)",
            "scale the image down, or raise the limit: "
            "studio settings PROJECT set --max-image-pixels N",
        )


def _mp(pixels: int) -> str:
    return f"{pixels / 1e6:.{0 if pixels >= 10_000_000 else 1}f} MP"


def _png(data: bytes, name: str) -> ImageHeader:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise _damaged(name, len(data), "the PNG has no header chunk")
    width, height = struct.unpack(">II", data[16:24])
    offset = 8
    while True:  # walk the chunks: each must end inside the file, the last is IEND
        if offset + 12 > len(data):
            raise _damaged(name, len(data), "the PNG is cut short (no IEND chunk)")
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        offset += 12 + length
        if kind == b"IEND":
            break
    if not width or not height:
        raise _damaged(name, len(data), f"the PNG declares {width}×{height} pixels")
    return ImageHeader("png", width, height)


def _jpeg(data: bytes, name: str) -> ImageHeader:
    offset, size, scan = 2, None, len(data)
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            raise _damaged(name, len(data), f"no JPEG marker at byte {offset}")
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in _BARE:
            offset += 2
            continue
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        if marker in _SOF and offset + 9 <= len(data):
            height, width = struct.unpack(">HH", data[offset + 5 : offset + 9])
            size = (width, height)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            scan = offset
            break
        offset += 2 + length
    if size is None or not size[0] or not size[1]:
        raise _damaged(name, len(data), "the JPEG declares no picture size")
    # in the coded data every 0xFF byte is stuffed (FF 00): FF D9 there is the end of the image
    if data.find(b"\xff\xd9", scan) == -1:
        raise _damaged(name, len(data), "the JPEG is cut short (no end-of-image marker)")
    return ImageHeader("jpeg", *size)


def _webp(data: bytes, name: str) -> ImageHeader:
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 > len(data):
        raise _damaged(name, len(data), f"the WebP is cut short (it declares {riff_size + 8})")
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
    elif chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        width, height = 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    elif chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        width, height = width & 0x3FFF, height & 0x3FFF
    else:
        raise _damaged(name, len(data), f"the WebP has an unknown first chunk {chunk!r}")
    if not width or not height:
        raise _damaged(name, len(data), f"the WebP declares {width}×{height} pixels")
    return ImageHeader("webp", width, height)
