"""Creating logins in bulk: confirm, then show the one-time passwords once or email them."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from sqlalchemy import select

from kinerja.domain.errors import DomainError
from kinerja.extensions import db
from kinerja.models.org import Employee
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import employees as employee_policy
from kinerja.services.logins import MAX_SHOWN_AT_ONCE, create_logins
from kinerja.views.params import parse_pk
from kinerja.views.refusals import tr


def _employee_ids(values: list[str]) -> list[int]:
    ids = (parse_pk(part) for value in values for part in str(value).split(","))
    return [pk for pk in ids if pk is not None]


class LoginsView(BaseView):
    route_base = "/logins"
    class_permission_name = roles.EMPLOYEE_RESOURCE
    method_permission_name = {"confirm": "create_logins", "create": "create_logins"}
    base_permissions = ["can_create_logins"]
    default_view = "confirm"

    @expose("/confirm", methods=["POST"])
    @has_access
    def confirm(self) -> Any:
        """What will happen to the chosen employees, before anything happens."""
        return self.render_template(
            "kinerja/logins_confirm.html",
            **confirmation(
                _employee_ids(request.form.getlist("rowid")),
                all_without_login=request.form.get("all_without_login") == "1",
            ),
        )

    @expose("/create", methods=["POST"])
    @has_access
    def create(self) -> Any:
        delivery = request.form.get("delivery")
        if delivery not in ("show", "email"):
            abort(400)
        ids = _employee_ids(request.form.getlist("employee_id"))
        try:
            batch = create_logins(ids, current_scope(), delivery)  # type: ignore[arg-type]
        except DomainError as exc:
            return self.render_template(
                "kinerja/logins_result.html", batch=None, error=tr(exc), delivery=delivery
            )
        if delivery == "email" and batch.job_run_id:
            return redirect(url_for("JobRunView.show", pk=batch.job_run_id))
        skipped = [(name, tr(reason)) for name, reason in batch.skipped]
        response = self.render_template(
            "kinerja/logins_result.html",
            batch=batch,
            skipped=skipped,
            error=None,
            delivery=delivery,
        )
        return response, 200, {"Cache-Control": "no-store"}


def confirmation(ids: list[int], *, all_without_login: bool = False) -> dict[str, Any]:
    """The confirmation page's figures for the chosen employees that the person manages."""
    query = select(Employee).where(employee_policy.manage(current_scope()))
    if all_without_login:
        query = query.where(Employee.user_id.is_(None), Employee.active.is_(True))
    else:
        query = query.where(Employee.id.in_(ids))
    employees = list(db.session.scalars(query.order_by(Employee.name)))
    eligible = [e for e in employees if e.user_id is None and e.active]
    return {
        "eligible": eligible,
        "with_login": sum(1 for e in employees if e.user_id is not None),
        "without_email": sum(1 for e in eligible if not e.email),
        "max_shown": MAX_SHOWN_AT_ONCE,
    }
