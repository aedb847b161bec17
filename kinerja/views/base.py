"""Shared behaviour of kinerja's screens and REST resources.

* every row passes the person's read scope; editing and deleting need the manage scope and
  answer 404 outside it, so ids cannot be probed;
* saving goes through a use case that validates (``FieldErrors``) and commits once: a form
  shows the messages beside its fields and keeps the input, the API answers 422 with
  ``{"message": {field: [...]}}``; a state conflict answers 409;
* enums are chosen and shown with translated labels;
* list screens load their related rows in a fixed number of queries, not one per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any, ClassVar

from flask import Response, abort, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import ModelRestApi, ModelView, expose
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.urltools import get_filter_args
from flask_appbuilder.validators import Unique
from flask_babel import format_datetime, gettext, lazy_gettext
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import LoaderOption
from wtforms import SelectField, StringField
from wtforms.fields.choices import Choice, SelectChoice

from kinerja.domain.errors import ConflictError, DomainError, FieldErrors
from kinerja.domain.org import LabeledEnum
from kinerja.extensions import db
from kinerja.security.current import current_scope
from kinerja.security.scopes import Scope
from kinerja.views.filters import (
    MANAGE_CONDITIONS,
    FilterEnumIs,
    FilterEnumIsNot,
    ReadScopeFilter,
    scope_filter,
)
from kinerja.views.params import parse_pk
from kinerja.views.widgets import RemoteChoice, RemoteSelectField, choices_response

READ_ONLY_METHODS = {"list": "read", "show": "read", "export": "read", "choices": "read"}
CRUD_METHOD_PERMISSIONS = {
    **READ_ONLY_METHODS,
    "add": "add",
    "edit": "edit",
    "delete": "delete",
    "action": "read",
    "action_post": "read",
}
API_METHOD_PERMISSIONS = {
    "get_list": "read",
    "get": "read",
    "info": "read",
    "post": "add",
    "put": "edit",
    "delete": "delete",
}


def manageable_row(model: Any, pk: Any, condition: Any) -> Any | None:
    """The row ``pk`` of ``model`` if it satisfies ``condition`` (a manage scope), else None."""
    number = parse_pk(pk)
    if number is None:
        return None
    return db.session.query(model).filter(model.id == number, condition).one_or_none()


def tr(error: DomainError) -> str:
    """The message of ``error`` in the current language (enum values by their labels)."""
    params = {
        key: gettext(value.label) if isinstance(value, LabeledEnum) else value
        for key, value in error.params.items()
    }
    return gettext(error.template, **params)


def error_messages(errors: FieldErrors) -> dict[str, list[str]]:
    return {field: [tr(e) for e in errs] for field, errs in errors.errors.items()}


def flash_refusal(exc: DomainError) -> None:
    """Show why a use case refused, one message per problem."""
    if isinstance(exc, FieldErrors):
        for messages in error_messages(exc).values():
            for message in messages:
                flash(message, "danger")
    else:
        flash(tr(exc), "danger")


def screen_step(step: Callable[[], Any], done: str, back: str) -> Response:
    """Run a use case from a screen's button: flash the outcome (or the refusal) and go
    back to ``back``; a step outside one's role answers 403."""
    try:
        step()
    except (FieldErrors, ConflictError) as exc:
        db.session.rollback()
        flash_refusal(exc)
    except PermissionError:
        db.session.rollback()
        abort(403)
    else:
        flash(done, "success")
    return redirect(back)


_CONSTRAINT = re.compile(r"(?:uq|ck|fk)_(?P<table>[a-z_]+?)_(?P<column>[a-z_]+)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<table>\w+)\.(?P<column>\w+)")


def integrity_field(exc: IntegrityError) -> str:
    """Best guess of the field behind a database constraint error (for a 422 body)."""
    diag = getattr(getattr(exc, "orig", None), "diag", None)
    name = getattr(diag, "constraint_name", None) or ""
    table = getattr(diag, "table_name", None) or ""
    if name and table and name.startswith(("uq_", "ck_", "fk_")):
        column = name.split("_", 1)[1]
        column = column[len(table) + 1 :] if column.startswith(table + "_") else column
        return column.removesuffix("_id")
    match = _SQLITE_UNIQUE.search(str(exc.orig)) or _CONSTRAINT.search(str(exc.orig))
    return match.group("column").removesuffix("_id") if match else "_schema"


