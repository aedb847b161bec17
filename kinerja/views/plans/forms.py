"""The new-plan form and the labels of plan screens."""

from __future__ import annotations

from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import RadioField, SelectField

from kinerja.models.org import Employee
from kinerja.models.planning import PlanTemplate
from kinerja.security.policies import plans, templates
from kinerja.views.widgets import RemoteChoice, RemoteSelectField

PLAN_LABELS = {
    "employee": _l("Employee"),
    "employee_id": _l("Employee"),
    "period": _l("Period"),
    "period_id": _l("Period"),
    "unit": _l("Unit"),
    "unit_id": _l("Unit"),
    "position": _l("Position"),
    "position_id": _l("Position"),
    "status": _l("Status"),
    "version": _l("Version"),
    "submitted_at": _l("Submitted"),
    "decided_at": _l("Decided"),
    "return_reason": _l("Reason for return"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}

EMPLOYEE_CHOICE = RemoteChoice(Employee, plans.owners, (Employee.name, Employee.nip), Employee.name)
TEMPLATE_CHOICE = RemoteChoice(
    PlanTemplate,
    templates.read,
    (PlanTemplate.name,),
    PlanTemplate.name,
    master="employee",
    master_condition=lambda employee_id: PlanTemplate.position_id.in_(
        select(Employee.position_id).where(Employee.id == employee_id)
    ),
)
NEW_PLAN_CHOICES = {"employee": EMPLOYEE_CHOICE, "template": TEMPLATE_CHOICE}
SOURCES = [
    ("blank", _l("An empty plan")),
    ("previous", _l("A copy of last year's plan")),
    ("template", _l("A template of the position")),
]


class NewPlanForm(DynamicForm):
    period = SelectField(_l("Period"))
    employee = RemoteSelectField(
        _l("Employee"),
        choice=EMPLOYEE_CHOICE,
        endpoint="/plans/choices/employee/",
        allow_blank=False,
        placeholder=_l("Type to search…"),
    )
    source = RadioField(_l("Start from"), choices=SOURCES, default="blank")
    template = RemoteSelectField(
        _l("Template"),
        choice=TEMPLATE_CHOICE,
        endpoint="/plans/choices/template/",
        placeholder=_l("Type to search…"),
    )
