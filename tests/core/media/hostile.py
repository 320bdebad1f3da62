"""Hostile media crafted for the tests: small files that lie about themselves."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

from studio.media.encode import encode_frames


def _chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def pixel_bomb_png(path: Path, width: int = 20_000, height: int = 20_000) -> Path:
    """A real, valid 1-bit greyscale PNG of width×height pixels that takes a few KB on disk
    (every row zero): decoded to RGB it would take width×height×3 bytes."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data)
    path.write_bytes(png + _chunk(b"IEND", b""))
    return path


def short_clip(path: Path, frames: int = 24, width: int = 64, height: int = 36) -> Path:
    pictures = [np.full((height, width, 3), i * 9 % 250, np.uint8) for i in range(frames)]
    encode_frames(pictures, path, width, height, 24)
    return path


def patch_declared_frames(source: Path, target: Path, frames: int = 2_000_000_000) -> Path:
    """A copy of an MP4 whose sample table (stts) declares `frames` frames: the demuxer then
    reports that count while the file holds its few real ones."""
    data = bytearray(source.read_bytes())
    at = data.index(b"stts")
    (entries,) = struct.unpack(">I", data[at + 8 : at + 12])
    assert entries == 1, "the encoder wrote one stts run"
    data[at + 12 : at + 16] = struct.pack(">I", frames)
    target.write_bytes(bytes(data))
    return target
