"""Where evidence attachments ("bukti dukung") live: a folder outside the web root.

Pure: no Flask, no database. The caller keeps :class:`StoredFile` (key, type, size, hash,
display name) in its own table and serves the file with :meth:`FileStore.path`.

Safety rules, and why:

* The type comes from the content (magic numbers via ``filetype``), never from the name or
  the browser's ``Content-Type``: both are chosen by the uploader.
* The stored name is generated (``YYYY/MM/<uuid4 hex>.<detected ext>``): nothing the
  uploader typed reaches the file system, so no traversal, no clash, no overwrite.
* The display and download name keeps the uploader's stem but takes the extension of the
  detected type: a text file named ``bukti.vbs`` downloads as ``bukti.txt``, a PDF that is
  also HTML named ``laporan.html`` as ``laporan.pdf``, so the reader's system opens it as
  what was checked, not as what the uploader claimed.
* The upload is written to a temporary file in the same folder (same file system) and moved
  into place with ``os.replace`` only once every check passed: a rejected or interrupted
  upload leaves nothing behind, and a reader never sees half a file.
* Keys given back to :meth:`FileStore.open`, :meth:`FileStore.path` and
  :meth:`FileStore.delete` are checked so that they cannot name anything outside the store,
  a directory, or a hidden or temporary file.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from uuid import uuid4

import filetype
from werkzeug.utils import secure_filename

from kinerja.domain.errors import N_, DomainError

__all__ = [
    "ALLOWED_TYPES",
    "FileStore",
    "StoredFile",
    "UploadRejected",
    "default_store",
    "display_name",
    "extension_for",
]

ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "text/plain": "txt",
    "text/csv": "csv",
}
"""Accepted content types (as detected) and the extension of the stored file."""

SPELLINGS: dict[str, frozenset[str]] = {"jpg": frozenset({"jpg", "jpeg"})}
"""Other ways of writing an extension, kept when the uploader used them (``foto.jpeg``)."""
UNKNOWN_EXTENSION = "bin"

MB = 1024 * 1024
CHUNK_BYTES = 64 * 1024
HEADER_BYTES = 8192  # what filetype looks at
MAX_NAME_CHARS = 200

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# filetype only finds the OOXML part names among the first few ZIP entries; LibreOffice,
# python-docx and others write them later, so a plain "application/zip" is looked into.
_OOXML_MAIN_PARTS = {
    "word/document.xml": _DOCX,
    "xl/workbook.xml": _XLSX,
    "ppt/presentation.xml": _PPTX,
}
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
# An animated PNG is a PNG: filetype names it apart.
_ALIASES = {"image/apng": "image/png"}
_WEB_ROOT = Path(__file__).resolve().parent / "static"


class UploadRejected(DomainError):
    """The upload breaks a rule (size, type, empty). Like every :class:`DomainError` (hence a
    ``ValueError``) it carries ``template`` and ``params`` so that the UI can translate it."""


@dataclass(frozen=True)
class StoredFile:
    """What the caller keeps about a stored file.

    ``key`` is generated and is the only way back to the file; ``original_name`` is for
    display and downloads only, never a path.
    """

    key: str
    content_type: str
    size: int
    sha256: str
    original_name: str


class FileStore:
    """Evidence files under one root folder, keyed by generated relative paths."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        max_bytes: int,
        allowed: Mapping[str, str] = ALLOWED_TYPES,
    ) -> None:
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        resolved = Path(os.path.realpath(root))
        if resolved == _WEB_ROOT or resolved.is_relative_to(_WEB_ROOT):
            # Files there would be served as-is, without the access checks of the views.
            raise ValueError(f"The file store must be outside the web root ({_WEB_ROOT}).")
        self.root = resolved
        self.max_bytes = max_bytes
        self.allowed: Mapping[str, str] = dict(allowed)

    # -- writing -----------------------------------------------------------------------------

    def save(self, stream: BinaryIO, filename: str | None) -> StoredFile:
        """Store ``stream`` (read to its end) and describe it.

        ``filename`` is the uploader's name: used for the display name and to tell CSV from
        plain text, never for the stored name. Raises :class:`UploadRejected` when the file
        is empty, too large or of a type not accepted; nothing is left on disk then, nor on
        any other error.
        """
        self.root.mkdir(mode=0o750, parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=self.root)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                size, header, sha256 = self._copy(stream, out)
                out.flush()
                os.fsync(out.fileno())
            if size == 0:
                raise UploadRejected(N_("The file is empty."))
            content_type = self._detect(header, tmp, filename)
            extension = self.allowed[content_type]
            key = f"{datetime.now(UTC):%Y/%m}/{uuid4().hex}.{extension}"
            final = self.root / key
            final.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
            os.chmod(tmp, 0o640)
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return StoredFile(
            key=key,
            content_type=content_type,
            size=size,
            sha256=sha256,
            original_name=display_name(filename, extension),
        )

    def _copy(self, stream: BinaryIO, out: BinaryIO) -> tuple[int, bytes, str]:
        """Copy in chunks, stopping one byte past the limit: a huge upload is never read
        (nor written) whole."""
        digest = hashlib.sha256()
        header = bytearray()
        size = 0
        while True:
            chunk = stream.read(min(CHUNK_BYTES, self.max_bytes + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise UploadRejected(
                    N_("The file is larger than %(limit)s MB."), limit=_megabytes(self.max_bytes)
                )
            if len(header) < HEADER_BYTES:
                header += chunk[: HEADER_BYTES - len(header)]
            digest.update(chunk)
            out.write(chunk)
        return size, bytes(header), digest.hexdigest()

    def _detect(self, header: bytes, path: Path, filename: str | None) -> str:
        """The accepted content type of the file at ``path``, or :class:`UploadRejected`."""
        kind = filetype.guess(header)
        detected: str | None = None if kind is None else str(kind.mime)
        if detected == "application/zip":
            detected = _office_type(path) or detected
        if detected is None:
            detected = _text_type(header, path, filename)
        detected = _ALIASES.get(detected or "", detected)
        if detected is None or detected not in self.allowed:
            raise UploadRejected(
                N_(
                    "Files of this type are not accepted (%(type)s). "
                    "Accepted: PDF, images, Office documents, text."
                ),
                type=detected or "unknown",
            )
        return detected

    # -- reading and removing ----------------------------------------------------------------

    def open(self, key: str) -> BinaryIO:
        """The stored file for reading (the caller closes it). ``ValueError`` for a key that
        is not a store key, ``FileNotFoundError`` if there is no such file."""
        return self._file(key).open("rb")

    def path(self, key: str) -> Path:
        """The absolute path of an existing stored file, e.g. for ``send_file``. Same checks
        as :meth:`open`, so a path is only ever handed out for a regular file in the store."""
        return self._file(key)

    def delete(self, key: str) -> bool:
        """Remove exactly the file ``key``; True if it existed. Never removes a directory
        (``IsADirectoryError``), so no other file can go with it."""
        path = self._resolve(key)
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Not a stored file", key)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def exists(self, key: str) -> bool:
        """Whether ``key`` names a stored file (``ValueError`` if it is not a store key)."""
        return self._resolve(key).is_file()

    def _file(self, key: str) -> Path:
        path = self._resolve(key)
        if not path.is_file():
            raise FileNotFoundError(errno.ENOENT, "No such stored file", key)
        return path

    def _resolve(self, key: str) -> Path:
        """``root / key`` after refusing anything that could leave the store or reach a
        hidden or temporary file: absolute paths, ``..``, ``.``, empty parts, backslashes,
        NUL, and symbolic links pointing outside."""
        if not isinstance(key, str) or not key or "\\" in key or "\x00" in key:
            raise ValueError(f"Not a file store key: {key!r}")
        parts = key.split("/")
        if any(not part or part.startswith(".") for part in parts):
            raise ValueError(f"Not a file store key: {key!r}")
        path = self.root.joinpath(*parts)
        real = Path(os.path.realpath(path))
        if real == self.root or not real.is_relative_to(self.root):
            raise ValueError(f"Not a file store key: {key!r}")
        return path


def default_store(config: Mapping[str, Any]) -> FileStore:
    """The store configured by ``KINERJA_STORAGE_DIR`` (required) and
    ``KINERJA_MAX_UPLOAD_MB`` (default 10), e.g. from ``current_app.config``."""
    root = config.get("KINERJA_STORAGE_DIR")
    if not root:
        raise RuntimeError("KINERJA_STORAGE_DIR must be set: where evidence files are kept.")
    max_mb = config.get("KINERJA_MAX_UPLOAD_MB")
    return FileStore(root, int(max_mb if max_mb not in (None, "") else 10) * MB)


def display_name(filename: str | None, extension: str) -> str:
    """A safe name to show and offer for download: ``secure_filename`` of the uploader's
    stem (``file`` when nothing usable is left) with ``extension``, the one of the detected
    type (the uploader's own only if it is a spelling of it, as ``.jpeg`` of ``jpg``), at
    most 200 characters. Applied again to its own result, it changes nothing."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot_suffix = os.path.splitext(base)
    safe_stem = secure_filename(stem) or "file"
    given = secure_filename(dot_suffix).lower()
    suffix = given if given in SPELLINGS.get(extension, frozenset()) else extension
    return f"{safe_stem[: MAX_NAME_CHARS - len(suffix) - 1]}.{suffix}"


def extension_for(content_type: str, allowed: Mapping[str, str] = ALLOWED_TYPES) -> str:
    """The extension files of a detected ``content_type`` are stored and offered with."""
    return allowed.get(content_type, UNKNOWN_EXTENSION)


def _office_type(path: Path) -> str | None:
    """The OOXML or ODF type of a ZIP that filetype could not place, from its directory
    (names only; only ODF's tiny ``mimetype`` entry is read)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                for part, content_type in _OOXML_MAIN_PARTS.items():
                    if part in names:
                        return content_type
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).decode("ascii", "replace").strip()
                if declared in _ODF_TYPES:
                    return declared
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, ValueError):
        return None  # unreadable: stays "application/zip", hence rejected
    return None


def _text_type(header: bytes, path: Path, filename: str | None) -> str | None:
    """``text/csv`` or ``text/plain`` if the whole file is UTF-8 without NUL bytes;
    ``text/html`` for markup (a browser could run it); None for anything else."""
    if header.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"<"):
        return "text/html"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as source:
            while chunk := source.read(CHUNK_BYTES):
                if b"\x00" in chunk:
                    return None
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return "text/csv" if (filename or "").lower().endswith(".csv") else "text/plain"


def _megabytes(size: int) -> str:
    """``size`` in MB for messages: whole numbers as such, else two decimals."""
    return str(size // MB) if size % MB == 0 else f"{size / MB:.2f}"
