"""Column labels every screen and resource shares, so that no column falls back to FAB's
English prettified name (``Resource Support``, ``Period Id``) under the Indonesian default.

A screen's own ``label_columns`` still win; :class:`CommonLabels` fills only the columns it
leaves out: a name listed here, a foreign key by its relation (``period_id`` → Period) and a
dotted column by its parts (``position.code`` → "Position: Code").
"""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

TIMESTAMP_LABELS = {"created_at": _l("Created"), "updated_at": _l("Changed")}

COMMON_LABELS: dict[str, Any] = {
    **TIMESTAMP_LABELS,
    "accountability": _l("Accountability scheme"),
    "active": _l("Active"),
    "addresses": _l("Competencies addressed"),
    "args": _l("Arguments"),
    "attachment": _l("File"),
    "author": _l("Author"),
    "browser_key": _l("Browser key"),
    "claimed_at": _l("Claimed at"),
    "code": _l("Code"),
    "competency": _l("Competency"),
    "consequences": _l("Consequences"),
    "content_type": _l("File type"),
    "data": _l("Data"),
    "description": _l("Description"),
    "done": _l("Processed"),
    "email": _l("Email"),
    "employee": _l("Employee"),
    "employees": _l("Employees"),
    "evaluation": _l("Evaluation"),
    "events": _l("History"),
    "evidence": _l("Evidence"),
    "expectations": _l("Expectations"),
    "explanation": _l("Explanation"),
    "html_body": _l("HTML body"),
    "indicator": _l("Indicator (IKI)"),
    "indicator_levels": _l("Indicator levels"),
    "indicators": _l("Indicators"),
    "kind": _l("Kind"),
    "level": _l("Level"),
    "levels": _l("Levels"),
    "message": _l("Message"),
    "message_params": _l("Message parameters"),
    "name": _l("Name"),
    "note": _l("Note"),
    "notes": _l("Notes"),
    "objectives": _l("Work results"),
    "original_name": _l("File name"),
    "period": _l("Period"),
    "position": _l("Position"),
    "positions": _l("Positions"),
    "poster": _l("Poster"),
    "queue": _l("Queue"),
    "raises": _l("Level raised by"),
    "rank": _l("Rank"),
    "ratings": _l("Ratings"),
    "realizations": _l("Realizations"),
    "report": _l("Report"),
    "requested_by": _l("Requested by"),
    "resource_support": _l("Resource support"),
    "result": _l("Result"),
    "role": _l("Role"),
    "row_version": _l("Version"),
    "run": _l("Run"),
    "service": _l("Service"),
    "size": _l("Size"),
    "status": _l("Status"),
    "survey": _l("Survey"),
    "target": _l("Target"),
    "text": _l("Text"),
    "title": _l("Title"),
    "total": _l("Total"),
    "training": _l("Training"),
    "unit": _l("Unit"),
    "url": _l("Address (URL)"),
    "value": _l("Value"),
    "versions": _l("Versions"),
    "warnings": _l("Warnings"),
    "work_plan": _l("Work plan"),
}


def _joined(*parts: Any) -> str:
    return ": ".join(str(part) for part in parts)


def common_label(column: str, labels: dict[str, Any] | None = None) -> Any | None:
    """The shared label of ``column`` (lazy, in the reader's language), or None.

    ``labels`` are the screen's own, consulted first for each part of a dotted column."""
    own = labels or {}
    if column in own and own[column]:
        return own[column]
    if column in COMMON_LABELS:
        return COMMON_LABELS[column]
    if column.endswith("_id"):
        return common_label(column.removesuffix("_id"), own)
    if "." in column:
        head, _, tail = column.partition(".")
        first, second = common_label(head, own), common_label(tail, own)
        if first is not None and second is not None:
            return LazyString(_joined, first, second)
    return None


class CommonLabels:
    """Mixed into screens and resources before FAB's class: labels the columns the class
    leaves out from :data:`COMMON_LABELS` instead of FAB's English prettified names."""

    label_columns: dict[str, Any]

    def _gen_labels_columns(self, list_columns: list[str]) -> None:
        for column in list_columns:
            if not self.label_columns.get(column):
                label = common_label(column, self.label_columns)
                self.label_columns[column] = (
                    label if label is not None else self._prettify_column(column)  # type: ignore[attr-defined]
                )
