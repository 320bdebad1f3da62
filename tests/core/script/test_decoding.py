"""A file that is not text is refused as "not a screenplay"; real scripts in other encodings
still import and read exactly as their UTF-8 original."""

import random
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from studio.errors import InvalidInput
from studio.script.fountain import parse, parse_file
from studio.services.script import import_script

CORPUS = Path(__file__).parent / "corpus"
LIGHTHOUSE = (CORPUS / "lighthouse.fountain").read_text(encoding="utf-8")
EASTERN = (CORPUS / "eastern.fountain").read_text(encoding="utf-8")
FRENCH = """Title: Le Phare
Author: Hélène Bérard

INT. CAFÉ DU PORT - NUIT

José essuie le comptoir. Élodie entre, trempée.

ÉLODIE
Un café, s'il vous plaît. Très fort.

JOSÉ
(à voix basse)
Ça fait deux euros cinquante, mademoiselle.

Elle dépose les pièces. Au loin, le phare s'allume.
"""
FRENCH_CP1252 = FRENCH.replace("trempée.", "trempée. Sur l’ardoise : « café 2 € 50 ».")


def _png(width: int = 64, height: int = 48) -> bytes:
    """A real PNG: noisy RGB pixels, deflated."""
    rng = random.Random(7)
    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _zip(tmp_path: Path) -> bytes:
    path = tmp_path / "scripts.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lighthouse.fountain", LIGHTHOUSE * 20)
    return path.read_bytes()


def _not_text(tmp_path: Path) -> dict[str, bytes]:
    rng = random.Random(14)
    text = LIGHTHOUSE.encode("utf-8")
    return {
        "random.fountain": rng.randbytes(200_000),
        "image.fountain": _png(),
        "pixels.fountain": _png()[8:],  # no signature: judged by its bytes
        "archive.fountain": _zip(tmp_path),
        "deflated.fountain": zlib.compress(text * 50),
        "nuls.fountain": b"\x00" * 50_000,
        "sprinkled.fountain": b"".join(text[i : i + 20] + b"\x00" for i in range(0, len(text), 20)),
        "high.fountain": bytes(rng.randrange(0x80, 0x100) for _ in range(50_000)),
        "broken-utf8.fountain": b"".join(
            text[i : i + 3] + bytes([rng.randrange(0x80, 0x100)]) for i in range(0, 30_000, 3)
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "random.fountain",
        "image.fountain",
        "pixels.fountain",
        "archive.fountain",
        "deflated.fountain",
        "nuls.fountain",
        "sprinkled.fountain",
        "high.fountain",
        "broken-utf8.fountain",
    ],
)
def test_a_file_that_is_not_text_is_refused_naming_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_not_text(tmp_path)[name])
    with pytest.raises(InvalidInput, match="not a screenplay") as refused:
        parse_file(path)
    assert str(path) in str(refused.value)
    assert "\n" not in str(refused.value)


def test_import_refuses_a_binary_file_and_changes_nothing(project, tmp_path: Path) -> None:
    good = tmp_path / "lighthouse.fountain"
    good.write_text(LIGHTHOUSE, encoding="utf-8")
    import_script(project, good)
    store = project.store
    before = (store.scripts.latest().version, [s.id for s in store.shots.in_order()])
    image = tmp_path / "poster.png.fountain"
    image.write_bytes(_png())
    with pytest.raises(InvalidInput, match=r"poster\.png\.fountain is not a screenplay"):
        import_script(project, image)
    assert (store.scripts.latest().version, [s.id for s in store.shots.in_order()]) == before


def test_cli_says_not_a_screenplay_in_one_line(tmp_path: Path) -> None:
    noise = tmp_path / "noise.fountain"
    noise.write_bytes(random.Random(3).randbytes(10_000))
    result = subprocess.run(
        [sys.executable, "-c", "from studio.cli import main; main()", "script", "parse", noise],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    error = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(error) == 1 and "noise.fountain is not a screenplay" in error[0]
    assert "unexpected" not in result.stderr.lower() and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("source", "encoding"),
    [
        (LIGHTHOUSE, "utf-8-sig"),
        (LIGHTHOUSE, "utf-16"),  # with its BOM
        (LIGHTHOUSE, "utf-16-be-bom"),
        (LIGHTHOUSE, "utf-16-le"),  # no BOM
        (LIGHTHOUSE, "utf-32"),
        (EASTERN, "utf-8"),
        (EASTERN, "utf-16"),
        (FRENCH, "latin-1"),
        (FRENCH_CP1252, "cp1252"),
        (FRENCH, "utf-16"),
    ],
)
def test_real_scripts_in_other_encodings_read_as_their_utf8_original(
    tmp_path: Path, source: str, encoding: str
) -> None:
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + source.encode("utf-16-be")
    else:
        data = source.encode(encoding)
    path = tmp_path / f"script-{encoding}.fountain"
    path.write_bytes(data)
    assert parse_file(path).to_json() == parse(source).to_json()


def test_a_latin1_script_imports(project, tmp_path: Path) -> None:
    path = tmp_path / "phare.fountain"
    path.write_bytes(FRENCH.encode("latin-1"))
    plan = import_script(project, path)
    assert plan.breakdown.title == "Le Phare"
    assert {c.name for c in plan.breakdown.characters} == {"ÉLODIE", "JOSÉ"}
    assert "Élodie" in project.store.scripts.latest().source


def test_utf16_final_draft_file_is_read_again_from_the_project(project, tmp_path: Path) -> None:
    from studio.services.script import current_screenplay

    xml = (CORPUS / "dual.fdx").read_text(encoding="utf-8")
    path = tmp_path / "dual.fdx"
    path.write_bytes(xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    import_script(project, path)
    assert current_screenplay(project.store).to_json() == parse_file(CORPUS / "dual.fdx").to_json()
