"""OCR of scanned letters with the real ocrmypdf, Tesseract (nor) and Ghostscript.

The scans are made here without Pillow: a letter written as a PDF by core.text_pdf, rasterised
by Ghostscript (PNG, JPEG, TIFF) and, for an image-only PDF, wrapped by img2pdf.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from tenestetorget.core import text_pdf
from tenestetorget.mailroom import ocr
from tenestetorget.mailroom.ocr import OcrError, Recognised

if not ocr.available():
    # As records' schema tests: CI installs the tools (`make test` runs `make ocr-deps`), so
    # there a missing tool is a failure, not a skip.
    if os.environ.get("CI"):
        raise RuntimeError("CI needs ocrmypdf and Tesseract with `nor`: run `make ocr-deps`")
    pytestmark = pytest.mark.skip(
        reason="ocrmypdf or Tesseract's Norwegian model (nor) is missing: `make ocr-deps`"
    )

LETTER = (
    "Søknad om løyve til snøskuter. Eg søkjer om dispensasjon for køyring til hytta ved "
    "Haukeliseter."
)
WORDS = ("snøskuter", "søkjer", "Haukeliseter")
SECOND = "Vedlegg: kart over traseen frå Vågslid til Haukeliseter, teikna for hand."


@pytest.fixture(autouse=True)
def nynorsk() -> Iterator[None]:
    with translation.override("nn"):
        yield


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is installed by `make archive-deps`"
    return path


def gs(*arguments: str) -> None:
    subprocess.run(  # noqa: S603 - the installed gs, our own arguments
        [_tool("gs"), "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", *arguments],
        check=True,
        capture_output=True,
        timeout=120,
    )


def letter_pdf(text: str = LETTER, title: str = "Søknad om løyve") -> bytes:
    return text_pdf.document(title, [("Frå", "Kari Nordmann, Vinje")], text)


def rasterise(pdf: bytes, directory: Path, device: str = "pnggray", suffix: str = "png") -> bytes:
    """The pages of `pdf` as an image at 300 dpi, with no text layer (what a scanner gives)."""
    source, target = directory / "source.pdf", directory / f"scan.{suffix}"
    source.write_bytes(pdf)
    gs(f"-sDEVICE={device}", "-r300", f"-sOutputFile={target}", str(source))
    return target.read_bytes()


def image_pdf(image: bytes, directory: Path) -> bytes:
    """An image-only PDF of `image`, as a scanner that writes PDF makes it."""
    source, target = directory / "page.png", directory / "image.pdf"
    source.write_bytes(image)
    subprocess.run(  # noqa: S603 - the installed img2pdf, our own arguments
        [_tool("img2pdf"), "--output", str(target), str(source)], check=True, timeout=60
    )
    return target.read_bytes()


def pdf_text(pdf: bytes, directory: Path) -> str:
    """A PDF's text layer, as Ghostscript extracts it."""
    source, target = directory / "check.pdf", directory / "check.txt"
    source.write_bytes(pdf)
    gs("-sDEVICE=txtwrite", f"-sOutputFile={target}", str(source))
    return target.read_text(encoding="utf-8", errors="replace")


def png_without(png: bytes, chunk: bytes) -> bytes:
    """The PNG with every `chunk` (e.g. pHYs, its resolution) left out."""
    out, offset = bytearray(png[:8]), 8
    while offset < len(png):
        (length,) = struct.unpack_from(">I", png, offset)
        end = offset + 12 + length
        if png[offset + 4 : offset + 8] != chunk:
            out += png[offset:end]
        offset = end
    return bytes(out)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    directory = tmp_path_factory.mktemp("scans")
    png = rasterise(letter_pdf(), directory)
    return {"png": png, "pdf": image_pdf(png, directory)}


@pytest.fixture(scope="module")
def scanned_pdf(scans: dict[str, bytes]) -> Recognised:
    return ocr.recognise(scans["pdf"], "brev.pdf")


def assert_words(text: str) -> None:
    for word in WORDS:
        assert word in text, f"{word!r} not recognised in {text!r}"


def test_available() -> None:
    assert ocr.available()


