"""Units' own predikat per period: a screen listing the units one may read with their
predikat, with a form on those one may set (the unit head's supervisor, the Admin), and
the REST resource ``unit_rating``. Setting goes through
:func:`kinerja.services.ratings.units.set_unit_rating`."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields

from kinerja.domain.ratings import UnitPredikat
from kinerja.extensions import db
from kinerja.models.ratings import UnitRating
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import unit_ratings
from kinerja.services.ratings import units
from kinerja.services.surveys import results as survey_results
from kinerja.views.filters import FilterInUnitTree, condition_filter
from kinerja.views.params import parse_pk
from kinerja.views.refusals import flash_refusal, screen_step
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi
from kinerja.views.schemas import RowId, StrictSchema, Text, field_errors

UNIT_RATING_LABELS = {
    "unit": _l("Unit"),
    "unit_id": _l("Unit"),
    "period": _l("Period"),
    "period_id": _l("Period"),
    "predikat": _l("Unit predikat"),
    "note": _l("Note"),
    "set_by_id": _l("Set by"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}
PAGE_SIZE = 50


class UnitRatingSchema(StrictSchema):
    """``{"unit": id, "period": id, "predikat": "istimewa"|"baik"|"butuh_perbaikan"|
    "kurang"|"sangat_kurang", "note": "…"}``."""

    unit = RowId(required=True)
    period = RowId(required=True)
    predikat = fields.Enum(
        UnitPredikat,
        by_value=True,
        required=True,
        error_messages={"unknown": "Not a valid choice."},
    )
    note = Text()


class UnitRatingView(BaseView):
    """Per period, the units one may read with their predikat; a form on those one sets."""

    route_base = "/unit-ratings"
    class_permission_name = roles.UNIT_RATING
    method_permission_name = {"index": "read", "set_rating": "write"}
    base_permissions = ["can_read", "can_write"]
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        periods = units.periods_listed()
        chosen = parse_pk(request.args.get("period"))
        period = next((p for p in periods if p.id == chosen), None) or units.default_period()
        text = (request.args.get("q") or "").strip()[:100]
        page = max((parse_pk(request.args.get("page")) or 1) - 1, 0)
        rows, total = (
            units.unit_rows(current_scope(), period, text, page, PAGE_SIZE)
            if period is not None
            else ([], 0)
        )
        return self.render_template(
            "kinerja/unit_ratings.html",
            periods=periods,
            period=period,
            rows=rows,
            total=total,
            page=page,
            pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
            text=text,
            choices=list(UnitPredikat),
            indices=survey_results.unit_indices(
                current_scope(), [row.unit.id for row in rows], period.id
            )
            if period is not None
            else {},
        )

    @expose("/set", methods=["POST"])
    @has_access
    def set_rating(self) -> Any:
        form = request.form
        period_id = parse_pk(form.get("period"))
        back = url_for(
            "UnitRatingView.index",
            period=period_id,
            q=form.get("q") or None,
            page=form.get("page") or None,
        )
        data = {k: form.get(k) or None for k in ("unit", "period", "predikat", "note")}
        try:
            loaded = UnitRatingSchema().load(data)
        except ValidationError as err:
            flash_refusal(field_errors(err))
            return redirect(back)
        return screen_step(
            lambda: units.set_unit_rating(
                loaded["unit"],
                loaded["period"],
                loaded["predikat"],
                loaded["note"],
                current_scope(),
            ),
            gettext("The unit's predikat was set."),
            back,
        )


class UnitRatingApi(KinerjaModelApi):
    """Units' own predikat per period. Read by those following the unit (its Operator, the
    supervisors of its people, Admin, Integrator); ``POST {"unit": id, "period": id,
    "predikat": …, "note": "…"}`` sets it (201) or changes the one set for that unit and
    period (200); ``PUT /<id> {"predikat": …, "note": …}`` changes it. Set by the holder of
    the position supervising the unit's head, or an Admin; the unit head's suggested
    results follow it."""

    resource_name = "unit_rating"
    openapi_spec_methods = {
        "post": {
            "post": {
                "description": (
                    'Set the predikat of a unit for a period: `{"unit": id, "period": id, '
                    '"predikat": "istimewa"|"baik"|"butuh_perbaikan"|"kurang"|'
                    '"sangat_kurang", "note": "…"}`; 201 when set, 200 when the one '
                    "set for that unit and period was changed. Only the holder of the "
                    "position supervising the unit's head, or an Admin (another unit: 422)."
                )
            }
        }
    }
    datamodel = SQLAInterface(UnitRating)
    class_permission_name = roles.UNIT_RATING
    method_permission_name = {**API_METHOD_PERMISSIONS, "post": "write", "put": "write"}
    base_permissions = ["can_read", "can_write"]
    label_columns = UNIT_RATING_LABELS
    list_columns = [
        "id",
        "unit_id",
        "period_id",
        "predikat",
        "note",
        "set_by_id",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = ["unit", "period", "predikat", "note"]
    edit_columns = ["predikat", "note"]
    search_columns = ["unit", "period", "predikat", "updated_at"]
    search_filters = {"unit": [FilterInUnitTree]}
    order_columns = ["id", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {"unit": condition_filter(unit_ratings.settable_units)}
    save_item = staticmethod(units.save_unit_rating)
    post_body = UnitRatingSchema
    post_result = "get"
    post_may_update = True

    def post_headless(self) -> Any:
        if not request.is_json:
            return self.response_400(message=gettext("Request body must be a JSON object."))
        data = self.body(UnitRatingSchema())
        if isinstance(data, Response):
            return data
        result, refused = self.use_case(
            lambda: units.set_unit_rating(
                data["unit"], data["period"], data["predikat"], data["note"], current_scope()
            )
        )
        if refused is not None:
            return refused
        rating, created = result
        db.session.refresh(rating)
        return self.response(
            201 if created else 200, id=rating.id, result=self.show_model_schema.dump(rating)
        )
