"""Printing all SKPs of a unit: the form that asks for it (units and periods one may read),
and the download of the ZIP the job made, for whoever asked for it."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from sqlalchemy import select

from kinerja.domain.errors import DomainError, FieldErrors
from kinerja.extensions import db
from kinerja.models.org import Unit
from kinerja.models.planning import Period
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import periods, units
from kinerja.services.documents import bulk
from kinerja.views.params import parse_pk
from kinerja.views.refusals import error_messages, flash_refusal, status_of

MAX_UNITS = 2000  # a choice list, not a search: more units than this is no instance's size


class UnitPlansPrintView(BaseView):
    route_base = "/plans/print-unit"
    class_permission_name = roles.WORK_PLAN
    method_permission_name = {"form": "read", "download": "read"}
    base_permissions = ["can_read"]
    default_view = "form"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def form(self) -> Any:
        scope = current_scope()
        errors: dict[str, list[str]] = {}
        chosen = {
            "unit": request.values.get("unit", ""),
            "period": request.values.get("period", ""),
        }
        if request.method == "POST":
            try:
                run = bulk.request_unit_plans(
                    parse_pk(chosen["unit"]), parse_pk(chosen["period"]), scope
                )
            except FieldErrors as refusal:
                errors = error_messages(refusal)
            except DomainError as refusal:
                flash_refusal(refusal)
            else:
                flash(
                    gettext("The SKPs are being printed: the ZIP appears here when done."), "info"
                )
                return redirect(url_for("JobRunView.show", pk=run.id))
        unit_rows = db.session.scalars(
            select(Unit).where(units.read(scope)).order_by(Unit.name).limit(MAX_UNITS)
        )
        period_rows = db.session.scalars(
            select(Period).where(periods.read(scope)).order_by(Period.year.desc())
        )
        return self.render_template(
            "kinerja/plan_print_unit.html",
            units=list(unit_rows),
            periods=list(period_rows),
            chosen=chosen,
            errors=errors,
        )

    @expose("/<int:run_id>/download")
    @has_access
    def download(self, run_id: int) -> Any:
        try:
            path, filename = bulk.printed_zip(parse_pk(run_id), current_scope())
        except DomainError as refusal:
            abort(status_of(refusal))
        return send_file(
            path, mimetype="application/zip", as_attachment=True, download_name=filename
        )