def test_image_only_pdf_is_read_and_made_searchable(
    scanned_pdf: Recognised, scans: dict[str, bytes], tmp_path: Path
) -> None:
    assert scanned_pdf.pages == 1
    assert scanned_pdf.had_text is False
    assert_words(scanned_pdf.text)
    # Tidied: no runs of spaces, no trailing space, at most one blank line.
    assert "  " not in scanned_pdf.text and " \n" not in scanned_pdf.text
    assert "\n\n\n" not in scanned_pdf.text
    assert scanned_pdf.pdf.startswith(b"%PDF-")
    assert scanned_pdf.pdf != scans["pdf"]
    # The input had no text at all; the output has the recognised text as its layer.
    assert "snøskuter" not in pdf_text(scans["pdf"], tmp_path)
    assert_words(pdf_text(scanned_pdf.pdf, tmp_path))


def test_png_is_read_by_content_not_name(scans: dict[str, bytes], tmp_path: Path) -> None:
    result = ocr.recognise(scans["png"], "brev.pdf")  # a PNG, whatever the name says
    assert result.pages == 1 and not result.had_text
    assert_words(result.text)
    assert_words(pdf_text(result.pdf, tmp_path))


def test_png_without_resolution_is_read_at_300_dpi(scans: dict[str, bytes]) -> None:
    # Without pHYs ocrmypdf refuses the image unless told a resolution (--image-dpi).
    bare = png_without(scans["png"], b"pHYs")
    assert b"pHYs" in scans["png"] and b"pHYs" not in bare
    assert_words(ocr.recognise(bare, "skanna.png").text)
    # 72 dpi is "not credible" to ocrmypdf; it is treated as no resolution.
    ihdr_end = 8 + 12 + 13
    per_metre = round(72 / 0.0254)
    low = (
        bare[:ihdr_end]
        + png_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
        + bare[ihdr_end:]
    )
    assert_words(ocr.recognise(low, "skanna.png").text)


def test_jpeg_with_and_without_resolution(tmp_path: Path) -> None:
    jpeg = rasterise(letter_pdf(), tmp_path, "jpeggray", "jpg")
    assert jpeg[6:11] == b"JFIF\x00"
    assert_words(ocr.recognise(jpeg, "brev.jpg").text)
    # JFIF density unit 0: an aspect ratio only, no resolution.
    no_unit = jpeg[:13] + b"\x00" + jpeg[14:]
    assert ocr._jpeg_dpi(no_unit) is None
    assert_words(ocr.recognise(no_unit, "brev.jpg").text)


def test_multipage_tiff_gives_pages_separated_by_a_blank_line(tmp_path: Path) -> None:
    long_letter = "\n".join([LETTER] * 40 + [SECOND])
    tiff = rasterise(letter_pdf(long_letter), tmp_path, "tiffg4", "tif")
    assert ocr._tiff_pages(tiff) == 2
    assert ocr._tiff_dpi(tiff) == (300.0, 300.0)
    result = ocr.recognise(tiff, "brev.tif")
    assert result.pages == 2 and not result.had_text
    assert_words(result.text)
    assert "Vågslid" in result.text
    assert result.text.index("Vågslid") > result.text.rindex("snøskuter")
    assert_words(pdf_text(result.pdf, tmp_path))


def test_born_digital_pdf_keeps_its_text(tmp_path: Path) -> None:
    pdf = letter_pdf()
    result = ocr.recognise(pdf, "digital.pdf")
    assert result.had_text is True
    assert result.pages == 1
    assert_words(result.text)
    assert "Kari Nordmann, Vinje" in result.text
    assert "  " not in result.text
    assert_words(pdf_text(result.pdf, tmp_path))


def test_mixed_pdf_uses_text_layer_and_ocr_page_by_page(
    scans: dict[str, bytes], tmp_path: Path
) -> None:
    # Page 1 born-digital (its own words), page 2 the scanned letter.
    first, second, mixed = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "mixed.pdf"
    first.write_bytes(letter_pdf(SECOND, "Vedlegg"))
    second.write_bytes(scans["pdf"])
    gs("-sDEVICE=pdfwrite", f"-sOutputFile={mixed}", str(first), str(second))
    result = ocr.recognise(mixed.read_bytes(), "blanda.pdf")
    assert result.pages == 2
    assert result.had_text is True
    assert "Vågslid" in result.text
    assert_words(result.text)
    assert result.text.index("Vågslid") < result.text.index("snøskuter")
    assert "OCR skipped" not in result.text


