"""Text extraction (the `text_extraction` agent tool): text and tables from PDFs, text from images by OCR.

PDF text comes from pypdf (layout mode keeps columns); tables from pdfplumber when it is installed.
Images (and PDF pages without a text layer) go through Tesseract, run as a subprocess, in the
configured languages. Where a tool is missing the message says what to install.
"""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

from massgen.media import MediaError, MediaType, display_name, probe
from massgen.media.errors import one_line

from .errors import GenerationInputError

DEFAULT_MAX_CHARS = 200_000
DEFAULT_OCR_TIMEOUT = 120.0
OCR_DPI = 300
ISO_TO_TESSERACT = {
    "en": "eng", "es": "spa", "fr": "fra", "de": "deu", "zh": "chi_sim", "zh-cn": "chi_sim", "zh-hans": "chi_sim",
    "zh-tw": "chi_tra", "zh-hant": "chi_tra", "ja": "jpn", "it": "ita", "pt": "por", "ru": "rus", "ko": "kor",
    "ar": "ara", "hi": "hin", "nl": "nld", "pl": "pol", "tr": "tur", "sv": "swe", "uk": "ukr",
}


class ExtractionError(GenerationInputError):
    """The file cannot be read as text; the message names the file and what to do."""


@dataclass
class Extraction:
    """What came out of one file."""

    path: str
    kind: str
    text: str
    method: str
    pages: int | None = None
    tables: list[list[list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["tables"] = len(self.tables)
        return {k: v for k, v in out.items() if v not in (None, [], False)}


def extract_text(path: str | os.PathLike[str], *, languages: Sequence[str] = ("en",), preserve_formatting: bool = True,
                 tables: bool = True, pages: str | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                 ocr_timeout: float = DEFAULT_OCR_TIMEOUT) -> Extraction:
    """Text of a PDF, image or text file (blocking: call extract_text_async from async code)."""
    try:
        info = probe(path)
    except MediaError as exc:
        raise ExtractionError(str(exc)) from None
    file = str(info.path)
    name = display_name(file)
    if info.mime_type == "application/pdf":
        result = _pdf(file, name, languages, preserve_formatting, tables, pages, ocr_timeout)
    elif info.media_type == MediaType.IMAGE:
        text, notes = ocr(file, name, languages, preserve_formatting, ocr_timeout)
        result = Extraction(file, "image", text, "tesseract", notes=notes)
    elif info.mime_type.startswith("text/") or info.mime_type in ("application/json", "application/xml"):
        with open(file, encoding="utf-8", errors="replace") as handle:
            result = Extraction(file, "text", handle.read(max_chars + 1), "read")
    else:
        raise ExtractionError(f"{name}: is {info.label}; give a PDF, an image or a text file")
    if len(result.text) > max_chars:
        result.text, result.truncated = result.text[:max_chars], True
        result.notes.append(f"text cut at {max_chars} characters")
    return result


async def extract_text_async(path: str | os.PathLike[str], **kwargs: Any) -> Extraction:
    """extract_text in a worker thread, so PDF parsing and OCR never stall the event loop."""
    return await asyncio.to_thread(extract_text, path, **kwargs)


# -- PDF -----------------------------------------------------------------------------

def _pdf(path: str, name: str, languages: Sequence[str], layout: bool, want_tables: bool, pages: str | None,
         ocr_timeout: float) -> Extraction:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(f"{name}: is password-protected; save an unprotected copy and give that")
        count = len(reader.pages)
        chosen = parse_pages(pages, count, name)
        result = Extraction(path, "pdf", "", "pypdf", pages=count)
        table_pages = _tables(path, chosen, result) if want_tables else {}
        parts = []
        for index in chosen:
            text = reader.pages[index].extract_text(extraction_mode="layout" if layout else "plain") or ""
            if not text.strip():
                text = _ocr_page(path, index, name, languages, layout, ocr_timeout, result)
            parts.append(f"--- page {index + 1} ---\n{text.rstrip()}")
            parts.extend(markdown_table(t, f"Table {index + 1}.{k + 1}") for k, t in enumerate(table_pages.get(index, [])))
    except (PdfReadError, FileNotDecryptedError, ValueError, KeyError) as exc:
        if isinstance(exc, ExtractionError):
            raise
        raise ExtractionError(f"{name}: cannot be read as a PDF ({one_line(exc, 120)}); check the file") from None
    result.text = "\n\n".join(parts)
    return result


def parse_pages(spec: str | None, count: int, name: str) -> list[int]:
    """0-based page indexes from '1-3,5' (1-based, inclusive); all pages when None."""
    if not spec:
        return list(range(count))
    chosen: list[int] = []
    for part in str(spec).replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ExtractionError(f"pages {spec!r}: use numbers and ranges such as '1-3,5'")
        lo, hi = int(first), int(last or first)
        if not 1 <= lo <= hi <= count:
            raise ExtractionError(f"pages {spec!r}: {name} has pages 1 to {count}")
        chosen.extend(i for i in range(lo - 1, hi) if i not in chosen)
    return chosen


def _tables(path: str, chosen: list[int], result: Extraction) -> dict[int, list[list[list[str]]]]:
    """Tables per page index, from pdfplumber when installed (else a note, and the layout text stands)."""
    try:
        import pdfplumber
    except ImportError:
        result.notes.append("tables are kept as laid-out text; install pdfplumber to get them as tables")
        return {}
    found: dict[int, list[list[list[str]]]] = {}
    with pdfplumber.open(path) as pdf:
        for index in chosen:
            rows = [[[(cell or "").strip() for cell in row] for row in table] for table in pdf.pages[index].extract_tables()]
            if rows:
                found[index] = rows
                result.tables.extend(rows)
    if found:
        result.method = "pypdf+pdfplumber"
    return found


def markdown_table(rows: list[list[str]], title: str) -> str:
    width = max(len(r) for r in rows)
    cells = [[c.replace("|", "\\|").replace("\n", " ") for c in r] + [""] * (width - len(r)) for r in rows]
    lines = [f"{title}:", "| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return "\n".join(lines)


def _ocr_page(path: str, index: int, name: str, languages: Sequence[str], layout: bool, timeout: float,
              result: Extraction) -> str:
    """OCR of a PDF page without a text layer (a scan), when pypdfium2 and Tesseract are there."""
    try:
        import pypdfium2  # type: ignore[import-untyped]  # it ships no type information
    except ImportError:
        result.notes.append(f"page {index + 1} has no text layer; install pdfplumber (it brings pypdfium2) to OCR scans")
        return ""
    if tesseract_path() is None:
        result.notes.append(f"page {index + 1} has no text layer; install Tesseract to OCR it")
        return ""
    document = pypdfium2.PdfDocument(path)
    try:
        picture = document[index].render(scale=OCR_DPI / 72).to_pil()
    finally:
        document.close()
    with tempfile.TemporaryDirectory() as tmp:
        image_path = os.path.join(tmp, f"page-{index + 1}.png")
        picture.save(image_path)
        text, notes = ocr(image_path, f"{name} page {index + 1}", languages, layout, timeout)
    result.notes.extend(notes)
    result.method = "pypdf+tesseract"
    return text


# -- OCR -----------------------------------------------------------------------------

def tesseract_path() -> str | None:
    return shutil.which("tesseract")


@functools.lru_cache(maxsize=4)
def installed_languages(binary: str) -> frozenset[str]:
    done = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def tesseract_codes(languages: Sequence[str]) -> list[str]:
    """ISO codes (en, es, zh, ja, ...) as Tesseract's (eng, spa, chi_sim, jpn, ...); its own codes pass."""
    codes = []
    for lang in languages or ("en",):
        key = str(lang).strip().lower().replace("_", "-")
        code = ISO_TO_TESSERACT.get(key) or (str(lang).strip() if len(key) >= 3 else None)
        if code is None:
            raise ExtractionError(f"language {lang!r} is not known; use ISO codes such as en, es, fr, de, zh, ja")
        if code not in codes:
            codes.append(code)
    return codes


def ocr(path: str, name: str, languages: Sequence[str], preserve_formatting: bool = True,
        timeout: float = DEFAULT_OCR_TIMEOUT) -> tuple[str, list[str]]:
    """(text, notes) of an image by Tesseract in the languages that are installed."""
    binary = tesseract_path()
    if binary is None:
        raise ExtractionError(f"{name}: reading text from images needs Tesseract, which is not installed; "
                              "install it (Debian/Ubuntu: apt-get install tesseract-ocr) or give a PDF with text")
    wanted = tesseract_codes(languages)
    have = installed_languages(binary)
    usable = [c for c in wanted if c in have]
    missing = [c for c in wanted if c not in have]
    notes = []
    if missing:
        packages = " ".join("tesseract-ocr-" + c.replace("_", "-") for c in missing)
        notes.append(f"OCR languages not installed: {', '.join(missing)} (apt-get install {packages})")
    if not usable:
        raise ExtractionError(f"{name}: none of the OCR languages {', '.join(wanted)} is installed; {notes[0]}")
    command = [binary, path, "stdout", "-l", "+".join(usable), "--psm", "3"]
    if preserve_formatting:
        command += ["-c", "preserve_interword_spaces=1"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ExtractionError(f"{name}: OCR took longer than {timeout:g} s; give a smaller image or raise ocr_timeout") from None
    if done.returncode != 0:
        detail = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["failed"])[-1]
        raise ExtractionError(f"{name}: Tesseract could not read it ({one_line(detail, 120)}); convert it to PNG")
    return done.stdout.decode("utf-8", "replace").strip(), notes


def check_languages(languages: Sequence[str]) -> list[str]:
    """Validate configured languages early (config load); returns Tesseract codes."""
    return tesseract_codes(languages)


__all__ = ["Extraction", "ExtractionError", "extract_text", "extract_text_async", "ocr", "parse_pages",
           "tesseract_codes"]
