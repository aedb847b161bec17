"""The data quality page: one section per check, each row with a link to fix it."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access

from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.data_quality import CHECKS, CHECKS_BY_CODE, issue_counts, issues

PAGE_SIZE = 50


class DataQualityView(BaseView):
    route_base = "/data-quality"
    class_permission_name = roles.DATA_QUALITY
    method_permission_name = {"index": "read", "check": "read"}
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        scope = current_scope()
        counts = issue_counts(scope)
        previews = {c.code: issues(c, scope, 0, 10) for c in CHECKS if counts[c.code]}
        return self.render_template(
            "kinerja/data_quality.html",
            checks=CHECKS,
            counts=counts,
            previews=previews,
            current=None,
            page=0,
            page_size=PAGE_SIZE,
        )

    @expose("/<code>/")
    @has_access
    def check(self, code: str) -> Any:
        check = CHECKS_BY_CODE.get(code)
        if check is None:
            abort(404)
        scope = current_scope()
        page = max(request.args.get("page", 0, type=int), 0)
        counts = issue_counts(scope)
        return self.render_template(
            "kinerja/data_quality.html",
            checks=CHECKS,
            counts=counts,
            previews={code: issues(check, scope, page, PAGE_SIZE)},
            current=check,
            page=page,
            page_size=PAGE_SIZE,
        )