# --- forms ----------------------------------------------------------------------------------


class TranslatedEnumField(SelectField):
    """A select of enum members labelled in the current language (FAB shows raw values)."""

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        enum_class: type[Enum],
        allow_blank: bool = False,
        **kwargs: Any,
    ) -> None:
        self.enum_class = enum_class
        choices = [
            SelectChoice(m.value, lazy_gettext(getattr(m, "label", m.value))) for m in enum_class
        ]
        if allow_blank:
            choices.insert(0, SelectChoice("", lazy_gettext("(none)")))
        kwargs.setdefault("widget", Select2Widget())
        super().__init__(label, validators, choices=choices, coerce=self._coerce, **kwargs)

    def _coerce(self, value: Any) -> Any:
        if value in (None, "", "None"):
            return None
        return value if isinstance(value, self.enum_class) else self.enum_class(value)

    def iter_choices(self) -> Iterable[Any]:
        current = self.data.value if isinstance(self.data, Enum) else self.data
        for choice in self.choices:
            yield Choice(choice.value, choice.label, choice.value == current, {})

    def pre_validate(self, form: Any) -> None:
        if self.data is None:
            return
        if self.data not in list(self.enum_class):
            raise ValueError(self.gettext("Not a valid choice."))


def yes_no(value: Any) -> str:
    if value is None or value == "":
        return ""
    return gettext("Yes") if value else gettext("No")


def local_datetime(value: Any) -> str:
    """A timestamp in the instance's time zone and the reader's language (23 Nov 2026 …)."""
    return format_datetime(value, "medium") if value else ""


def enum_formatter(enum_class: type[Enum]) -> Callable[[Any], str]:
    """Formats a stored enum value (FAB hands over ``.value``) as its translated label."""

    def format_value(value: Any) -> str:
        if value is None or value == "":
            return ""
        member = value if isinstance(value, enum_class) else enum_class(value)
        return gettext(getattr(member, "label", member.value))

    return format_value


def _drop_unique_validators(form: Any) -> None:
    """Uniqueness is checked by the use case (on the normalised value, with a message naming
    it); FAB's own check on the raw input would answer first and less helpfully."""
    for name in dir(form):
        unbound = getattr(form, name, None)
        validators = getattr(unbound, "kwargs", {}).get("validators") if unbound else None
        if validators:
            unbound.kwargs["validators"] = [v for v in validators if not isinstance(v, Unique)]


class EagerInterface(SQLAInterface):
    """SQLAInterface whose list queries load the given relationships in bulk."""

    def __init__(
        self, obj: type, session: Session | None = None, eager: Sequence[LoaderOption] = ()
    ) -> None:
        super().__init__(obj, session)
        self.eager = tuple(eager)

    def apply_all(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        return super().apply_all(query, *args, **kwargs).options(*self.eager)


# --- screens --------------------------------------------------------------------------------


class SafeActionsMixin:
    """FAB's action endpoints load the chosen rows without the view's filters and trust the
    ids they are given; here rows are found through the base filters (a row out of reach
    answers 404) and an unknown action or id is refused instead of failing."""

    def _permitted_action(self, name: str) -> Any:
        action = self.actions.get(name)
        if action is None:
            abort(404)
        permission = self.get_action_permission_name(name)
        if not self.appbuilder.sm.has_access(permission, self.class_permission_name):
            abort(403)
        return action

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name: str, pk: Any) -> Any:
        if request.method != "POST":
            abort(405)  # an action changes things: POST only (with its CSRF token)
        action = self._permitted_action(name)
        number = parse_pk(pk)
        item = self.datamodel.get(number, self._base_filters) if number else None
        if item is None:
            abort(404)
        return action.func(item)

    @expose("/action_post", methods=["POST"])
    def action_post(self) -> Any:
        action = self._permitted_action(request.form.get("action", ""))
        numbers = [n for n in (parse_pk(v) for v in request.form.getlist("rowid")) if n]
        items = [self.datamodel.get(n, self._base_filters) for n in numbers]
        return action.func([item for item in items if item is not None])


