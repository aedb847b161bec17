"""The jobs screen (*Proses latar*): list, search, detail and retry, for the Admin (every
run) and an Operator (their own runs), with names, states and results in the reader's
language."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.jobs import JobRun, JobStatus
from tests.factories import Org, login


@pytest.fixture
def runs(org: Org) -> dict[str, JobRun]:
    """A run of each state worth showing: the Admin's mailing, the Operator's imports."""
    made = {
        "mailed": JobRun(
            name="email_login_credentials",
            status=JobStatus.SUCCEEDED,
            attempts=1,
            message="Sent %(sent)d, skipped %(skipped)d.",
            message_params={"sent": 3, "skipped": 1},
            requested_by_id=org.users.admin.id,
        ),
        "retrying": JobRun(
            name="import_organisation_file",
            status=JobStatus.RETRYING,
            attempts=2,
            error="OperationalError: the database went away",
            requested_by_id=org.users.operator.id,
        ),
        "failed": JobRun(
            name="import_organisation_file",
            status=JobStatus.FAILED,
            attempts=4,
            error="OperationalError: the database went away",
            requested_by_id=org.users.operator.id,
        ),
    }
    db.session.add_all(made.values())
    db.session.commit()
    return made


def _listed(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/jobs/show/(\d+)', page)}


def _status(run_id: int) -> JobStatus:
    db.session.expire_all()
    return db.session.scalar(select(JobRun.status).where(JobRun.id == run_id))


def test_admin_sees_every_run_named_and_told_in_english(client, runs) -> None:
    login(client, "admin")
    response = client.get("/jobs/list/?_l_=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _listed(page) == {run.id for run in runs.values()}
    for text in (
        "Login credentials by email",
        "Organisation import",
        "Sent 3, skipped 1.",
        "Retrying (attempt 2 of 3)",
        "Failed",
    ):
        assert text in page
    assert not re.search(r"<td>\s*(email_login_credentials|import_organisation_file)", page)


def test_the_list_speaks_indonesian(client, runs) -> None:
    login(client, "admin")
    page = client.get("/jobs/list/?_l_=id").get_data(as_text=True)
    for text in (
        "Pengiriman akun lewat email",
        "Impor data organisasi",
        "Terkirim 3, dilewati 1.",
        "Mencoba lagi (percobaan 2 dari 3)",
        "Gagal",
    ):
        assert text in page


def test_search_by_status_and_by_kind(client, runs) -> None:
    login(client, "admin")
    by_status = client.get("/jobs/list/?_flt_0_status=failed")
    assert by_status.status_code == 200
    assert _listed(by_status.get_data(as_text=True)) == {runs["failed"].id}
    by_kind = client.get("/jobs/list/?_flt_0_name=import_organisation_file")
    assert _listed(by_kind.get_data(as_text=True)) == {runs["retrying"].id, runs["failed"].id}
    nonsense = client.get("/jobs/list/?_flt_0_status=nonsense&_flt_0_name=nonsense")
    assert nonsense.status_code == 200 and _listed(nonsense.get_data(as_text=True)) == set()


def test_show_refreshes_until_the_run_has_finished(client, runs) -> None:
    login(client, "admin")
    retrying = client.get(f"/jobs/show/{runs['retrying'].id}?_l_=en")
    assert retrying.status_code == 200
    assert 'http-equiv="refresh"' in retrying.get_data(as_text=True)
    done = client.get(f"/jobs/show/{runs['mailed'].id}?_l_=en").get_data(as_text=True)
    assert "Sent 3, skipped 1." in done and 'http-equiv="refresh"' not in done
    assert client.get("/jobs/show/999999").status_code == 404


def test_operator_sees_and_retries_only_their_own_runs(client, runs) -> None:
    login(client, "operator")
    page = client.get("/jobs/list/")
    assert page.status_code == 200
    assert _listed(page.get_data(as_text=True)) == {runs["retrying"].id, runs["failed"].id}
    assert client.get(f"/jobs/show/{runs['failed'].id}").status_code == 200
    assert client.get(f"/jobs/show/{runs['mailed'].id}").status_code == 404
    assert client.post(f"/jobs/action/retry/{runs['mailed'].id}").status_code == 404

    retried = client.post(f"/jobs/action/retry/{runs['failed'].id}")
    assert retried.status_code == 302
    assert _status(runs["failed"].id) == JobStatus.QUEUED  # handed to the queue again

    refused = client.post(f"/jobs/action/retry/{runs['retrying'].id}?_l_=en", follow_redirects=True)
    assert "Only a failed job can be retried." in refused.get_data(as_text=True)
    assert _status(runs["retrying"].id) == JobStatus.RETRYING


def test_employee_without_job_rights_is_refused(client, runs) -> None:
    login(client, "employee")
    assert client.get("/jobs/list/").status_code in (302, 403)


def test_retry_is_offered_only_on_a_failed_run(client, runs) -> None:
    login(client, "admin")
    for name in ("mailed", "retrying"):
        page = client.get(f"/jobs/show/{runs[name].id}?_l_=en").get_data(as_text=True)
        assert "/jobs/action/retry/" not in page and ">Retry<" not in page, name
    failed = client.get(f"/jobs/show/{runs['failed'].id}?_l_=en").get_data(as_text=True)
    assert f"/jobs/action/retry/{runs['failed'].id}" in failed
