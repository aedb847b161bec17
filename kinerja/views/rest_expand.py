"""What ``expand`` puts beside a row's foreign key, by the related model: the names an
integrator needs (a unit's code, an employee's NIP, a rank's golongan) without a second call.

Every REST list offers ``expand`` for each of its many-to-one relations whose model is listed
here; the related model's policy decides whether the caller sees it (else ``null``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import RelationshipProperty

from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.models.planning import Indicator, Objective, Period, SubPeriod, WorkPlan
from kinerja.models.reports import Report
from kinerja.models.surveys import Service, Survey
from kinerja.security.policies import POLICIES

# related model -> {field in the answer: attribute of the related row}
EXPANDED_FIELDS: dict[type[Any], dict[str, str]] = {
    Unit: {"code": "code", "name": "name", "kind": "kind", "parent_id": "parent_id"},
    Position: {"code": "code", "name": "name", "unit_id": "unit_id", "grade": "grade"},
    Employee: {"nip": "nip", "name": "name", "unit_id": "unit_id", "rank_id": "rank_id"},
    # the golongan/ruang (III/a) of a civil servant, the grade (IX) of a PPPK employee
    Rank: {
        "code": "code",
        "golongan": "code",
        "name": "name",
        "employment_type": "employment_type",
    },
    Period: {"year": "year", "name": "name", "status": "status"},
    SubPeriod: {"period_id": "period_id", "number": "number", "name": "name", "annual": "annual"},
    WorkPlan: {"period_id": "period_id", "employee_id": "employee_id", "status": "status"},
    Report: {"sub_period_id": "sub_period_id", "work_plan_id": "work_plan_id", "status": "status"},
    Objective: {"work_plan_id": "work_plan_id", "kind": "kind", "text": "text"},
    Indicator: {"objective_id": "objective_id", "text": "text"},
    Service: {"name": "name", "unit_id": "unit_id"},
    Survey: {"service_id": "service_id", "period_id": "period_id"},
}


def expandable_relations(model: type[Any]) -> dict[str, dict[str, str]]:
    """``expand_columns`` for a resource on ``model``: its many-to-one relations to a model
    above that has a policy, each on a single foreign key."""
    offered: dict[str, dict[str, str]] = {}
    for relation in model.__mapper__.relationships:
        assert isinstance(relation, RelationshipProperty)
        target = relation.mapper.class_
        if relation.uselist or target not in EXPANDED_FIELDS or target not in POLICIES:
            continue
        if len(relation.local_columns) != 1:
            continue
        fields = EXPANDED_FIELDS[target]
        if all(hasattr(target, attribute) for attribute in fields.values()):
            offered[relation.key] = fields
    return offered


def describe(offered: dict[str, dict[str, str]]) -> str:
    """The sentence the list's OpenAPI description gets."""
    if not offered:
        return ""
    parts = [f"{name} ({', '.join(fields)})" for name, fields in offered.items()]
    return (
        " `expand` (in q, e.g. `expand:!(" + next(iter(offered)) + ")`) puts the related row "
        "beside its id, or null if the caller may not read it: " + "; ".join(parts) + "."
    )
