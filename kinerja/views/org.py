"""Screens and REST resources of the organisation: units, positions, employees.

Each screen and its API twin share their column lists; both are scoped by
:mod:`kinerja.views.filters` and save through :mod:`kinerja.services.org`.
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.actions import action
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import selectinload
from wtforms import StringField
from wtforms.validators import DataRequired

from kinerja.domain.nip import InvalidNip, normalize_nip, parse_nip
from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.models.surveys import Sex
from kinerja.security import roles
from kinerja.security.policies import positions, ranks, units
from kinerja.services import org
from kinerja.views.exports import CsvExportMixin
from kinerja.views.fields import EagerInterface
from kinerja.views.filters import (
    FilterInUnitTree,
    FilterRelatedName,
    FilterUnitText,
    condition_filter,
)
from kinerja.views.formatters import enum_formatter
from kinerja.views.labels import TIMESTAMP_LABELS
from kinerja.views.logins import confirmation
from kinerja.views.refusals import tr
from kinerja.views.rest import KinerjaModelApi
from kinerja.views.screens import CRUD_METHOD_PERMISSIONS, KinerjaModelView
from kinerja.views.widgets import RemoteChoice

# Choices offered in forms: searched on the server, scoped to what the person manages.
UNIT_CHOICE = RemoteChoice(Unit, units.placeable, (Unit.code, Unit.name), Unit.code)
SUPERVISOR_CHOICE = RemoteChoice(
    Position, positions.supervisor_choices, (Position.code, Position.name), Position.code
)
RANK_CHOICE = RemoteChoice(Rank, ranks.read, (Rank.code, Rank.name), Rank.order)
POSITION_OF_UNIT_CHOICE = RemoteChoice(
    Position,
    positions.manage,
    (Position.code, Position.name),
    Position.code,
    master="unit",
    master_column=Position.unit_id,
)


class FilterNipOrName(BaseFilter):
    """Quick search: the text is part of the name, or the start of the NIP (spaces allowed)."""

    name = _l("NIP or name contains")
    arg_name = "nip_or_name"

    def apply(self, query: Any, value: Any) -> Any:
        text = (value or "").strip()
        if not text:
            return query
        digits = normalize_nip(text)
        conditions: list[ColumnElement[bool]] = [Employee.name.ilike(f"%{text}%")]
        if digits.isdigit():
            conditions.append(Employee.nip.startswith(digits))
        return query.filter(or_(*conditions))


# --- units ----------------------------------------------------------------------------------

UNIT_LABELS = {
    "code": _l("Code"),
    "name": _l("Name"),
    "kind": _l("Kind"),
    "parent": _l("Parent unit"),
    "parent_id": _l("Parent unit"),
    "path": _l("Full path"),
    "active": _l("Active"),
    **TIMESTAMP_LABELS,
}
UNIT_EDIT_COLUMNS = ["code", "name", "kind", "parent", "active"]
UNIT_SEARCH_COLUMNS = ["code", "name", "kind", "parent", "active", "updated_at"]


class UnitView(CsvExportMixin, KinerjaModelView):
    route_base = "/units"
    datamodel = EagerInterface(Unit, eager=[selectinload(Unit.parent)])
    class_permission_name = roles.UNIT
    list_title = _l("Units")
    show_title = _l("Unit")
    add_title = _l("Add unit")
    edit_title = _l("Edit unit")
    label_columns = UNIT_LABELS
    list_columns = ["code", "name", "kind", "parent", "active"]
    show_columns = ["code", "name", "kind", "path", "parent", "active", "created_at", "updated_at"]
    add_columns = edit_columns = UNIT_EDIT_COLUMNS
    search_columns = UNIT_SEARCH_COLUMNS
    text_filters = {"parent": [FilterUnitText]}
    remote_choices = {"parent": UNIT_CHOICE}
    order_columns = ["code", "name", "kind", "updated_at"]
    base_order = ("code", "asc")
    description_columns = {
        "code": _l("A short unique code, e.g. DINKES or DINKES.P2P."),
        "parent": _l("The unit this unit belongs to; empty for the top of the tree."),
    }
    save_item = staticmethod(org.save_unit)
    delete_item = staticmethod(org.delete_unit)


class UnitApi(KinerjaModelApi):
    resource_name = "unit"
    datamodel = SQLAInterface(Unit)
    class_permission_name = roles.UNIT
    label_columns = UNIT_LABELS
    list_columns = ["id", "code", "name", "kind", "parent_id", "active", "created_at", "updated_at"]
    show_columns = [*list_columns, "path"]
    add_columns = edit_columns = UNIT_EDIT_COLUMNS
    search_columns = UNIT_SEARCH_COLUMNS
    search_filters = {"parent": [FilterInUnitTree]}
    order_columns = ["id", "code", "name", "kind", "created_at", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = edit_query_rel_fields = {"parent": condition_filter(units.placeable)}
    save_item = staticmethod(org.save_unit)
    delete_item = staticmethod(org.delete_unit)


# --- positions ------------------------------------------------------------------------------

POSITION_LABELS = {
    "code": _l("Code"),
    "name": _l("Name"),
    "kind": _l("Kind"),
    "unit": _l("Unit"),
    "unit_id": _l("Unit"),
    "supervisor": _l("Supervising position"),
    "supervisor_id": _l("Supervising position"),
    "grade": _l("Position class"),
    "is_head": _l("Head of the unit"),
    "active": _l("Active"),
    **TIMESTAMP_LABELS,
}
POSITION_EDIT_COLUMNS = ["code", "name", "kind", "unit", "is_head", "supervisor", "grade", "active"]
POSITION_SEARCH_COLUMNS = [
    "code",
    "name",
    "kind",
    "unit",
    "supervisor",
    "grade",
    "active",
    "updated_at",
]
POSITION_REL_FIELDS = {
    "unit": condition_filter(units.placeable),
    "supervisor": condition_filter(positions.supervisor_choices),
}


class PositionView(CsvExportMixin, KinerjaModelView):
    route_base = "/positions"
    datamodel = EagerInterface(
        Position,
        eager=[
            selectinload(Position.unit),
            selectinload(Position.supervisor).selectinload(Position.unit),
        ],
    )
    class_permission_name = roles.POSITION
    list_title = _l("Positions")
    show_title = _l("Position")
    add_title = _l("Add position")
    edit_title = _l("Edit position")
    label_columns = POSITION_LABELS
    list_columns = ["code", "name", "kind", "unit", "supervisor", "grade", "active"]
    show_columns = [
        "code",
        "name",
        "kind",
        "unit",
        "is_head",
        "supervisor",
        "grade",
        "active",
        "created_at",
        "updated_at",
    ]
    add_columns = edit_columns = POSITION_EDIT_COLUMNS
    search_columns = POSITION_SEARCH_COLUMNS
    text_filters = {"unit": [FilterUnitText], "supervisor": [FilterRelatedName]}
    remote_choices = {"unit": UNIT_CHOICE, "supervisor": SUPERVISOR_CHOICE}
    order_columns = ["code", "name", "kind", "grade", "updated_at"]
    base_order = ("code", "asc")
    description_columns = {
        "supervisor": _l("The position whose holder rates this one (atasan langsung)."),
        "grade": _l("Kelas jabatan, 1–17."),
        "is_head": _l("The head (kepala) of the unit; a unit has one."),
    }
    save_item = staticmethod(org.save_position)
    delete_item = staticmethod(org.delete_position)


class PositionApi(KinerjaModelApi):
    resource_name = "position"
    datamodel = SQLAInterface(Position)
    class_permission_name = roles.POSITION
    label_columns = POSITION_LABELS
    list_columns = [
        "id",
        "code",
        "name",
        "kind",
        "unit_id",
        "is_head",
        "supervisor_id",
        "grade",
        "active",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = edit_columns = POSITION_EDIT_COLUMNS
    search_columns = POSITION_SEARCH_COLUMNS
    search_filters = {"unit": [FilterInUnitTree]}
    order_columns = ["id", "code", "name", "kind", "grade", "created_at", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = edit_query_rel_fields = POSITION_REL_FIELDS
    save_item = staticmethod(org.save_position)
    delete_item = staticmethod(org.delete_position)


# --- employees ------------------------------------------------------------------------------

EMPLOYEE_LABELS = {
    "nip": _l("NIP"),
    "name": _l("Full name with titles"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "employment_type": _l("Employment type"),
    "rank": _l("Rank"),
    "rank_id": _l("Rank"),
    "unit": _l("Unit"),
    "unit_id": _l("Unit"),
    "position": _l("Position"),
    "position_id": _l("Position"),
    "user": _l("Login"),
    "user_id": _l("Login"),
    "active": _l("Active"),
    "birth_date": _l("Date of birth"),
    "sex": _l("Sex"),
    "service_start": _l("Start of service"),
    "supervisor": _l("Supervisor"),
    **TIMESTAMP_LABELS,
}
EMPLOYEE_EDIT_COLUMNS = [
    "nip",
    "name",
    "email",
    "phone",
    "employment_type",
    "rank",
    "unit",
    "position",
    "active",
]
EMPLOYEE_SEARCH_COLUMNS = [
    "name",
    "nip",
    "unit",
    "position",
    "employment_type",
    "rank",
    "email",
    "active",
    "updated_at",
]
EMPLOYEE_REL_FIELDS = {
    "unit": condition_filter(units.placeable),
    "position": condition_filter(positions.manage),
}


class EmployeeView(CsvExportMixin, KinerjaModelView):
    route_base = "/employees"
    method_permission_name = {**CRUD_METHOD_PERMISSIONS, "create_logins": "create_logins"}
    datamodel = EagerInterface(
        Employee,
        eager=[
            selectinload(Employee.unit),
            selectinload(Employee.rank),
            selectinload(Employee.position).selectinload(Position.unit),
        ],
    )
    class_permission_name = roles.EMPLOYEE_RESOURCE
    list_title = _l("Employees")
    show_title = _l("Employee")
    add_title = _l("Add employee")
    edit_title = _l("Edit employee")
    label_columns = EMPLOYEE_LABELS
    list_columns = ["nip", "name", "position", "unit", "rank", "employment_type", "active"]
    show_columns = [
        "nip",
        "name",
        "birth_date",
        "sex",
        "service_start",
        "email",
        "phone",
        "employment_type",
        "rank",
        "unit",
        "position",
        "supervisor",
        "user",
        "active",
        "created_at",
        "updated_at",
    ]
    add_columns = edit_columns = EMPLOYEE_EDIT_COLUMNS
    search_columns = EMPLOYEE_SEARCH_COLUMNS
    search_filters = {"name": [FilterNipOrName]}
    text_filters = {"unit": [FilterUnitText], "position": [FilterRelatedName]}
    remote_choices = {"unit": UNIT_CHOICE, "position": POSITION_OF_UNIT_CHOICE, "rank": RANK_CHOICE}
    # The printed NIP (with spaces) is longer than the 18 digits stored: no length limit here.
    add_form_extra_fields = edit_form_extra_fields = {
        "nip": StringField(
            _l("NIP"),
            validators=[DataRequired()],
            description=_l("18 digits; spaces as printed on decrees are fine."),
        ),
    }
    order_columns = ["nip", "name", "employment_type", "updated_at"]
    base_order = ("name", "asc")
    formatters_columns = {"sex": enum_formatter(Sex)}  # read from the NIP as "M"/"F"
    description_columns = {
        "nip": _l("18 digits; spaces as printed on decrees are fine."),
        "position": _l("A position of the chosen unit."),
    }
    save_item = staticmethod(org.save_employee)
    delete_item = staticmethod(org.delete_employee)

    @action("create_logins", _l("Create logins"), icon="fa-key", single=False)
    def create_logins(self, items: list[Any]) -> Any:
        """Ask how to deliver the one-time passwords (checked again against the scope)."""
        ids = [item.id for item in items if item is not None]
        return self.render_template("kinerja/logins_confirm.html", **confirmation(ids))


class EmployeeApi(KinerjaModelApi):
    resource_name = "employee"
    datamodel = SQLAInterface(Employee)
    class_permission_name = roles.EMPLOYEE_RESOURCE
    label_columns = EMPLOYEE_LABELS
    list_columns = [
        "id",
        "nip",
        "name",
        "email",
        "phone",
        "employment_type",
        "rank_id",
        "unit_id",
        "position_id",
        "user_id",
        "active",
        "created_at",
        "updated_at",
    ]
    show_columns = list_columns
    add_columns = edit_columns = EMPLOYEE_EDIT_COLUMNS
    search_columns = EMPLOYEE_SEARCH_COLUMNS
    search_filters = {"name": [FilterNipOrName], "unit": [FilterInUnitTree]}
    order_columns = ["id", "nip", "name", "created_at", "updated_at"]
    base_order = ("id", "asc")
    add_query_rel_fields = edit_query_rel_fields = EMPLOYEE_REL_FIELDS
    save_item = staticmethod(org.save_employee)
    delete_item = staticmethod(org.delete_employee)

    def clean_payload(self, data: dict[str, Any]) -> dict[str, list[str]]:
        """Accept the printed NIP form (``19681115 199202 1 002``) and explain a wrong NIP."""
        errors = super().clean_payload(data)
        if isinstance(data.get("nip"), str):
            try:
                data["nip"] = parse_nip(data["nip"]).value
            except InvalidNip as exc:
                errors["nip"] = [tr(exc)]
        return errors
