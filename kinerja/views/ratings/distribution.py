"""The units' distribution checks: a list of the checks one may read, and each unit's page
with its predikat counts against the expected curve (a chart and the same numbers as a
table), the unit predikat it was checked against (Baik where none was set, said so) and
its warnings in the reader's language."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from kinerja.domain.ratings import NO_UNIT_PREDIKAT
from kinerja.models.ratings import DistributionCheck
from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.services.documents.recap import unit_recap_document
from kinerja.services.ratings import queries
from kinerja.services.ratings.queries import Expectation
from kinerja.views.documents import document_response
from kinerja.views.exports import CsvExportMixin
from kinerja.views.fields import EagerInterface
from kinerja.views.filters import FilterUnitText
from kinerja.views.params import parse_pk
from kinerja.views.ratings.chart import chart
from kinerja.views.ratings.explanation import message_text
from kinerja.views.screens import CRUD_METHOD_PERMISSIONS, KinerjaModelView

CHECK_LABELS = {
    "unit": _l("Unit"),
    "period": _l("Period"),
    "unit_predikat": _l("Unit rating"),
    "assumed": _l("No unit rating set (checked as Baik)"),
    "employees": _l("Employees"),
    "counts": _l("Employees by rating"),
    "warnings": _l("Warnings"),
    "computed_at": _l("Computed"),
    "created_at": _l("Created"),
    "updated_at": _l("Changed"),
}


def expectation_text(expectation: Expectation) -> str:
    """An expectation of the curve in words: "at most 70 %", "“Kurang” + “Butuh
    Perbaikan” together: at least 10 %"."""
    names = [f"“{gettext(p.label)}”" for p in expectation.predikats]
    limit = expectation.limit
    if expectation.kind == "at_least_one":
        return gettext("at least one rated %(names)s", names=" / ".join(names))
    if expectation.kind == "at_most" and limit == 0:
        text = gettext("none")
    elif expectation.kind == "at_most":
        text = gettext("at most %(limit)s %%", limit=limit)
    else:
        text = gettext("at least %(limit)s %%", limit=limit)
    if len(names) == 1:
        return text
    return gettext("%(names)s together: %(expected)s", names=" + ".join(names), expected=text)


def warning_count(value: Any) -> str:
    return str(len(value)) if isinstance(value, list) else "0"


class DistributionCheckView(CsvExportMixin, KinerjaModelView):
    """Units whose distribution one follows: one's units (Operator), the units of one's
    people (Supervisor), all (Admin, Integrator)."""

    route_base = "/distributions"
    datamodel = EagerInterface(
        DistributionCheck,
        eager=[selectinload(DistributionCheck.unit), selectinload(DistributionCheck.period)],
    )
    class_permission_name = roles.DISTRIBUTION_CHECK
    method_permission_name = {**CRUD_METHOD_PERMISSIONS, "recap_pdf": "read"}
    base_permissions = ["can_read"]
    list_title = _l("Distribution of ratings by unit")
    label_columns = CHECK_LABELS
    list_columns = [
        "unit",
        "period",
        "unit_predikat",
        "assumed",
        "employees",
        "warnings",
        "computed_at",
    ]
    show_columns = list_columns
    search_columns = ["unit", "period", "unit_predikat", "assumed"]
    text_filters = {"unit": [FilterUnitText]}
    order_columns = ["employees", "computed_at"]
    base_order = ("computed_at", "desc")
    formatters_columns = {"warnings": warning_count}

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: Any) -> Any:
        """The unit's distribution against its expected curve, with its warnings."""
        check = queries.readable_check(current_scope(), parse_pk(pk))
        if check is None:
            abort(404)
        figures = queries.distribution(check)
        stored = check.warnings if isinstance(check.warnings, list) else []
        # The assumed Baik is said once, above the chart, not again among the warnings.
        warnings = [
            message_text(w)
            for w in stored
            if not (check.assumed and isinstance(w, dict) and w.get("template") == NO_UNIT_PREDIKAT)
        ]
        return self.render_template(
            "kinerja/ratings/distribution.html",
            check=check,
            figures=figures,
            chart=chart(figures),
            warnings=[w for w in warnings if w],
            expected={
                share.predikat: [
                    (expectation_text(e), e.holds) for e in figures.expectations_of(share.predikat)
                ]
                for share in figures.shares
            },
            combined=[
                (expectation_text(e), e.holds) for e in figures.expectations if len(e.predikats) > 1
            ],
            title=gettext("Distribution of ratings"),
        )

    @expose("/<pk>/recap.pdf", methods=["GET"])
    @has_access
    def recap_pdf(self, pk: Any) -> Any:
        """The unit's recap of ratings as a PDF: the ratings of the unit one may read."""
        return document_response(lambda: unit_recap_document(parse_pk(pk), current_scope()))
