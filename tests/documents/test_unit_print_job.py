"""All SKPs of a unit printed by a real RQ worker process into one ZIP: asked for on its
screen, progress and outcome on the job's page, one PDF per plan within the requester's
reach named by NIP and period, downloaded by whoever asked for it only."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from flask import Flask

from kinerja.extensions import db
from kinerja.models.jobs import JobRun, JobStatus
from tests.documents.pdf import pdf_text
from tests.factories import Org, Planning, Reporting, build_records, login

ROOT = Path(__file__).resolve().parents[2]


def _run(run_id: int) -> JobRun:
    db.session.expire_all()
    return db.session.get(JobRun, run_id)


def _asked(client, unit_id: int, period_id: int) -> int:
    answer = client.post("/plans/print-unit/", data={"unit": unit_id, "period": period_id})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:800]
    return int(answer.headers["Location"].rstrip("/").split("/")[-1])


@pytest.mark.slow
def test_a_worker_prints_the_units_skps_into_one_zip_for_who_asked(
    app: Flask, client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    build_records(org, planning, reporting)  # adds plans in Dinas Perhubungan (out of reach)
    login(client, "operator")  # the Operator of Dinas Kesehatan
    form = client.get("/plans/print-unit/").get_data(as_text=True)
    assert "Dinas Kesehatan" in form and "Dinas Perhubungan" not in form
    run_id = _asked(client, org.units.dinkes.id, planning.period.id)
    queued = _run(run_id)
    assert (queued.name, queued.args, queued.total) == (
        "print_unit_plans",
        [org.units.dinkes.id, planning.period.id],
        4,
    )
    assert client.get(f"/plans/print-unit/{run_id}/download").status_code == 404  # not yet

    worker = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", "kinerja", "worker", "--burst"],
        cwd=ROOT,
        env={
            **os.environ,
            "KINERJA_ENV": "test",
            "KINERJA_STORAGE_DIR": app.config["KINERJA_STORAGE_DIR"],
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert worker.returncode == 0, worker.stderr[-3000:]
    done = _run(run_id)
    assert (done.status, done.done, done.total) == (JobStatus.SUCCEEDED, 4, 4), done.error
    assert done.result == {"file": "SKP_DINKES_2026.zip", "count": 4}

    page = client.get(f"/jobs/show/{run_id}?_l_=en").get_data(as_text=True)
    assert f"/plans/print-unit/{run_id}/download" in page and "4/4" in page
    download = client.get(f"/plans/print-unit/{run_id}/download")
    assert download.status_code == 200
    assert "SKP_DINKES_2026.zip" in download.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(download.get_data()))
    staff = org.employees
    people = (staff.kabid_p2p, staff.kasi_surv, staff.epid1, staff.epid2)
    assert sorted(archive.namelist()) == sorted(f"SKP_{e.nip}_2026.pdf" for e in people)
    for person in people:
        text = pdf_text(archive.read(f"SKP_{person.nip}_2026.pdf"))
        assert person.name in text and "SASARAN KINERJA PEGAWAI" in text

    login(client, "employee")  # not who asked: neither the page nor the file
    assert client.get(f"/plans/print-unit/{run_id}/download").status_code == 404
    assert client.get(f"/jobs/show/{run_id}").status_code in (403, 404)


def test_a_unit_out_of_reach_or_without_plans_is_refused_on_the_form(
    client, org: Org, planning: Planning
) -> None:
    login(client, "operator")
    out = client.post(
        "/plans/print-unit/?_l_=en",
        data={"unit": org.units.dishub.id, "period": planning.period.id},
    )
    assert out.status_code == 200
    assert "Not found or not within your reach." in out.get_data(as_text=True)
    empty = client.post(
        "/plans/print-unit/?_l_=en",
        data={"unit": org.units.yankes.id, "period": planning.period.id},
    )
    assert "No work plan of this unit in this period is within your reach." in empty.get_data(
        as_text=True
    )
    missing = client.post("/plans/print-unit/?_l_=en", data={"unit": "", "period": ""})
    assert missing.get_data(as_text=True).count("This field is required.") == 2
    assert db.session.query(JobRun).count() == 0
