"""Calibration evidence for the Admin and the Operator: the evaluators whose given levels
differ most from the suggestions, among the evaluations of the people within one's units."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access

from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.ratings import queries
from kinerja.services.ratings.calibration import differences_by_evaluator
from kinerja.views.params import parse_pk


class CalibrationView(BaseView):
    route_base = "/ratings/calibration"
    class_permission_name = roles.RATING
    method_permission_name = {"index": "calibrate"}
    base_permissions = ["can_calibrate"]
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        """Per evaluator: decided evaluations, how many differ in results, in behaviour and
        in either, most differing first; one period (the newest by default) or all."""
        periods = queries.periods()
        chosen = request.args.get("period", "")
        if chosen == "all":
            period_id = None
        elif parse_pk(chosen) in {p.id for p in periods}:
            period_id = parse_pk(chosen)
        else:
            period_id = periods[0].id if periods else None
            chosen = str(period_id) if period_id else "all"
        return self.render_template(
            "kinerja/ratings/calibration.html",
            rows=differences_by_evaluator(current_scope(), period_id),
            periods=periods,
            chosen=chosen,
        )
