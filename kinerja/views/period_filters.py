"""Filters of evaluations and ratings by period and sub-period, which neither table holds
itself: an evaluation reaches them through its report, a rating is the period's own (its
sub-periods all belong to it). Operator ``eq`` (or FAB's relation name ``rel_o_m``), the
value the id of the period or sub-period."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kinerja.models.planning import SubPeriod
from kinerja.models.ratings import Rating
from kinerja.models.reports import Evaluation, Report


class FilterEvaluationPeriod(BaseFilter):
    name = _l("Period")
    arg_name = "eq"
    value_kind = "id"

    def apply(self, query: Any, value: Any) -> Any:
        reports = (
            select(Report.id)
            .join(SubPeriod, SubPeriod.id == Report.sub_period_id)
            .where(SubPeriod.period_id == value)
        )
        return query.filter(Evaluation.report_id.in_(reports))


class FilterEvaluationSubPeriod(BaseFilter):
    name = _l("Sub-period")
    arg_name = "eq"
    value_kind = "id"

    def apply(self, query: Any, value: Any) -> Any:
        reports = select(Report.id).where(Report.sub_period_id == value)
        return query.filter(Evaluation.report_id.in_(reports))


class FilterRatingSubPeriod(BaseFilter):
    name = _l("Sub-period")
    arg_name = "eq"
    value_kind = "id"

    def apply(self, query: Any, value: Any) -> Any:
        period = select(SubPeriod.period_id).where(SubPeriod.id == value).scalar_subquery()
        return query.filter(Rating.period_id == period)


def with_relation_name(flt: type[BaseFilter]) -> type[BaseFilter]:
    """The same filter under FAB's operator name for a related row (``rel_o_m``)."""
    return type(f"{flt.__name__}Related", (flt,), {"arg_name": "rel_o_m"})


EVALUATION_FILTERS: dict[str, list[type[BaseFilter]]] = {
    "period": [FilterEvaluationPeriod, with_relation_name(FilterEvaluationPeriod)],
    "sub_period": [FilterEvaluationSubPeriod, with_relation_name(FilterEvaluationSubPeriod)],
}
RATING_FILTERS: dict[str, list[type[BaseFilter]]] = {
    "sub_period": [FilterRatingSubPeriod, with_relation_name(FilterRatingSubPeriod)],
}
