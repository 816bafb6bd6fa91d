"""Archival PDF/A-2b from PDF, images and office files, with the real converters.

Ghostscript writes every PDF/A: a PDF goes straight through it; an image is first wrapped in
a PDF, unchanged, by img2pdf; an office file is first printed to PDF by LibreOffice headless.
Ghostscript and img2pdf come with `make archive-deps` (Debian's packages); LibreOffice is
large, so where it is missing an office file is not converted but reported as waiting
(ConverterMissing), and core.documents leaves it in the conversion queue.

The result is checked to declare PDF/A-2 in its XMP metadata (pdfaid:part); veraPDF, which
would validate the whole file, is not available here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

#: How long one converter may run before the conversion is given up as failed.
TIMEOUT_SECONDS = 300

PDF_TYPES = frozenset({"application/pdf"})
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/tiff"})
OFFICE_TYPES = frozenset(
    {
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        # Plain text and CSV are printed by LibreOffice too.
        "text/plain",
        "text/csv",
    }
)
CONVERTIBLE_TYPES = PDF_TYPES | IMAGE_TYPES | OFFICE_TYPES

#: The PRONOM identifier of what Ghostscript writes here: PDF/A-2b.
PDFA_2B_PRONOM = "fmt/477"

_PDFAID_PART = re.compile(rb"pdfaid:part\s*(?:=\s*['\"](\d)['\"]|>\s*(\d)\s*<)")


class ConversionError(Exception):
    """The converter ran and failed, or what it wrote is not PDF/A."""


class ConverterMissing(Exception):
    """The converter this type needs is not installed (LibreOffice, for office files)."""


class NoConverter(Exception):
    """No converter makes PDF/A of this type (e-mail files, for instance)."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def ghostscript_version() -> str:
    gs = _tool("gs", "Ghostscript")
    return subprocess.run(  # noqa: S603 - the installed gs, our own arguments
        [gs, "--version"], capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()


def declared_pdfa_part(pdf: bytes) -> int | None:
    """The PDF/A part (1, 2, 3) a PDF declares in its XMP metadata, or None."""
    match = _PDFAID_PART.search(pdf)
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


def to_pdfa(source: Path, mime_type: str, workdir: Path) -> tuple[Path, str]:
    """Convert `source` (of the checked `mime_type`) to PDF/A-2b in `workdir`; returns the
    file written and the converter chain, e.g. "img2pdf + ghostscript 10.00.0"."""
    if mime_type in PDF_TYPES:
        pdf, chain = source, []
    elif mime_type in IMAGE_TYPES:
        pdf, chain = _image_to_pdf(source, workdir), ["img2pdf"]
    elif mime_type in OFFICE_TYPES:
        pdf, chain = _office_to_pdf(source, workdir), ["libreoffice"]
    else:
        raise NoConverter(mime_type)
    output = workdir / "pdfa.pdf"
    _ghostscript_pdfa(pdf, output, workdir)
    if declared_pdfa_part(output.read_bytes()) != 2:
        raise ConversionError("Ghostscript wrote a PDF that does not declare PDF/A-2")
    return output, " + ".join([*chain, f"ghostscript {ghostscript_version()}"])


def _tool(command: str, name: str) -> str:
    path = shutil.which(command)
    if path is None:
        raise ConverterMissing(name)
    return path


def _run(args: list[str], what: str) -> None:
    try:
        # The program is a path from shutil.which; the arguments are our own and file paths.
        done = subprocess.run(  # noqa: S603
            args, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ConversionError(f"{what} took longer than {TIMEOUT_SECONDS} s") from exc
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-500:]
        raise ConversionError(f"{what} failed (exit {done.returncode}): {said}")


def _image_to_pdf(source: Path, workdir: Path) -> Path:
    # img2pdf puts JPEG and PNG data into the PDF as they are, without re-encoding.
    output = workdir / "image.pdf"
    _run([_tool("img2pdf", "img2pdf"), "--output", str(output), str(source)], "img2pdf")
    return output


def _office_to_pdf(source: Path, workdir: Path) -> Path:
    program = soffice()
    if program is None:
        raise ConverterMissing("LibreOffice")
    # A profile of its own: LibreOffice refuses to start while another instance holds the
    # user's profile (a desktop session, or a second conversion at the same time).
    profile = workdir / "lo-profile"
    _run(
        [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir / "lo-out"),
            str(source),
        ],
        "LibreOffice",
    )
    output = workdir / "lo-out" / (source.stem + ".pdf")
    if not output.exists():
        raise ConversionError("LibreOffice wrote no PDF")
    return output


def _ghostscript_pdfa(source: Path, output: Path, workdir: Path) -> None:
    gs = _tool("gs", "Ghostscript")
    icc = _srgb_profile()
    # Ghostscript's own PDFA_def.ps, with the path of the sRGB profile filled in: the
    # output intent PDF/A asks for.
    definition = workdir / "pdfa_def.ps"
    definition.write_text(_PDFA_DEF.replace("@ICC@", _ps_string(str(icc))))
    _run(
        [
            gs,
            "-q",
            "-dSAFER",
            f"--permit-file-read={icc}",
            "-dBATCH",
            "-dNOPAUSE",
            "-dNOOUTERSAVE",
            # A PDF Ghostscript cannot read at all fails, instead of becoming one blank page;
            # damage it can repair (a broken cross-reference table) is still repaired.
            "-dPDFSTOPONERROR",
            "-dPDFA=2",
            # 1: leave out what PDF/A forbids and go on (document info that XMP cannot hold,
            # as LibreOffice writes it), instead of 0's quiet fallback to a plain PDF.
            "-dPDFACompatibilityPolicy=1",
            "-sColorConversionStrategy=RGB",
            "-sDEVICE=pdfwrite",
            f"-sOutputFile={output}",
            str(definition),
            str(source),
        ],
        "Ghostscript",
    )


def _srgb_profile() -> Path:
    # Debian keeps the profiles beside each version's lib folder; the newest wins.
    found = sorted(Path("/usr/share/ghostscript").glob("*/iccprofiles/srgb.icc"))
    if not found:
        raise ConversionError("Ghostscript's sRGB profile (iccprofiles/srgb.icc) is missing")
    return found[-1]


def _ps_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


_PDFA_DEF = """%!
/ICCProfile @ICC@ def
[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark
[{icc_PDFA} << /N 3 >> /PUT pdfmark
[{icc_PDFA} ICCProfile (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark
[{OutputIntent_PDFA} <<
  /Type /OutputIntent
  /S /GTS_PDFA1
  /DestOutputProfile {icc_PDFA}
  /OutputConditionIdentifier (sRGB)
>> /PUT pdfmark
[{Catalog} << /OutputIntents [ {OutputIntent_PDFA} ] >> /PUT pdfmark
"""
