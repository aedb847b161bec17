"""The figures of each role's home page, aggregated in SQL and scoped by the policies.

:mod:`.filters` checks the period and unit a reader asks for; :mod:`.units` answers the
Admin and the Operator (per unit: plans, reports against the deadlines, the predikat curve,
IKM, training hours, job runs); :mod:`.people` answers the supervisor (their team) and the
employee (their own plan, predikat and hours).

Each figure is one grouped statement over one period or sub-period, on columns that
indexes cover (``work_plan (period_id, unit_id, status)``, ``report (sub_period_id,
unit_id, status)``…), so a page costs a few small index scans rather than a scan of the
year. The predikat curve reads the per-unit tallies the ratings job already keeps
(:class:`~kinerja.models.ratings.DistributionCheck`) instead of counting ratings again.
"""

from kinerja.services.dashboards.filters import BoardFilter, board_filter
from kinerja.services.dashboards.people import (
    EmployeeBoard,
    SupervisorBoard,
    employee_board,
    supervisor_board,
)
from kinerja.services.dashboards.units import UnitBoard, unit_board

__all__ = [
    "BoardFilter",
    "EmployeeBoard",
    "SupervisorBoard",
    "UnitBoard",
    "board_filter",
    "employee_board",
    "supervisor_board",
    "unit_board",
]
