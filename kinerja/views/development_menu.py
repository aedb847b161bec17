"""The *Pengembangan Kompetensi* menu: its pages, screens and REST resources."""

from __future__ import annotations

from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _l

from kinerja.security import roles
from kinerja.views.certificates import CertificateView
from kinerja.views.competency import (
    AssessmentView,
    CompetencyLevelView,
    CompetencyView,
    PositionCompetencyView,
    RecommendationView,
    RewardCandidateView,
    TrainingCompetencyView,
    TrainingRecordView,
    TrainingView,
)
from kinerja.views.competency_api import (
    AssessmentApi,
    CompetencyApi,
    PositionCompetencyApi,
    RecommendationApi,
    RewardCandidateApi,
    TrainingApi,
    TrainingRecordApi,
)
from kinerja.views.development import DevelopmentView
from kinerja.views.imports import AssessmentImportView
from kinerja.views.standards import PositionStandardsToolsView


def register_development(appbuilder: AppBuilder) -> None:
    """The *Pengembangan Kompetensi* menu and its REST resources."""
    category = roles.MENU_DEVELOPMENT
    appbuilder.add_view_no_menu(DevelopmentView)
    for name, label, href, icon in (
        (roles.MENU_MY_DEVELOPMENT, _l("My development"), "/development/mine/", "fa-user"),
        (roles.MENU_JP_TALLY, _l("Lesson hours (20 JP)"), "/development/jp/", "fa-clock-o"),
        (roles.MENU_TALENT, _l("Talent 9-box"), "/development/talent/", "fa-th"),
    ):
        appbuilder.add_link(
            name,
            label=label,
            href=href,
            icon=icon,
            category=category,
            category_label=_l("Competency development"),
            category_icon="fa-graduation-cap",
        )
    entries = (
        (
            RecommendationView,
            roles.MENU_RECOMMENDATIONS,
            _l("Training recommendations"),
            "fa-lightbulb-o",
        ),
        (
            TrainingRecordView,
            roles.MENU_TRAINING_RECORDS,
            _l("Training records"),
            "fa-graduation-cap",
        ),
        (AssessmentView, roles.MENU_ASSESSMENTS, _l("Assessments"), "fa-check-square-o"),
        (AssessmentImportView, roles.MENU_ASSESSMENT_IMPORT, _l("Import assessments"), "fa-upload"),
        (
            PositionCompetencyView,
            roles.MENU_POSITION_STANDARDS,
            _l("Position standards"),
            "fa-id-card-o",
        ),
        (
            PositionStandardsToolsView,
            roles.MENU_STANDARDS_TOOLS,
            _l("Position standards in bulk"),
            "fa-clone",
        ),
        (CompetencyView, roles.MENU_COMPETENCIES, _l("Competency dictionary"), "fa-book"),
        (TrainingView, roles.MENU_TRAININGS, _l("Training catalogue"), "fa-calendar-check-o"),
        (RewardCandidateView, roles.MENU_REWARD_CANDIDATES, _l("Reward candidates"), "fa-trophy"),
    )
    for view, name, label, icon in entries:
        appbuilder.add_view(
            view,
            name,
            label=label,
            icon=icon,
            category=category,
            category_label=_l("Competency development"),
            category_icon="fa-graduation-cap",
        )
    for related in (CompetencyLevelView, TrainingCompetencyView, CertificateView):
        appbuilder.add_view_no_menu(related)
    for api in (
        CompetencyApi,
        TrainingApi,
        PositionCompetencyApi,
        AssessmentApi,
        TrainingRecordApi,
        RecommendationApi,
        RewardCandidateApi,
    ):
        appbuilder.add_api(api)
