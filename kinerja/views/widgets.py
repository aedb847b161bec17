"""Form widgets for large tables: a select that searches the server as the person types.

A city has thousands of units and positions; rendering them all into every form would make
the back office slow. :class:`RemoteSelectField` renders only the current choice and asks
``<view>/choices/<field>/`` (scoped, paged, searched by name or code) for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import ColumnElement, false, or_, select
from wtforms import Field
from wtforms.validators import ValidationError
from wtforms.widgets import html_params

from kinerja.extensions import db
from kinerja.security.current import current_scope
from kinerja.security.policies.scope import Scope
from kinerja.views.params import MAX_ID, parse_pk

PAGE_SIZE = 30


@dataclass(frozen=True)
class RemoteChoice:
    """Which rows of ``model`` may be chosen, and how they are searched and labelled."""

    model: type
    condition: Callable[[Scope], ColumnElement[bool]]
    search: Sequence[Any]
    order: Any
    master: str | None = None  # a form field whose value narrows the choices
    master_column: Any = None  # the column it narrows on...
    master_condition: Callable[[int], ColumnElement[bool]] | None = None  # ...or the condition
    extra: Callable[[], ColumnElement[bool]] | None = None

    def _allowed(self) -> Any:
        query: Any = select(self.model).where(self.condition(current_scope()))
        return query.where(self.extra()) if self.extra is not None else query

    def query(self, text: str = "", master: int | None = None) -> Any:
        query = self._allowed()
        text = text.strip()
        if text:
            query = query.where(or_(*[column.ilike(f"%{text}%") for column in self.search]))
        if self.master_condition is not None:  # nothing to offer until the master is chosen
            query = query.where(self.master_condition(master) if master else false())
        elif self.master_column is not None:
            query = query.where(self.master_column == master if master else false())
        return query.order_by(self.order)

    def page(self, text: str, master: int | None, page: int) -> tuple[list[Any], bool]:
        rows = list(
            db.session.scalars(
                self.query(text, master).offset(page * PAGE_SIZE).limit(PAGE_SIZE + 1)
            )
        )
        return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE

    def allows(self, row_id: int) -> bool:
        """Whether ``row_id`` may be chosen at all (the use case checks it fits the master)."""
        model: Any = self.model
        query = self._allowed().where(model.id == row_id).limit(1)
        return db.session.execute(query).first() is not None


def choices_response(choice: RemoteChoice) -> dict[str, Any]:
    """The select2 answer for ``?q=<text>&page=<n>&master=<id>``."""
    page = min(max(request.args.get("page", 1, type=int) - 1, 0), MAX_ID // PAGE_SIZE)
    master = parse_pk(request.args.get("master"))
    rows, more = choice.page(request.args.get("q", ""), master, page)
    return {
        "results": [{"id": row.id, "text": str(row)} for row in rows],
        "pagination": {"more": more},
    }


class RemoteSelectWidget:
    def __call__(self, field: RemoteSelectField, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        extra_class = kwargs.pop("class_", "") or kwargs.pop("class", "")
        attributes = {
            "name": field.name,
            "class": f"form-control kinerja-remote-select {extra_class}".strip(),
            "data-url": field.endpoint,
            "data-placeholder": str(field.placeholder),
            "data-allow-clear": "true" if field.allow_blank else "false",
            # select2's own messages are English: the reader's language instead
            "data-no-results": gettext("No results found"),
            "data-searching": gettext("Searching…"),
            "data-error-loading": gettext("The results could not be loaded."),
            "data-loading-more": gettext("Loading more results…"),
        }
        if field.master_value is not None:  # the master is fixed (e.g. the plan being edited)
            attributes["data-master-value"] = str(field.master_value)
        elif field.choice.master:
            attributes["data-master"] = field.choice.master
        options = Markup('<option value=""></option>')
        if field.data is not None:
            options += Markup('<option value="{}" selected>{}</option>').format(
                field.data.id, str(field.data)
            )
        return Markup("<select {}>{}</select>").format(
            Markup(html_params(**kwargs, **attributes)),  # noqa: S704 - html_params escapes
            options,
        )


class RemoteSelectField(Field):
    """A many-to-one field chosen from a scoped, searched list; the choice is re-checked
    against the scope on submit, so a forged id is refused like a missing one."""

    widget = RemoteSelectWidget()

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        choice: RemoteChoice,
        endpoint: str,
        allow_blank: bool = True,
        placeholder: Any = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.choice = choice
        self.endpoint = endpoint
        self.allow_blank = allow_blank
        self.placeholder = placeholder
        self.master_value: int | None = None
        self._bad_value = False

    def _value(self) -> str:
        return str(self.data.id) if self.data is not None else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        raw = (valuelist[0] or "").strip()
        if raw in ("", "__None"):
            self.data = None
            return
        pk = parse_pk(raw)
        self.data = db.session.get(self.choice.model, pk) if pk is not None else None
        self._bad_value = self.data is None

    def pre_validate(self, form: Any) -> None:
        if self.data is None and not self._bad_value and not self.allow_blank:
            raise ValidationError(self.gettext("This field is required."))
        if self._bad_value or (self.data is not None and not self.choice.allows(self.data.id)):
            raise ValidationError(self.gettext("Not a valid choice."))
