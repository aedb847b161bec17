"""The home page: what the signed-in person can do, with the figures that matter to them."""

from __future__ import annotations

from typing import Any

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose
from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import WorkPlan
from kinerja.security.current import current_scope
from kinerja.security.scopes import employee_condition, position_condition, unit_condition
from kinerja.services import planning


class HomeView(IndexView):
    index_template = "kinerja/index.html"

    @expose("/")
    def index(self) -> Any:
        user = g.user
        if user is None or not user.is_authenticated:
            return redirect(url_for("AuthDBView.login"))
        scope = current_scope()
        counts = {
            "units": _count(Unit, unit_condition(scope)),
            "positions": _count(Position, position_condition(scope)),
            "employees": _count(Employee, employee_condition(scope)),
        }
        me = db.session.get(Employee, scope.employee_id) if scope.employee_id is not None else None
        data_quality = None
        if scope.manages_all or scope.is_operator:
            from kinerja.services.data_quality import issue_counts

            data_quality = sum(issue_counts(scope).values())
        period = planning.current_period()
        my_plan = None
        if me is not None and period is not None:
            my_plan = db.session.scalar(
                select(WorkPlan).where(
                    WorkPlan.employee_id == me.id, WorkPlan.period_id == period.id
                )
            )
        waiting = 0
        if scope.is_supervisor:
            waiting = (
                db.session.scalar(
                    select(func.count()).select_from(planning.queue_for(scope).subquery())
                )
                or 0
            )
        from kinerja.services import reporting

        return self.render_template(
            self.index_template,
            reports_waiting=reporting.queue_count(scope),
            appbuilder=self.appbuilder,
            counts=counts,
            me=me,
            scope=scope,
            data_quality=data_quality,
            period=period,
            my_plan=my_plan,
            waiting=waiting,
        )


def _count(model: type, condition: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0
