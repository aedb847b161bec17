"""The evidence file store: type from content, limits, generated keys, no leftovers, no escape.

Pure: files under pytest's ``tmp_path``, no app, no database.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import filetype
import openpyxl
import pytest

from kinerja.domain.errors import DomainError
from kinerja.storage import (
    ALLOWED_TYPES,
    MB,
    FileStore,
    UploadRejected,
    default_store,
    display_name,
    extension_for,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def png_bytes() -> bytes:
    """A real 1x1 grey PNG: signature, IHDR, IDAT, IEND with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def jpeg_bytes() -> bytes:
    # SOI, a JFIF APP0 segment, EOI: enough for any magic-number reader.
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def gif_bytes() -> bytes:
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
        b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def webp_bytes() -> bytes:
    body = b"WEBPVP8L" + struct.pack("<I", 6) + b"\x2f\x00\x00\x00\x00\x00"
    return b"RIFF" + struct.pack("<I", len(body)) + body


def zip_bytes(entries: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """The order Word writes and filetype looks for: [Content_Types].xml, then word/..."""
    return zip_bytes(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document/>"),
        ]
    )


def late_docx_bytes() -> bytes:
    """A DOCX whose word/ parts come after five other entries (as some writers do)."""
    return zip_bytes(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML),
            ("_rels/.rels", b"<Relationships/>"),
            ("docProps/app.xml", b"<Properties/>"),
            ("docProps/core.xml", b"<coreProperties/>"),
            ("customXml/item1.xml", b"<item/>"),
            ("customXml/itemProps1.xml", b"<props/>"),
            ("word/document.xml", b"<w:document/>"),
        ]
    )


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.create_sheet("Bukti").append(["Bukti dukung"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx_bytes() -> bytes:
    return zip_bytes(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML),
            ("ppt/presentation.xml", b"<p:presentation/>"),
        ]
    )


def odf_bytes(mime: str) -> bytes:
    """ODF rule: the first entry is ``mimetype``, stored uncompressed."""
    return zip_bytes([("mimetype", mime.encode()), ("content.xml", b"<doc/>")], stored_first=True)


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "store", max_bytes=MB)


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# -- accepted types, from the content ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type", "extension"),
    [
        (pdf_bytes(), "laporan.pdf", "application/pdf", "pdf"),
        (png_bytes(), "foto.png", "image/png", "png"),
        (jpeg_bytes(), "foto.jpeg", "image/jpeg", "jpg"),
        (gif_bytes(), "anim.gif", "image/gif", "gif"),
        (webp_bytes(), "foto.webp", "image/webp", "webp"),
        (docx_bytes(), "surat.docx", DOCX, "docx"),
        (late_docx_bytes(), "surat.docx", DOCX, "docx"),
        (xlsx_bytes(), "rekap.xlsx", XLSX, "xlsx"),
        (pptx_bytes(), "paparan.pptx", PPTX, "pptx"),
        (odf_bytes(ODT), "surat.odt", ODT, "odt"),
        (odf_bytes(ODS), "rekap.ods", ODS, "ods"),
    ],
)
def test_save_accepts_each_type_by_its_content(
    store: FileStore, content: bytes, name: str, content_type: str, extension: str
) -> None:
    stored = store.save(io.BytesIO(content), name)

    assert stored.content_type == content_type
    assert stored.key.endswith(f".{extension}")
    assert stored.size == len(content)
    assert store.path(stored.key).read_bytes() == content
    assert ALLOWED_TYPES[content_type] == extension


def test_save_needs_no_name_at_all(store: FileStore) -> None:
    stored = store.save(io.BytesIO(pdf_bytes()), None)
    assert stored.content_type == "application/pdf"
    assert stored.original_name == "file.pdf"


def test_filetype_alone_sees_a_late_docx_as_a_zip() -> None:
    # Why the store looks into ZIPs itself: without it this valid DOCX would be rejected.
    assert filetype.guess_mime(late_docx_bytes()) == "application/zip"
    assert filetype.guess_mime(docx_bytes()) == DOCX


def test_a_png_named_pdf_is_stored_as_a_png(store: FileStore) -> None:
    stored = store.save(io.BytesIO(png_bytes()), "report.pdf")

    assert stored.content_type == "image/png"
    assert stored.key.endswith(".png")
    assert stored.original_name == "report.png"


