"""Importing units, positions, employees and assessments from CSV/XLSX: upload, progress, report.

The screens only ask: the upload is kept and its import recorded by
:func:`~kinerja.services.imports.request_import`, the job runs it, and the run's page shows
what it found (problems by row and column, translated when shown).
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField

from kinerja.domain.errors import DomainError, FieldErrors
from kinerja.models.jobs import JobStatus
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.imports import (
    COLUMNS,
    ORGANISATION_KINDS,
    ImportKind,
    ImportMode,
    ImportRun,
    choices_for,
    readable_import,
    recent_imports,
    request_import,
    template_rows,
    text_columns,
)
from kinerja.services.spreadsheets import write_csv, write_xlsx
from kinerja.views.jobs import message_text
from kinerja.views.refusals import error_messages, flash_refusal

KIND_LABELS = {
    ImportKind.UNITS: _l("Units"),
    ImportKind.POSITIONS: _l("Positions"),
    ImportKind.EMPLOYEES: _l("Employees"),
    ImportKind.ASSESSMENTS: _l("Competency assessments"),
}
MODE_LABELS = {
    ImportMode.ALL_OR_NOTHING: _l("Import when every row is valid (otherwise nothing)"),
    ImportMode.VALID_ROWS: _l("Import the valid rows only, skip rows with errors"),
    ImportMode.CHECK: _l("Only check the file, import nothing"),
}
ERRORS_PER_PAGE = 200


class ImportForm(DynamicForm):
    kind = SelectField(_l("What to import"), choices=[(k.value, v) for k, v in KIND_LABELS.items()])
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
    mode = RadioField(
        _l("When rows have errors"),
        default=ImportMode.ALL_OR_NOTHING.value,
        choices=[(m.value, v) for m, v in MODE_LABELS.items()],
    )


def _problem(template: str, params: dict[str, Any] | None) -> str:
    return gettext(template, **params) if params else gettext(template)


class ImportView(BaseView):
    """The organisation's import; :class:`AssessmentImportView` is the same screen for
    competency assessments, under the development menu."""

    route_base = "/import"
    kinds: tuple[ImportKind, ...] = ORGANISATION_KINDS
    heading = _l("Import units, positions and employees")
    intro = _l(
        "Every row is checked first; problems are listed by row and column. Importing the same"
        " file again updates rows by unit code, position code and NIP instead of duplicating them."
    )
    class_permission_name = roles.IMPORT
    method_permission_name = {
        "index": "read",
        "upload": "write",
        "run": "read",
        "errors_csv": "read",
        "template": "read",
    }
    base_permissions = ["can_read", "can_write"]
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        return self._page(self._form())

    @expose("/", methods=["POST"])
    @has_access
    def upload(self) -> Any:
        form = self._form()
        if not form.validate():
            return self._page(form)
        upload = form.file.data
        try:
            run = request_import(
                ImportKind(form.kind.data),
                upload.stream,
                upload.filename,
                ImportMode(form.mode.data),
                current_scope(),
            )
        except FieldErrors as refusal:
            for messages in error_messages(refusal).values():
                form.file.errors = [*form.file.errors, *messages]
            return self._page(form)
        except DomainError as refusal:
            flash_refusal(refusal)
            return self._page(form)
        return redirect(url_for("ImportView.run", run_id=run.id))

    @expose("/runs/<int:run_id>/")
    @has_access
    def run(self, run_id: int) -> Any:
        found = self._readable(run_id)
        run = found.run
        page = max(request.args.get("page", 0, type=int), 0)
        result = run.result or {}
        errors = result.get("errors", [])
        shown = [
            (row, column, _problem(template, params))
            for row, column, template, params in errors[
                page * ERRORS_PER_PAGE : (page + 1) * ERRORS_PER_PAGE
            ]
        ]
        file_error = result.get("file_error")
        return self.render_template(
            "kinerja/import_run.html",
            found=found,
            run=run,
            result=result,
            errors=shown,
            error_count=len(errors),
            page=page,
            per_page=ERRORS_PER_PAGE,
            file_error=_problem(*file_error) if file_error else None,
            finished=JobStatus(run.status).finished,
            failed=run.status == JobStatus.FAILED,
            state=message_text(run.state),
            outcome=message_text(run.outcome),
            kind_label=KIND_LABELS.get(found.kind) if found.kind else "",
        )

    @expose("/runs/<int:run_id>/errors.csv")
    @has_access
    def errors_csv(self, run_id: int) -> Response:
        run = self._readable(run_id).run
        errors = (run.result or {}).get("errors", [])
        rows = [
            [row, column, _problem(template, params)] for row, column, template, params in errors
        ]
        body = write_csv([gettext("Row"), gettext("Column"), gettext("Problem")], rows)
        return Response(
            body,
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="import-{run_id}-errors.csv"'},
        )

    @expose("/template/<kind>.<fmt>")
    @has_access
    def template(self, kind: str, fmt: str) -> Response:
        try:
            import_kind = ImportKind(kind)
        except ValueError:
            abort(404)
        header, examples, notes = template_rows(import_kind)
        notes = [[gettext("Column"), gettext("Meaning")]] + [
            [name, _describe(import_kind, name, text)] for name, text in notes
        ]
        if fmt == "csv":
            body, mimetype = write_csv(header, examples), "text/csv"
        elif fmt == "xlsx":
            body = write_xlsx(
                header, examples, text_columns(import_kind), notes, gettext("Instructions")
            )
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            abort(404)
        return Response(
            body,
            mimetype=mimetype,
            headers={"Content-Disposition": f'attachment; filename="template-{kind}.{fmt}"'},
        )

    @staticmethod
    def _readable(run_id: int) -> ImportRun:
        """Import runs are private to whoever uploaded them (and visible to admins)."""
        found = readable_import(current_scope(), run_id)
        if found is None:
            abort(404)
        return found

    def _form(self) -> ImportForm:
        form = ImportForm()
        form.kind.choices = [(kind.value, KIND_LABELS[kind]) for kind in self.kinds]
        return form

    def _page(self, form: ImportForm) -> Any:
        recent = [
            (found, message_text(found.run.state), message_text(found.run.outcome))
            for found in recent_imports(current_scope())
        ]
        docs = {
            kind: [(c.name, c.required, _describe(kind, c.name, c.description)) for c in columns]
            for kind, columns in COLUMNS.items()
            if kind in self.kinds
        }
        if form.errors:
            flash(gettext("Please correct the marked fields."), "danger")
        return self.render_template(
            "kinerja/import.html",
            form=form,
            recent=recent,
            docs=docs,
            kind_labels=KIND_LABELS,
            heading=self.heading,
            intro=self.intro,
        )


class AssessmentImportView(ImportView):
    route_base = "/development/import"
    kinds = (ImportKind.ASSESSMENTS,)
    heading = _l("Import competency assessments")
    intro = _l(
        "Every row is checked first; problems are listed by row and column. Importing the same"
        " file again updates the level of the same employee, competency, date and source"
        " instead of adding another assessment."
    )


def _describe(kind: ImportKind, column: str, text: str) -> str:
    """A column's description in the reader's language, with the allowed values filled in."""
    if "%(choices)s" in text:
        return gettext(text, choices=choices_for(kind, column))
    return gettext(text)
