"""Names of the printed documents: what a person finds in a download folder or a ZIP must
say whose document it is and of which period, and be a safe file name everywhere."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def name_part(text: object) -> str:
    """``text`` as a part of a file name: letters and digits, other runs become ``-``
    (``Triwulan I`` → ``Triwulan-I``, ``III/a`` → ``III-a``)."""
    return _UNSAFE.sub("-", str(text)).strip("-") or "x"


def document_name(kind: str, owner: object, *period: object, extension: str = "pdf") -> str:
    """``<kind>_<owner>_<period parts>.<extension>``, e.g. ``SKP_198001012005011001_2026.pdf``
    or ``Evaluasi_198001012005011001_2026_Triwulan-I.pdf``; ``owner`` is a NIP or a unit's
    code."""
    parts = [name_part(kind), name_part(owner), *(name_part(p) for p in period)]
    return "_".join(parts) + "." + extension
