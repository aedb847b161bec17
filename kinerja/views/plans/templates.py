"""Work plan templates of a position: kept from a good plan or written here, and given to
every holder of the position at once."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from kinerja.domain.errors import DomainError
from kinerja.models.org import Position
from kinerja.models.planning import PlanTemplate, TemplateIndicator, TemplateObjective
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import positions, template_objectives, templates
from kinerja.services.plans import periods
from kinerja.services.plans import templates as planning
from kinerja.views.exports import ExportMixin
from kinerja.views.plans.objectives import (
    INDICATOR_DESCRIPTIONS,
    INDICATOR_FIELDS,
    INDICATOR_FORM,
    INDICATOR_FORMATTERS,
    INDICATOR_LABELS,
)
from kinerja.views.refusals import flash_refusal, tr
from kinerja.views.screens import CRUD_METHOD_PERMISSIONS, KinerjaModelView
from kinerja.views.widgets import RemoteChoice

MANAGED_POSITION = RemoteChoice(
    Position, positions.manage, (Position.code, Position.name), Position.code
)


class TemplateIndicatorView(KinerjaModelView):
    route_base = "/template-indicators"
    datamodel = SQLAInterface(TemplateIndicator)
    class_permission_name = roles.PLAN_TEMPLATE
    list_title = show_title = _l("Template indicators")
    add_title = _l("Add template indicator")
    edit_title = _l("Edit template indicator")
    label_columns = INDICATOR_LABELS
    list_columns = ["text", "aspect", "target", "unit", "direction"]
    show_columns = INDICATOR_FORM
    add_columns = INDICATOR_FORM
    edit_columns = INDICATOR_FIELDS
    base_order = ("order", "asc")
    optional_enum_columns = {"direction", "accumulation"}
    description_columns = INDICATOR_DESCRIPTIONS
    formatters_columns = INDICATOR_FORMATTERS
    remote_choices = {
        "objective": RemoteChoice(
            TemplateObjective,
            template_objectives.manage,
            (TemplateObjective.text,),
            TemplateObjective.id,
        )
    }
    save_item = staticmethod(planning.save_template_indicator)
    delete_item = staticmethod(planning.delete_template_indicator)

    def after_save_url(self, item: Any) -> str:
        return url_for("TemplateObjectiveView.show", pk=item.objective_id)


class TemplateObjectiveView(KinerjaModelView):
    route_base = "/template-objectives"
    datamodel = SQLAInterface(TemplateObjective)
    class_permission_name = roles.PLAN_TEMPLATE
    list_title = show_title = _l("Template objectives")
    add_title = _l("Add template objective")
    edit_title = _l("Edit template objective")
    label_columns = {
        "template": _l("Template"),
        "kind": _l("Kind"),
        "text": _l("Work result (RHK)"),
        "order": _l("Order"),
    }
    list_columns = ["kind", "text", "order"]
    show_columns = ["template", "kind", "text", "order"]
    add_columns = ["template", "kind", "text", "order"]
    edit_columns = ["kind", "text", "order"]
    base_order = ("order", "asc")
    related_views = [TemplateIndicatorView]
    remote_choices = {
        "template": RemoteChoice(
            PlanTemplate, templates.manage, (PlanTemplate.name,), PlanTemplate.name
        )
    }
    save_item = staticmethod(planning.save_template_objective)
    delete_item = staticmethod(planning.delete_template_objective)

    def after_save_url(self, item: Any) -> str:
        return url_for("PlanTemplateView.show", pk=item.template_id)


class PlanTemplateView(ExportMixin, KinerjaModelView):
    route_base = "/plan-templates"
    datamodel = SQLAInterface(PlanTemplate)
    class_permission_name = roles.PLAN_TEMPLATE
    method_permission_name = {**CRUD_METHOD_PERMISSIONS, "assign": "assign"}
    base_permissions = ["can_read", "can_add", "can_edit", "can_delete", "can_assign"]
    list_title = _l("Work plan templates")
    show_title = _l("Work plan template")
    add_title = _l("Add template")
    edit_title = _l("Edit template")
    label_columns = {
        "name": _l("Name"),
        "position": _l("Position"),
        "created_at": _l("Created"),
        "updated_at": _l("Changed"),
    }
    list_columns = ["name", "position", "updated_at"]
    show_columns = ["name", "position", "created_at", "updated_at"]
    add_columns = edit_columns = ["name", "position"]
    search_columns = ["name"]
    order_columns = ["name", "updated_at"]
    base_order = ("name", "asc")
    related_views = [TemplateObjectiveView]
    remote_choices = {"position": MANAGED_POSITION}
    save_item = staticmethod(planning.save_template)
    delete_item = staticmethod(planning.delete_template)

    @action(
        "assign",
        _l("Give to every holder of the position"),
        _l(
            "Create a work plan from this template, in the current period, for every "
            "holder of the position who has none (empty drafts are filled)?"
        ),
        "fa-users",
        multiple=False,
    )
    def assign(self, item: Any) -> Any:
        try:
            result = planning.assign_template(item, periods.current_period(), current_scope())
        except DomainError as refusal:
            flash_refusal(refusal)
        else:
            flash(
                gettext(
                    "Plans created: %(created)d; empty drafts filled: %(filled)d; "
                    "left alone: %(skipped)d.",
                    created=len(result.created),
                    filled=len(result.filled),
                    skipped=len(result.skipped),
                ),
                "success",
            )
            for name, reason in result.skipped[:20]:
                flash(f"{name}: {tr(reason)}", "info")
        return redirect(url_for("PlanTemplateView.show", pk=item.id))
