"""Screens and REST resources; :func:`register_views` wires them into the AppBuilder."""

from __future__ import annotations

from flask import current_app
from flask_appbuilder import AppBuilder
from flask_appbuilder.api.manager import SwaggerView
from flask_babel import format_date, format_datetime, format_decimal, format_number, get_locale
from flask_babel import lazy_gettext as _l

from kinerja.security import roles
from kinerja.views.audit import AuditEntryView
from kinerja.views.bench_stock import StockEmployeeApi
from kinerja.views.changes import ChangesApi
from kinerja.views.data_quality import DataQualityView
from kinerja.views.development_menu import register_development
from kinerja.views.imports import ImportView
from kinerja.views.jobs import JobRunView
from kinerja.views.logins import LoginsView
from kinerja.views.mail import OutgoingEmailApi, OutgoingEmailView
from kinerja.views.openapi import KinerjaOpenApi
from kinerja.views.org import (
    EmployeeApi,
    EmployeeView,
    PositionApi,
    PositionView,
    UnitApi,
    UnitView,
)
from kinerja.views.params import (
    refuse_unreadable_ids,
    refuse_unreadable_list_args,
    refuse_unreadable_query,
)
from kinerja.views.plans.api import WorkPlanApi
from kinerja.views.plans.lists import WorkPlanView
from kinerja.views.plans.objectives import IndicatorApi, IndicatorView, ObjectiveApi, ObjectiveView
from kinerja.views.plans.page import PlanView
from kinerja.views.plans.periods import PeriodApi, PeriodView, SubPeriodApi, SubPeriodView
from kinerja.views.plans.printing import UnitPlansPrintView
from kinerja.views.plans.templates import (
    PlanTemplateView,
    TemplateIndicatorView,
    TemplateObjectiveView,
)
from kinerja.views.profile import EmailSettingsView
from kinerja.views.ranks import RankApi
from kinerja.views.ratings.api import DistributionCheckApi, RatingApi, RatingRunApi
from kinerja.views.ratings.calibration import CalibrationView
from kinerja.views.ratings.distribution import DistributionCheckView
from kinerja.views.ratings.lists import RatingView
from kinerja.views.recaps import register_recaps
from kinerja.views.reports.activities import ActivityApi, ActivityView, TeamTodayView
from kinerja.views.reports.api import ReportApi
from kinerja.views.reports.lists import EvaluationQueueView, ReportView
from kinerja.views.reports.page import ReportPageView
from kinerja.views.reports.parts import (
    DialogueNoteApi,
    EvaluationApi,
    EvidenceApi,
    RealizationApi,
)
from kinerja.views.reports.self_evaluation import SelfEvaluationView
from kinerja.views.service_accounts import register_service_accounts
from kinerja.views.survey_form import PublicSurveyApi, SurveyFormView
from kinerja.views.survey_results import register_survey_results
from kinerja.views.surveys import ServiceView, SurveyResponseView, SurveyView
from kinerja.views.surveys_api import ServiceApi, SurveyApi, SurveyResponseApi
from kinerja.views.unit_ratings import UnitRatingApi, UnitRatingView
from kinerja.views.webhooks import (
    WebhookApi,
    WebhookDeliveryApi,
    WebhookDeliveryView,
    WebhookView,
)


