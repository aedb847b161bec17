"""All SKPs of a unit (and the units below it) for a period, printed by a job into one ZIP
that whoever asked for it downloads from the job's page.

The request checks the policies and records the job; the job prints, with the requester's
rights as they are when it runs, exactly the plans they may read, one PDF each, named by NIP
and period. The ZIP is written beside the evidence files under a name of the run (never
served from a path anyone types) and replaced whole: a retry writes it again, the same.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import Select, func, select

from kinerja.domain.documents import document_name
from kinerja.domain.errors import N_, AccessDenied, NotFoundError
from kinerja.extensions import db
from kinerja.models.jobs import JobName, JobRun, JobStatus
from kinerja.models.org import Employee, Unit
from kinerja.models.planning import Period, WorkPlan
from kinerja.models.trees import unit_subtree_ids
from kinerja.security.policies import job_runs, periods, plans, units
from kinerja.security.policies.scope import Scope
from kinerja.services import job_runs as runs
from kinerja.services.boundary import use_case
from kinerja.services.documents.skp import render_skp
from kinerja.services.job_runs import ProgressReporter
from kinerja.services.validation import NOT_FOUND, Errors

PRINT_JOB = JobName.PRINT_UNIT_PLANS.value
NO_PLANS = N_("No work plan of this unit in this period is within your reach.")


@dataclass(frozen=True)
class PrintedZip:
    filename: str
    count: int


def unit_plan_ids(unit_id: int, period_id: int, scope: Scope) -> Select[tuple[int]]:
    """The plans of the unit's subtree in the period one may read, by owner's name."""
    return (
        select(WorkPlan.id)
        .join(Employee, Employee.id == WorkPlan.employee_id)
        .where(
            WorkPlan.unit_id.in_(unit_subtree_ids(unit_id)),
            WorkPlan.period_id == period_id,
            plans.read(scope),
        )
        .order_by(Employee.name, Employee.nip)
    )


@use_case
def request_unit_plans(unit_id: int | None, period_id: int | None, scope: Scope) -> JobRun:
    """Ask for the SKPs of a unit one may read, in a period; refused (naming the field) for
    a unit or period out of reach, or when none of its plans is within one's reach."""
    if scope.user_id is None:
        raise AccessDenied()
    errors = Errors()
    unit = units.readable(scope, unit_id)
    period = periods.readable(scope, period_id)
    if unit is None:
        errors.add("unit", NOT_FOUND if unit_id else N_("This field is required."))
    if period is None:
        errors.add("period", NOT_FOUND if period_id else N_("This field is required."))
    errors.raise_if_any()
    assert unit is not None and period is not None
    count = db.session.scalar(
        select(func.count()).select_from(unit_plan_ids(unit.id, period.id, scope).subquery())
    )
    if not count:
        errors.add("unit", NO_PLANS)
        errors.raise_if_any()
    run = runs.schedule_once(PRINT_JOB, [unit.id, period.id], scope.user_id)
    run.requested_by_id = scope.user_id
    run.total = count
    return run


def zip_path(run_id: int) -> Path:
    folder = Path(current_app.config["KINERJA_STORAGE_DIR"]) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"skp-run-{int(run_id)}.zip"


def print_unit_plans(
    unit_id: int,
    period_id: int,
    scope: Scope,
    *,
    run_id: int,
    progress: ProgressReporter | None = None,
) -> PrintedZip:
    """Print the SKPs into the run's ZIP (rendered in the instance's default language)."""
    unit = db.session.get(Unit, unit_id)
    period = db.session.get(Period, period_id)
    if unit is None or period is None:
        raise NotFoundError(N_("The unit or the period no longer exists."))
    ids = list(db.session.scalars(unit_plan_ids(unit_id, period_id, scope)))
    target = zip_path(run_id)
    partial = target.with_suffix(".part")
    language = current_app.config.get("BABEL_DEFAULT_LOCALE") or "id"
    with force_locale(language), zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, plan_id in enumerate(ids, start=1):
            plan = db.session.get(WorkPlan, plan_id)
            if plan is not None:
                document = render_skp(plan)
                archive.writestr(document.filename, document.content)
            if progress is not None:
                progress(done, len(ids))
    os.replace(partial, target)
    return PrintedZip(document_name("SKP", unit.code, period.year, extension="zip"), len(ids))


def printed_zip(run_id: int | None, scope: Scope) -> tuple[Path, str]:
    """The ZIP of a finished print run one may see (one's own; the Admin's all) and its
    download name; otherwise not found."""
    run = job_runs.readable(scope, run_id)
    if run is None or run.name != PRINT_JOB or run.status != JobStatus.SUCCEEDED:
        raise NotFoundError()
    path = zip_path(run.id)
    if not path.is_file():
        raise NotFoundError(N_("The file is no longer kept; print the unit again."))
    return path, str((run.result or {}).get("file") or path.name)
