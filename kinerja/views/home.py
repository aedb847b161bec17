"""The home page: what the signed-in person can do, with the figures that matter to them."""

from __future__ import annotations

from typing import Any

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose

from kinerja.security.current import current_scope
from kinerja.services.overview import overview


class HomeView(IndexView):
    index_template = "kinerja/index.html"

    @expose("/")
    def index(self) -> Any:
        user = g.user
        if user is None or not user.is_authenticated:
            return redirect(url_for("AuthDBView.login"))
        scope = current_scope()
        figures = overview(scope)
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
        )
