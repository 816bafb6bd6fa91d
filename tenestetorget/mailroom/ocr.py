"""Text from scanned paper mail (skanna brev), with Tesseract through ocrmypdf.

A scanned letter (PDF, or a PNG, JPEG or TIFF image) becomes an inquiry on the `letter`
channel; its text is what the case handler reads and what the search finds, and the
searchable PDF (the scan with an invisible text layer) is what the archive keeps.

ocrmypdf is Debian's command-line tool (`make ocr-deps`): the venv cannot import Debian's
Python module, so it runs as a subprocess in a temporary directory of its own, in a process
group of its own so that a timeout kills Tesseract and Ghostscript with it. Tesseract reads
Norwegian (`nor`) first and English second: the English model alone reads «snøskuter» as
«snaskuter», so `nor` must be there (`available`).

What the file is comes from its first bytes, never from its name. Born-digital pages keep
their own text (`--skip-text`); that text is read back with Ghostscript, since ocrmypdf's
sidecar only says such pages were skipped. Everything that can go wrong with a file a user
sent ends as an OcrError with a reason in Nynorsk; what the tools printed (file paths
included) goes to the log, never to the user.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

#: Larger files are refused: a scanned letter is a few MB; 50 MB is a thick bundle.
MAX_BYTES = 50 * 1024 * 1024
#: More pages are refused: at about 1.5 s a page, 100 pages is already minutes of OCR.
MAX_PAGES = 100
#: The resolution assumed for an image that does not say its own (what scanners use).
DEFAULT_IMAGE_DPI = 300
#: ocrmypdf (through Pillow) refuses an image that claims this resolution or less as "not
#: credible" unless --image-dpi is given; such a claim is treated as no resolution.
_CREDIBLE_DPI = 96.0

_LANGUAGE = re.compile(r"[a-z][a-z0-9_]*(?:\+[a-z][a-z0-9_]*)*")
#: ocrmypdf's sidecar marks pages it did not OCR (runs of them compressed to "3-5").
_SKIPPED = re.compile(r"\[OCR skipped on page\(s\) (\d+)(?:-(\d+))?\]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_TIFF = (b"II*\x00", b"MM\x00*")
#: Environment that would make Debian's /usr/bin/python3 (ocrmypdf) load the venv's packages.
_PYTHON_ENVIRONMENT = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")


class OcrError(Exception):
    """Why a file could not be read, in Nynorsk (gettext), fit to show the user who sent it:
    e.g. the file is not a readable PDF or image, or it is too large."""


@dataclass(frozen=True)
class Recognised:
    """The result of OCR (tekstattkjenning) of one scanned letter."""

    #: The recognised text, pages separated by "\n\n", whitespace tidied.
    text: str
    #: The searchable PDF: the input PDF with a text layer, or the image made into a PDF.
    pdf: bytes
    pages: int
    #: The PDF already had a text layer (born-digital) on some page, and that text was used.
    had_text: bool


def available() -> bool:
    """ocrmypdf and Tesseract with the Norwegian model (`nor`) are installed."""
    if not (shutil.which("ocrmypdf") and shutil.which("gs")):
        return False
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    try:
        listed = subprocess.run(  # noqa: S603 - the installed tesseract, our own arguments
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    # The first line is a heading ("List of available languages in ...").
    return "nor" in listed.stdout.split()


def recognise(
    data: bytes, name: str, *, language: str = "nor+eng", timeout: float = 120.0
) -> Recognised:
    """OCR of a scanned letter: `data` is a PDF or a PNG, JPEG or TIFF image, `name` the
    file's name (for the log and messages only). Raises OcrError with a readable reason for
    a file that cannot be read or takes longer than `timeout` seconds in all."""
    if not _LANGUAGE.fullmatch(language):
        # The caller's mistake, not the user's: Tesseract model names joined by "+".
        raise ValueError(f"not a Tesseract language: {language!r}")
    shown = PurePath(name).name or "?"
    if not data:
        raise OcrError(_("«%(name)s» er tom.") % {"name": shown})
    if len(data) > MAX_BYTES:
        raise OcrError(
            _("«%(name)s» er %(size)s MB; grensa for skanna brev er %(limit)s MB.")
            % {"name": shown, "size": round(len(data) / 2**20), "limit": MAX_BYTES // 2**20}
        )
    kind = _kind(data, shown)
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="tt-ocr-") as tmp:
        workdir = Path(tmp)
        source = workdir / f"input.{kind}"
        source.write_bytes(data)
        output, sidecar = workdir / "output.pdf", workdir / "sidecar.txt"
        run = _Runner(workdir, deadline, timeout, shown)
        if kind == "pdf":
            pages = run.page_count(source)
        else:
            pages = _tiff_pages(data) if kind == "tiff" else 1
            if kind == "png" and _png_has_alpha(data):
                raise OcrError(
                    _(
                        "Biletet «%(name)s» har gjennomsiktige delar (alfakanal). Lagra det "
                        "utan gjennomsikt, til dømes som JPEG, og prøv igjen."
                    )
                    % {"name": shown}
                )
        _check_pages(pages, shown)
        arguments = ["--quiet", "--skip-text", "--output-type", "pdf", "--optimize", "0"]
        arguments += ["--jobs", "1", "--language", language, "--sidecar", str(sidecar)]
        if kind != "pdf" and not _credible(_image_dpi(data, kind)):
            arguments += ["--image-dpi", str(DEFAULT_IMAGE_DPI)]
        code = run.ocrmypdf([*arguments, str(source), str(output)])
        if code != 0:
            if pages == 0 and code != 8:
                # Ghostscript found no page either: whatever ocrmypdf made of it (with no
                # pages it may even fail with an internal error), the PDF is not readable.
                raise OcrError(_("«%(name)s» er ikkje ein lesbar PDF.") % {"name": shown})
            raise OcrError(_exit_message(code, shown))
        if not (output.is_file() and sidecar.is_file()):
            logger.warning("OCR of %r: ocrmypdf succeeded but wrote no PDF or text", shown)
            raise OcrError(_exit_message(15, shown))
        texts = _sidecar_pages(sidecar.read_text(encoding="utf-8", errors="replace"))
        if not texts:
            raise OcrError(_("«%(name)s» har ingen sider.") % {"name": shown})
        had_text = False
        for number, text in enumerate(texts, start=1):
            if text is None:
                texts[number - 1] = run.page_text(output, number)
                had_text = True
        pdf = output.read_bytes()
    tidied = (_tidy(text) for text in texts if text is not None)
    return Recognised(
        text="\n\n".join(text for text in tidied if text),
        pdf=pdf,
        pages=len(texts),
        had_text=had_text,
    )


def _kind(data: bytes, shown: str) -> str:
    # The same test ocrmypdf makes: "%PDF-" somewhere in the first KB (some scanners put
    # bytes before it).
    if re.search(rb"%PDF-\d\.\d", data[:1024]):
        return "pdf"
    if data.startswith(_PNG):
        return "png"
    if data.startswith(_JPEG):
        return "jpeg"
    if data.startswith(_TIFF):
        return "tiff"
    raise OcrError(
        _("«%(name)s» er verken ein PDF eller eit bilete (PNG, JPEG eller TIFF).") % {"name": shown}
    )


def _check_pages(pages: int, shown: str) -> None:
    if pages > MAX_PAGES:
        raise OcrError(
            _(
                "«%(name)s» har %(pages)s sider; grensa for skanna brev er %(limit)s. Del "
                "brevet opp og send delane kvar for seg."
            )
            % {"name": shown, "pages": pages, "limit": MAX_PAGES}
        )


def _exit_message(code: int, shown: str) -> str:
    """What ocrmypdf's exit code (ocrmypdf.exceptions.ExitCode) means for the user."""
    if code == 2:  # input_file: not a PDF or image it can read
        return _("«%(name)s» er ikkje ein lesbar PDF eller eit lesbart bilete.") % {"name": shown}
    if code == 8:  # encrypted_pdf
        return _(
            "«%(name)s» er kryptert eller verna med passord. Send ein versjon utan passord."
        ) % {"name": shown}
    if code == 3:  # missing_dependency: Tesseract, its language or Ghostscript
        return _("Tekstattkjenning (OCR) er ikkje installert på tenaren. Kontakt drifta.")
    if code in (4, 7):  # invalid_output_pdf, child_process_error (Tesseract, Ghostscript)
        return _(
            "Tekstattkjenninga av «%(name)s» feila. Fila kan vere skadd; skann brevet på nytt "
            "eller registrer det for hand."
        ) % {"name": shown}
    # bad_args, file_access_error, invalid_config, other_error: nothing the user caused.
    return _(
        "Tekstattkjenninga av «%(name)s» feila av ein intern grunn. Prøv igjen seinare, eller "
        "registrer brevet for hand."
    ) % {"name": shown}


