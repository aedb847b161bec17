"""The ratings over REST, read-only: ``rating`` (each employee's predikat of a period, final
or provisional, with its explanation), ``distribution_check`` (each unit's counts against
its curve, with the warnings as message templates) and ``rating_run`` (the runs of the
ratings job, read like every job run).

Filters: ``/api/v1/rating/?q=(filters:!((col:period,opr:rel_o_m,value:1),
(col:unit,opr:in_unit_tree,value:3),(col:predikat,opr:eq,value:baik),
(col:final,opr:eq,value:!t)))``.
"""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from kinerja.models.jobs import JobRun
from kinerja.models.ratings import DistributionCheck, Rating
from kinerja.security import roles
from kinerja.services.ratings.queries import is_rating_run
from kinerja.views.filters import READABLE, FilterInUnitTree, condition_filter
from kinerja.views.jobs import JOB_LABELS
from kinerja.views.period_filters import RATING_FILTERS
from kinerja.views.ratings.distribution import CHECK_LABELS
from kinerja.views.ratings.lists import RATING_LABELS
from kinerja.views.rest import API_METHOD_PERMISSIONS, KinerjaModelApi


class RatingApi(KinerjaModelApi):
    """Ratings within the reader's reach; computed by the ratings job only."""

    resource_name = "rating"
    datamodel = SQLAInterface(Rating)
    class_permission_name = roles.RATING
    method_permission_name = API_METHOD_PERMISSIONS
    base_permissions = ["can_read"]
    label_columns = RATING_LABELS
    list_columns = [
        "id",
        "employee_id",
        "employee.nip",
        "employee.name",
        "period_id",
        "work_plan_id",
        "unit_id",
        "final",
        "predikat",
        "results",
        "behaviour",
        "suggested_results",
        "suggested_behaviour",
        "explanation",
        "computed_at",
        "run_id",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    search_columns = ["period", "unit", "employee", "predikat", "final", "updated_at"]
    search_filters = {"unit": [FilterInUnitTree]}
    extra_filters = RATING_FILTERS  # sub_period: the rating of the period it belongs to
    order_columns = ["id", "predikat", "computed_at", "updated_at"]
    base_order = ("id", "asc")


class DistributionCheckApi(KinerjaModelApi):
    """Units' distribution checks within the reader's reach; written by the ratings job."""

    resource_name = "distribution_check"
    datamodel = SQLAInterface(DistributionCheck)
    class_permission_name = roles.DISTRIBUTION_CHECK
    method_permission_name = API_METHOD_PERMISSIONS
    base_permissions = ["can_read"]
    label_columns = CHECK_LABELS
    list_columns = [
        "id",
        "unit_id",
        "period_id",
        "unit_predikat",
        "assumed",
        "employees",
        "counts",
        "warnings",
        "computed_at",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    search_columns = ["period", "unit", "unit_predikat", "assumed", "updated_at"]
    search_filters = {"unit": [FilterInUnitTree]}
    order_columns = ["id", "computed_at", "updated_at"]
    base_order = ("id", "asc")


class RatingRunApi(KinerjaModelApi):
    """Runs of the ratings job (``compute_period_ratings``): the Admin reads all, everyone
    else the runs they asked for (the job-run policy)."""

    resource_name = "rating_run"
    datamodel = SQLAInterface(JobRun)
    class_permission_name = roles.RATING_RUN
    method_permission_name = API_METHOD_PERMISSIONS
    base_permissions = ["can_read"]
    base_filters = [*READABLE, *condition_filter(is_rating_run)]
    label_columns = {
        **JOB_LABELS,
        "args": _l("Arguments"),
        "total": _l("Total"),
        "done": _l("Done"),
    }
    list_columns = [
        "id",
        "args",
        "status",
        "attempts",
        "total",
        "done",
        "message",
        "message_params",
        "result",
        "created_at",
        "started_at",
        "finished_at",
        "requested_by_id",
        "updated_at",
    ]
    show_columns = list_columns
    search_columns = ["status", "created_at", "finished_at", "updated_at"]
    order_columns = ["id", "created_at", "finished_at"]
    base_order = ("id", "desc")
