"""The certificate of a training record: a file kept in the evidence store (type checked
from its content, size limited), one per record; a new one replaces the old, whose file is
removed once the change has committed."""

from __future__ import annotations

from typing import IO

from kinerja.domain.errors import N_, FieldErrors
from kinerja.extensions import db
from kinerja.models.competency import TrainingRecord
from kinerja.models.reports import Attachment
from kinerja.security.policies import training_records
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.reports.files import remove_after_commit, store_upload


@use_case
def attach_certificate(
    record: TrainingRecord, stream: IO[bytes] | None, filename: str | None, scope: Scope
) -> Attachment:
    """Keep ``stream`` as the record's certificate (whoever keeps the record's rows)."""
    training_records.check_manage(scope, record)
    if stream is None or not filename:
        raise FieldErrors.single("file", N_("Choose a file."))
    previous = record.certificate
    attachment = store_upload(stream, filename, scope)
    db.session.flush()
    record.certificate = attachment
    db.session.flush()
    remove_after_commit([previous])
    return attachment


def readable_certificate(scope: Scope, record_id: int | None) -> Attachment | None:
    """The certificate of a record the person may read, if it has one."""
    record = training_records.readable(scope, record_id)
    return record.certificate if record is not None else None