class KinerjaModelView(SafeActionsMixin, ModelView):
    """A back-office screen scoped to the person's rows, saving through a use case.

    ``search_filters`` put extra filters first on a column's search menu; ``text_filters``
    replace a relation column's filters (and its long dropdown) by a text box;
    ``remote_choices`` make relation fields of the forms search the server.
    """

    base_filters = scope_filter(ReadScopeFilter)
    method_permission_name = CRUD_METHOD_PERMISSIONS
    base_permissions = ["can_read", "can_add", "can_edit", "can_delete"]
    list_template = "kinerja/model_list.html"
    show_template = "kinerja/model_show.html"
    page_size = 25
    search_filters: ClassVar[dict[str, list[type[BaseFilter]]]] = {}
    text_filters: ClassVar[dict[str, list[type[BaseFilter]]]] = {}
    remote_choices: ClassVar[dict[str, RemoteChoice]] = {}
    save_item: ClassVar[Callable[[Any, Scope], None] | None] = None
    delete_item: ClassVar[Callable[[Any, Scope], None] | None] = None
    edit_condition: ClassVar[Callable[[Scope], Any] | None] = None
    optional_enum_columns: ClassVar[set[str]] = set()  # enums left blank for a default

    def prepare_form(self, form: Any, item: Any | None) -> None:
        """Adjust a form before it is shown or checked (``item`` is None when adding)."""

    def after_save_url(self, item: Any) -> str:
        """Where to go once ``item`` is saved: its detail page."""
        return url_for(f"{self.endpoint}.show", pk=item.id)

    def _init_properties(self) -> None:
        super()._init_properties()
        enum_filters = {
            column: [FilterEnumIs, FilterEnumIsNot]
            for column in self.search_columns
            if column in self.datamodel.list_columns and self.datamodel.is_enum(column)
        }
        for column, classes in {**self.search_filters, **enum_filters, **self.text_filters}.items():
            extra = [cls(column, self.datamodel) for cls in classes]
            replaced = column in self.text_filters or column in enum_filters
            keep = [] if replaced else self._filters._all_filters.get(column, [])
            self._filters._search_filters[column] = extra + list(keep)
            self._filters._all_filters[column] = extra + list(keep)
        formatters = dict(self.formatters_columns or {})
        for column in self.datamodel.get_columns_list():
            if column in formatters:
                continue
            if self.datamodel.is_enum(column):
                formatters[column] = enum_formatter(
                    self.datamodel.list_columns[column].type.enum_class
                )
            elif self.datamodel.is_boolean(column):
                formatters[column] = yes_no
            elif self.datamodel.is_datetime(column):
                formatters[column] = local_datetime
        self.formatters_columns = formatters

    def _init_forms(self) -> None:
        super()._init_forms()
        for form in (self.add_form, self.edit_form):
            _drop_unique_validators(form)
        for form, columns, blank in (
            (self.add_form, self.add_columns, False),
            (self.edit_form, self.edit_columns, False),
            (self.search_form, self.search_columns, True),
        ):
            for column in columns:
                if column in self.datamodel.list_columns and self.datamodel.is_enum(column):
                    enum_class = self.datamodel.list_columns[column].type.enum_class
                    setattr(
                        form,
                        column,
                        TranslatedEnumField(
                            self.label_columns.get(column, column),
                            description=self.description_columns.get(column, ""),
                            enum_class=enum_class,
                            allow_blank=blank
                            or column in self.optional_enum_columns
                            or self.datamodel.is_nullable(column),
                        ),
                    )
        for column in self.text_filters:
            setattr(self.search_form, column, StringField(self.label_columns.get(column, column)))
        for form, columns in (
            (self.add_form, self.add_columns),
            (self.edit_form, self.edit_columns),
        ):
            for column, choice in self.remote_choices.items():
                if column in columns:
                    setattr(
                        form,
                        column,
                        RemoteSelectField(
                            self.label_columns.get(column, column),
                            description=self.description_columns.get(column, ""),
                            choice=choice,
                            endpoint=f"{self.route_base}/choices/{column}/",
                            allow_blank=self.datamodel.is_nullable(column),
                            placeholder=lazy_gettext("Type to search…"),
                        ),
                    )

    @expose("/choices/<column>/")
    @has_access
    def choices(self, column: str) -> Any:
        """Choices of a relation field, scoped, searched and paged (for the form's select)."""
        choice = self.remote_choices.get(column)
        if choice is None:
            abort(404)
        return jsonify(choices_response(choice))

    # Row-level checks for changes: outside the manage scope a row does not exist.
    def _require_manageable(self, pk: Any) -> None:
        condition = (self.edit_condition or MANAGE_CONDITIONS[self.datamodel.obj])(current_scope())
        if manageable_row(self.datamodel.obj, pk, condition) is None:
            abort(404)

    def _show(self, pk: Any) -> Any:
        if parse_pk(pk) is None:
            abort(404)
        return super()._show(pk)

    def _show_field_errors(self, form: Any, errors: FieldErrors) -> None:
        for field, messages in error_messages(errors).items():
            target = getattr(form, field, None)
            if target is not None and hasattr(target, "errors"):
                if not isinstance(target.errors, list):
                    target.errors = list(target.errors)
                target.errors.extend(messages)
            else:
                for message in messages:
                    flash(message, "danger")

    def _save(self, form: Any, item: Any, created: bool) -> bool:
        """Populate, validate and commit; on errors roll back and show them in the form."""
        try:
            with db.session.no_autoflush:
                form.populate_obj(item)
            self.save_item(item, current_scope())  # type: ignore[misc]
        except FieldErrors as exc:
            db.session.rollback()
            self._show_field_errors(form, exc)
            return False
        except ConflictError as exc:
            db.session.rollback()
            flash(tr(exc), "danger")
            return False
        except PermissionError:
            db.session.rollback()
            abort(403)
        except IntegrityError as exc:
            db.session.rollback()
            field = integrity_field(exc)
            self._show_field_errors(
                form, FieldErrors.single(field, "This value conflicts with another record.")
            )
            return False
        g._kinerja_saved_url = self.after_save_url(item)
        if created:
            self.post_add(item)
            flash(self.add_row_message, "success")
        else:
            self.post_update(item)
            flash(self.edit_row_message, "success")
        return True

    def _to_saved_item(self) -> Any:
        """After saving, show what was saved (FAB would return to the previous page)."""
        url = g.get("_kinerja_saved_url")
        return redirect(url if url else self.get_redirect())

    def post_add_redirect(self) -> Any:
        return self._to_saved_item()

    def post_edit_redirect(self) -> Any:
        return self._to_saved_item()

    def _add(self) -> Any:
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        form = self.add_form.refresh()
        self.prepare_form(form, None)
        if request.method == "POST":
            self._fill_form_exclude_cols(exclude_cols, form)
            if form.validate():
                self.process_form(form, True)
                if self._save(form, self.datamodel.obj(), created=True):
                    return None
        else:
            self.update_redirect()
        return self._get_add_widget(form=form, exclude_cols=exclude_cols)

    def _edit(self, pk: Any) -> Any:
        self._require_manageable(pk)
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        pk = self.datamodel.get_pk_value(item)
        if request.method == "POST":
            form = self.edit_form.refresh(request.form)
            self.prepare_form(form, item)
            self._fill_form_exclude_cols(exclude_cols, form)
            form._id = pk
            if form.validate():
                self.process_form(form, False)
                if self._save(form, item, created=False):
                    return None
        else:
            form = self.edit_form.refresh(obj=item)
            self.prepare_form(form, item)
            self.prefill_form(form, pk)
            self.update_redirect()
        widgets = self._get_edit_widget(form=form, exclude_cols=exclude_cols)
        return self._get_related_views_widgets(
            item, filters={}, orders={}, pages={}, page_sizes={}, widgets=widgets
        )

    def _delete(self, pk: Any) -> None:
        self._require_manageable(pk)
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        try:
            self.delete_item(item, current_scope())  # type: ignore[misc]
        except (ConflictError, FieldErrors) as exc:
            db.session.rollback()
            flash(tr(exc), "danger")
        else:
            flash(self.delete_row_message, "success")
        self.update_redirect()


