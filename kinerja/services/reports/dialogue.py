"""The performance dialogue on a report: notes by the employee and the direct supervisor,
kept as written."""

from __future__ import annotations

from kinerja.domain.errors import N_, AccessDenied, FieldErrors
from kinerja.extensions import db
from kinerja.models.reports import DialogueNote, Report
from kinerja.security.policies import reports
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.plans.periods import check_open
from kinerja.services.reports.activities import MAX_TEXT


@use_case
def add_note(report: Report, text: str | None, scope: Scope) -> DialogueNote:
    reports.check_read(scope, report)
    if not reports.may_talk(scope, report):
        raise AccessDenied()
    check_open(report.work_plan.period)
    text = (text or "").strip()
    if not text:
        raise FieldErrors.single("text", N_("This field is required."))
    if len(text) > MAX_TEXT:
        raise FieldErrors.single("text", N_("At most %(count)d characters."), count=MAX_TEXT)
    note = DialogueNote(report=report, author_id=scope.user_id, text=text)
    db.session.add(note)
    db.session.flush()
    return note
