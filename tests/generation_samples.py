"""Sample files for the generation tests, made here so no binary fixture is checked in."""

from __future__ import annotations

import io
from pathlib import Path


def pdf_bytes(pages: list[str]) -> bytes:
    """A valid PDF whose pages have the given content streams (Helvetica as /F1), with a correct xref."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for stream in pages:
        page_no = len(objects) + 1
        kids.append(f"{page_no} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {page_no + 1} 0 R "
                       f"/Resources << /Font << /F1 {page_no + 2} 0 R >> >> >>")
        data = stream.encode("latin-1")
        objects.append(f"<< /Length {len(data)} >>\nstream\n{stream}\nendstream")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def text_page(lines: list[str], x: int = 72, top: int = 720, size: int = 14) -> str:
    ops = [f"BT /F1 {size} Tf {x} {top - i * (size + 6)} Td ({line}) Tj ET" for i, line in enumerate(lines)]
    return "\n".join(ops)


def table_page(rows: list[list[str]], x: int = 72, top: int = 700, col: int = 120, row: int = 24) -> str:
    """A ruled table: grid lines plus one text cell per intersection (pdfplumber finds it by its lines)."""
    ncols, nrows = len(rows[0]), len(rows)
    ops = ["0.5 w"]
    for r in range(nrows + 1):
        y = top - r * row
        ops.append(f"{x} {y} m {x + ncols * col} {y} l S")
    for c in range(ncols + 1):
        xx = x + c * col
        ops.append(f"{xx} {top} m {xx} {top - nrows * row} l S")
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            ops.append(f"BT /F1 11 Tf {x + c * col + 6} {top - (r + 1) * row + 8} Td ({cell}) Tj ET")
    return "\n".join(ops)


def write_pdf(path: Path, pages: list[str]) -> Path:
    path.write_bytes(pdf_bytes(pages))
    return path


def text_image(path: Path, text: str, size: tuple[int, int] = (900, 200)) -> Path:
    """A PNG with large black text on white, easy for OCR."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((30, 60), text, fill="black", font=ImageFont.load_default(size=56))
    image.save(path)
    return path