@pytest.mark.parametrize(
    ("content", "detected"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(64), "application/x-msdownload"),
        (b"\x7fELF\x02\x01\x01" + bytes(64), "application/x-executable"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html"),
        (b"\xef\xbb\xbf  \n<svg xmlns='http://www.w3.org/2000/svg'/>", "text/html"),
        (zip_bytes([("a.txt", b"hello")]), "application/zip"),
        (b"\x1f\x8b\x08\x00" + bytes(32), "application/gzip"),
    ],
)
def test_save_rejects_other_content_whatever_its_name(
    store: FileStore, content: bytes, detected: str
) -> None:
    with pytest.raises(UploadRejected) as caught:
        store.save(io.BytesIO(content), "laporan.pdf")

    assert caught.value.params == {"type": detected}
    assert str(caught.value) == (
        f"Files of this type are not accepted ({detected}). "
        "Accepted: PDF, images, Office documents, text."
    )
    assert leftovers(store.root) == []


def test_only_the_configured_types_are_accepted(tmp_path: Path) -> None:
    images_only = FileStore(tmp_path, MB, allowed={"image/png": "png"})

    assert images_only.save(io.BytesIO(png_bytes()), "a.png").content_type == "image/png"
    with pytest.raises(UploadRejected):
        images_only.save(io.BytesIO(pdf_bytes()), "a.pdf")


# -- text ---------------------------------------------------------------------------------------


def test_utf8_text_is_accepted_as_plain_text(store: FileStore) -> None:
    content = "Catatan kegiatan: rapat koordinasi — 3 peserta ✓\n".encode()
    stored = store.save(io.BytesIO(content), "catatan.md")

    assert stored.content_type == "text/plain"
    assert stored.key.endswith(".txt")
    assert stored.original_name == "catatan.txt"


def test_utf8_text_named_csv_is_accepted_as_csv(store: FileStore) -> None:
    stored = store.save(io.BytesIO(b"nip,nama\n1,Budi\n"), "Rekap.CSV")
    assert stored.content_type == "text/csv"
    assert stored.key.endswith(".csv")


def test_text_is_checked_to_its_end_not_only_its_first_bytes(store: FileStore) -> None:
    content = b"a" * 100_000 + b"\xff\xfe"  # invalid UTF-8 far past the sniffed header
    with pytest.raises(UploadRejected) as caught:
        store.save(io.BytesIO(content), "notes.txt")
    assert caught.value.params == {"type": "unknown"}


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,  # binary garbage
        b"looks like text\x00but has a NUL",
        "teks Latin-1: caf\xe9".encode("latin-1"),
    ],
)
def test_content_that_is_not_utf8_text_is_rejected_as_unknown(
    store: FileStore, content: bytes
) -> None:
    with pytest.raises(UploadRejected) as caught:
        store.save(io.BytesIO(content), "notes.txt")
    assert caught.value.params == {"type": "unknown"}
    assert leftovers(store.root) == []


# -- size -------------------------------------------------------------------------------------


def test_a_file_of_exactly_the_limit_is_accepted(tmp_path: Path) -> None:
    content = b"x" * 1000
    stored = FileStore(tmp_path, max_bytes=1000).save(io.BytesIO(content), "a.txt")
    assert stored.size == 1000


def test_one_byte_over_the_limit_is_rejected_and_leaves_nothing(tmp_path: Path) -> None:
    store = FileStore(tmp_path, max_bytes=1000)
    with pytest.raises(UploadRejected) as caught:
        store.save(io.BytesIO(b"x" * 1001), "a.txt")

    assert caught.value.template == "The file is larger than %(limit)s MB."
    assert list(tmp_path.iterdir()) == []


def test_a_huge_upload_is_not_read_past_the_limit(tmp_path: Path) -> None:
    stream = io.BytesIO(b"%PDF-" + bytes(5 * MB))
    with pytest.raises(UploadRejected):
        FileStore(tmp_path, max_bytes=MB).save(stream, "big.pdf")
    assert stream.tell() == MB + 1
    assert list(tmp_path.iterdir()) == []


def test_the_size_message_speaks_in_megabytes(tmp_path: Path) -> None:
    with pytest.raises(UploadRejected) as caught:
        FileStore(tmp_path, max_bytes=2 * MB).save(io.BytesIO(b"%PDF" + bytes(2 * MB)), "a.pdf")
    assert str(caught.value) == "The file is larger than 2 MB."
    assert caught.value.params == {"limit": "2"}


