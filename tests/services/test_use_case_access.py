"""Every use case checks its policy itself: called from a job, the CLI or a new screen it is
as safe as from the screens that exist today."""

from __future__ import annotations

import pytest

from kinerja.domain.errors import AccessDenied, NotFoundError
from kinerja.models.reports import DialogueNote
from kinerja.security.policies import scope_for_user
from kinerja.services.plans import lifecycle, workflow
from kinerja.services.reports import dialogue, reports
from tests.factories import Org, Planning, Reporting, submitted_report


def test_a_plan_is_submitted_revised_or_deleted_only_by_its_writers(
    org: Org, planning: Planning, reporting: Reporting
) -> None:
    colleague = scope_for_user(org.users.other)  # reads nothing of the Dinkes
    supervisor = scope_for_user(planning.kasi)  # reads the plan, does not write it
    plan = reporting.plan
    for step in (
        lambda scope: workflow.submit_plan(plan, scope),
        lambda scope: workflow.revise_plan(plan, scope),
        lambda scope: lifecycle.delete_plan(plan, scope),
    ):
        with pytest.raises(NotFoundError):
            step(colleague)
        with pytest.raises(AccessDenied):
            step(supervisor)


def test_only_the_direct_supervisor_decides_on_a_plan(
    org: Org, planning: Planning, reporting: Reporting
) -> None:
    indirect = scope_for_user(org.users.supervisor)  # the Kepala Bidang, one level up
    with pytest.raises(AccessDenied):
        workflow.approve_plan(reporting.plan, indirect)
    with pytest.raises(AccessDenied):
        workflow.return_plan(reporting.plan, indirect, "Perbaiki")


def test_reports_are_written_by_their_owner_and_discussed_by_the_pair(
    org: Org, planning: Planning, reporting: Reporting
) -> None:
    report = submitted_report(reporting)
    with pytest.raises(AccessDenied):
        reports.save_report(report, {}, scope_for_user(planning.kasi), note="bukan milik saya")
    with pytest.raises(AccessDenied):
        dialogue.add_note(report, "Catatan", scope_for_user(org.users.supervisor))
    note = dialogue.add_note(report, "Mohon lampirkan rekap", scope_for_user(planning.kasi))
    assert isinstance(note, DialogueNote) and note.id is not None
