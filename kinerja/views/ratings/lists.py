"""The ratings list (each person's rows by the ratings policy, CSV export with NIP and name),
a rating's page with its explanation, and one's own latest rating."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import false
from sqlalchemy.orm import selectinload
from wtforms import SelectField

from kinerja.models.ratings import Rating
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.ratings import queries
from kinerja.views.exports import CsvExportMixin
from kinerja.views.fields import EagerInterface
from kinerja.views.filters import FilterRelatedName, FilterUnitText
from kinerja.views.params import parse_pk
from kinerja.views.ratings.explanation import explain
from kinerja.views.screens import CRUD_METHOD_PERMISSIONS, KinerjaModelView

RATING_LABELS = {
    "employee": _l("Employee"),
    "employee.nip": _l("NIP"),
    "employee.name": _l("Name"),
    "period": _l("Period"),
    "work_plan": _l("Work plan"),
    "unit": _l("Unit"),
    "final": _l("Final or provisional"),
    "predikat": _l("Rating"),
    "results": _l("Results"),
    "behaviour": _l("Behaviour"),
    "suggested_results": _l("Suggested results"),
    "suggested_behaviour": _l("Suggested behaviour"),
    "computed_at": _l("Computed"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}
FINAL = "final"
PROVISIONAL = "provisional"


def final_or_provisional(value: Any) -> str:
    if value is None or value == "":
        return ""
    return gettext("Final") if value else gettext("Provisional")


class FilterFinal(BaseFilter):
    """Search filter: final or provisional ratings (anything else matches nothing)."""

    name = _l("Equal to")
    arg_name = "eq"

    def apply(self, query: Any, value: Any) -> Any:
        if value == FINAL:
            return query.filter(Rating.final.is_(True))
        if value == PROVISIONAL:
            return query.filter(Rating.final.is_(False))
        return query.filter(false())


class RatingView(CsvExportMixin, KinerjaModelView):
    """Ratings one may read: one's own, one's team's (any depth), one's units', or all."""

    route_base = "/ratings"
    datamodel = EagerInterface(
        Rating,
        eager=[
            selectinload(Rating.employee),
            selectinload(Rating.unit),
            selectinload(Rating.period),
        ],
    )
    class_permission_name = roles.RATING
    method_permission_name = {**CRUD_METHOD_PERMISSIONS, "mine": "read"}
    base_permissions = ["can_read"]
    list_template = "kinerja/ratings/list.html"
    list_title = _l("Performance ratings")
    label_columns = RATING_LABELS
    list_columns = [
        "employee.nip",
        "employee.name",
        "unit",
        "period",
        "predikat",
        "results",
        "behaviour",
        "final",
        "computed_at",
    ]
    export_columns = list_columns
    show_columns = list_columns
    search_columns = ["employee", "period", "unit", "predikat", "final", "computed_at"]
    text_filters = {"employee": [FilterRelatedName], "unit": [FilterUnitText]}
    order_columns = ["predikat", "final", "computed_at"]
    base_order = ("computed_at", "desc")
    formatters_columns = {"final": final_or_provisional}

    def _init_properties(self) -> None:
        super()._init_properties()
        by_state = [FilterFinal("final", self.datamodel)]
        self._filters._search_filters["final"] = by_state
        self._filters._all_filters["final"] = by_state

    def _init_forms(self) -> None:
        super()._init_forms()
        self.search_form.final = SelectField(
            self.label_columns["final"],
            choices=[(FINAL, _l("Final")), (PROVISIONAL, _l("Provisional"))],
        )

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: Any) -> Any:
        """The rating with its explanation: the indicators that drove it, the suggested
        levels beside the given ones, and whether it is final or why it is provisional."""
        scope = current_scope()
        rating = queries.readable_rating(scope, parse_pk(pk))
        if rating is None:
            abort(404)
        return self.render_template(
            "kinerja/ratings/rating.html",
            rating=rating,
            explanation=explain(rating),
            check_id=queries.check_of(scope, rating),
            title=gettext("Performance rating"),
        )

    @expose("/mine/")
    @has_access
    def mine(self) -> Any:
        """One's own rating of the latest period that has one."""
        rating_id = queries.own_latest_rating_id(current_scope())
        if rating_id is None:
            flash(gettext("You have no performance rating yet."), "info")
            return redirect(url_for("RatingView.list"))
        return redirect(url_for("RatingView.show", pk=rating_id))
