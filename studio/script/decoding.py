"""The bytes of a text screenplay as str, and the refusal of bytes that are not text.

A script may come as UTF-8 (with or without a BOM), UTF-16 or UTF-32 with a BOM, UTF-16 without
one (told by its zero bytes), or a single-byte legacy encoding (read as cp1252, which Latin-1
text reads the same in). What is not text — an image, an archive, random or binary data, a file
of NULs, bytes that are invalid UTF-8 in bulk — is refused as "not a screenplay" before the
parser, which accepts any str, turns it into a film of nonsense shots.

The judgement looks at the first 64 KB only: the share of control characters (other than tab,
line breaks and form feed) and of undecodable bytes, and, for the single-byte fallback, the share
of bytes above ASCII (a few percent in a Western European script, half of all bytes in random
data).
"""

from __future__ import annotations

import codecs

from studio.errors import InvalidInput

__all__ = ["decode_script"]

SAMPLE_BYTES = 64 * 1024
MAX_CONTROL_SHARE = 0.02  # control characters and U+FFFD among the sample's characters
MAX_HIGH_SHARE = 0.30  # bytes >= 0x80 in a sample read as cp1252
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


_SIGNATURES = (  # well-known file kinds, named in the refusal
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a document made of one)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"{\\rtf", "an RTF document"),
)


def decode_script(data: bytes, name: str = "") -> str:
    """`data` as text, BOM removed; raises InvalidInput naming `name` when it is not text."""
    where = name or "the script"
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            _refuse(where, f"it is {kind}")
    encoding, body = _encoding(data)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as err:
        if encoding != "utf-8":
            _refuse(where, f"it is not valid {encoding.upper()} (at byte {err.start})")
        text = _legacy(body, where)
    sample = text[:SAMPLE_BYTES]
    odd = sum(1 for char in sample if _is_odd(char))
    if odd > MAX_CONTROL_SHARE * len(sample):
        _refuse(where, f"{odd} of its first {len(sample)} characters are control codes")
    return text


def _legacy(data: bytes, where: str) -> str:
    """Bytes that are not UTF-8 read as cp1252, unless too many of them are above ASCII."""
    sample = data[:SAMPLE_BYTES]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high > MAX_HIGH_SHARE * len(sample):
        _refuse(where, f"it is not UTF-8 and {high} of its first {len(sample)} bytes are not ASCII")
    return data.decode("cp1252", errors="replace")


def _encoding(data: bytes) -> tuple[str, bytes]:
    """The encoding to read `data` with, and the bytes after any BOM."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, data[len(bom) :]
    unmarked = _utf16_unmarked(data[:SAMPLE_BYTES])
    if unmarked:
        return unmarked, data
    return "utf-8", data


def _utf16_unmarked(sample: bytes) -> str | None:
    """UTF-16 without a BOM: text in the Latin script has a zero in one byte of each pair."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    zeros_even = sample[0 : pairs * 2 : 2].count(0)
    zeros_odd = sample[1 : pairs * 2 : 2].count(0)
    if zeros_odd > 0.9 * pairs and zeros_even < 0.05 * pairs:
        return "utf-16-le"
    if zeros_even > 0.9 * pairs and zeros_odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _is_odd(char: str) -> bool:
    if char == "\ufffd":
        return True
    code = ord(char)
    return (code < 0x20 or 0x7F <= code < 0xA0) and char not in _ALLOWED_CONTROLS


def _refuse(where: str, reason: str) -> None:
    raise InvalidInput(
        f"{where} is not a screenplay: {reason}",
        hint="give a Fountain (.fountain, .txt) file saved as text in UTF-8, or a Final Draft .fdx",
    )
