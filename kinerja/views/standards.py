"""Position standards in bulk: copy one position's standard to others, or set the level of
some competencies for many positions at once. The screens only ask
:func:`~kinerja.services.competency.catalogue.copy_standard` and
:func:`~kinerja.services.competency.catalogue.set_standards`, which check the policy."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.competency import Competency
from kinerja.models.org import Position
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import position_competencies, positions
from kinerja.services.competency import catalogue
from kinerja.views.params import parse_pk
from kinerja.views.refusals import screen_step

REMOVE = "remove"


def _ids(name: str) -> list[int]:
    return [pk for value in request.form.getlist(name) if (pk := parse_pk(value)) is not None]


class PositionStandardsToolsView(BaseView):
    route_base = "/position-standards-tools"
    class_permission_name = roles.POSITION_COMPETENCY
    method_permission_name = {
        "copy": "edit",
        "copy_post": "edit",
        "bulk": "edit",
        "bulk_post": "edit",
    }
    base_permissions = ["can_edit"]
    default_view = "copy"

    @expose("/copy")
    @has_access
    def copy(self) -> Any:
        scope = current_scope()
        sources = db.session.scalars(
            select(Position).where(positions.read(scope)).order_by(Position.code)
        ).all()
        return self.render_template(
            "kinerja/competency/standards_copy.html", sources=sources, targets=self._targets()
        )

    @expose("/copy", methods=["POST"])
    @has_access
    def copy_post(self) -> Any:
        source, targets = parse_pk(request.form.get("source")), _ids("targets")
        return screen_step(
            lambda: catalogue.copy_standard(source or 0, targets, current_scope()),
            gettext("The standard was copied to %(count)d positions.", count=len(targets)),
            url_for("PositionStandardsToolsView.copy"),
        )

    @expose("/bulk")
    @has_access
    def bulk(self) -> Any:
        competencies = db.session.scalars(
            select(Competency).where(Competency.active.is_(True)).order_by(Competency.code)
        ).all()
        return self.render_template(
            "kinerja/competency/standards_bulk.html",
            targets=self._targets(),
            competencies=competencies,
            levels=range(1, 6),
            remove=REMOVE,
        )

    @expose("/bulk", methods=["POST"])
    @has_access
    def bulk_post(self) -> Any:
        targets = _ids("targets")
        levels: dict[int, int | None] = {}
        for key, value in request.form.items():
            competency_id = (
                parse_pk(key.removeprefix("level_")) if key.startswith("level_") else None
            )
            if competency_id is None or not value:
                continue  # left as it is
            levels[competency_id] = None if value == REMOVE else (parse_pk(value) or 0)
        return screen_step(
            lambda: catalogue.set_standards(targets, levels, current_scope()),
            gettext("The standards of %(count)d positions were set.", count=len(targets)),
            url_for("PositionStandardsToolsView.bulk"),
        )

    @staticmethod
    def _targets() -> list[Position]:
        """The positions whose standard one may change."""
        condition = position_competencies.placeable_positions(current_scope())
        return list(db.session.scalars(select(Position).where(condition).order_by(Position.code)))