class _Runner:
    """The subprocesses of one recognition, sharing its deadline and its temporary
    directory (also as TMPDIR, so that what ocrmypdf leaves when killed goes with it)."""

    def __init__(self, workdir: Path, deadline: float, timeout: float, shown: str) -> None:
        self.workdir, self.deadline, self.timeout, self.shown = workdir, deadline, timeout, shown
        environment = {k: v for k, v in os.environ.items() if k not in _PYTHON_ENVIRONMENT}
        # Not OMP_THREAD_LIMIT: ocrmypdf sets it for Tesseract itself, and given one it hangs
        # on a PDF without pages (ocrmypdf 14.0) instead of failing.
        environment["TMPDIR"] = str(workdir)
        self.environment = environment

    def ocrmypdf(self, arguments: list[str]) -> int:
        """ocrmypdf's exit code (ocrmypdf.exceptions.ExitCode), what it said logged."""
        code, _stdout, stderr = self._run(["ocrmypdf", *arguments], "ocrmypdf")
        if code != 0:
            self._log_failure("ocrmypdf", code, stderr)
        return code

    def page_count(self, pdf: Path) -> int:
        """Pages of a PDF as Ghostscript reads it (it repairs what it can, as ocrmypdf,
        which rasterises with Ghostscript, does); 0 if it reads none, encrypted or broken."""
        path = re.sub(r"([()\\])", r"\\\1", str(pdf))  # a PostScript string literal
        program = f"({path}) (r) file runpdfbegin pdfpagecount = quit"
        code, stdout, stderr = self._run([*self._gs(), "-dNODISPLAY", "-c", program], "Ghostscript")
        numbers = re.findall(rb"^\s*(\d+)\s*$", stdout, re.MULTILINE)
        if code != 0 or not numbers:
            self._log_failure("Ghostscript page count", code, stderr + stdout)
            return 0
        return int(numbers[-1])

    def page_text(self, pdf: Path, page: int) -> str:
        """The text layer of one page, as Ghostscript extracts it."""
        code, stdout, stderr = self._run(
            [
                *self._gs(),
                "-sDEVICE=txtwrite",
                f"-dFirstPage={page}",
                f"-dLastPage={page}",
                "-o",
                "-",
                str(pdf),
            ],
            "Ghostscript",
        )
        if code != 0:
            self._log_failure("Ghostscript text extraction", code, stderr)
            raise OcrError(_exit_message(7, self.shown))
        return stdout.decode("utf-8", "replace")

    def _gs(self) -> list[str]:
        # SAFER with reading allowed in our own directory only: the PDF is untrusted.
        permit = f"--permit-file-read={self.workdir}{os.sep}"
        return ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", permit]

    def _run(self, args: list[str], what: str) -> tuple[int, bytes, bytes]:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise self._timed_out(what)
        program = shutil.which(args[0])
        if program is None:
            logger.warning("OCR: %s is not installed", args[0])
            raise OcrError(_exit_message(3, self.shown))
        try:
            # A session of its own: on timeout the whole group (ocrmypdf, Tesseract,
            # Ghostscript) is killed, not just the parent.
            process = subprocess.Popen(  # noqa: S603 - an installed tool, our own arguments
                [program, *args[1:]],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=self.workdir,
                env=self.environment,
                start_new_session=True,
            )
        except OSError as exc:
            logger.warning("OCR: could not start %s: %s", args[0], exc)
            raise OcrError(_exit_message(3, self.shown)) from exc
        try:
            stdout, stderr = process.communicate(timeout=remaining)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise self._timed_out(what) from None
        except BaseException:
            _kill_group(process)
            raise
        return process.returncode, stdout, stderr

    def _timed_out(self, what: str) -> OcrError:
        logger.warning(
            "OCR of %r: %s passed the time limit of %s s", self.shown, what, self.timeout
        )
        return OcrError(
            _(
                "Tekstattkjenninga av «%(name)s» tok lenger tid enn %(seconds)s sekund og vart "
                "avbroten."
            )
            % {"name": self.shown, "seconds": f"{self.timeout:g}"}
        )

    def _log_failure(self, what: str, code: int, said: bytes) -> None:
        text = said.decode("utf-8", "replace").strip()[-2000:]
        logger.warning("OCR of %r: %s failed (exit %s): %s", self.shown, what, code, text)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended on its own meanwhile
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _sidecar_pages(sidecar: str) -> list[str | None]:
    """The sidecar's text page by page, None for a page ocrmypdf skipped (it has text)."""
    pages: list[str | None] = []
    for part in sidecar.split("\f"):
        skipped = _SKIPPED.fullmatch(part.strip())
        if skipped is None:
            pages.append(part)
            continue
        first = int(skipped.group(1))
        last = int(skipped.group(2) or first)
        pages.extend([None] * (last - first + 1))
    return pages


