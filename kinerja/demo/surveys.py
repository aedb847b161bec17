"""Demo satisfaction surveys (SKM): two services of the demo Operator's unit, a survey of
each in the current period (one open today, one already over) with answers from the public.
Idempotent: a service already there is left as it is."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.planning import Period
from kinerja.models.security import KinerjaUser
from kinerja.models.surveys import Service, Survey, SurveyResponse
from kinerja.security.policies.scope import SYSTEM
from kinerja.services.surveys.catalogue import today
from kinerja.services.surveys.indices import compute_survey_indices

SERVICES = (
    ("Pelayanan Rawat Jalan", "Pemeriksaan dan pengobatan pasien rawat jalan.", 2000),
    ("Penerbitan Surat Keterangan Sehat", "Surat keterangan sehat untuk keperluan umum.", 300),
)
COMMENTS = (
    "Petugas ramah dan cepat.",
    "Antrean terlalu lama di pagi hari.",
    "Ruang tunggu perlu kipas angin.",
    "Informasi persyaratan sudah jelas.",
)


def load_surveys(period_id: int, responses: int = 40) -> None:
    """The demo's surveys, in the unit of the demo login ``operator``, answered and their
    index computed (by the job's use case), so that the results and ``/transparansi`` have
    something to show at once."""
    unit_id = db.session.scalar(
        select(KinerjaUser.operator_unit_id).where(KinerjaUser.username == "operator")
    )
    period = db.session.get(Period, period_id)
    if unit_id is None or period is None:
        return
    chance = random.Random(14)  # noqa: S311 - demo data, not security
    day = min(max(today(), period.starts_on), period.ends_on)
    made: list[int] = []
    for index, (name, description, population) in enumerate(SERVICES):
        found = db.session.scalar(
            select(Service).where(Service.unit_id == unit_id, Service.name == name)
        )
        if found is not None:
            continue
        service = Service(
            unit_id=unit_id,
            name=name,
            description=description,
            yearly_population=population,
            active=True,
        )
        opens_on = max(period.starts_on, day - timedelta(days=20 + 30 * index))
        closes_on = min(period.ends_on, day + timedelta(days=10) if index == 0 else day)
        survey = Survey(
            service=service,
            period=period,
            token=secrets.token_urlsafe(16),
            opens_on=opens_on,
            closes_on=max(opens_on, closes_on - timedelta(days=index)),
        )
        db.session.add_all([service, survey])
        db.session.flush()
        _answers(survey, responses, chance)
        made.append(survey.id)
    if made:
        db.session.flush()
        compute_survey_indices(made, None, SYSTEM)


def _answers(survey: Survey, count: int, chance: random.Random) -> None:
    zone = ZoneInfo("Asia/Jakarta")
    start = datetime.combine(survey.opens_on, time(8), zone)
    for number in range(count):
        answers = {f"a{n}": chance.choices((1, 2, 3, 4), (1, 3, 10, 8))[0] for n in range(1, 10)}
        comment = COMMENTS[number % len(COMMENTS)] if number % 5 == 0 else None
        db.session.add(
            SurveyResponse(
                survey_id=survey.id,
                submitted_at=start + timedelta(hours=number * 3),
                browser_key=f"demo-{survey.id}-{number:05d}",
                comment=comment,
                comment_published=comment is not None and number % 10 == 0,
                **answers,
            )
        )
