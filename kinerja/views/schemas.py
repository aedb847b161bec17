"""Building blocks of the request schemas of custom endpoints (marshmallow, ``unknown=RAISE``:
a field the endpoint does not know is named in the 422, never silently ignored)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields

from kinerja.domain.errors import DomainError, FieldErrors
from kinerja.views.params import parse_pk
from kinerja.views.schema_messages import translate_message


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class RowId(fields.Field):
    """A related row named by its id (a positive 32-bit integer, or its digits)."""

    default_error_messages = {
        "invalid": "Not a valid choice.",
        "required": "This field is required.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        number = parse_pk(value) if isinstance(value, int | str) else None
        if number is None:
            raise self.make_error("invalid")
        return number


class Text(fields.String):
    """Free text; ``null`` reads as nothing written."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_none=True, load_default=None, **kwargs)


class ReasonSchema(StrictSchema):
    """The body of a return or a revision: ``{"reason": "…"}``."""

    reason = Text()


class EmptySchema(StrictSchema):
    """A state change that takes no input: an empty object (or no body)."""


def translated_messages(err: ValidationError) -> dict[str, Any]:
    """A schema's complaints, each message in the reader's language (marshmallow's own
    included: :mod:`kinerja.views.schema_messages`), keyed by field."""
    messages = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
    return {field: _translated(found) for field, found in messages.items()}


def _translated(found: Any) -> Any:
    if isinstance(found, dict):
        return {key: _translated(value) for key, value in found.items()}
    if isinstance(found, list):
        return [_translated(value) for value in found]
    return translate_message(str(found))


def field_errors(err: ValidationError) -> FieldErrors:
    """A schema's complaints as the use cases' field errors (for a form), one list per
    top-level field."""
    messages = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
    return FieldErrors(
        {field: [DomainError(text) for text in _leaves(found)] for field, found in messages.items()}
    )


def _leaves(found: Any) -> list[str]:
    if isinstance(found, dict):
        return [text for value in found.values() for text in _leaves(value)]
    if isinstance(found, list):
        return [text for value in found for text in _leaves(value)]
    return [str(found)]
