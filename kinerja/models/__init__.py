"""SQLAlchemy models, one module per aggregate."""

from kinerja.models.audit import AuditAction, AuditEntry
from kinerja.models.changes import Change
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
from kinerja.models.jobs import JobRun, JobStatus
from kinerja.models.mail import EmailKind, EmailStatus, OutgoingEmail
from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.models.planning import (
    BehaviourExpectation,
    BehaviourValue,
    Indicator,
    Objective,
    Period,
    PlanTemplate,
    SubPeriod,
    TemplateIndicator,
    TemplateObjective,
    WorkPlan,
    WorkPlanEvent,
    WorkPlanVersion,
)
from kinerja.models.ratings import DistributionCheck, Rating, UnitRating
from kinerja.models.reports import (
    Activity,
    Attachment,
    BehaviourRating,
    DialogueNote,
    Evaluation,
    Evidence,
    IndicatorLevel,
    Realization,
    Report,
)
from kinerja.models.security import KinerjaUser
from kinerja.models.self_evaluations import SelfEvaluation
from kinerja.models.service_accounts import ServiceAccount
from kinerja.models.surveys import (
    Service,
    Survey,
    SurveyResponse,
    SurveyResult,
    UnitSurveyResult,
)
from kinerja.models.webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "AuditAction",
    "AuditEntry",
    "Change",
    "WebhookDelivery",
    "WebhookSubscription",
    "Assessment",
    "Competency",
    "CompetencyLevel",
    "PositionCompetency",
    "Recommendation",
    "RewardCandidate",
    "Training",
    "TrainingCompetency",
    "TrainingRecord",
    "Service",
    "Survey",
    "SurveyResponse",
    "SurveyResult",
    "UnitSurveyResult",
    "EmailKind",
    "EmailStatus",
    "OutgoingEmail",
    "DistributionCheck",
    "IndicatorLevel",
    "Rating",
    "UnitRating",
    "Activity",
    "Attachment",
    "BehaviourRating",
    "DialogueNote",
    "Evaluation",
    "Evidence",
    "Realization",
    "Report",
    "SelfEvaluation",
    "BehaviourExpectation",
    "BehaviourValue",
    "Employee",
    "Indicator",
    "JobRun",
    "JobStatus",
    "KinerjaUser",
    "ServiceAccount",
    "Objective",
    "Period",
    "PlanTemplate",
    "Position",
    "Rank",
    "SubPeriod",
    "TemplateIndicator",
    "TemplateObjective",
    "Unit",
    "WorkPlan",
    "WorkPlanEvent",
    "WorkPlanVersion",
]
