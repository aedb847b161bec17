"""Importing units, positions and employees from CSV/XLSX: upload, progress, report."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import RadioField, SelectField

from kinerja.extensions import db
from kinerja.jobs.imports import import_organisation_file, upload_dir
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.imports import (
    COLUMNS,
    ImportKind,
    ImportMode,
    choices_for,
    request_import,
    template_rows,
)
from kinerja.services.spreadsheets import CSV_SUFFIXES, XLSX_SUFFIXES, write_csv, write_xlsx

KIND_LABELS = {
    ImportKind.UNITS: _l("Units"),
    ImportKind.POSITIONS: _l("Positions"),
    ImportKind.EMPLOYEES: _l("Employees"),
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


class ImportView(BaseView):
    route_base = "/import"
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
        return self._page(ImportForm())

    @expose("/", methods=["POST"])
    @has_access
    def upload(self) -> Any:
        form = ImportForm()
        if not form.validate():
            return self._page(form)
        upload = form.file.data
        suffix = Path(upload.filename or "").suffix.lower()
        if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
            form.file.errors.append(gettext("Only .csv and .xlsx files can be imported."))
            return self._page(form)
        stored = f"{uuid.uuid4().hex}{suffix}"
        path = upload_dir() / stored
        upload.save(path)
        limit = current_app.config["KINERJA_IMPORT_MAX_BYTES"]
        if path.stat().st_size > limit:
            path.unlink()
            form.file.errors.append(
                gettext("The file is larger than %(size)s MB.", size=limit // (1024 * 1024))
            )
            return self._page(form)
        run = request_import(
            ImportKind(form.kind.data),
            stored,
            upload.filename or stored,
            ImportMode(form.mode.data),
            current_scope(),
        )
        return redirect(url_for("ImportView.run", run_id=run.id))

    @expose("/runs/<int:run_id>/")
    @has_access
    def run(self, run_id: int) -> Any:
        run = self._own_run(run_id)
        page = max(request.args.get("page", 0, type=int), 0)
        result = run.result or {}
        errors = result.get("errors", [])
        shown = [
            (row, column, gettext(template, **params) if params else gettext(template))
            for row, column, template, params in errors[
                page * ERRORS_PER_PAGE : (page + 1) * ERRORS_PER_PAGE
            ]
        ]
        file_error = result.get("file_error")
        return self.render_template(
            "kinerja/import_run.html",
            run=run,
            result=result,
            errors=shown,
            error_count=len(errors),
            page=page,
            per_page=ERRORS_PER_PAGE,
            file_error=gettext(file_error[0], **file_error[1]) if file_error else None,
            finished=run.status in (JobStatus.SUCCEEDED, JobStatus.FAILED),
            kind_label=KIND_LABELS.get(ImportKind(run.args[0])) if run.args else "",
        )

    @expose("/runs/<int:run_id>/errors.csv")
    @has_access
    def errors_csv(self, run_id: int) -> Response:
        run = self._own_run(run_id)
        errors = (run.result or {}).get("errors", [])
        rows = [
            [row, column, gettext(template, **params) if params else gettext(template)]
            for row, column, template, params in errors
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
            [
                name,
                gettext(text, choices=choices_for(import_kind, name))
                if "%(choices)s" in text
                else gettext(text),
            ]
            for name, text in notes
        ]
        if fmt == "csv":
            body, mimetype = write_csv(header, examples), "text/csv"
        elif fmt == "xlsx":
            text_columns = [
                c.name
                for c in COLUMNS[import_kind]
                if c.name
                in (
                    "nip",
                    "kode",
                    "kode_unit",
                    "kode_jabatan",
                    "kode_induk",
                    "kode_atasan",
                    "telepon",
                )
            ]
            body = write_xlsx(header, examples, text_columns, notes, gettext("Instructions"))
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            abort(404)
        return Response(
            body,
            mimetype=mimetype,
            headers={"Content-Disposition": f'attachment; filename="template-{kind}.{fmt}"'},
        )

    def _own_run(self, run_id: int) -> JobRun:
        """Import runs are private to whoever uploaded them (and visible to admins)."""
        run = db.session.get(JobRun, run_id)
        if (
            run is None
            or run.name != import_organisation_file.__name__
            or (run.requested_by_id != g.user.id and not current_scope().manages_all)
        ):
            abort(404)
        return run

    def _page(self, form: ImportForm) -> Any:
        recent = db.session.scalars(
            select(JobRun)
            .where(
                JobRun.name == import_organisation_file.__name__,
                JobRun.requested_by_id == g.user.id,
            )
            .order_by(JobRun.id.desc())
            .limit(10)
        ).all()
        docs = {
            kind: [
                (
                    c.name,
                    c.required,
                    gettext(c.description, choices=choices_for(kind, c.name))
                    if "%(choices)s" in c.description
                    else gettext(c.description),
                )
                for c in columns
            ]
            for kind, columns in COLUMNS.items()
        }
        if form.errors:
            flash(gettext("Please correct the marked fields."), "danger")
        return self.render_template(
            "kinerja/import.html", form=form, recent=recent, docs=docs, kind_labels=KIND_LABELS
        )
