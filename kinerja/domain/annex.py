"""The lampiran of an SKP (PermenPANRB 6/2022, the SKP form's annex): what the organisation
provides (dukungan sumber daya), how the employee accounts for the results (skema
pertanggungjawaban) and what follows from reaching them or not (konsekuensi).

Each part is a short numbered list. It is kept as text, one item a line: the owner types a
list, the printed SKP numbers it. Numbering or bullets the owner typed are dropped, so that
an item is never numbered twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kinerja.domain.errors import N_, DomainError

ANNEX_FIELDS = ("resource_support", "accountability", "consequences")
"""The parts of the lampiran, in the SKP's order (and the plan's column names)."""

MAX_ITEMS = 20
MAX_ITEM_CHARS = 500

_MARKER = re.compile(r"^(?:\(?\d{1,3}[.)]|[a-zA-Z][.)]|[-–•*])\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class AnnexPart:
    """One part read: its items, or the problem that keeps it from being kept."""

    items: tuple[str, ...]
    problem: DomainError | None = None

    @property
    def text(self) -> str | None:
        """The part as it is stored: one item a line, nothing when empty."""
        return "\n".join(self.items) or None


def annex_items(text: str | None) -> list[str]:
    """The items of a stored (or typed) part: its non-empty lines, stripped of the
    numbering or bullet the owner may have typed."""
    items = []
    for line in (text or "").splitlines():
        item = _MARKER.sub("", line.strip(), count=1).strip()
        if item:
            items.append(" ".join(item.split()))
    return items


def read_annex_part(value: object) -> AnnexPart:
    """A part as typed: text (or nothing), at most :data:`MAX_ITEMS` items of at most
    :data:`MAX_ITEM_CHARS` characters, no control characters."""
    if value is None:
        return AnnexPart(())
    if not isinstance(value, str):
        return AnnexPart((), DomainError(N_("Not a valid string.")))
    if _CONTROL.search(value):
        return AnnexPart((), DomainError(N_("The text contains characters that cannot be kept.")))
    items = annex_items(value)
    if len(items) > MAX_ITEMS:
        return AnnexPart(
            (),
            DomainError(
                N_("At most %(max)d items, one a line (%(count)d given)."),
                max=MAX_ITEMS,
                count=len(items),
            ),
        )
    for number, item in enumerate(items, start=1):
        if len(item) > MAX_ITEM_CHARS:
            return AnnexPart(
                (),
                DomainError(
                    N_("Item %(number)d is longer than %(max)d characters."),
                    number=number,
                    max=MAX_ITEM_CHARS,
                ),
            )
    return AnnexPart(tuple(items))


def read_annex(values: Mapping[str, object]) -> dict[str, AnnexPart]:
    """The parts given in ``values`` (a part left out is not read, hence not changed)."""
    return {name: read_annex_part(values[name]) for name in ANNEX_FIELDS if name in values}
