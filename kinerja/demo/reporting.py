"""The demo's reporting: three weeks of daily activities and the sub-periods' reports of the
Seksi Surveilans staff in varied states — several waiting in ``atasan``'s queue, one returned,
some evaluated — with small evidence files. Idempotent: what exists stays.

The reports go through the real use cases (start, save, evidence, submit, evaluate), so the
demo shows exactly what the product computes. The texts are in reports.toml and
activities.csv.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from kinerja.demo.performance_data import activities, report_texts
from kinerja.domain.planning import Accumulation
from kinerja.domain.ratings import Level
from kinerja.domain.reporting import ReportStatus
from kinerja.extensions import db
from kinerja.models.org import Employee
from kinerja.models.planning import BehaviourValue, SubPeriod, WorkPlan
from kinerja.models.reports import Activity, Report
from kinerja.models.security import KinerjaUser
from kinerja.security.policies import SYSTEM, Scope, scope_for_user
from kinerja.services.reports import evaluations, reports
from kinerja.services.reports.activities import today

SEED = 20260501


def _pdf(title: str) -> bytes:
    """A tiny valid PDF as evidence (the store checks the type from the content)."""
    text = title.replace("(", "").replace(")", "")
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        + f"% {text}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


@dataclass
class Actors:
    supervisor: Scope
    owners: dict[int, Scope]


def load_reports(period_id: int, staff_ids: list[int], atasan_id: int) -> None:
    """Activities for the staff, then each one's reports along their story (pegawai first)."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    actors = _actors(staff_ids, atasan_id)
    _activities(staff_ids, rng)
    for employee_id, story in zip(staff_ids, report_texts().stories, strict=False):
        plan = db.session.scalar(
            select(WorkPlan).where(
                WorkPlan.period_id == period_id, WorkPlan.employee_id == employee_id
            )
        )
        if plan is None or not plan.in_force:
            continue
        subs = db.session.scalars(
            select(SubPeriod)
            .where(SubPeriod.period_id == period_id, SubPeriod.starts_on <= today())
            .order_by(SubPeriod.number)
        ).all()
        for index, (sub_period, state) in enumerate(zip(subs, story, strict=False)):
            _report(plan, sub_period, state, index, actors.owners.get(employee_id, SYSTEM), actors)


def _actors(staff_ids: list[int], atasan_id: int) -> Actors:
    """Each step is taken as the person who would take it, through their login's scope."""

    def scope_of(employee_id: int) -> Scope | None:
        employee = db.session.get(Employee, employee_id)
        user = (
            db.session.get(KinerjaUser, employee.user_id) if employee and employee.user_id else None
        )
        return scope_for_user(user) if user is not None else None

    supervisor = scope_of(atasan_id)
    if supervisor is None:
        raise LookupError("the demo supervisor has no login")
    owners = {i: s for i in staff_ids if (s := scope_of(i)) is not None}
    return Actors(supervisor=supervisor, owners=owners)


def _report(
    plan: WorkPlan,
    sub_period: SubPeriod,
    state: ReportStatus,
    index: int,
    owner: Scope,
    actors: Actors,
) -> None:
    if db.session.scalar(
        select(Report.id).where(
            Report.work_plan_id == plan.id, Report.sub_period_id == sub_period.id
        )
    ):
        return
    texts = report_texts()
    report = reports.start_report(plan.id, sub_period.id, owner)
    factor = texts.performance[(index + plan.employee_id) % len(texts.performance)]
    count = sum(1 for s in sub_period.period.sub_periods if not s.annual)
    values = {}
    for line in report.realizations:
        indicator = line.indicator
        if indicator.target is None:  # qualitative: described, not counted
            continue
        share = (
            indicator.target / count
            if indicator.accumulation == Accumulation.SUM
            else indicator.target
        )
        values[line.indicator_id] = (share * factor).quantize(Decimal("1"))
    reports.save_report(report, values, owner, note=texts.note)
    reports.add_evidence(
        report,
        owner,
        upload=io.BytesIO(_pdf(texts.evidence_title.format(sub_period=sub_period.name))),
        filename=f"rekap-{sub_period.name.lower().replace(' ', '-')}.pdf",
        description=texts.evidence_description.format(sub_period=sub_period.name),
    )
    reports.submit_report(report, owner)
    if state == ReportStatus.APPROVED:
        level = Level.ABOVE if factor > 1 else Level.AS_EXPECTED
        values_ids = db.session.scalars(select(BehaviourValue.id)).all()
        ratings = evaluations.Ratings(
            results=level,
            behaviour=level,
            values={value_id: level for value_id in values_ids},
            feedback=texts.feedback[level],
        )
        evaluations.approve_report(report, ratings, actors.supervisor)
    elif state == ReportStatus.RETURNED:
        evaluations.return_report(report, texts.return_reason, actors.supervisor)
    assert report.status in (ReportStatus.APPROVED, ReportStatus.SUBMITTED, ReportStatus.RETURNED)


def _activities(staff_ids: list[int], rng: random.Random) -> None:
    """Three weeks of working days, two or three entries a day, for those with none yet."""
    have = set(
        db.session.scalars(
            select(Activity.employee_id)
            .where(Activity.employee_id.in_(staff_ids))
            .group_by(Activity.employee_id)
            .having(func.count() > 0)
        )
    )
    this_day = today()
    for employee_id in staff_ids:
        if employee_id in have:
            continue
        for back in range(21, -1, -1):
            day = this_day - timedelta(days=back)
            if day.weekday() >= 5:
                continue
            for activity in rng.sample(activities(), rng.choice((2, 3))):
                db.session.add(
                    Activity(
                        employee_id=employee_id,
                        day=day,
                        description=activity.description,
                        duration_minutes=activity.minutes,
                    )
                )
