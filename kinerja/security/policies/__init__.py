"""Row-level access, one policy per model, grouped by aggregate.

Every list, detail page, form choice, ``_info``, export, job and use case asks these
policies; views and templates never re-derive a rule. :func:`policy_for` finds the policy of
a model (FAB views look theirs up by their datamodel).
"""

from __future__ import annotations

from typing import Any

from kinerja.security.policies.audit import audit_entries
from kinerja.security.policies.base import Policy, is_within
from kinerja.security.policies.competency import (
    assessments,
    competencies,
    competency_levels,
    position_competencies,
    recommendations,
    reward_candidates,
    training_competencies,
    training_records,
    trainings,
)
from kinerja.security.policies.jobs import job_runs
from kinerja.security.policies.mail import outgoing_emails
from kinerja.security.policies.org import employees, positions, ranks, units
from kinerja.security.policies.plans import (
    indicators,
    objectives,
    periods,
    plans,
    sub_periods,
    template_indicators,
    template_objectives,
    templates,
)
from kinerja.security.policies.ratings import distribution_checks, ratings, unit_ratings
from kinerja.security.policies.reports import (
    activities,
    dialogue_notes,
    evaluations,
    evidence,
    realizations,
    reports,
)
from kinerja.security.policies.scope import SYSTEM, Scope, employee_scope, scope_for_user
from kinerja.security.policies.self_evaluations import self_evaluations
from kinerja.security.policies.surveys import (
    services,
    survey_responses,
    survey_results,
    surveys,
    unit_survey_results,
)
from kinerja.security.policies.webhooks import webhook_deliveries, webhook_subscriptions

POLICIES: dict[type[Any], Policy[Any]] = {
    policy.model: policy
    for policy in (
        units,
        positions,
        employees,
        ranks,
        periods,
        sub_periods,
        plans,
        objectives,
        indicators,
        templates,
        template_objectives,
        template_indicators,
        reports,
        realizations,
        evidence,
        dialogue_notes,
        evaluations,
        self_evaluations,
        activities,
        job_runs,
        ratings,
        unit_ratings,
        distribution_checks,
        services,
        surveys,
        survey_responses,
        survey_results,
        unit_survey_results,
        outgoing_emails,
        webhook_subscriptions,
        webhook_deliveries,
        competencies,
        competency_levels,
        trainings,
        training_competencies,
        position_competencies,
        assessments,
        training_records,
        recommendations,
        reward_candidates,
        audit_entries,
    )
}


def policy_for(model: type[Any]) -> Policy[Any]:
    """The policy of ``model``; a model without one is a programming error."""
    try:
        return POLICIES[model]
    except KeyError:
        raise LookupError(f"no access policy for {model.__name__}") from None


__all__ = [
    "audit_entries",
    "assessments",
    "competencies",
    "competency_levels",
    "position_competencies",
    "recommendations",
    "reward_candidates",
    "training_competencies",
    "training_records",
    "trainings",
    "services",
    "survey_responses",
    "survey_results",
    "surveys",
    "unit_survey_results",
    "POLICIES",
    "SYSTEM",
    "Policy",
    "Scope",
    "activities",
    "dialogue_notes",
    "distribution_checks",
    "employee_scope",
    "employees",
    "evaluations",
    "self_evaluations",
    "evidence",
    "indicators",
    "is_within",
    "job_runs",
    "objectives",
    "outgoing_emails",
    "periods",
    "plans",
    "policy_for",
    "positions",
    "ranks",
    "ratings",
    "realizations",
    "reports",
    "scope_for_user",
    "sub_periods",
    "template_indicators",
    "template_objectives",
    "templates",
    "unit_ratings",
    "units",
    "webhook_deliveries",
    "webhook_subscriptions",
]
