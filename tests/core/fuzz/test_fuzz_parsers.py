"""Fuzz targets, one per parser we own: Fountain text, the script decoding step, Final Draft
bytes, and cut import (.otio JSON, FCP XML, CMX EDL through `studio.services.cut_import`).

Each feeds hostile structure (mixtures of boneyard, note and emphasis marks, forcing marks,
headings, line ends, long runs, XML and EDL fragments), not only random text, and asserts that
nothing but a `StudioError` comes out and that no example runs past a generous budget. Sized so
that the whole file takes well under a minute on a shared two-core machine.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.errors import StudioError
from studio.script.breakdown import breakdown
from studio.script.fdx import parse_fdx
from studio.script.fountain import decode_text, parse
from studio.script.writer import write_fountain

BUDGET_S = 5.0  # per example: a few KB of input takes milliseconds; only a hang comes near this

FOUNTAIN_ATOMS = [
    "/*",
    "*/",
    "[[",
    "]]",
    "*",
    "**",
    "***",
    "_",
    "\\",
    "\\*",
    "\\_",
    "INT. ",
    "EXT ",
    "I/E ",
    "EST. ",
    ".",
    "..",
    "@",
    ">",
    "<",
    "~",
    "!",
    "#",
    "#12A#",
    "=",
    "===",
    "^",
    "(",
    ")",
    "(V.O.)",
    "(CONT'D)",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " ",
    "  ",
    "\t",
    "\x00",
    "\ufeff",
    "\u3000",
    "é",
    "МАЯ",
    "マヤ",
    "BOB",
    "Maya",
    "TO:",
    "CUT TO:",
    "FADE OUT.",
    "Title:",
    "Author: ",
    "   ",
    "CLOSE ON ",
    "PUSH IN ",
    "POV",
    " - NIGHT",
    "beat",
    "word",
    ",",
    ".",
    "-",
]


def _runs(atom: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """An atom, or a long run of it (runs are where naive scanning goes quadratic)."""
    return st.one_of(atom, st.tuples(atom, st.integers(2, 400)).map(lambda p: p[0] * p[1]))


FOUNTAIN_TEXT = st.lists(
    _runs(st.one_of(st.sampled_from(FOUNTAIN_ATOMS), st.text(max_size=8))), max_size=60
).map("".join)


def _within_budget(work) -> object:
    start = time.process_time()
    result = work()
    took = time.process_time() - start
    assert took < BUDGET_S, f"one example took {took:.1f} s"
    return result


def _only_studio_errors(work) -> object:
    try:
        return _within_budget(work)
    except StudioError as err:
        assert str(err).strip() and "\n" not in str(err).strip()
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FOUNTAIN_TEXT)
def test_fountain_text_never_raises_and_breaks_down(text: str) -> None:
    screenplay = _within_budget(lambda: parse(text))
    _only_studio_errors(lambda: breakdown(screenplay, 24))
    _within_budget(lambda: write_fountain(screenplay))


SCRIPT_BYTES = st.one_of(
    st.binary(max_size=3000),
    FOUNTAIN_TEXT.flatmap(
        lambda text: st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32"]).map(
            lambda encoding: text.encode(encoding, errors="replace")
        )
    ),
    st.tuples(FOUNTAIN_TEXT, st.binary(max_size=200)).map(lambda p: p[0].encode() + p[1]),
    st.tuples(
        st.sampled_from(
            [
                b"\x89PNG\r\n\x1a\n",
                b"PK\x03\x04",
                b"\xff\xfe",
                b"\xef\xbb\xbf",
                b"\xfe\xff",
                b"\xff\xfe\x00\x00",
                b"",
            ]
        ),
        st.binary(max_size=500),
    ).map(lambda p: p[0] + p[1]),
)


@settings(max_examples=300, deadline=None)
@given(SCRIPT_BYTES)
def test_script_decoding_gives_text_or_refuses(data: bytes) -> None:
    text = _only_studio_errors(lambda: decode_text(data, "script.fountain"))
    if text is not None:
        assert isinstance(text, str)
        _within_budget(lambda: parse(text))


FDX_ATOMS = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<?xml version="1.0" encoding="UTF-16"?>',
    "<FinalDraft>",
    "</FinalDraft>",
    "<Content>",
    "</Content>",
    "<TitlePage>",
    "</TitlePage>",
    '<Paragraph Type="Scene Heading" Number="1">',
    '<Paragraph Type="Character">',
    '<Paragraph Type="Dialogue">',
    '<Paragraph Type="Parenthetical">',
    '<Paragraph Type="Action">',
    '<Paragraph Alignment="Center">',
    "<Paragraph>",
    "</Paragraph>",
    "<DualDialogue>",
    "</DualDialogue>",
    '<Text Style="Bold+Italic+Underline">',
    '<Text Style="Italic">',
    "<Text>",
    "</Text>",
    "<Text/>",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#x1F600;",
    "&bogus;",
    "<!DOCTYPE x>",
    '<!ENTITY e "x">',
    "<![CDATA[*_]]>",
    "<!-- c -->",
    "INT. HOUSE",
    "MAYA",
    "(beat)",
    "*",
    "_",
    "\\",
    "written by",
    "\n",
    " ",
    "\x00",
    "é",
    "<",
    ">",
    "&",
    '"',
]
FDX_BYTES = st.one_of(
    st.lists(_runs(st.sampled_from(FDX_ATOMS)), max_size=60).map(lambda p: "".join(p).encode()),
    st.lists(_runs(st.sampled_from(FDX_ATOMS)), max_size=40).map(
        lambda p: ("<FinalDraft><Content>" + "".join(p) + "</Content></FinalDraft>").encode()
    ),
    st.binary(max_size=2000),
)


@settings(max_examples=300, deadline=None)
@given(FDX_BYTES)
def test_fdx_bytes_parse_or_refuse(data: bytes) -> None:
    screenplay = _only_studio_errors(lambda: parse_fdx(data, "script.fdx"))
    if screenplay is not None:
        _only_studio_errors(lambda: breakdown(screenplay, 24))


# --- cut import -----------------------------------------------------------------------------------


def _otio_value() -> st.SearchStrategy:
    numbers = st.one_of(
        st.integers(-(10**15), 10**15),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0, -1, 1, 24, 1e308, -0.0]),
    )
    return st.one_of(numbers, st.text(max_size=6), st.none(), st.booleans())


def _rational(values: st.SearchStrategy) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"OTIO_SCHEMA": st.just("RationalTime.1"), "rate": values, "value": values}
    )


def _range(values: st.SearchStrategy) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "OTIO_SCHEMA": st.just("TimeRange.1"),
            "start_time": _rational(values),
            "duration": _rational(values),
        }
    )


def _otio_item(values: st.SearchStrategy) -> st.SearchStrategy[dict]:
    clip = st.fixed_dictionaries(
        {
            "OTIO_SCHEMA": st.sampled_from(
                ["Clip.2", "Clip.1", "Gap.1", "Transition.1", "Bogus.9"]
            ),
            "name": st.text(max_size=8),
            "source_range": st.one_of(st.none(), _range(values)),
            "metadata": st.dictionaries(st.text(max_size=4), values, max_size=2),
        },
        optional={
            "media_references": st.just(
                {"DEFAULT_MEDIA": {"OTIO_SCHEMA": "ExternalReference.1", "target_url": "a.mp4"}}
            ),
            "active_media_reference_key": st.just("DEFAULT_MEDIA"),
            "in_offset": _rational(values),
            "out_offset": _rational(values),
            "transition_type": st.just("SMPTE_Dissolve"),
        },
    )
    return clip


def _otio_json(values: st.SearchStrategy) -> st.SearchStrategy[str]:
    track = st.fixed_dictionaries(
        {
            "OTIO_SCHEMA": st.just("Track.1"),
            "name": st.text(max_size=6),
            "kind": st.sampled_from(["Video", "Audio", "Other", ""]),
            "children": st.lists(_otio_item(values), max_size=6),
        }
    )
    timeline = st.fixed_dictionaries(
        {
            "OTIO_SCHEMA": st.sampled_from(["Timeline.1", "SerializableCollection.1", "Clip.2"]),
            "name": st.text(max_size=6),
            "global_start_time": st.one_of(st.none(), _rational(values)),
            "tracks": st.fixed_dictionaries(
                {
                    "OTIO_SCHEMA": st.just("Stack.1"),
                    "children": st.lists(track, max_size=3),
                }
            ),
        }
    )
    return st.one_of(
        timeline.map(json.dumps),
        st.text(max_size=200),
        st.lists(
            st.sampled_from(
                [
                    '{"OTIO_SCHEMA": ',
                    '"Timeline.1"',
                    "{",
                    "}",
                    "[",
                    "]",
                    ",",
                    '"tracks":',
                    "1e999",
                    "NaN",
                    "null",
                ]
            ),
            max_size=40,
        ).map("".join),
    )


EDL_ATOMS = [
    "TITLE: cut\n",
    "FCM: NON-DROP FRAME\n",
    "FCM: DROP FRAME\n",
    "001  AX       V     C        00:00:00:00 00:00:01:00 00:00:00:00 00:00:01:00\n",
    "002  AX       V     D    024 00:00:01:00 00:00:02:00 00:00:01:00 00:00:02:00\n",
    "003  BL       V     C        99:99:99:99 00:00:00:00 23:59:59:23 00:00:00:00\n",
    "* FROM CLIP NAME: a.mp4\n",
    "* TO CLIP: b.mp4\n",
    "* OTIO REFERENCE TO: b.mp4\n",
    "M2   AX       025.0                00:00:00:00\n",
    "\n",
    "   ",
    "000",
    "V",
    "A",
    "C",
    "D",
]
FCP_ATOMS = [
    '<?xml version="1.0"?>',
    '<xmeml version="5">',
    "</xmeml>",
    "<sequence>",
    "</sequence>",
    "<rate><timebase>24</timebase><ntsc>FALSE</ntsc></rate>",
    "<rate><timebase>0</timebase></rate>",
    "<media><video><track>",
    "</track></video></media>",
    "<clipitem>",
    "</clipitem>",
    "<start>-5</start>",
    "<end>1e12</end>",
    "<in>0</in>",
    "<out>NaN</out>",
    "<duration>24</duration>",
    '<file id="f"><pathurl>file:///a.mp4</pathurl></file>',
    "<name>x</name>",
    "<!DOCTYPE x>",
    "&bogus;",
    "<",
    ">",
]
CUT_FILES = st.one_of(
    _otio_json(_otio_value()).map(lambda text: ("cut.otio", text)),
    st.lists(_runs(st.sampled_from(EDL_ATOMS)), max_size=30).map(lambda p: ("cut.edl", "".join(p))),
    st.lists(st.sampled_from(FCP_ATOMS), max_size=40).map(lambda p: ("cut.xml", "".join(p))),
)


@pytest.fixture(scope="module")
def cut_project(tmp_path_factory):
    from studio.services.project import new_project

    project = new_project(tmp_path_factory.mktemp("fuzz") / "film", name="Fuzz")
    yield project
    project.close()


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(CUT_FILES)
def test_cut_import_reads_or_refuses(cut_project, tmp_path_factory, cut: tuple[str, str]) -> None:
    from studio.services.cut_import import import_cut

    name, text = cut
    folder = Path(tmp_path_factory.mktemp("cut"))
    path = folder / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _only_studio_errors(lambda: import_cut(cut_project, path, dry_run=True, allow_missing=True))
