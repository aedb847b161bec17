"""Objectives (RHK) and indicators (IKI) of work plans: their forms and REST resources.

The forms open from a plan's page and return to it; the parent objective can only be one of
the direct supervisor's objectives in the same period (searched on the server).
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from kinerja.domain.planning import default_accumulation, default_direction
from kinerja.models.planning import Indicator, Objective, WorkPlan
from kinerja.security import roles
from kinerja.security.policies import objectives, plans
from kinerja.services.plans import content
from kinerja.services.plans.cascade import supervisor_plan_ids
from kinerja.views.filters import MANAGEABLE, condition_filter
from kinerja.views.params import parse_pk
from kinerja.views.rest import KinerjaModelApi
from kinerja.views.screens import KinerjaModelView
from kinerja.views.widgets import RemoteChoice

OBJECTIVE_LABELS = {
    "work_plan": _l("Work plan"),
    "work_plan_id": _l("Work plan"),
    "kind": _l("Kind"),
    "text": _l("Work result (RHK)"),
    "parent": _l("Supervisor's objective it cascades from"),
    "parent_id": _l("Supervisor's objective it cascades from"),
    "strategic_goal": _l("Strategic goal (for heads without a supervisor)"),
    "order": _l("Order"),
    "indicators": _l("Indicators"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}
INDICATOR_LABELS = {
    "objective": _l("Objective"),
    "objective_id": _l("Objective"),
    "text": _l("Indicator (IKI)"),
    "aspect": _l("Aspect"),
    "qualitative": _l("Qualitative"),
    "target": _l("Target"),
    "unit": _l("Unit of measure"),
    "direction": _l("Direction"),
    "accumulation": _l("Accumulation"),
    "order": _l("Order"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}

# The fields of an indicator, shared by plan indicators and template indicators.
INDICATOR_FIELDS = [
    "text",
    "aspect",
    "qualitative",
    "target",
    "unit",
    "direction",
    "accumulation",
    "order",
]
INDICATOR_FORM = ["objective", *INDICATOR_FIELDS]
INDICATOR_DESCRIPTIONS = {
    "qualitative": _l(
        "No numeric target: the realization is a description with evidence, and the "
        "supervisor gives the indicator its level in each evaluation."
    ),
    "target": _l("Greater than 0, e.g. 12 (documents), 95 (%), 3 (days)."),
    "unit": _l("Required unless the indicator is qualitative."),
    "direction": _l("Leave empty: time and cost are better when lower, the rest when higher."),
    "accumulation": _l(
        "How the periodic realizations add up to the year. Leave empty: quantities and "
        "costs are summed, a quality is its last value, a time is averaged."
    ),
}


def target_or_qualitative(target: Any) -> str:
    """An indicator's target as lists show it: only a qualitative one has none."""
    return str(_l("Qualitative")) if target is None else format_decimal(target)


def unit_or_dash(unit: Any) -> str:
    return unit or "—"


INDICATOR_FORMATTERS = {"target": target_or_qualitative, "unit": unit_or_dash}

WRITABLE_PLAN = RemoteChoice(WorkPlan, plans.manage, (), WorkPlan.id)
PARENT_CHOICE = RemoteChoice(
    Objective,
    objectives.cascade_parents,
    (Objective.text,),
    Objective.order,
    master="work_plan",
    master_condition=lambda plan_id: Objective.work_plan_id.in_(supervisor_plan_ids(plan_id)),
)
WRITABLE_OBJECTIVE = RemoteChoice(Objective, objectives.manage, (Objective.text,), Objective.id)


def _plan_page(plan_id: int) -> str:
    return url_for("PlanView.plan", pk=plan_id)


class ObjectiveView(KinerjaModelView):
    route_base = "/objectives"
    datamodel = SQLAInterface(Objective)
    class_permission_name = roles.OBJECTIVE
    list_title = show_title = _l("Objectives (RHK)")
    add_title = _l("Add objective (RHK)")
    edit_title = _l("Edit objective (RHK)")
    label_columns = OBJECTIVE_LABELS
    list_columns = ["work_plan", "kind", "text", "parent"]
    show_columns = ["work_plan", "kind", "text", "parent", "strategic_goal", "order"]
    add_columns = ["work_plan", "kind", "text", "parent", "strategic_goal", "order"]
    edit_columns = ["kind", "text", "parent", "strategic_goal", "order"]
    search_columns = ["text", "kind"]
    order_columns = ["order"]
    base_order = ("order", "asc")
    remote_choices = {"work_plan": WRITABLE_PLAN, "parent": PARENT_CHOICE}
    description_columns = {
        "parent": _l(
            "Each work result cascades from one of your direct supervisor's "
            "objectives for the period (intervensi)."
        ),
    }
    save_item = staticmethod(content.save_objective)
    delete_item = staticmethod(content.delete_objective)

    def prepare_form(self, form: Any, item: Any | None) -> None:
        """The parent choices are the supervisor's objectives for this form's plan."""
        if item is not None:
            plan_id = item.work_plan_id
        else:
            value = self._filters.get_filter_value("work_plan")  # ?_flt_0_work_plan=<id>
            plan_id = parse_pk(value[0] if isinstance(value, list) and value else value)
        form.parent.master_value = plan_id

    def after_save_url(self, item: Any) -> str:
        return _plan_page(item.work_plan_id)


