"""Access to the public satisfaction surveys (SKM).

* A service, its surveys and their computed indices are read by whoever reads the unit that
  delivers it (its Operator, its people, the supervisors of its people; Admin and
  Integrator all). The public sees only the survey form and the transparency page's
  aggregates, which need no policy.
* Services and surveys are defined by the Admin and, inside their units (the top one
  included), by the Operator.
* The public's responses (with their comments, before any moderation) are read by the
  Admin, the Integrator and the Operator of the unit; the Admin and the Operator approve a
  comment for publication. Indices are written by the survey job only.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select, true

from kinerja.models.org import Unit
from kinerja.models.surveys import (
    Service,
    Survey,
    SurveyResponse,
    SurveyResult,
    UnitSurveyResult,
)
from kinerja.security.policies.base import Policy
from kinerja.security.policies.org import units
from kinerja.security.policies.scope import Scope


def _readable_units(scope: Scope) -> Select[tuple[int]]:
    return select(Unit.id).where(units.read(scope))


def _managed_units(scope: Scope) -> Select[tuple[int]]:
    return select(Unit.id).where(units.placeable(scope))


def _services(condition: Select[tuple[int]]) -> Select[tuple[int]]:
    return select(Service.id).where(Service.unit_id.in_(condition))


def _surveys(condition: Select[tuple[int]]) -> Select[tuple[int]]:
    return select(Survey.id).where(Survey.service_id.in_(_services(condition)))


class ServicePolicy(Policy[Service]):
    model = Service

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return Service.unit_id.in_(_readable_units(scope))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        return Service.unit_id.in_(_managed_units(scope))


class SurveyPolicy(Policy[Survey]):
    model = Survey

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return Survey.service_id.in_(_services(_readable_units(scope)))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        return Survey.service_id.in_(_services(_managed_units(scope)))


class SurveyResponsePolicy(Policy[SurveyResponse]):
    """``manage`` is approving a comment for publication; responses are otherwise kept as
    the public gave them."""

    model = SurveyResponse

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return SurveyResponse.survey_id.in_(_surveys(_managed_units(scope)))

    def manage(self, scope: Scope) -> ColumnElement[bool]:
        if scope.manages_all:
            return true()
        return SurveyResponse.survey_id.in_(_surveys(_managed_units(scope)))


class SurveyResultPolicy(Policy[SurveyResult]):
    model = SurveyResult

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return SurveyResult.survey_id.in_(_surveys(_readable_units(scope)))


class UnitSurveyResultPolicy(Policy[UnitSurveyResult]):
    model = UnitSurveyResult

    def read(self, scope: Scope) -> ColumnElement[bool]:
        if scope.sees_all:
            return true()
        return UnitSurveyResult.unit_id.in_(_readable_units(scope))


services = ServicePolicy()
surveys = SurveyPolicy()
survey_responses = SurveyResponsePolicy()
survey_results = SurveyResultPolicy()
unit_survey_results = UnitSurveyResultPolicy()
