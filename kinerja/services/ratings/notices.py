"""What a ratings run tells people once it is done: each employee whose rating has become
final (their feedback email), and, when the run changed anything, the Operators and Admins
(a summary of the units it rated). Recorded by the run itself, set-based. Ratings that have
just become final also ask for the year's training recommendations again, since a poor
predikat puts a person first in line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from kinerja.domain.ratings import RuleMessage
from kinerja.extensions import db
from kinerja.models.planning import Period
from kinerja.models.ratings import DistributionCheck
from kinerja.security.policies.scope import SYSTEM
from kinerja.services.boundary import transaction
from kinerja.services.competency.requests import request_recommendations
from kinerja.services.mail import feedback, units
from kinerja.services.ratings.distribution import warning_message
from kinerja.services.webhooks import announce


def after_run(
    period_id: int,
    unit_id: int | None,
    unit_ids: Select[Any] | None,
    run: tuple[int | None, datetime],
    changed: bool,
    *,
    summarise: bool = True,
) -> int:
    """Record the emails of a finished run; the number recorded. ``run`` is the run's id
    and moment: one summary per run (a run without an id, from the CLI, by its moment)."""
    recorded = feedback.record_final_ratings(period_id, unit_ids)
    announce.final_ratings(period_id, unit_ids, run[1])
    if recorded:  # some ratings became final (their emails are recorded once, just now)
        year = db.session.scalar(select(Period.year).where(Period.id == period_id))
        if year is not None:
            with transaction():
                request_recommendations(year, SYSTEM)
    if not changed or not summarise:
        return recorded
    return recorded + summarise_run(period_id, unit_id, unit_ids, run)


def summarise_run(
    period_id: int,
    unit_id: int | None,
    unit_ids: Select[Any] | None,
    run: tuple[int | None, datetime],
) -> int:
    """Record the run's one summary for the Operators and Admins; the number recorded (a
    run fanned out per agency records it once, when its last agency is done)."""
    run_id, now = run
    event = f"period {period_id} run {run_id if run_id is not None else now.isoformat()}"
    with transaction():
        return len(
            units.record_unit_summaries(period_id, unit_id, event, warnings(period_id, unit_ids))
        )


def warnings(period_id: int, unit_ids: Select[Any] | None) -> dict[int, list[RuleMessage]]:
    """The distribution warnings of each unit checked in the period."""
    query = select(DistributionCheck.unit_id, DistributionCheck.warnings).where(
        DistributionCheck.period_id == period_id
    )
    if unit_ids is not None:
        query = query.where(DistributionCheck.unit_id.in_(unit_ids))
    return {
        unit_id: [warning_message(w) for w in stored]
        for unit_id, stored in db.session.execute(query)
        if stored
    }
