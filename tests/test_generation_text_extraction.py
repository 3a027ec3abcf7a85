"""Text extraction: PDF text and tables, page selection, OCR in the configured languages, and the
messages when a tool or language is missing."""

from __future__ import annotations

import pytest

import generation_samples as samples
from massgen.generation.text_extraction import (ExtractionError, extract_text, extract_text_async, parse_pages,
                                                tesseract_codes, tesseract_path)

needs_tesseract = pytest.mark.skipif(tesseract_path() is None, reason="Tesseract is not installed here")


@pytest.fixture
def report(tmp_path):
    return samples.write_pdf(tmp_path / "report.pdf", [
        samples.text_page(["Quarterly report", "Revenue grew strongly"]),
        samples.table_page([["Region", "Sales"], ["North", "120"], ["South", "95"]]),
        samples.text_page(["Appendix"]),
    ])


def test_pdf_text_by_page(report):
    result = extract_text(report)
    assert result.kind == "pdf" and result.pages == 3
    assert "--- page 1 ---\nQuarterly report" in result.text and "Appendix" in result.text


def test_pdf_tables_come_out_as_rows(report):
    pytest.importorskip("pdfplumber")
    result = extract_text(report)
    assert result.tables == [[["Region", "Sales"], ["North", "120"], ["South", "95"]]]
    assert "| Region | Sales |\n|---|---|\n| North | 120 |" in result.text


def test_without_tables_the_layout_text_keeps_the_columns(report):
    result = extract_text(report, tables=False)
    assert result.tables == [] and "North" in result.text and "120" in result.text


def test_page_selection(report):
    result = extract_text(report, pages="2-3")
    assert "Quarterly" not in result.text and "Appendix" in result.text
    assert parse_pages("1,3,1", 3, "f") == [0, 2]
    with pytest.raises(ExtractionError, match="has pages 1 to 3"):
        extract_text(report, pages="4")
    with pytest.raises(ExtractionError, match="such as '1-3,5'"):
        extract_text(report, pages="first")


def test_long_text_is_cut_with_a_note(report):
    result = extract_text(report, max_chars=20)
    assert len(result.text) == 20 and result.truncated and "cut at 20" in result.notes[0]


def test_broken_and_unsupported_files_are_clear_errors(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"garbage" * 20)
    with pytest.raises(ExtractionError, match="broken.pdf"):
        extract_text(broken)
    with pytest.raises(ExtractionError, match="folder"):
        extract_text(tmp_path)


def test_iso_languages_map_to_tesseract_codes():
    assert tesseract_codes(["en", "es", "fr", "de", "zh", "ja"]) == ["eng", "spa", "fra", "deu", "chi_sim", "jpn"]
    assert tesseract_codes(["zh-TW", "eng"]) == ["chi_tra", "eng"]
    with pytest.raises(ExtractionError, match="ISO codes"):
        tesseract_codes(["xx"])


def test_without_tesseract_the_message_says_what_to_install(tmp_path, monkeypatch):
    image = samples.text_image(tmp_path / "note.png", "Hello")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ExtractionError) as err:
        extract_text(image)
    assert "apt-get install tesseract-ocr" in str(err.value) and "note.png" in str(err.value)


@needs_tesseract
async def test_ocr_reads_an_image_and_notes_missing_languages(tmp_path):
    image = samples.text_image(tmp_path / "sign.png", "OPEN DAILY FROM NINE")
    result = await extract_text_async(image, languages=["en", "ja"])
    assert result.kind == "image" and {"OPEN", "DAILY", "FROM", "NINE"} <= set(result.text.split())
    from massgen.generation.text_extraction import installed_languages

    if "jpn" not in installed_languages(tesseract_path()):
        assert "apt-get install tesseract-ocr-jpn" in result.notes[0]


@needs_tesseract
def test_a_scanned_pdf_page_is_read_by_ocr(tmp_path):
    pytest.importorskip("pypdfium2")
    from PIL import Image

    picture = samples.text_image(tmp_path / "scan.png", "SCANNED PAGE 7", size=(1200, 300))
    scan = tmp_path / "scan.pdf"
    with Image.open(picture) as img:
        img.save(scan, "PDF", resolution=150)
    result = extract_text(scan, languages=["en"])
    assert {"SCANNED", "PAGE"} <= set(result.text.split()) and result.method == "pypdf+tesseract"