class IndicatorView(KinerjaModelView):
    route_base = "/indicators"
    datamodel = SQLAInterface(Indicator)
    class_permission_name = roles.INDICATOR
    list_title = show_title = _l("Indicators (IKI)")
    add_title = _l("Add indicator (IKI)")
    edit_title = _l("Edit indicator (IKI)")
    label_columns = INDICATOR_LABELS
    list_columns = ["objective", "text", "aspect", "target", "unit"]
    show_columns = INDICATOR_FORM
    add_columns = INDICATOR_FORM
    edit_columns = INDICATOR_FIELDS
    search_columns = ["text", "aspect"]
    order_columns = ["order"]
    base_order = ("order", "asc")
    remote_choices = {"objective": WRITABLE_OBJECTIVE}
    optional_enum_columns = {"direction", "accumulation"}
    description_columns = INDICATOR_DESCRIPTIONS
    formatters_columns = INDICATOR_FORMATTERS
    save_item = staticmethod(content.save_indicator)
    delete_item = staticmethod(content.delete_indicator)

    def after_save_url(self, item: Any) -> str:
        return _plan_page(item.objective.work_plan_id)


class ObjectiveApi(KinerjaModelApi):
    resource_name = "objective"
    datamodel = SQLAInterface(Objective)
    class_permission_name = roles.OBJECTIVE
    label_columns = OBJECTIVE_LABELS
    list_columns = [
        "id",
        "work_plan_id",
        "kind",
        "text",
        "parent_id",
        "strategic_goal",
        "order",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = ["work_plan", "kind", "text", "parent", "strategic_goal", "order"]
    edit_columns = ["kind", "text", "parent", "strategic_goal", "order"]
    search_columns = ["work_plan", "kind", "parent", "updated_at"]
    order_columns = ["id", "order", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {
        "work_plan": MANAGEABLE,
        "parent": condition_filter(objectives.cascade_parents),
    }
    edit_query_rel_fields = {"parent": condition_filter(objectives.cascade_parents)}
    save_item = staticmethod(content.save_objective)
    delete_item = staticmethod(content.delete_objective)


class IndicatorApi(KinerjaModelApi):
    """Indicators (IKI) of plans. ``"qualitative": true`` makes one qualitative: no target
    (and an optional unit); its realization is described and the supervisor gives it a
    level in each evaluation. Otherwise ``target`` (> 0) and ``unit`` are required."""

    resource_name = "indicator"
    datamodel = SQLAInterface(Indicator)
    class_permission_name = roles.INDICATOR
    openapi_spec_methods = {
        verb: {
            method: {
                "description": (
                    "A measurable indicator needs `target` (> 0) and `unit`; "
                    '`"qualitative": true` makes it qualitative: no target (and an '
                    "optional unit), its realization is a description with evidence and "
                    "the supervisor gives it a level in each evaluation "
                    "(`indicator_levels` of `POST /report/<id>/approve`)."
                )
            }
        }
        for verb, method in (("post", "post"), ("put", "put"))
    }
    label_columns = INDICATOR_LABELS
    list_columns = [
        "id",
        "objective_id",
        "text",
        "aspect",
        "qualitative",
        "target",
        "unit",
        "direction",
        "accumulation",
        "order",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    description_columns = INDICATOR_DESCRIPTIONS
    add_columns = INDICATOR_FORM
    edit_columns = INDICATOR_FIELDS
    search_columns = ["objective", "aspect", "updated_at"]
    order_columns = ["id", "order", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = {"objective": MANAGEABLE}
    save_item = staticmethod(content.save_indicator)
    delete_item = staticmethod(content.delete_indicator)

    def clean_payload(self, data: dict[str, Any]) -> dict[str, list[str]]:
        """The direction and the accumulation follow the aspect unless given."""
        if request.method == "POST":
            for column, default in (
                ("direction", default_direction),
                ("accumulation", default_accumulation),
            ):
                if data.get(column) in (None, ""):
                    data[column] = _by_aspect(default, data.get("aspect"))
        return super().clean_payload(data)


def _by_aspect(default: Any, aspect: Any) -> str | None:
    try:
        return str(default(aspect).value)
    except ValueError:
        return None  # the unknown aspect is reported by validation
