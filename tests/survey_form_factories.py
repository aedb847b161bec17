"""Factories for the public satisfaction surveys (rows are committed, as in factories.py)."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Position, Unit
from kinerja.models.planning import Period
from kinerja.models.surveys import Service, Survey, SurveyResponse
from kinerja.security.policies import SYSTEM
from kinerja.services.plans.periods import save_period
from kinerja.services.surveys.catalogue import today
from tests.factories import Org

ANSWERS = [f"a{n}" for n in range(1, 10)]
GOOD = ["4", "4", "3", "4", "3", "4", "4", "3", "4"]


def current_period() -> Period:
    """The period of this year (surveys open today must lie within it)."""
    year = today().year
    period = db.session.scalar(select(Period).where(Period.year == year))
    if period is None:
        period = Period(year=year, cadence="quarterly")
        save_period(period, SYSTEM)
    return period


def make_service(
    unit: Unit,
    name: str = "Pelayanan Rawat Jalan",
    population: int = 2000,
    positions: list[Position] | None = None,
) -> Service:
    service = Service(
        unit=unit, name=name, yearly_population=population, active=True, positions=positions or []
    )
    db.session.add(service)
    db.session.flush()
    return service


def make_survey(
    service: Service,
    period: Period | None = None,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> Survey:
    """A survey open today by default (within this year's period)."""
    period = period or current_period()
    day = today()
    opens_on = opens_on or max(period.starts_on, day - timedelta(days=3))
    closes_on = closes_on or max(opens_on, min(period.ends_on, day + timedelta(days=10)))
    survey = Survey(
        service=service,
        period=period,
        token=secrets.token_urlsafe(16),
        opens_on=opens_on,
        closes_on=closes_on,
    )
    db.session.add(survey)
    db.session.flush()
    return survey


def make_response(survey: Survey, answers: list[int] | None = None, **values: Any) -> Any:
    response = SurveyResponse(
        survey=survey,
        submitted_at=utcnow(),
        browser_key=values.pop("browser_key", secrets.token_urlsafe(24)),
        **dict(zip(ANSWERS, answers or [4, 3, 3, 4, 3, 4, 4, 3, 4], strict=True)),
        **values,
    )
    db.session.add(response)
    db.session.flush()
    return response


def build_surveys(org: Org, period: Period | None = None) -> SimpleNamespace:
    """A service with a survey and responses in Bidang Yankes (the Operator's Dinkes), one in
    Seksi Surveilans, and one in Dinas Perhubungan (outside the Operator's reach)."""
    u, p = org.units, org.positions
    rows = SimpleNamespace(services=SimpleNamespace(), surveys=SimpleNamespace())
    rows.responses = SimpleNamespace()
    rows.services.yankes = make_service(u.yankes, "Rawat Jalan", 2000, [p.perawat])
    rows.services.surv = make_service(u.surv, "Informasi Surveilans", 300)
    rows.services.dishub = make_service(u.dishub, "Uji KIR", 100, [p.penguji])
    for name, service in vars(rows.services).items():
        survey = make_survey(service, period)
        setattr(rows.surveys, name, survey)
        setattr(rows.responses, name, make_response(survey, comment=f"Komentar {name}"))
    db.session.commit()
    return rows
