"""Access to competency and development data.

* The dictionary (competencies and their levels) and the training catalogue are reference
  data: everyone signed in reads them; the Admin keeps them.
* A position's standard is read with the position and kept by whoever manages the position
  (the Admin, an Operator for their units).
* Assessments, training records, recommendations and reward candidates are people data,
  read like their employee (the employee their own, supervisors their team's, the Operator
  their units', Admin and Integrator all); assessments and training records are kept by
  whoever manages the employee; recommendations and candidates only by their job.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, true

from kinerja.models.competency import (
    Assessment,
    Competency,
    CompetencyLevel,
    PositionCompetency,
    Recommendation,
    RewardCandidate,
    Training,
    TrainingCompetency,
    TrainingRecord,
)
from kinerja.security.policies.base import Policy
from kinerja.security.policies.org import employees, positions
from kinerja.security.policies.scope import Scope


class _ReferencePolicy(Policy[Any]):
    """Read by everyone signed in, kept by the Admin."""

    def read(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.signed_in else false()

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.manages_all else false()

    def may_add(self, scope: Scope) -> bool:
        return scope.manages_all


class CompetencyPolicy(_ReferencePolicy):
    model = Competency


class CompetencyLevelPolicy(_ReferencePolicy):
    model = CompetencyLevel


class TrainingPolicy(_ReferencePolicy):
    model = Training


class TrainingCompetencyPolicy(_ReferencePolicy):
    model = TrainingCompetency


class PositionCompetencyPolicy(Policy[PositionCompetency]):
    model = PositionCompetency

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return PositionCompetency.position_id.in_(positions.ids(positions.read(scope)))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        return PositionCompetency.position_id.in_(positions.ids(positions.manage(scope)))

    def placeable_positions(self, scope: Scope) -> ColumnElement[bool]:
        """Positions whose standard one may write (form choices and the bulk edit)."""
        return true() if scope.manages_all else positions.manage(scope)


class _PeopleDataPolicy(Policy[Any]):
    """Rows of an employee, read like the employee; subclasses say who keeps them."""

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return self.model.employee_id.in_(employees.readable_ids(scope))


class AssessmentPolicy(_PeopleDataPolicy):
    model = Assessment

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        return Assessment.employee_id.in_(employees.ids(employees.manage(scope)))

    def assessable_employees(self, scope: Scope) -> ColumnElement[bool]:
        """Employees whose assessments one may record (form choices, imports)."""
        return true() if scope.manages_all else employees.manage(scope)


class TrainingRecordPolicy(_PeopleDataPolicy):
    model = TrainingRecord

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        return TrainingRecord.employee_id.in_(employees.ids(employees.manage(scope)))


class RecommendationPolicy(_PeopleDataPolicy):
    model = Recommendation

    def may_compute(self, scope: Scope) -> bool:
        """Whether one (re)computes recommendations and reward candidates: the Admin (and
        the system's nightly run); they cover everyone at once."""
        return scope.manages_all

    def computable_employees(self, scope: Scope) -> ColumnElement[bool]:
        return true() if scope.manages_all else false()


class RewardCandidatePolicy(_PeopleDataPolicy):
    model = RewardCandidate


competencies = CompetencyPolicy()
competency_levels = CompetencyLevelPolicy()
trainings = TrainingPolicy()
training_competencies = TrainingCompetencyPolicy()
position_competencies = PositionCompetencyPolicy()
assessments = AssessmentPolicy()
training_records = TrainingRecordPolicy()
recommendations = RecommendationPolicy()
reward_candidates = RewardCandidatePolicy()
