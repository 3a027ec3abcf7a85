"""Stand-ins for files a backend cannot take: the text of a text file, the extracted text of a PDF,
the transcript of a recording (transcript.py).

Blocking (pypdf parses the whole document; speech-to-text waits on the provider): call from a thread. Both are capped, so a huge file
costs bounded time and memory, and say so when they are cut."""

from __future__ import annotations

import codecs
import io
import os
from typing import Literal

from massgen.media.errors import MediaError, one_line
from massgen.media.fileio import open_file

from .transcript import transcript_text

PDF_MIME = "application/pdf"
TEXT_MIMES = frozenset({"application/json", "application/xml", "image/svg+xml", "application/rtf"})
TEXT_MAX_CHARS = 100_000
PDF_MAX_PAGES = 300
_TEXT_MAX_BYTES = 4 * TEXT_MAX_CHARS  # UTF-8 needs at most 4 bytes a character
_BOM_CODECS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
               (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def stand_in_kind(mime_type: str) -> Literal["pdf_text", "text", "transcript"] | None:
    """Which stand-in a file has when a backend cannot take it as a file."""
    if mime_type == PDF_MIME:
        return "pdf_text"
    if mime_type.startswith("audio/"):
        return "transcript"
    if mime_type.startswith("text/") or mime_type in TEXT_MIMES:
        return "text"
    return None


def stand_in_text(path: str, mime_type: str) -> str:
    """The text that stands in for a PDF, a text file or a recording (blocking)."""
    kind = stand_in_kind(mime_type)
    if kind == "transcript":
        text = transcript_text(path)
        return _capped(text[:TEXT_MAX_CHARS], len(text) > TEXT_MAX_CHARS, "characters")
    return extract_pdf_text(path) if kind == "pdf_text" else read_text(path)


def read_text(path: str | os.PathLike[str]) -> str:
    """A text file's content (BOM-aware, undecodable bytes replaced), cut at TEXT_MAX_CHARS."""
    raw, st = open_file(path)
    with raw:
        data = raw.read(_TEXT_MAX_BYTES) or b""
    encoding = next((name for bom, name in _BOM_CODECS if data.startswith(bom)), "utf-8")
    text = data.decode(encoding, errors="replace")
    cut = st.st_size > len(data) or len(text) > TEXT_MAX_CHARS
    return _capped(text[:TEXT_MAX_CHARS], cut, "characters")


def extract_pdf_text(path: str | os.PathLike[str]) -> str:
    """The text of a PDF's pages (up to PDF_MAX_PAGES); MediaError when it has none or cannot be parsed."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    raw, _ = open_file(path)
    try:
        with raw:
            reader = PdfReader(io.BufferedReader(raw))
            if reader.is_encrypted and not reader.decrypt(""):
                raise MediaError(path, "is a password-protected PDF", "save an unprotected copy and attach that")
            texts, total = _page_texts(reader)
    except MediaError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise MediaError(path, "is an encrypted PDF", "save an unprotected copy and attach that") from None
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError) as exc:
        raise MediaError(path, f"its text cannot be extracted ({one_line(exc, 80)})",
                         "export it again as PDF, or paste the text you need") from None
    text = "\n\n".join(t for t in texts if t)
    if not text:
        raise MediaError(path, "has no text layer (a scanned PDF?)", "run OCR on it or paste the text you need")
    text = _capped(text[:TEXT_MAX_CHARS], len(text) > TEXT_MAX_CHARS, "characters")
    if total > len(texts):
        text += f"\n[… {total - len(texts)} more pages not extracted]"
    return text


def _page_texts(reader) -> tuple[list[str], int]:
    """Page texts until PDF_MAX_PAGES or TEXT_MAX_CHARS is reached, and the page count."""
    texts: list[str] = []
    chars = 0
    pages = reader.pages
    for i in range(min(len(pages), PDF_MAX_PAGES)):
        texts.append((pages[i].extract_text() or "").strip())
        chars += len(texts[-1])
        if chars > TEXT_MAX_CHARS:
            break
    return texts, len(pages)


def _capped(text: str, cut: bool, unit: str) -> str:
    return f"{text}\n[… cut at {TEXT_MAX_CHARS:,} {unit}]" if cut else text
