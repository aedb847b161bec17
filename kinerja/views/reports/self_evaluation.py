"""The self-evaluation form of the annual report page (the employee's), posted here and
answered with the report page again."""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from marshmallow import ValidationError

from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import reports
from kinerja.services.reports.self_evaluation import save_self_evaluation
from kinerja.views.params import parse_pk
from kinerja.views.refusals import screen_step
from kinerja.views.reports.schemas import SelfEvaluationSchema
from kinerja.views.schemas import field_errors


class SelfEvaluationView(BaseView):
    route_base = "/self-evaluation"
    class_permission_name = roles.REPORT
    method_permission_name = {"save": "write"}
    base_permissions = ["can_write"]

    @expose("/<int:pk>", methods=["POST"])
    @has_access
    def save(self, pk: int) -> Any:
        scope = current_scope()
        report = reports.readable(scope, parse_pk(pk))
        if report is None:
            abort(404)
        form = request.form
        data = {
            "results": form.get("results"),
            "values": {
                k.removeprefix("level_"): v for k, v in form.items() if k.startswith("level_")
            },
            "note": form.get("note"),
        }

        def step() -> None:
            try:
                loaded = SelfEvaluationSchema().load(data)
            except ValidationError as err:
                raise field_errors(err) from err
            save_self_evaluation(report, loaded["results"], loaded["values"], loaded["note"], scope)

        return screen_step(
            step,
            gettext("Your self-evaluation was saved; your supervisor sees it."),
            url_for("ReportPageView.report", pk=report.id, _anchor="self-evaluation"),
        )
