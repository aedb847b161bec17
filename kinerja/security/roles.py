"""Roles and their permissions, defined here in code (FAB "builtin roles").

FAB checks builtin roles by regular expression without touching the database, so the
permission check per request costs nothing and nobody can click a role's rights together
in the back office. ``flask kinerja init`` creates the role rows; the rights live here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ADMIN = "Admin"
OPERATOR = "Operator"
SUPERVISOR = "Supervisor"
EMPLOYEE = "Employee"
INTEGRATOR = "Integrator"
PUBLIC = "Public"

ALL_ROLES = (ADMIN, OPERATOR, SUPERVISOR, EMPLOYEE, INTEGRATOR, PUBLIC)

# Permission-view names of our resources (class_permission_name of views and APIs).
UNIT = "Unit"
POSITION = "Position"
EMPLOYEE_RESOURCE = "Employee"
IMPORT = "Import"
DATA_QUALITY = "DataQuality"
JOB_RUN = "JobRun"
OUTGOING_EMAIL = "OutgoingEmail"
CHANGE = "Change"  # the change feed: every role reads it, each within its policies
WEBHOOK = "Webhook"  # subscriptions and deliveries: their policy reaches the Admin only
WEBHOOK_DELIVERY = "WebhookDelivery"
EMAIL_SETTINGS = "EmailSettings"
PERIOD = "Period"
WORK_PLAN = "WorkPlan"
OBJECTIVE = "Objective"
INDICATOR = "Indicator"
PLAN_TEMPLATE = "PlanTemplate"
ACTIVITY = "Activity"
REPORT = "Report"
REALIZATION = "Realization"
EVIDENCE = "Evidence"
EVALUATION = "Evaluation"
DIALOGUE_NOTE = "DialogueNote"
REPORT_PARTS = (REALIZATION, EVIDENCE, EVALUATION, DIALOGUE_NOTE)
UNIT_RATING = "UnitRating"
ORG_RESOURCES = (UNIT, POSITION, EMPLOYEE_RESOURCE)
RATING = "Rating"
DISTRIBUTION_CHECK = "DistributionCheck"
RATING_RUN = "RatingRun"
# Read by every role; each policy decides which rows (an Employee reads no unit's check).
RATINGS_READ = (RATING, DISTRIBUTION_CHECK, RATING_RUN)
SURVEY_RESULT = "SurveyResult"
# Public satisfaction surveys (SKM); responses are read by the Operator of the unit, the
# Admin and the Integrator only (the others hold the right and see no row, by policy).
SERVICE = "Service"
SURVEY = "Survey"
SURVEY_RESPONSE = "SurveyResponse"
SURVEYS_READ = (SERVICE, SURVEY, SURVEY_RESPONSE)
# Competency and development: the dictionary and catalogue are reference data (the Admin
# keeps them); standards, assessments and records are kept by the Operator in their units;
# recommendations and reward candidates are written by their job and read like people data.
COMPETENCY = "Competency"
TRAINING = "Training"
POSITION_COMPETENCY = "PositionCompetency"
ASSESSMENT = "Assessment"
TRAINING_RECORD = "TrainingRecord"
RECOMMENDATION = "Recommendation"
REWARD_CANDIDATE = "RewardCandidate"
DEVELOPMENT_READ = (
    COMPETENCY,
    TRAINING,
    POSITION_COMPETENCY,
    ASSESSMENT,
    TRAINING_RECORD,
    RECOMMENDATION,
    REWARD_CANDIDATE,
)
DEVELOPMENT_KEPT = (POSITION_COMPETENCY, ASSESSMENT, TRAINING_RECORD)
# Read by every role too, but only the Admin's and the Operator's policy reach any email
# (the others' API answers an empty list); the menu entry and *Kirim ulang* are theirs.
RANK = "Rank"  # reference data (golongan), read by every role over the API
# The change feed shows each role the changes of the rows its policies let it read; the
# webhooks' policy reaches nothing but for the Admin (the others' lists are empty).
EVERYONE_READS = (OUTGOING_EMAIL, CHANGE, WEBHOOK, WEBHOOK_DELIVERY)
# The recaps (predikat for TPP, ratings, IKM, training JP per unit): the Admin's, the
# Operator's for their units and the Integrator's (payroll); their policy refuses the rest.
RECAP = "Recap"
MENU_RECAPS = "Recaps"
RECAP_READERS = [(RECAP, "can_read"), (MENU_RECAPS, "menu_access")]
AUDIT_ENTRY = "AuditEntry"  # the audit trail: the Admin's alone (no other role is granted it)

# Menu entries (menu_access), by their registered names.
MENU_ORGANISATION = "Organisation"
MENU_UNITS = "Units"
MENU_POSITIONS = "Positions"
MENU_EMPLOYEES = "Employees"
MENU_IMPORT = "Import"
MENU_DATA_QUALITY = "Data quality"
MENU_JOBS = "Background jobs"
MENU_OUTGOING_EMAIL = "Outgoing email"
MENU_WEBHOOKS = "Webhooks"
MENU_WEBHOOK_DELIVERIES = "Webhook deliveries"
MENU_PLANNING = "Performance planning"
MENU_WORK_PLANS = "Work plans"
MENU_QUEUE = "Approval queue"
MENU_PERIODS = "Periods"
MENU_TEMPLATES = "Plan templates"
MENU_API_DOCS = "API documentation"
MENU_REPORTING = "Performance reporting"
MENU_ACTIVITIES = "Daily activities"
MENU_MY_REPORTS = "My reports"
MENU_REPORTS = "Reports"
MENU_EVALUATION_QUEUE = "Evaluation queue"
MENU_TEAM_TODAY = "Team today"
MENU_RATINGS = "Performance ratings"
MENU_PERIOD_RATINGS = "Period ratings"
MENU_MY_RATING = "My rating"
MENU_DISTRIBUTIONS = "Distribution checks"
MENU_CALIBRATION = "Calibration"
MENU_UNIT_RATINGS = "Unit predikat"
MENU_SURVEY_RESULTS = "Survey results"
MENU_SURVEYS = "Satisfaction surveys"
MENU_SERVICES = "Services"
MENU_SURVEY_LIST = "Surveys"
MENU_SURVEY_RESPONSES = "Survey responses"
SURVEY_MENUS = (MENU_SURVEYS, MENU_SERVICES, MENU_SURVEY_LIST, MENU_SURVEY_RESPONSES)
MENU_DEVELOPMENT = "Development"
MENU_COMPETENCIES = "Competencies"
MENU_POSITION_STANDARDS = "Position standards"
MENU_ASSESSMENTS = "Assessments"
MENU_STANDARDS_TOOLS = "Position standards in bulk"  # those who edit standards
MENU_ASSESSMENT_IMPORT = "Assessment import"  # the Admin's and the Operator's (Import rights)
MENU_TRAININGS = "Trainings"
MENU_TRAINING_RECORDS = "Training records"
MENU_RECOMMENDATIONS = "Recommendations"
MENU_REWARD_CANDIDATES = "Reward candidates"
MENU_MY_DEVELOPMENT = "My development"
MENU_JP_TALLY = "JP tally"
MENU_TALENT = "Talent 9-box"
MENU_AUDIT = "Audit trail"
DEVELOPMENT_MENUS = (
    MENU_DEVELOPMENT,
    MENU_MY_DEVELOPMENT,
    MENU_JP_TALLY,
    MENU_TALENT,
    MENU_COMPETENCIES,
    MENU_POSITION_STANDARDS,
    MENU_ASSESSMENTS,
    MENU_TRAININGS,
    MENU_TRAINING_RECORDS,
    MENU_RECOMMENDATIONS,
    MENU_REWARD_CANDIDATES,
)

READ = "can_read"
WRITE = ("can_read", "can_add", "can_edit", "can_delete")

# Every signed-in person may see and edit their own profile and change their password.
_SELF_SERVICE: list[tuple[str, str]] = [
    ("UserDBModelView", "can_userinfo"),
    ("UserDBModelView", "resetmypassword"),
    ("UserDBModelView", "userinfoedit"),
    ("ResetMyPasswordView", "can_this_form_get"),
    ("ResetMyPasswordView", "can_this_form_post"),
    ("UserInfoEditView", "can_this_form_get"),
    ("UserInfoEditView", "can_this_form_post"),
    ("UserDBModelView", "emailsettings"),
    (EMAIL_SETTINGS, "can_this_form_get"),
    (EMAIL_SETTINGS, "can_this_form_post"),
    ("MenuApi", "can_get"),
]


def _grants(view: str, permissions: Iterable[str]) -> list[tuple[str, str]]:
    return [(view, permission) for permission in permissions]


def _menus(*names: str) -> list[tuple[str, str]]:
    return [(name, "menu_access") for name in names]


PLAN_CONTENT = (OBJECTIVE, INDICATOR)
# Survey results: read by every role within the policy (menu and REST resource alike).
SURVEY_RESULTS_READ = [(SURVEY_RESULT, READ), *_menus(MENU_SURVEYS, MENU_SURVEY_RESULTS)]
# Everyone reads development data (each policy decides which rows); the Operator keeps the
# standards, assessments and records of their units.
DEVELOPMENT_READERS = [
    *[(resource, READ) for resource in DEVELOPMENT_READ],
    *_menus(*DEVELOPMENT_MENUS),
]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    OPERATOR: [
        (RANK, READ),
        *[(resource, permission) for resource in DEVELOPMENT_KEPT for permission in WRITE],
        *_grants(UNIT, WRITE),
        *_grants(POSITION, WRITE),
        *_grants(EMPLOYEE_RESOURCE, (*WRITE, "can_create_logins")),
        *_grants(IMPORT, ("can_read", "can_write")),
        *_grants(DATA_QUALITY, (READ,)),
        *_grants(JOB_RUN, (READ, "can_retry")),
        *_grants(OUTGOING_EMAIL, (READ, "can_resend")),  # to the people of their units
        *[(resource, READ) for resource in (CHANGE, WEBHOOK, WEBHOOK_DELIVERY)],
        *_grants(PERIOD, (READ, "can_compute_ratings")),
        *_grants(WORK_PLAN, (READ, "can_write", "can_template")),
        *[(resource, p) for resource in PLAN_CONTENT for p in WRITE],
        *_grants(PLAN_TEMPLATE, (*WRITE, "can_assign")),
        *_menus(MENU_PLANNING, MENU_WORK_PLANS, MENU_PERIODS, MENU_TEMPLATES),
        *_grants(ACTIVITY, (READ,)),
        *_grants(REPORT, (READ, "can_write")),
        *[(resource, p) for resource in REPORT_PARTS for p in (READ, "can_write")],
        *_menus(MENU_REPORTING, MENU_ACTIVITIES, MENU_REPORTS),
        *[(resource, READ) for resource in RATINGS_READ],
        (RATING, "can_calibrate"),
        *_menus(MENU_RATINGS, MENU_PERIOD_RATINGS, MENU_DISTRIBUTIONS, MENU_CALIBRATION),
        *_grants(UNIT_RATING, (READ,)),
        *_menus(MENU_RATINGS, MENU_UNIT_RATINGS),
        *SURVEY_RESULTS_READ,
        *_grants(SURVEY_RESULT, ("can_compute", "can_export_responses")),
        *_grants(SERVICE, WRITE),
        *_grants(SURVEY, (*WRITE, "can_close")),
        *_grants(SURVEY_RESPONSE, (READ, "can_moderate")),
        *_menus(*SURVEY_MENUS),
        *_menus(
            MENU_ORGANISATION,
            MENU_UNITS,
            MENU_POSITIONS,
            MENU_EMPLOYEES,
            MENU_IMPORT,
            MENU_ASSESSMENT_IMPORT,
            MENU_STANDARDS_TOOLS,
            MENU_DATA_QUALITY,
            MENU_JOBS,
            MENU_OUTGOING_EMAIL,
        ),
        *DEVELOPMENT_READERS,
        *RECAP_READERS,
        *_SELF_SERVICE,
    ],
    SUPERVISOR: [
        (RANK, READ),
        *_grants(EMPLOYEE_RESOURCE, (READ,)),
        *_grants(POSITION, (READ,)),
        *_grants(UNIT, (READ,)),
        *_grants(PERIOD, (READ,)),
        *_grants(WORK_PLAN, (READ, "can_decide")),
        *[(resource, READ) for resource in PLAN_CONTENT],
        *_menus(MENU_PLANNING, MENU_WORK_PLANS, MENU_QUEUE, MENU_PERIODS),
        *_grants(ACTIVITY, (READ,)),
        *_grants(REPORT, (READ, "can_decide")),
        *[(resource, p) for resource in REPORT_PARTS for p in (READ, "can_write")],
        *_menus(MENU_REPORTING, MENU_REPORTS, MENU_EVALUATION_QUEUE, MENU_TEAM_TODAY),
        *[(resource, READ) for resource in RATINGS_READ],
        *_menus(MENU_RATINGS, MENU_PERIOD_RATINGS, MENU_DISTRIBUTIONS),
        *_grants(UNIT_RATING, (READ, "can_write")),  # the units whose head they supervise
        *[(resource, READ) for resource in EVERYONE_READS],
        *_menus(MENU_RATINGS, MENU_UNIT_RATINGS),
        *SURVEY_RESULTS_READ,
        *[(resource, READ) for resource in SURVEYS_READ],
        *_menus(MENU_ORGANISATION, MENU_EMPLOYEES, MENU_POSITIONS, MENU_UNITS),
        *DEVELOPMENT_READERS,
        *_SELF_SERVICE,
    ],
    EMPLOYEE: [
        (RANK, READ),
        *_grants(EMPLOYEE_RESOURCE, (READ,)),
        *_grants(POSITION, (READ,)),
        *_grants(UNIT, (READ,)),
        *_grants(PERIOD, (READ,)),
        *_grants(WORK_PLAN, (READ, "can_write")),
        *[(resource, p) for resource in PLAN_CONTENT for p in WRITE],
        *_menus(MENU_PLANNING, MENU_WORK_PLANS, MENU_PERIODS),
        *_grants(ACTIVITY, WRITE),
        *_grants(REPORT, (READ, "can_write")),
        *[(resource, p) for resource in REPORT_PARTS for p in (READ, "can_write")],
        *_menus(MENU_REPORTING, MENU_ACTIVITIES, MENU_MY_REPORTS, MENU_REPORTS),
        *[(resource, READ) for resource in RATINGS_READ],
        *_menus(MENU_RATINGS, MENU_PERIOD_RATINGS, MENU_MY_RATING),
        *_grants(UNIT_RATING, (READ,)),  # none in sight: the API answers an empty list
        *SURVEY_RESULTS_READ,
        *[(resource, READ) for resource in SURVEYS_READ],
        *[(resource, READ) for resource in EVERYONE_READS],
        *_menus(MENU_ORGANISATION, MENU_EMPLOYEES, MENU_POSITIONS, MENU_UNITS),
        *DEVELOPMENT_READERS,
        *_SELF_SERVICE,
    ],
    INTEGRATOR: [
        (RANK, READ),
        *[(resource, READ) for resource in ORG_RESOURCES],
        *[(resource, READ) for resource in (PERIOD, WORK_PLAN, *PLAN_CONTENT)],
        *[(resource, READ) for resource in (ACTIVITY, REPORT, *REPORT_PARTS)],
        *[(resource, READ) for resource in RATINGS_READ],
        *_menus(MENU_RATINGS, MENU_PERIOD_RATINGS, MENU_DISTRIBUTIONS),
        (UNIT_RATING, READ),
        *SURVEY_RESULTS_READ,
        *[(resource, READ) for resource in SURVEYS_READ],
        *_menus(*SURVEY_MENUS),
        *[(resource, READ) for resource in EVERYONE_READS],
        ("SwaggerView", "can_show"),
        ("OpenApi", "can_get"),
        *_menus(
            MENU_ORGANISATION,
            MENU_UNITS,
            MENU_POSITIONS,
            MENU_EMPLOYEES,
            MENU_API_DOCS,
            MENU_PLANNING,
            MENU_WORK_PLANS,
            MENU_PERIODS,
            MENU_REPORTING,
            MENU_REPORTS,
            MENU_RATINGS,
            MENU_UNIT_RATINGS,
        ),
        *DEVELOPMENT_READERS,
        *RECAP_READERS,
        *_SELF_SERVICE,
    ],
    PUBLIC: [],
}


def fab_roles() -> dict[str, list[list[str]]]:
    """The ``FAB_ROLES`` setting: anchored regular expressions ``[view, permission]``."""
    roles: dict[str, list[list[str]]] = {ADMIN: [[".*", ".*"]]}
    for role, grants in ROLE_PERMISSIONS.items():
        roles[role] = [[_exact(view), _exact(permission)] for view, permission in grants]
    return roles


def _exact(name: str) -> str:
    return f"{re.escape(name)}$"