def test_an_empty_file_is_rejected(store: FileStore) -> None:
    with pytest.raises(UploadRejected) as caught:
        store.save(io.BytesIO(b""), "kosong.pdf")
    assert str(caught.value) == "The file is empty."
    assert leftovers(store.root) == []


def test_a_stream_failing_midway_leaves_nothing(store: FileStore) -> None:
    class Broken(io.BytesIO):
        def read(self, size: int | None = -1, /) -> bytes:
            if self.tell() > 0:
                raise OSError("connection reset")
            return super().read(size)

    with pytest.raises(OSError, match="connection reset"):
        store.save(Broken(pdf_bytes() * 10_000), "a.pdf")
    assert leftovers(store.root) == []


# -- keys and names -----------------------------------------------------------------------------


def test_keys_are_generated_never_from_the_name(store: FileStore) -> None:
    first = store.save(io.BytesIO(pdf_bytes()), "Laporan Rahasia Budi.pdf")
    second = store.save(io.BytesIO(pdf_bytes()), "Laporan Rahasia Budi.pdf")

    assert first.key != second.key
    assert first.sha256 == second.sha256
    for key in (first.key, second.key):
        assert "laporan" not in key.lower()
        assert "budi" not in key.lower()
        year, month, name = key.split("/")
        assert len(year) == 4 and len(month) == 2
        stem, extension = name.split(".")
        assert len(stem) == 32 and int(stem, 16) >= 0
        assert extension == "pdf"


def test_the_stored_file_is_not_world_readable(store: FileStore) -> None:
    stored = store.save(io.BytesIO(pdf_bytes()), "a.pdf")
    assert stat.S_IMODE(store.path(stored.key).stat().st_mode) == 0o640


def test_the_stored_file_describes_the_content(store: FileStore) -> None:
    import hashlib

    content = png_bytes()
    stored = store.save(io.BytesIO(content), "a.png")
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    with store.open(stored.key) as handle:
        assert handle.read() == content
    assert store.exists(stored.key)


@pytest.mark.parametrize(
    ("given", "extension", "shown"),
    [
        ("../../evil name.pdf", "pdf", "evil_name.pdf"),
        ("C:\\Users\\budi\\Laporan Akhir.pdf", "pdf", "Laporan_Akhir.pdf"),
        ("文件.pdf", "pdf", "file.pdf"),
        ("..", "pdf", "file.pdf"),
        ("", "pdf", "file.pdf"),
        ("README", "pdf", "README.pdf"),
        ("<script>.pdf", "pdf", "script.pdf"),
        ("Laporan.PDF", "pdf", "Laporan.pdf"),
        ("foto.JPEG", "jpg", "foto.jpeg"),
        ("foto.jpg", "jpg", "foto.jpg"),
        ("bukti.vbs", "txt", "bukti.txt"),
        ("laporan.html", "pdf", "laporan.pdf"),
        ("data.csv", "txt", "data.txt"),
        ("foto.jpeg", "png", "foto.png"),
        ("arsip.tar.exe", "pdf", "arsip.tar.pdf"),
    ],
)
def test_display_names_keep_the_stem_and_take_the_detected_types_extension(
    given: str, extension: str, shown: str
) -> None:
    assert display_name(given, extension) == shown
    assert display_name(shown, extension) == shown


def test_display_names_are_at_most_200_characters_and_keep_the_extension() -> None:
    shown = display_name("a" * 500 + ".xlsx", "xlsx")
    assert len(shown) == 200
    assert shown.endswith(".xlsx")


def test_a_text_file_named_as_a_script_is_kept_as_text(store: FileStore) -> None:
    stored = store.save(io.BytesIO(b"Laporan kegiatan.\n"), "bukti.vbs")
    assert (stored.content_type, stored.original_name) == ("text/plain", "bukti.txt")
    assert stored.key.endswith(".txt")


def test_a_pdf_that_is_also_html_is_kept_as_a_pdf(store: FileStore) -> None:
    polyglot = pdf_bytes() + b"<html><script>alert(1)</script></html>\n"
    stored = store.save(io.BytesIO(polyglot), "laporan.html")
    assert (stored.content_type, stored.original_name) == ("application/pdf", "laporan.pdf")