# --- REST -----------------------------------------------------------------------------------


class KinerjaModelApi(ModelRestApi):
    """A REST resource scoped like the screens, saving through the same use cases."""

    base_filters = scope_filter(ReadScopeFilter)
    method_permission_name = API_METHOD_PERMISSIONS
    save_item: ClassVar[Callable[[Any, Scope], None] | None] = None
    delete_item: ClassVar[Callable[[Any, Scope], None] | None] = None
    edit_condition: ClassVar[Callable[[Scope], Any] | None] = None

    def _manageable(self, pk: Any) -> Any | None:
        condition = (self.edit_condition or MANAGE_CONDITIONS[self.datamodel.obj])(current_scope())
        return manageable_row(self.datamodel.obj, pk, condition)

    def get_headless(self, pk: Any, **kwargs: Any) -> Any:
        if parse_pk(pk) is None:
            return self.response_404()
        return super().get_headless(pk, **kwargs)

    def use_case(self, step: Callable[[], Any]) -> tuple[Any, Response | None]:
        """Run a use case; its refusals become 422 (fields named), 409 (state) or 403."""
        try:
            return step(), None
        except FieldErrors as exc:
            db.session.rollback()
            return None, self.response_422(message=error_messages(exc))
        except ConflictError as exc:
            db.session.rollback()
            return None, self.response(409, message=tr(exc))
        except PermissionError:
            db.session.rollback()
            return None, self.response_403()

    def _commit(self, item: Any) -> Any:
        try:
            _, refused = self.use_case(lambda: self.save_item(item, current_scope()))  # type: ignore[misc]
            if refused is not None:
                return refused
        except IntegrityError as exc:
            db.session.rollback()
            field = integrity_field(exc)
            return self.response_422(
                message={field: [gettext("This value conflicts with another record.")]}
            )
        return None

    def clean_payload(self, data: dict[str, Any]) -> dict[str, list[str]]:
        """Normalise values in ``data`` before validation; return field errors found.

        A related row is named by its id: anything else (an object, a list, a huge number)
        is refused here, before marshmallow-sqlalchemy would try to build a row from it.
        """
        errors: dict[str, list[str]] = {}
        for column, value in list(data.items()):
            if value is None or not self.datamodel.is_relation(column):
                continue
            if parse_pk(value) is None or not isinstance(value, int | str):
                errors[column] = [gettext("Not a valid choice.")]
                del data[column]
        return errors

    def _load(self, schema: Any, data: dict[str, Any], **kwargs: Any) -> Any:
        """Load a JSON body into an item, or return a 422 response naming the fields."""
        errors = self.clean_payload(data)
        try:
            with db.session.no_autoflush:
                item = schema.load(data, **kwargs)
        except ValidationError as err:
            db.session.rollback()
            messages = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
            return self.response_422(message={**messages, **errors})
        if errors:
            db.session.rollback()
            return self.response_422(message=errors)
        return item

    def _with_column_defaults(self, data: dict[str, Any]) -> dict[str, Any]:
        """Columns with a plain default (a kind, an order, a flag) may be left out of a new
        row, although FAB's schema marks every non-null column as required."""
        table = self.datamodel.obj.__table__
        for name in self.add_columns:
            column = table.columns.get(name)
            default = getattr(column, "default", None)
            if column is None or default is None or not default.is_scalar or name in data:
                continue
            value = default.arg
            data[name] = value.value if isinstance(value, Enum) else value
        return data

    def post_headless(self) -> Any:
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message=gettext("Request body must be a JSON object."))
        item = self._load(self.add_model_schema, self._with_column_defaults(dict(request.json)))
        if isinstance(item, Response):
            return item
        error = self._commit(item)
        if error is not None:
            return error
        self.post_add(item)
        return self.response(
            201,
            result=self.add_model_schema.dump(item, many=False),
            id=self.datamodel.get_pk_value(item),
        )

    def put_headless(self, pk: Any) -> Any:
        item = self._manageable(pk)
        if item is None:
            return self.response_404()
        if not request.is_json or not isinstance(request.json, dict):
            return self.response_400(message=gettext("Request body must be a JSON object."))
        with db.session.no_autoflush:
            data = self._merge_update_item(item, dict(request.json))
        item = self._load(self.edit_model_schema, data, instance=item)
        if isinstance(item, Response):
            return item
        error = self._commit(item)
        if error is not None:
            return error
        self.post_update(item)
        return self.response(200, result=self.edit_model_schema.dump(item, many=False))

    def delete_headless(self, pk: Any) -> Any:
        item = self._manageable(pk)
        if item is None:
            return self.response_404()
        try:
            self.delete_item(item, current_scope())  # type: ignore[misc]
        except (ConflictError, FieldErrors) as exc:
            db.session.rollback()
            return self.response(409, message=tr(exc))
        self.post_delete(item)
        return self.response(200, message="OK")
