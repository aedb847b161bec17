"""The printed documents: the SKP with its lampiran, the evaluation document and the unit
recap render as PDF with the record's data (read back from the PDF's text), every page
drawn is not blank, and the file is named by NIP (or unit) and period. Who may not read the
record gets no file."""

from __future__ import annotations

from typing import Any

from kinerja.extensions import db
from tests.documents.pdf import inked_pages, pdf_text
from tests.factories import (
    Org,
    Planning,
    Reporting,
    build_ratings,
    build_records,
    build_unit_ratings,
    login,
)

ANNEX = {
    "resource_support": "Laptop dan akses internet\nData kasus mingguan",
    "accountability": "Laporan triwulan kepada Kepala Seksi",
    "consequences": "Tunjangan kinerja sesuai capaian",
}


def _pdf(response: Any, filename: str) -> bytes:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="{filename}"'
    content: bytes = response.get_data()
    assert content.startswith(b"%PDF-")
    return content


def _not_blank(content: bytes, least: int = 1) -> None:
    inked = inked_pages(content)
    assert len(inked) >= least
    assert all(share > 0.01 for share in inked), inked


def test_the_skp_prints_identity_results_behaviour_signatures_and_lampiran(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    plan = reporting.plan  # approved: its lampiran was written while it was a draft
    for name, value in ANNEX.items():
        setattr(plan, name, value)
    db.session.commit()
    epid1 = org.employees.epid1
    login(client, "employee")
    content = _pdf(client.get(f"/plans/{plan.id}/skp.pdf?_l_=en"), f"SKP_{epid1.nip}_2026.pdf")
    text = pdf_text(content)
    for expected in (
        "SASARAN KINERJA PEGAWAI",
        "Epidemiolog Satu",
        epid1.nip,
        "Epidemiolog Ahli Pertama",
        "Seksi Surveilans",
        "Kasi Surveilans Uji",  # the evaluator
        org.employees.kasi_surv.nip,
        "Surveilans tepat waktu",  # the supervisor's RHK it cascades from
        "Laporan surveilans mingguan",
        "Indikator Kader terlatih",
        "12 dokumen",
        "Berorientasi Pelayanan",
        "Employee assessed",
        "Performance evaluator",
        "LAMPIRAN SASARAN KINERJA PEGAWAI",
        "Resource support",
        "Accountability scheme",
        "Consequences",
        "Laptop dan akses internet",
        "Data kasus mingguan",
        "Laporan triwulan kepada Kepala Seksi",
        "Tunjangan kinerja sesuai capaian",
    ):
        assert expected in text, expected
    assert "not yet approved" not in text
    _not_blank(content, 2)  # the lampiran on a page of its own


def test_the_evaluation_document_prints_realizations_levels_predikat_and_unit_predikat(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    records = build_records(org, planning, reporting)
    build_unit_ratings(org, planning)
    report = records.reports.epid1_q1
    login(client, "kasi")  # the evaluator, who also reads the unit's predikat
    name = f"Evaluasi_{org.employees.epid1.nip}_2026_Triwulan-I.pdf"
    content = _pdf(client.get(f"/report/{report.id}/evaluation.pdf"), name)
    text = pdf_text(content)
    for expected in (
        "DOKUMEN EVALUASI KINERJA PEGAWAI",
        "Triwulan I 2026",
        "Epidemiolog Satu",
        "Kasi Surveilans Uji",
        "Laporan surveilans mingguan",
        "100,0 %",  # 3 of the 3 due in the first quarter
        "Sesuai Ekspektasi",
        "Kerja yang baik.",  # the feedback
        "Seksi Surveilans: Baik",  # the unit's predikat
    ):
        assert expected in text, expected
    _not_blank(content)


def test_the_unit_recap_prints_each_rating_of_the_unit(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    records = build_records(org, planning, reporting)
    rated = build_ratings(org, planning, records)
    login(client, "admin")
    check = rated.checks.surv
    content = _pdf(
        client.get(f"/distributions/{check.id}/recap.pdf"), "Rekap_DINKES-P2P-SURV_2026.pdf"
    )
    text = pdf_text(content)
    staff = org.employees
    for expected in (
        "REKAPITULASI PREDIKAT KINERJA PEGAWAI",
        "Seksi Surveilans",
        staff.epid1.nip,
        "Epidemiolog Dua",
        staff.kasi_surv.nip,
        "Butuh Perbaikan",
        "Final",
    ):
        assert expected in text, expected
    assert staff.penguji.nip not in text  # another unit's
    _not_blank(content)


def test_whoever_may_not_read_the_record_gets_no_file(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    records = build_records(org, planning, reporting)
    rated = build_ratings(org, planning, records)
    login(client, "other")  # Penguji, of another OPD
    for url in (
        f"/plans/{reporting.plan.id}/skp.pdf",
        f"/report/{records.reports.epid1_q1.id}/evaluation.pdf",
        f"/distributions/{rated.checks.surv.id}/recap.pdf",
    ):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert not answer.get_data().startswith(b"%PDF")
    login(client, "employee")
    # a submitted report's evaluation is not the employee's to read before it is decided
    assert client.get(f"/report/{records.reports.epid1_q2.id}/evaluation.pdf").status_code == 404
    assert client.get(f"/distributions/{rated.checks.surv.id}/recap.pdf").status_code == 404
    assert client.get("/plans/999999/skp.pdf").status_code == 404
    client.get("/logout/")
    anonymous = client.get(f"/plans/{reporting.plan.id}/skp.pdf")
    assert anonymous.status_code in (302, 401, 403)
    assert not anonymous.get_data().startswith(b"%PDF")
    db.session.rollback()


def test_the_print_links_are_on_each_record_screen(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    records = build_records(org, planning, reporting)
    rated = build_ratings(org, planning, records)
    login(client, "admin")
    plan_page = client.get(f"/plans/{reporting.plan.id}/").get_data(as_text=True)
    assert f"/plans/{reporting.plan.id}/skp.pdf" in plan_page
    report_page = client.get(f"/report/{records.reports.epid1_q1.id}/").get_data(as_text=True)
    assert f"/report/{records.reports.epid1_q1.id}/evaluation.pdf" in report_page
    check_page = client.get(f"/distributions/show/{rated.checks.surv.id}").get_data(as_text=True)
    assert f"/distributions/{rated.checks.surv.id}/recap.pdf" in check_page