def test_norwegian_letters_need_the_norwegian_model(scans: dict[str, bytes]) -> None:
    # The English model alone reads ø as a or g; with `nor` they are right.
    english = ocr.recognise(scans["png"], "brev.png", language="eng")
    assert "snøskuter" not in english.text
    assert "Haukeliseter" in english.text
    norwegian = ocr.recognise(scans["png"], "brev.png", language="nor")
    assert "snøskuter" in norwegian.text and "søkjer" in norwegian.text


def test_unknown_language_is_a_programming_error(scans: dict[str, bytes]) -> None:
    with pytest.raises(ValueError, match="Tesseract language"):
        ocr.recognise(scans["png"], "brev.png", language="--help")


def broken_files(pdf: bytes) -> dict[str, bytes]:
    return {
        "truncated": pdf[: len(pdf) // 3],
        "truncated header": pdf[:400],
        "random": os.urandom(4000),
        "header then garbage": b"%PDF-1.7\n" + os.urandom(4000),
        "empty": b"",
        "png header then garbage": b"\x89PNG\r\n\x1a\n" + os.urandom(2000),
        "jpeg header then garbage": b"\xff\xd8\xff\xe0" + os.urandom(2000),
        "tiff header then garbage": b"II*\x00" + os.urandom(2000),
    }


@pytest.mark.parametrize(
    "kind",
    list(broken_files(b"").keys()),
)
def test_broken_files_raise_a_readable_error(
    kind: str, scans: dict[str, bytes], caplog: pytest.LogCaptureFixture
) -> None:
    data = broken_files(scans["pdf"])[kind]
    started = time.monotonic()
    with pytest.raises(OcrError) as raised:
        ocr.recognise(data, "innskanna brev.pdf", timeout=60)
    message = str(raised.value)
    assert time.monotonic() - started < 30
    assert "«innskanna brev.pdf»" in message
    assert any(word in message for word in ("lesbar", "verken", "tom"))
    # No paths of the server's temporary files, no tool output, in what the user sees.
    assert "/" not in message.replace("innskanna brev.pdf", "")
    assert "tt-ocr" not in message and "Error" not in message


def test_encrypted_pdf(
    scans: dict[str, bytes], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(scans["pdf"])
    for arguments in (["-sUserPassword=hemmeleg"], []):  # with and without a user password
        target = tmp_path / "encrypted.pdf"
        gs(
            "-sDEVICE=pdfwrite",
            "-sOwnerPassword=eigar",
            *arguments,
            "-dEncryptionR=3",
            "-dKeyLength=128",
            f"-sOutputFile={target}",
            str(source),
        )
        caplog.clear()
        with pytest.raises(OcrError, match="kryptert eller verna med passord"):
            ocr.recognise(target.read_bytes(), "kryptert.pdf")
        # What ocrmypdf said is in the log, for the operator.
        assert "EncryptedPdfError" in caplog.text


def test_tiny_timeout_stops_ocr(scans: dict[str, bytes]) -> None:
    for timeout in (0.0, 0.5):  # before anything starts, and while ocrmypdf runs
        started = time.monotonic()
        with pytest.raises(OcrError, match="tok lenger tid enn"):
            ocr.recognise(scans["png"], "brev.png", timeout=timeout)
        assert time.monotonic() - started < 5


def test_limits() -> None:
    with pytest.raises(OcrError, match="grensa for skanna brev er 50 MB"):
        ocr.recognise(b"%PDF-1.4\n" + bytes(ocr.MAX_BYTES), "stor.pdf")
    # About 50 lines a page: 101 pages of text, refused before any OCR.
    many = "\n".join(f"Linje {n}" for n in range(101 * 50))
    pdf = letter_pdf(many)
    started = time.monotonic()
    with pytest.raises(OcrError, match=r"sider; grensa for skanna brev er 100"):
        ocr.recognise(pdf, "tjukk.pdf")
    assert time.monotonic() - started < 10


def test_png_with_alpha_channel_is_refused_with_what_to_do(tmp_path: Path) -> None:
    png = rasterise(letter_pdf(), tmp_path, "pngalpha", "png")
    with pytest.raises(OcrError, match="alfakanal"):
        ocr.recognise(png, "gjennomsiktig.png")
