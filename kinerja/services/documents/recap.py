"""A unit's recap of ratings for a period: the unit's predikat, the number of employees per
predikat against the expected curve, and each rating one may read (NIP, name, golongan,
position, results, behaviour, predikat, final or provisional)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kinerja.domain.documents import document_name
from kinerja.domain.errors import NotFoundError
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee
from kinerja.models.ratings import DistributionCheck, Rating
from kinerja.security.policies import ratings
from kinerja.security.policies.scope import Scope
from kinerja.services.documents.render import Document, render_pdf
from kinerja.services.ratings.queries import distribution, readable_check

TEMPLATE = "kinerja/documents/unit_recap.html"


def recap_ratings(check: DistributionCheck, scope: Scope) -> list[Rating]:
    """The ratings of the unit's own employees in the period that one may read, by name."""
    return list(
        db.session.scalars(
            select(Rating)
            .join(Employee, Employee.id == Rating.employee_id)
            .where(
                Rating.unit_id == check.unit_id,
                Rating.period_id == check.period_id,
                ratings.read(scope),
            )
            .options(
                selectinload(Rating.employee).selectinload(Employee.rank),
                selectinload(Rating.employee).selectinload(Employee.position),
                selectinload(Rating.work_plan),
            )
            .order_by(Employee.name, Employee.nip)
        )
    )


def recap_name(check: DistributionCheck) -> str:
    return document_name("Rekap", check.unit.code, check.period.year)


def recap_context(check: DistributionCheck, scope: Scope) -> dict[str, Any]:
    return {
        "check": check,
        "figures": distribution(check),
        "ratings": recap_ratings(check, scope),
        "printed_at": utcnow(),
    }


def unit_recap_document(check_id: int | None, scope: Scope) -> Document:
    """The recap of the unit and period of a distribution check one may read (its page's
    rule); otherwise not found."""
    check = readable_check(scope, check_id)
    if check is None:
        raise NotFoundError()
    return Document(recap_name(check), render_pdf(TEMPLATE, recap_context(check, scope)))
