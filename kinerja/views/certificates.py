"""A training record's certificate: uploaded from the record's page, downloaded by whoever
reads the record (as a download, like evidence)."""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext

from kinerja.security import roles
from kinerja.security.current import current_scope
from kinerja.security.policies import training_records
from kinerja.services.competency.certificates import attach_certificate, readable_certificate
from kinerja.views.params import parse_pk
from kinerja.views.refusals import screen_step
from kinerja.views.reports.files import send_attachment


class CertificateView(BaseView):
    route_base = "/training-records/certificate"
    class_permission_name = roles.TRAINING_RECORD
    method_permission_name = {"download": "read", "upload": "edit"}
    base_permissions = ["can_read", "can_edit"]

    @expose("/<int:pk>")
    @has_access
    def download(self, pk: int) -> Any:
        attachment = readable_certificate(current_scope(), parse_pk(pk))
        if attachment is None:
            abort(404)
        return send_attachment(attachment)

    @expose("/<int:pk>", methods=["POST"])
    @has_access
    def upload(self, pk: int) -> Any:
        scope = current_scope()
        record = training_records.readable(scope, parse_pk(pk))
        if record is None:
            abort(404)
        upload = request.files.get("file")
        chosen = upload if upload is not None and upload.filename else None
        return screen_step(
            lambda: attach_certificate(
                record,
                chosen.stream if chosen else None,
                chosen.filename if chosen else None,
                scope,
            ),
            gettext("The certificate was kept."),
            url_for("TrainingRecordView.show", pk=record.id),
        )
