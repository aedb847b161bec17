"""The development pages: an employee's profile and career options (*Pengembangan Saya*),
the yearly 20-JP tally and the talent 9-box of a unit. Read-only pages over
:mod:`kinerja.services.competency.career`; what each person sees is decided there by the
policies."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access

from kinerja.domain.errors import DomainError
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.competency import career
from kinerja.services.competency import units as development_units
from kinerja.views.params import parse_pk
from kinerja.views.refusals import flash_refusal


def _year() -> int:
    year = parse_pk(request.args.get("year"))
    return year if year is not None and 2000 <= year <= 2100 else date.today().year


class DevelopmentView(BaseView):
    route_base = "/development"
    class_permission_name = roles.ASSESSMENT
    method_permission_name = {"mine": "read", "employee": "read", "jp": "read", "talent": "read"}
    base_permissions = ["can_read"]
    default_view = "mine"

    @expose("/mine/")
    @has_access
    def mine(self) -> Any:
        try:
            employee_id = career.own_employee_id(current_scope())
        except DomainError:
            return self.render_template("kinerja/development/no_record.html")
        return self.employee(employee_id)

    @expose("/employee/<int:pk>/")
    @has_access
    def employee(self, pk: int) -> Any:
        try:
            profile = career.profile(pk, current_scope(), _year())
        except DomainError as refusal:
            flash_refusal(refusal)
            return redirect(url_for(".mine"))
        return self.render_template("kinerja/development/profile.html", profile=profile)

    @expose("/jp/")
    @has_access
    def jp(self) -> Any:
        scope = current_scope()
        unit_id = parse_pk(request.args.get("unit"))
        rows = career.jp_tally(scope, _year(), unit_id, below_only=request.args.get("all") != "1")
        return self.render_template(
            "kinerja/development/jp.html",
            rows=rows,
            year=_year(),
            unit_id=unit_id,
            units=career.readable_units(scope),
            everyone=request.args.get("all") == "1",
            target=career.YEARLY_JP,
            summary=development_units.unit_summary(scope, _year(), unit_id),
        )

    @expose("/talent/")
    @has_access
    def talent(self) -> Any:
        scope = current_scope()
        units = career.readable_units(scope)
        unit_id = parse_pk(request.args.get("unit")) or (units[0].id if units else None)
        grid = None
        if unit_id is not None:
            try:
                grid = career.talent_grid(scope, unit_id, _year())
            except DomainError as refusal:
                flash_refusal(refusal)
        return self.render_template(
            "kinerja/development/talent.html",
            grid=grid,
            units=units,
            unit_id=unit_id,
            year=_year(),
        )