def test_the_extension_of_a_type_is_the_stored_files() -> None:
    assert extension_for("image/jpeg") == "jpg"
    assert extension_for("text/plain") == "txt"
    assert extension_for("application/x-unknown") == "bin"


def test_save_sanitises_the_original_name(store: FileStore) -> None:
    stored = store.save(io.BytesIO(pdf_bytes()), "../../evil name.pdf")
    assert stored.original_name == "evil_name.pdf"
    assert ".." not in stored.key


# -- reading, deleting and escaping -------------------------------------------------------------


def test_delete_removes_only_its_own_file(store: FileStore) -> None:
    mine = store.save(io.BytesIO(pdf_bytes()), "a.pdf")
    theirs = store.save(io.BytesIO(pdf_bytes()), "a.pdf")

    assert store.delete(mine.key) is True
    assert not store.exists(mine.key)
    assert store.exists(theirs.key)
    assert store.path(theirs.key).read_bytes() == pdf_bytes()
    assert store.delete(mine.key) is False


def test_delete_never_removes_a_directory(store: FileStore) -> None:
    stored = store.save(io.BytesIO(pdf_bytes()), "a.pdf")
    folder = stored.key.rsplit("/", 1)[0]

    with pytest.raises(IsADirectoryError):
        store.delete(folder)
    assert store.exists(stored.key)


def test_a_missing_file_is_not_found(store: FileStore) -> None:
    key = "2026/01/" + "0" * 32 + ".pdf"
    assert store.exists(key) is False
    with pytest.raises(FileNotFoundError):
        store.open(key)
    with pytest.raises(FileNotFoundError):
        store.path(key)


BAD_KEYS = [
    "../x",
    "/etc/passwd",
    "a/../../x",
    "2026/01/../../../outside.pdf",
    "..",
    ".",
    "",
    "a//b.pdf",
    "a/./b.pdf",
    "2026\\..\\..\\x",
    "a.pdf\x00.txt",
    ".upload-abc.part",
]


@pytest.mark.parametrize("key", BAD_KEYS)
@pytest.mark.parametrize("operation", ["open", "path", "delete", "exists"])
def test_keys_that_could_leave_the_store_are_refused(
    tmp_path: Path, key: str, operation: str
) -> None:
    outside = tmp_path / "x"
    outside.write_bytes(b"not yours")
    store = FileStore(tmp_path / "store" / "inner", MB)
    store.save(io.BytesIO(pdf_bytes()), "a.pdf")

    with pytest.raises(ValueError, match="Not a file store key"):
        getattr(store, operation)(key)
    assert outside.read_bytes() == b"not yours"


def test_a_symbolic_link_out_of_the_store_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"secret")
    store = FileStore(tmp_path / "store", MB)
    (store.root / "2026").mkdir(parents=True)
    os.symlink(secret, store.root / "2026" / "link.txt")

    with pytest.raises(ValueError):
        store.open("2026/link.txt")
    with pytest.raises(ValueError):
        store.delete("2026/link.txt")
    assert secret.read_bytes() == b"secret"


# -- errors and configuration -------------------------------------------------------------------


def test_upload_rejected_is_a_translatable_domain_error(store: FileStore) -> None:
    with pytest.raises(UploadRejected) as caught:
        store.save(io.BytesIO(b"MZ" + bytes(10)), "a.exe")

    error = caught.value
    assert isinstance(error, DomainError)
    assert isinstance(error, ValueError)
    assert error.template.startswith("Files of this type are not accepted (%(type)s).")
    assert str(error) == error.template % error.params


def test_default_store_reads_the_configuration(tmp_path: Path) -> None:
    store = default_store({"KINERJA_STORAGE_DIR": str(tmp_path), "KINERJA_MAX_UPLOAD_MB": 3})
    assert store.root == tmp_path.resolve()
    assert store.max_bytes == 3 * MB
    assert default_store({"KINERJA_STORAGE_DIR": tmp_path}).max_bytes == 10 * MB


def test_default_store_needs_a_folder() -> None:
    with pytest.raises(RuntimeError, match="KINERJA_STORAGE_DIR"):
        default_store({})


def test_the_store_refuses_the_web_root() -> None:
    static = Path(__file__).resolve().parent.parent / "kinerja" / "static"
    with pytest.raises(ValueError, match="outside the web root"):
        FileStore(static / "uploads", MB)


def test_the_limit_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        FileStore(tmp_path, 0)