def _tidy(text: str) -> str:
    # Ghostscript lays text out with runs of spaces; Tesseract leaves blank lines between
    # blocks. Lines are kept, paragraphs stay one blank line apart.
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _credible(dpi: tuple[float, float] | None) -> bool:
    return dpi is not None and min(dpi) > _CREDIBLE_DPI


def _image_dpi(data: bytes, kind: str) -> tuple[float, float] | None:
    """The resolution an image declares, read as Pillow (in ocrmypdf) reads it, or None.
    A broken header is no resolution: ocrmypdf then says what is wrong with the file."""
    try:
        if kind == "png":
            return _png_dpi(data)
        if kind == "jpeg":
            return _jpeg_dpi(data)
        if kind == "tiff":
            return _tiff_dpi(data)
    except (struct.error, IndexError, ValueError, ZeroDivisionError):
        return None
    return None


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks before the image data (where Pillow reads metadata)."""
    chunks, offset = [], len(_PNG)
    while offset + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, offset)
        if kind == b"IDAT":
            break
        chunks.append((kind, data[offset + 8 : offset + 8 + length]))
        offset += 12 + length
    return chunks


def _png_dpi(data: bytes) -> tuple[float, float] | None:
    for kind, body in _png_chunks(data):
        if kind == b"pHYs" and len(body) >= 9 and body[8] == 1:  # unit 1: the metre
            x, y = struct.unpack_from(">II", body)
            return x * 0.0254, y * 0.0254
    return None


def _png_has_alpha(data: bytes) -> bool:
    # ocrmypdf refuses images with an alpha channel: colour types 4 and 6 in IHDR.
    for kind, body in _png_chunks(data):
        if kind == b"IHDR" and len(body) >= 10:
            return body[9] in (4, 6)
    return False


def _jpeg_dpi(data: bytes) -> tuple[float, float] | None:
    exif: bytes | None = None
    offset = 2
    while offset + 4 <= len(data) and data[offset] == 0xFF:
        marker = data[offset + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more metadata
            break
        (length,) = struct.unpack_from(">H", data, offset + 2)
        body = data[offset + 4 : offset + 2 + length]
        if marker == 0xE0 and body[:4] == b"JFIF" and len(body) >= 12 and body[7] == 1:
            x, y = struct.unpack_from(">HH", body, 8)  # unit 1: dots per inch
            return float(x), float(y)
        if marker == 0xE1 and body[:6] == b"Exif\x00\x00" and exif is None:
            exif = body[6:]
        offset += 2 + length
    # Pillow's fallback; where it cannot read EXIF it says 72 dpi, which is not credible.
    return _tiff_dpi(exif, exif=True) if exif else None


def _tiff_ifds(data: bytes) -> tuple[str, list[int]]:
    """The byte order and the offsets of a TIFF's image directories (one per page)."""
    order = "<" if data[:2] == b"II" else ">"
    (offset,) = struct.unpack_from(order + "I", data, 4)
    offsets: list[int] = []
    # A loop in the chain, or more pages than anyone may send, ends the walk.
    while offset and offset not in offsets and len(offsets) <= MAX_PAGES:
        offsets.append(offset)
        (count,) = struct.unpack_from(order + "H", data, offset)
        (offset,) = struct.unpack_from(order + "I", data, offset + 2 + 12 * count)
    return order, offsets


