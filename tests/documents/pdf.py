"""Reading a PDF back as a reader would: its text, and each page drawn as an image."""

from __future__ import annotations

import pypdfium2 as pdfium


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace folded (table cells wrap lines anywhere)."""
    document = pdfium.PdfDocument(content)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    return " ".join(" ".join(pages).split())


def inked_pages(content: bytes) -> list[float]:
    """For each page drawn at 50 dpi, the share of its pixels that are not white."""
    document = pdfium.PdfDocument(content)
    shares = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=50 / 72).to_pil().convert("L")
            histogram = image.histogram()
            total = image.width * image.height
            shares.append(1 - sum(histogram[240:]) / total)
    finally:
        document.close()
    return shares
