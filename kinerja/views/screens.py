"""The back-office screen every model gets: scoped by its policy, saving through a use case.

* every row passes the person's read policy; editing and deleting need the manage policy
  and answer 404 outside it, so ids cannot be probed;
* related-field choices come from the related model's read policy unless a view narrows
  them;
* saving goes through a use case; a refusal shows beside the form's fields (and keeps the
  input) or as a message; the view never commits;
* enums are chosen and shown with translated labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from flask import abort, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import ModelView, expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.urltools import get_filter_args
from flask_appbuilder.widgets import ListWidget
from flask_babel import lazy_gettext
from wtforms import HiddenField, StringField

from kinerja.domain.errors import DomainError, FieldErrors
from kinerja.extensions import db
from kinerja.security.current import current_scope
from kinerja.security.policies import POLICIES, policy_for
from kinerja.services.versions import expect_version, parse_version
from kinerja.views.fields import (
    TranslatedEnumField,
    allow_unchecked_boxes,
    drop_unique_validators,
)
from kinerja.views.filters import READABLE, FilterEnumIs, FilterEnumIsNot
from kinerja.views.formatters import enum_formatter, local_datetime, shown, yes_no
from kinerja.views.labels import CommonLabels
from kinerja.views.params import parse_pk
from kinerja.views.refusals import error_messages, flash_refusal
from kinerja.views.widgets import RemoteChoice, RemoteSelectField, choices_response

SEEN_VERSION = "seen_version"  # the hidden field of an edit form: the row's version as shown
READ_ONLY_METHODS = {"list": "read", "show": "read", "export": "read", "choices": "read"}
CRUD_METHOD_PERMISSIONS = {
    **READ_ONLY_METHODS,
    "add": "add",
    "edit": "edit",
    "delete": "delete",
    "action": "read",
    "action_post": "read",
}


def readable_choices(
    datamodel: Any, columns: list[str], narrowed: dict[str, Any] | None
) -> dict[str, Any]:
    """Related-field choices for ``columns``: those a view narrowed, else the related
    model's read policy (never every row of the table)."""
    result = dict(narrowed or {})
    for column in columns:
        if column in result or not datamodel.is_relation(column):
            continue
        if datamodel.get_related_model(column) in POLICIES:
            result[column] = READABLE
    return result


class SafeActionsMixin:
    """FAB's action endpoints load the chosen rows without the view's filters and trust the
    ids they are given; here rows are found through the base filters (a row out of reach
    answers 404) and an unknown action or id is refused instead of failing."""

    def _permitted_action(self, name: str) -> Any:
        action = self.actions.get(name)  # type: ignore[attr-defined]
        if action is None:
            abort(404)
        permission = self.get_action_permission_name(name)  # type: ignore[attr-defined]
        sm = self.appbuilder.sm  # type: ignore[attr-defined]
        if not sm.has_access(permission, self.class_permission_name):  # type: ignore[attr-defined]
            abort(403)
        return action

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name: str, pk: Any) -> Any:
        if request.method != "POST":
            abort(405)  # an action changes things: POST only (with its CSRF token)
        action = self._permitted_action(name)
        number = parse_pk(pk)
        datamodel = self.datamodel  # type: ignore[attr-defined]
        item = datamodel.get(number, self._base_filters) if number else None  # type: ignore[attr-defined]
        if item is None:
            abort(404)
        return action.func(item)

    @expose("/action_post", methods=["POST"])
    def action_post(self) -> Any:
        action = self._permitted_action(request.form.get("action", ""))
        numbers = [n for n in (parse_pk(v) for v in request.form.getlist("rowid")) if n]
        datamodel = self.datamodel  # type: ignore[attr-defined]
        items = [datamodel.get(n, self._base_filters) for n in numbers]  # type: ignore[attr-defined]
        return action.func([item for item in items if item is not None])


class ScopedListWidget(ListWidget):
    """FAB's list; edit and delete buttons only on the rows the person may change."""

    template = "kinerja/widgets/list.html"


