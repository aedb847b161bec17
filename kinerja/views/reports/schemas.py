"""Request schemas of the reporting endpoints (screens and API read the same ones)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, pre_load

from kinerja.domain.ratings import Level
from kinerja.views.schemas import RowId, StrictSchema, Text


def level_field() -> fields.Enum:
    return fields.Enum(
        Level,
        by_value=True,
        allow_none=True,
        load_default=None,
        error_messages={"unknown": "Not a valid choice."},
    )


class RatingsSchema(StrictSchema):
    """The supervisor's evaluation: ``{"results": level, "behaviour": level,
    "values": {"service": level, …}, "indicator_levels": {"<indicator id>": level, …},
    "feedback": "…"}`` (levels: above, as_expected, below; ``indicator_levels`` for the
    report's qualitative indicators); an empty value means not rated yet."""

    results = level_field()
    behaviour = level_field()
    values = fields.Dict(keys=fields.String(), values=level_field(), load_default=dict)
    indicator_levels = fields.Dict(keys=fields.String(), values=level_field(), load_default=dict)
    feedback = Text()

    @pre_load
    def blanks_are_missing(self, data: Any, **kwargs: Any) -> Any:
        """A form sends an untouched choice as an empty string."""
        if not isinstance(data, dict):
            return data
        cleaned = {k: (None if v == "" else v) for k, v in data.items()}
        for name in ("values", "indicator_levels"):
            levels = cleaned.get(name)
            if isinstance(levels, dict):
                cleaned[name] = {k: (None if v == "" else v) for k, v in levels.items()}
        return cleaned


class NewReportSchema(StrictSchema):
    """``{"work_plan": id, "sub_period": id}``."""

    work_plan = RowId(required=True)
    sub_period = RowId(required=True)


class ReportNoteSchema(StrictSchema):
    """``{"note": "…"}``: ``null`` clears the note; leaving it out keeps it."""

    note = fields.String(allow_none=True)


class RealizationSchema(StrictSchema):
    """``{"value": 12.5, "note": "…"}``; either may be left out (kept as it is)."""

    value = fields.Raw(allow_none=True)
    note = fields.String(allow_none=True)


class EvidenceSchema(StrictSchema):
    """A link (JSON) or a file (multipart, with ``file``) as evidence of a report."""

    report = RowId(required=True)
    indicator = RowId(allow_none=True, load_default=None)
    url = fields.String(allow_none=True, load_default=None)
    description = fields.String(allow_none=True, load_default=None)


class EvidenceUploadSchema(EvidenceSchema):
    """The multipart form of a file as evidence (``url`` left empty)."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class NoteSchema(StrictSchema):
    """``{"report": id, "text": "…"}``."""

    report = RowId(required=True)
    text = Text()


class SelfEvaluationSchema(StrictSchema):
    """The employee's self-evaluation: ``{"results": level, "values": {"service": level,
    …all seven…}, "note": "…"}``."""

    results = level_field()
    values = fields.Dict(keys=fields.String(), values=level_field(), load_default=dict)
    note = fields.String(allow_none=True, load_default=None)

    @pre_load
    def blanks_are_missing(self, data: Any, **kwargs: Any) -> Any:
        return RatingsSchema.blanks_are_missing(self, data, **kwargs)  # type: ignore[arg-type]