def _tiff_pages(data: bytes) -> int:
    try:
        return len(_tiff_ifds(data)[1]) or 1
    except (struct.error, IndexError):
        return 1  # a broken TIFF: ocrmypdf says so


def _tiff_dpi(data: bytes, *, exif: bool = False) -> tuple[float, float] | None:
    """The resolution in the first directory of a TIFF file or of a JPEG's EXIF."""
    order, offsets = _tiff_ifds(data)
    start = offsets[0]
    (count,) = struct.unpack_from(order + "H", data, start)
    tags: dict[int, float] = {}
    for n in range(count):
        tag, kind, _number, value = struct.unpack_from(order + "HHI4s", data, start + 2 + 12 * n)
        if tag in (282, 283) and kind == 5:  # X/YResolution, a RATIONAL stored elsewhere
            (at,) = struct.unpack_from(order + "I", value)
            numerator, denominator = struct.unpack_from(order + "II", data, at)
            tags[tag] = numerator / denominator
        elif tag == 296 and kind == 3:  # ResolutionUnit, a SHORT
            tags[tag] = struct.unpack_from(order + "H", value)[0]
    if 282 not in tags or 283 not in tags or (exif and 296 not in tags):
        # Pillow reads EXIF without a unit as 72 dpi; in a TIFF file the unit is the inch.
        return None
    unit = tags.get(296, 2)
    if unit == 2:
        return tags[282], tags[283]
    if unit == 3:  # centimetre
        return tags[282] * 2.54, tags[283] * 2.54
    return None
