"""What a REST list reads from its query and how it writes its rows: ``?q=`` parsed once per
request and checked by a schema compiled once (FAB's ``@rison`` checks the schema itself on
every request), the keyset cursor of ``after``, and the rows dumped field by field
(:mod:`kinerja.views.rest_lists`)."""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import prison
from flask import g, request
from flask_appbuilder.models.filters import BaseFilter, Filters
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from marshmallow import fields as ma_fields
from sqlalchemy import Integer, String, tuple_

# --- q, parsed and checked once per request ---------------------------------------------------


def parse_q() -> Any:
    """``?q=`` as rison (or JSON, as FAB accepts), parsed once per request; a ValueError
    when it is neither."""
    raw = request.args.get("q")
    if not raw:
        return {}
    cached = g.get("_kinerja_q")
    if cached is not None and cached[0] == raw:
        return cached[1]
    try:
        parsed = prison.loads(raw)
    except prison.decoder.ParserException:
        try:
            parsed = json.loads(raw)
        except ValueError:
            raise ValueError("Not a valid rison/json argument") from None
    g._kinerja_q = (raw, parsed)
    return parsed


def compiled_rison(schema: dict[str, Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """FAB's ``@rison(schema)``, with the schema compiled once here rather than checked again
    on every request by ``jsonschema.validate``. Same answers: the parsed query in
    ``kwargs["rison"]``, a 400 for a query that is unreadable or does not fit."""
    Draft7Validator.check_schema(schema)
    validator = Draft7Validator(schema)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                parsed = parse_q()
            except ValueError as problem:
                return self.response_400(message=str(problem))
            error = best_match(validator.iter_errors(parsed))
            if error is not None:
                return self.response_400(message=f"Not a valid rison schema {error.message}")
            kwargs["rison"] = parsed
            return view(self, *args, **kwargs)

        return functools.update_wrapper(wrapper, view)

    return decorate


def light_copy(filters: Filters) -> Filters:
    """A ``Filters`` with the same active filters, to add a request's own to. FAB's ``copy``
    builds a new object that converts every column of the model into its possible filters
    (a few hundred objects per request, thrown away at once)."""
    copied: Filters = Filters.__new__(Filters)
    copied.__dict__.update(filters.__dict__)
    copied.filters = list(filters.filters)
    copied.values = list(filters.values)
    return copied


# --- keyset paging ----------------------------------------------------------------------------


class FilterAfter(BaseFilter):
    """Rows after ``(value, id)`` in the list's order (before it when descending)."""

    name = "after"
    arg_name = "after"

    def apply(self, query: Any, value: tuple[Any, int, bool]) -> Any:
        key_value, row_id, descending = value
        model = self.model
        if self.column_name == "id":
            return query.filter(model.id < row_id if descending else model.id > row_id)
        key = tuple_(getattr(model, self.column_name), model.id)
        return query.filter(key < (key_value, row_id) if descending else key > (key_value, row_id))


def encode_cursor(value: Any, row_id: int) -> str:
    text = value.isoformat() if isinstance(value, datetime) else value
    raw = json.dumps([text, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, column: Any) -> tuple[Any, int]:
    """The ``(value, id)`` of a cursor made by :func:`encode_cursor`, or a ValueError."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, row_id = json.loads(raw)
    except (ValueError, TypeError):
        raise ValueError("not a cursor of this list") from None
    if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 <= row_id < 2**31:
        raise ValueError("not a cursor of this list")
    if isinstance(column.type, Integer):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("not a cursor of this list")
        return value, row_id
    if isinstance(column.type, String):
        return str(value), row_id
    try:
        return datetime.fromisoformat(str(value)), row_id
    except ValueError:
        raise ValueError("not a cursor of this list") from None


# --- rows as JSON -----------------------------------------------------------------------------


def _plain_fields(schema: Any) -> list[tuple[str, str, Any]] | None:
    """(key, attribute, field) of a schema whose fields each read one attribute, or None for
    a schema that needs marshmallow's whole machinery (nested rows, hooks)."""
    known = schema.__dict__.get("_kinerja_plain_fields", False)
    if known is False:
        fields = list(schema.dump_fields.items())
        plain = not any(schema._hooks.values()) and not any(
            isinstance(field, ma_fields.Nested | ma_fields.Method | ma_fields.Function)
            or "." in (field.attribute or name)
            for name, field in fields
        )
        known = (
            [(field.data_key or name, field.attribute or name, field) for name, field in fields]
            if plain
            else None
        )
        schema.__dict__["_kinerja_plain_fields"] = known  # kept with the schema it describes
    return known  # type: ignore[no-any-return]


def dump_rows(schema: Any, rows: list[Any]) -> list[dict[str, Any]]:
    """``schema.dump(rows, many=True)``: each field's own serialisation, without the schema's
    per-value bookkeeping (a third of a page's time). Same output (a test compares them)."""
    plain = _plain_fields(schema)
    if plain is None:
        dumped: list[dict[str, Any]] = schema.dump(rows, many=True)
        return dumped
    return [
        {
            key: field._serialize(getattr(row, attribute, None), attribute, row)
            for key, attribute, field in plain
        }
        for row in rows
    ]