def register_views(appbuilder: AppBuilder) -> None:
    organisation = roles.MENU_ORGANISATION
    appbuilder.add_view(
        UnitView,
        roles.MENU_UNITS,
        label=_l("Units"),
        icon="fa-sitemap",
        category=organisation,
        category_label=_l("Organisation"),
        category_icon="fa-building",
    )
    appbuilder.add_view(
        PositionView,
        roles.MENU_POSITIONS,
        label=_l("Positions"),
        icon="fa-id-badge",
        category=organisation,
    )
    appbuilder.add_view(
        EmployeeView,
        roles.MENU_EMPLOYEES,
        label=_l("Employees"),
        icon="fa-users",
        category=organisation,
    )
    appbuilder.add_separator(organisation)
    appbuilder.add_view(
        ImportView,
        roles.MENU_IMPORT,
        label=_l("Import"),
        icon="fa-upload",
        category=organisation,
    )
    appbuilder.add_view(
        DataQualityView,
        roles.MENU_DATA_QUALITY,
        label=_l("Data quality"),
        icon="fa-stethoscope",
        category=organisation,
    )
    appbuilder.add_view(
        JobRunView,
        roles.MENU_JOBS,
        label=_l("Background jobs"),
        icon="fa-tasks",
        category=organisation,
    )
    appbuilder.add_view(
        OutgoingEmailView,
        roles.MENU_OUTGOING_EMAIL,
        label=_l("Outgoing email"),
        icon="fa-envelope",
        category=organisation,
    )
    appbuilder.add_view(
        WebhookView,
        roles.MENU_WEBHOOKS,
        label=_l("Webhooks"),
        icon="fa-plug",
        category=organisation,
    )
    appbuilder.add_view(
        WebhookDeliveryView,
        roles.MENU_WEBHOOK_DELIVERIES,
        label=_l("Webhook deliveries"),
        icon="fa-paper-plane",
        category=organisation,
    )
    appbuilder.add_view(
        AuditEntryView,
        roles.MENU_AUDIT,
        label=_l("Audit trail"),
        icon="fa-history",
        category=organisation,
    )
    appbuilder.add_view_no_menu(LoginsView)
    appbuilder.add_view_no_menu(EmailSettingsView)

    planning = roles.MENU_PLANNING
    appbuilder.add_view(
        WorkPlanView,
        roles.MENU_WORK_PLANS,
        label=_l("Work plans (SKP)"),
        icon="fa-bullseye",
        category=planning,
        category_label=_l("Performance planning"),
        category_icon="fa-tasks",
    )
    appbuilder.add_link(
        roles.MENU_QUEUE,
        label=_l("Waiting for my approval"),
        href="/plans/queue/",
        icon="fa-inbox",
        category=planning,
    )
    appbuilder.add_view(
        PeriodView,
        roles.MENU_PERIODS,
        label=_l("Periods"),
        icon="fa-calendar",
        category=planning,
    )
    appbuilder.add_view(
        PlanTemplateView,
        roles.MENU_TEMPLATES,
        label=_l("Plan templates"),
        icon="fa-clone",
        category=planning,
    )
    reporting = roles.MENU_REPORTING
    appbuilder.add_view(
        ActivityView,
        roles.MENU_ACTIVITIES,
        label=_l("Daily activities"),
        icon="fa-pencil-square-o",
        category=reporting,
        category_label=_l("Performance reporting"),
        category_icon="fa-line-chart",
    )
    appbuilder.add_link(
        roles.MENU_MY_REPORTS,
        label=_l("My reports"),
        href="/report/mine/",
        icon="fa-file-text-o",
        category=reporting,
    )
    appbuilder.add_view(
        ReportView,
        roles.MENU_REPORTS,
        label=_l("Performance reports"),
        icon="fa-files-o",
        category=reporting,
    )
    appbuilder.add_view(
        EvaluationQueueView,
        roles.MENU_EVALUATION_QUEUE,
        label=_l("Evaluation queue"),
        href="/evaluation-queue/list/?_flt_0_status=submitted",
        icon="fa-inbox",
        category=reporting,
    )
    appbuilder.add_view(
        TeamTodayView,
        roles.MENU_TEAM_TODAY,
        label=_l("Team today"),
        icon="fa-users",
        category=reporting,
    )
    register_ratings(appbuilder)
    register_development(appbuilder)
    register_surveys(appbuilder)
    register_survey_results(appbuilder)
    register_service_accounts(appbuilder)
    register_recaps(appbuilder)
    for view in (
        ReportPageView,
        SelfEvaluationView,
        PlanView,
        UnitPlansPrintView,
        ObjectiveView,
        IndicatorView,
        SubPeriodView,
        TemplateObjectiveView,
        TemplateIndicatorView,
    ):
        appbuilder.add_view_no_menu(view)
    for api in (
        UnitApi,
        PositionApi,
        EmployeeApi,
        PeriodApi,
        SubPeriodApi,
        WorkPlanApi,
        ObjectiveApi,
        IndicatorApi,
        ActivityApi,
        ReportApi,
        RealizationApi,
        EvidenceApi,
        EvaluationApi,
        DialogueNoteApi,
        RatingApi,
        DistributionCheckApi,
        RatingRunApi,
        UnitRatingApi,
        OutgoingEmailApi,
        RankApi,
        ChangesApi,
        WebhookApi,
        WebhookDeliveryApi,
    ):
        appbuilder.add_api(api)
    if current_app.config.get("FAB_API_SWAGGER_UI"):
        appbuilder.add_api(KinerjaOpenApi)
        appbuilder.add_view_no_menu(SwaggerView)
    if current_app.config.get("KINERJA_BENCH_STOCK_API"):
        appbuilder.add_api(StockEmployeeApi)
    appbuilder.add_link(
        roles.MENU_API_DOCS,
        label=_l("API documentation"),
        href="/swagger/v1",
        icon="fa-book",
        category=organisation,
    )
    current_app.jinja_env.globals.update(
        format_number=format_number,
        format_decimal=format_decimal,
        format_datetime=format_datetime,
        format_date=format_date,
        get_locale=get_locale,
    )
    current_app.before_request(refuse_unreadable_ids)
    current_app.before_request(refuse_unreadable_query)
    current_app.before_request(refuse_unreadable_list_args)


