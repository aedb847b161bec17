"""A stock Flask-AppBuilder list of employees, for ``flask kinerja bench api`` to compare ours
with: registered only when ``KINERJA_BENCH_STOCK_API`` is set at app creation (never in
production). Same table, columns, unit-tree filter, permissions and row access (the
policy's base filter) as ``/api/v1/employee/``; everything else is FAB's own code path.
"""

from __future__ import annotations

from flask_appbuilder import ModelRestApi
from flask_appbuilder.models.sqla.interface import SQLAInterface

from kinerja.models.org import Employee
from kinerja.security import roles
from kinerja.views.filters import READABLE, FilterInUnitTree
from kinerja.views.org import EmployeeApi
from kinerja.views.rest import API_METHOD_PERMISSIONS


class StockEmployeeApi(ModelRestApi):
    resource_name = "bench_stock_employee"
    datamodel = SQLAInterface(Employee)
    class_permission_name = roles.EMPLOYEE_RESOURCE
    method_permission_name = API_METHOD_PERMISSIONS
    base_permissions = ["can_read"]
    base_filters = READABLE
    list_columns = EmployeeApi.list_columns
    show_columns = EmployeeApi.list_columns
    search_columns = ["unit", "updated_at"]
    search_filters = {"unit": [FilterInUnitTree]}
    order_columns = EmployeeApi.order_columns
    base_order = ("id", "asc")
