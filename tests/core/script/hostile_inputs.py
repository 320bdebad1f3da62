"""Adversarial screenplays of a given size, for the benchmark and the tests that hold the parsers
to linear time (`bench/bench_parse_hostile.py`, `tests/core/script/test_hostile.py`).

Each builder returns about `size` characters shaped to hit one path that a naive parser makes
quadratic or worse: an unclosed boneyard or note that a regex rescans to the end from every
opening, runs of emphasis markers, one huge line, long names, blank-looking lines, mixed line
ends, NULs, thousands of speakers, and for Final Draft deep XML nesting and huge paragraphs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

__all__ = ["FDX_CASES", "FOUNTAIN_CASES", "normal_fdx", "normal_fountain"]

_SAMPLE = Path(__file__).resolve().parent / "corpus/lighthouse.fountain"
_SCENE = "INT. HOUSE - DAY\n\nMaya crosses to the window.\n\nMAYA\nStill raining.\n\n"


def _fill(unit: str, size: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


def normal_fountain(size: int) -> str:
    """A realistic script of about `size` characters: the corpus sample's body repeated."""
    text = _SAMPLE.read_text(encoding="utf-8")
    title, _, body = text.partition("\n\n")
    parts = [title, "\n\n"]
    length = len(title) + 2
    copy = 0
    while length < size:
        copy += 1
        chunk = body.replace("#1#", f"#{copy}.1#").replace("#2#", f"#{copy}.2#") + "\n"
        parts.append(chunk)
        length += len(chunk)
    return "".join(parts)


def _many_speakers(size: int) -> str:
    """One scene where every line has its own speaker, each named in the action beside a side."""
    unit = "SPEAKER {0:06d}\nHello there.\n\nSpeaker {0:06d} waits on the left of the band.\n\n"
    count = max(1, (size - 18) // len(unit.format(0)))
    return "INT. HALL - DAY\n\n" + "".join(unit.format(number) for number in range(count))


FOUNTAIN_CASES: dict[str, Callable[[int], str]] = {
    "unclosed boneyard, then a script": lambda n: "/*\n" + normal_fountain(n - 3),
    "an unclosed /* on every line": lambda n: _fill("/* the lamp turns\n", n),
    "an unclosed [[ on every line": lambda n: _fill("[[ a note\n", n),
    "[[ without ]] on one line": lambda n: _fill("[[", n),
    "dialogue of unclosed notes": lambda n: _fill("[[ x\n", n, head="\nMAYA\n"),
    "one line of *_ markers": lambda n: _fill("*_", n),
    "lines of *_ markers": lambda n: _fill("*_" * 40 + "\n", n),
    "nested emphasis": lambda n: _fill("_***a ", n // 2) + _fill(" a***_", n // 2),
    "one huge line of words": lambda n: _fill("the lamp turns ", n),
    "long character names": lambda n: _fill("\n" + "MAYA" * 2500 + "\nHello.\n", n),
    "lines of only spaces and tabs": lambda n: _fill("  \t  \t\n", n),
    "CRLF and CR mixed": lambda n: _fill("INT. A - DAY\r\r\n\n\rMaya waits.\r\n", n),
    "NUL bytes": lambda n: _fill("\x00\x00\x00\x00\n", n),
    "a heading padded with spaces": lambda n: "INT. " + " " * (n - 12) + "HALL #1",
    "parentheses never closed": lambda n: _fill("(", n, head="\n@MAYA "),
    "thousands of speakers named in the action": _many_speakers,
}


def normal_fdx(size: int) -> bytes:
    """A Final Draft file of about `size` bytes: scenes of heading, action and dialogue."""
    scene = (
        '<Paragraph Type="Scene Heading" Number="{n}"><Text>INT. HOUSE - DAY</Text></Paragraph>'
        '<Paragraph Type="Action"><Text>Maya crosses to the </Text>'
        '<Text Style="Italic">window</Text><Text>.</Text></Paragraph>'
        '<Paragraph Type="Character"><Text>MAYA</Text></Paragraph>'
        '<Paragraph Type="Dialogue"><Text>Still raining.</Text></Paragraph>\n'
    )
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<FinalDraft><Content>\n']
    length = len(parts[0])
    number = 0
    while length < size:
        number += 1
        parts.append(scene.format(n=number))
        length += len(parts[-1])
    parts.append("</Content></FinalDraft>\n")
    return "".join(parts).encode("utf-8")


def _nested(size: int) -> bytes:
    depth = size // 24
    return (
        b"<FinalDraft><Content>"
        + b"<Paragraph>" * depth
        + b"<Text>x</Text>"
        + b"</Paragraph>" * depth
        + b"</Content></FinalDraft>"
    )


def _huge_paragraph(size: int) -> bytes:
    text = _fill("*_\\ ", size - 120)
    return (
        '<FinalDraft><Content><Paragraph Type="Action"><Text Style="Bold+Underline">'
        f"{text}</Text></Paragraph></Content></FinalDraft>"
    ).encode()


def _many_runs(size: int) -> bytes:
    runs = _fill('<Text Style="Bold">a*</Text><Text>_b</Text>', size - 80)
    paragraph = f'<Paragraph Type="Action">{runs}</Paragraph>'
    return f"<FinalDraft><Content>{paragraph}</Content></FinalDraft>".encode()


FDX_CASES: dict[str, Callable[[int], bytes]] = {
    "deep nesting of paragraphs": _nested,
    "one huge styled paragraph": _huge_paragraph,
    "a paragraph of alternating runs": _many_runs,
}