def register_surveys(appbuilder: AppBuilder) -> None:
    """The *Survei Kepuasan* menu, its REST resources and the public form."""
    category = roles.MENU_SURVEYS
    appbuilder.add_view(
        ServiceView,
        roles.MENU_SERVICES,
        label=_l("Services"),
        icon="fa-handshake-o",
        category=category,
        category_label=_l("Satisfaction surveys"),
        category_icon="fa-smile-o",
    )
    appbuilder.add_view(
        SurveyView, roles.MENU_SURVEY_LIST, label=_l("Surveys"), icon="fa-qrcode", category=category
    )
    appbuilder.add_view(
        SurveyResponseView,
        roles.MENU_SURVEY_RESPONSES,
        label=_l("Responses"),
        icon="fa-comments-o",
        category=category,
    )
    public = [appbuilder.add_view_no_menu(SurveyFormView)]
    for api in (ServiceApi, SurveyApi, SurveyResponseApi, PublicSurveyApi):
        public.append(appbuilder.add_api(api))
    if appbuilder.sm.is_auth_limited:  # the public form has its own limit (public_limits)
        for view in (public[0], public[-1]):
            appbuilder.sm.limiter.exempt(view.blueprint)


def register_ratings(appbuilder: AppBuilder) -> None:
    """The *Predikat Kinerja* menu (the unit predikat screen joins the same category)."""
    ratings = roles.MENU_RATINGS
    appbuilder.add_view(
        RatingView,
        roles.MENU_PERIOD_RATINGS,
        label=_l("Ratings"),
        icon="fa-star",
        category=ratings,
        category_label=_l("Performance ratings"),
        category_icon="fa-trophy",
    )
    appbuilder.add_link(
        roles.MENU_MY_RATING,
        label=_l("My rating"),
        href="/ratings/mine/",
        icon="fa-star-o",
        category=ratings,
    )
    appbuilder.add_view(
        DistributionCheckView,
        roles.MENU_DISTRIBUTIONS,
        label=_l("Distribution by unit"),
        icon="fa-bar-chart",
        category=ratings,
    )
    appbuilder.add_view(
        UnitRatingView,
        roles.MENU_UNIT_RATINGS,
        label=_l("Unit predikat"),
        icon="fa-flag",
        category=ratings,
    )
    appbuilder.add_view(
        CalibrationView,
        roles.MENU_CALIBRATION,
        label=_l("Calibration"),
        icon="fa-balance-scale",
        category=ratings,
    )