class KinerjaModelView(CommonLabels, SafeActionsMixin, ModelView):
    """A back-office screen scoped by its model's policy, saving through a use case.

    ``search_filters`` put extra filters first on a column's search menu; ``text_filters``
    replace a relation column's filters (and its long dropdown) by a text box;
    ``remote_choices`` make relation fields of the forms search the server.
    """

    base_filters = READABLE
    method_permission_name = CRUD_METHOD_PERMISSIONS
    base_permissions = ["can_read", "can_add", "can_edit", "can_delete"]
    list_template = "kinerja/model_list.html"
    list_widget = ScopedListWidget
    show_template = "kinerja/model_show.html"
    page_size = 25
    search_filters: ClassVar[dict[str, list[type[BaseFilter]]]] = {}
    text_filters: ClassVar[dict[str, list[type[BaseFilter]]]] = {}
    remote_choices: ClassVar[dict[str, RemoteChoice]] = {}
    save_item: ClassVar[Callable[..., Any] | None] = None  # (row, scope), a use case
    delete_item: ClassVar[Callable[..., Any] | None] = None  # (row, scope), a use case
    optional_enum_columns: ClassVar[set[str]] = set()  # enums left blank for a default
    # FAB's own attributes, typed here (FAB ships no type information)
    add_form_query_rel_fields: dict[str, Any] | None = None
    edit_form_query_rel_fields: dict[str, Any] | None = None
    formatters_columns: dict[str, Any] | None = None
    search_columns: list[str] = []

    def prepare_form(self, form: Any, item: Any | None) -> None:
        """Adjust a form before it is shown or checked (``item`` is None when adding)."""

    def after_save_url(self, item: Any) -> str:
        """Where to go once ``item`` is saved: its detail page."""
        return url_for(f"{self.endpoint}.show", pk=item.id)

    def _init_properties(self) -> None:
        super()._init_properties()
        self.add_form_query_rel_fields = readable_choices(
            self.datamodel, self.add_columns, self.add_form_query_rel_fields
        )
        self.edit_form_query_rel_fields = readable_choices(
            self.datamodel, self.edit_columns, self.edit_form_query_rel_fields
        )
        enum_filters: dict[str, list[type[BaseFilter]]] = {
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
        for column in {*self.list_columns, *self.show_columns} - formatters.keys():
            formatters[column] = shown  # never "None" or an ISO date on a screen
        self.formatters_columns = formatters

    def _init_forms(self) -> None:
        super()._init_forms()
        if hasattr(self.datamodel.obj, "row_version"):
            setattr(self.edit_form, SEEN_VERSION, HiddenField())
        for form in (self.add_form, self.edit_form):
            drop_unique_validators(form)
            allow_unchecked_boxes(form)
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

    def _get_list_widget(self, *args: Any, **kwargs: Any) -> Any:
        """Mark which rows of the page the person may change (one query per page)."""
        widgets = super()._get_list_widget(*args, **kwargs)
        arguments = widgets["list"].template_args
        ids = [pk for pk in arguments.get("pks", []) if isinstance(pk, int)]
        policy = policy_for(self.datamodel.obj)
        arguments["manageable"] = policy.manageable_ids(current_scope(), ids)
        return widgets

    @expose("/choices/<column>/")
    @has_access
    def choices(self, column: str) -> Any:
        """Choices of a relation field, scoped, searched and paged (for the form's select)."""
        choice = self.remote_choices.get(column)
        if choice is None:
            abort(404)
        return jsonify(choices_response(choice))

    def _manageable(self, pk: Any) -> Any:
        """The row ``pk`` if the person may change it; otherwise it does not exist (404)."""
        item = policy_for(self.datamodel.obj).manageable(current_scope(), parse_pk(pk))
        if item is None:
            abort(404)
        return item

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
        """Populate the item and hand it to the use case; show its refusal in the form. A
        versioned row changed by someone else since the form was shown is refused (the
        version check), nothing overwritten."""
        seen = getattr(form, SEEN_VERSION, None)
        try:
            if seen is not None and not created:
                expect_version(item, parse_version(seen.data))
            with db.session.no_autoflush:
                for name, field in form._fields.items():
                    if name != SEEN_VERSION:
                        field.populate_obj(item, name)
            self.save_item(item, current_scope())  # type: ignore[misc]
        except FieldErrors as refusal:
            self._show_field_errors(form, refusal)
            return False
        except DomainError as refusal:
            flash_refusal(refusal)
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
        item = self._manageable(pk)
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
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
            if hasattr(form, SEEN_VERSION):
                getattr(form, SEEN_VERSION).data = item.row_version
            self.prepare_form(form, item)
            self.prefill_form(form, pk)
            self.update_redirect()
        widgets = self._get_edit_widget(form=form, exclude_cols=exclude_cols)
        return self._get_related_views_widgets(
            item, filters={}, orders={}, pages={}, page_sizes={}, widgets=widgets
        )

    def _delete(self, pk: Any) -> None:
        item = self._manageable(pk)
        try:
            self.delete_item(item, current_scope())  # type: ignore[misc]
        except DomainError as refusal:
            flash_refusal(refusal)
        else:
            flash(self.delete_row_message, "success")
        self.update_redirect()
