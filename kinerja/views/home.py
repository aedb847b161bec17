"""The home page: what the signed-in person can do, with the figures that matter to them.

Each role's section comes from :mod:`kinerja.services.dashboards`: the Admin and the
Operator see their units (per unit and period), a supervisor their team, an employee their
own plan. The period, sub-period and unit are chosen in the query string; a refused value
is said in the form and the defaults are shown (never a 500)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, redirect, request, url_for
from flask_appbuilder import IndexView, expose
from flask_babel import gettext

from kinerja.domain.ratings import Predikat
from kinerja.security.current import current_scope
from kinerja.services.dashboards import (
    board_filter,
    employee_board,
    supervisor_board,
    unit_board,
)
from kinerja.services.dashboards.filters import period_choices
from kinerja.services.overview import overview
from kinerja.views.formatters import waiting_time
from kinerja.views.ratings.explanation import message_text


def predikat_rows(tally: dict[str, int]) -> list[tuple[str, int]]:
    """A chart's rows: each predikat by its label in the reader's language, best first."""
    return [(str(gettext(value.label)), tally.get(value.value, 0)) for value in Predikat]


class HomeView(IndexView):
    index_template = "kinerja/index.html"

    @expose("/")
    def index(self) -> Any:
        user = g.user
        if user is None or not user.is_authenticated:
            return redirect(url_for("AuthDBView.login"))
        scope = current_scope()
        figures = overview(scope)
        today = date.today()
        chosen = board_filter(scope, request.args, today)
        units = supervisor = employee = None
        if chosen.period is not None:
            if scope.manages_all or scope.is_operator:
                units = unit_board(scope, chosen.period, chosen.sub_period, chosen.unit, today)
            supervisor = supervisor_board(scope, chosen.period)
            employee = employee_board(scope, chosen.period, today)
        return self.render_template(
            self.index_template,
            appbuilder=self.appbuilder,
            scope=scope,
            counts=figures.counts,
            me=figures.me,
            data_quality=figures.data_quality,
            period=figures.period,
            my_plan=figures.my_plan,
            waiting=figures.plans_waiting,
            reports_waiting=figures.reports_waiting,
            chosen=chosen,
            periods=period_choices(scope),
            units_board=units,
            supervisor_board=supervisor,
            employee_board=employee,
            message_text=message_text,
            waiting_time=waiting_time,
            predikat_rows=predikat_rows,
        )
